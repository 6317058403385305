-- Every task of the agreement counts in every month: the total does not depend on the period.
select
    c.month,
    null::varchar as province,
    null::varchar as city,
    t.area_id as area,
    t.lead_party,
    t.task_id as entity
from calendar as c
cross join tasks as t
where t.plan_id = 'agreement'
