select
    month,
    province,
    null::varchar as city,
    accounts as value
from personal_pension_accounts
