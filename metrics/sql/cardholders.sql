select
    month,
    province,
    city_id as city,
    cardholders as value
from card_holders
