select
    c.month,
    null::varchar as province,
    null::varchar as city,
    t.area_id as entity
from calendar as c
cross join tasks as t
where t.plan_id = 'agreement'
