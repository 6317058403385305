-- Distinct counts cannot be summed, so keep one row per entity at the declared grain.
create table {table} as
select distinct
    month,
    province,
    city,
    {dims}
    entity
from ({base}) as base
