-- Items count from their launch month on, so the period-end count is "launched so far".
select
    c.month,
    null::varchar as province,
    null::varchar as city,
    i.batch::varchar as batch,
    i.item_id as entity
from calendar as c
inner join service_items as i
    on i.launch_month <= c.month
