create table {table} as
select
    month,
    province,
    city,
    {dims}
    sum(num) as num,
    sum(den) as den
from ({base}) as base
group by all
