-- A distinct count's runs at a coarser place grain, summed from the city grain's: exact when every entity is
-- active in one place only (metrics/sql/query/movers.sql), its runs being then the same at every grain.
create table {table} as
select
    month,
    prev_month,
    {province} as province,
    {city} as city,
    cast(sum(n) as bigint) as n
from {source}
group by {keys}month, prev_month
order by month
