-- The receiving side is the province.
select
    month,
    to_province as province,
    null::varchar as city,
    from_province,
    insurance_type,
    transfers as value
from insurance_transfers
