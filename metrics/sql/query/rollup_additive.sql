-- Pre-aggregate an additive indicator to its declared grain once, at build time.
create table {table} as
select
    month,
    province,
    city,
    {dims}
    sum(value) as value
from ({base}) as base
group by all
