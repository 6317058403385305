-- Cumulative completed tasks at each month's end, so the stock's period-end value is "completed so far".
select
    c.month,
    null::varchar as province,
    null::varchar as city,
    t.area_id as area,
    t.lead_party,
    count(*) filter (where t.completion_date < c.month + interval 1 month) as value
from calendar as c
cross join tasks as t
group by all
