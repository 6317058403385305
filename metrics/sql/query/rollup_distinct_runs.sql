-- Each entity-month at one place grain with the entity's previous active month there, counted.
-- An entity enters a period's distinct count once, at the first active month whose previous one is before
-- the period, so any period's distinct count is a sum over this small table.
create table {table} as
with active as (
    select distinct
        {keys}entity,
        month
    from {source}
    where entity is not null
),

runs as (
    select
        {keys}month,
        lag(month) over (partition by {keys}entity order by month) as prev_month
    from active
)

select
    month,
    prev_month,
    {province} as province,
    {city} as city,
    count(*) as n
from runs
group by all
order by month
