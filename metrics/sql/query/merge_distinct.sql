create table delta._merged as
select distinct *
from (
    select * from {table} where month in (select distinct month from {delta})
    union all by name
    select * from {delta}
) as both_parts
