-- A distinct count's runs at one place grain from month $since on, for an append: the entity-months since then,
-- and each entity's last active month before (all the lag needs), instead of every entity-month there is.
create table {table} as
with active as (
    select distinct
        {keys}entity,
        month
    from {source}
    where entity is not null and month >= $since
    union all
    select
        {keys}entity,
        max(month) as month
    from {source}
    where entity is not null and month < $since
    group by {keys}entity
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
where month >= $since
group by all
order by month
