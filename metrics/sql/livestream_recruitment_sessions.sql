select
    date_trunc('month', event_date)::date as month,
    province,
    city_id as city,
    1 as value
from programme_events
where programme = 'livestream_recruitment'
