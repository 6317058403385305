create table delta._merged as
select
    month,
    province,
    city,
    {dims}
    sum(num) as num,
    sum(den) as den
from (
    select * from {table} where month in (select distinct month from {delta})
    union all by name
    select * from {delta}
) as both_parts
group by all
