-- Cumulative completed tasks of the agreement at each month's end, so the stock's period-end value is "completed
-- so far". A task is completed when its latest approved report (task_reports) says so, from the date it gives.
-- Reports approved in the user store since the data version are added by metrics.tasks, not here.
with latest as (
    select task_id, max(period) as period
    from task_reports
    group by task_id
),

done as (
    select r.task_id, r.completed_on
    from task_reports as r
    inner join latest as l on r.task_id = l.task_id and r.period = l.period
    where r.state = 'completed'
)

select
    c.month,
    null::varchar as province,
    null::varchar as city,
    t.area_id as area,
    t.lead_party,
    count(d.completed_on) filter (where d.completed_on < c.month + interval 1 month) as value
from calendar as c
cross join tasks as t
left join done as d on t.task_id = d.task_id
where t.plan_id = 'agreement'
group by all
