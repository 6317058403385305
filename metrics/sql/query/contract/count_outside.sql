-- How many distinct values of a column are not among the known ones (allowed values, or the referenced keys).
select count(*) as n
from (select distinct {column} as v from {table}) as d
where v is not null and cast(v as varchar) <> '' and v not in ({known})
