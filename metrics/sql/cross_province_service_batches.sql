select
    c.month,
    null::varchar as province,
    null::varchar as city,
    i.batch::varchar as entity
from calendar as c
inner join service_items as i
    on i.launch_month <= c.month
