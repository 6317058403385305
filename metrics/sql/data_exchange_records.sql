-- Pension enrolment and benefit records only; graduate records are their own indicator.
select
    month,
    to_province as province,
    null::varchar as city,
    from_province,
    dataset as exchange_dataset,
    records as value
from data_exchange
where dataset in ('pension_enrolment', 'pension_benefit')
