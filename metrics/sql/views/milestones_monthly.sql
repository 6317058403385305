-- One-off counts carried forward: each month holds the latest snapshot on or before its end.
with snapshots as (
    select metric, province, record_date, value
    from milestones
),

carried as (
    select
        c.month,
        s.metric,
        s.province,
        arg_max(s.value, s.record_date) as value
    from calendar as c
    inner join snapshots as s
        on s.record_date < c.month + interval 1 month
    group by all
)

select
    month,
    metric,
    province,
    null::varchar as city,
    value
from carried
