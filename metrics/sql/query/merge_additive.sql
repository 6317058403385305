-- An appended month: the rollup's touched months again, from their old rows and the new rows' rollup.
create table delta._merged as
select
    month,
    province,
    city,
    {dims}
    sum(value) as value
from (
    select * from {table} where month in (select distinct month from {delta})
    union all by name
    select * from {delta}
) as both_parts
group by all
