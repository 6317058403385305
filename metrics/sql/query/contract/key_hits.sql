-- How many rows of a whole file have one of the given keys (stripped text): a probe of a small table, where
-- counting every key of the file would build a table of them all.
select count(*) as n
from ({cleaned}) as cleaned
where exists (
    select 1
    from {table} as k
    where {match}
)
