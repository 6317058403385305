-- The receiving side is the province.
select
    month,
    to_province as province,
    null::varchar as city,
    from_province,
    records as value
from data_exchange
where dataset = 'graduate_unemployed'
