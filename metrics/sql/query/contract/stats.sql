-- Everything the fast path needs to know about a freshly typed dataset, in one pass grouped by its key: rows,
-- rows that break a row rule, rows repeating an earlier key, the as-of date, and values outside their allowed
-- list or reference (one query: on Spark each query is a job, and jobs cost more than rows here).
with per_key as (
    select
        count(*) as c,
        count(*) filter (where _bad) as b,
        max({latest}) as m
    from {table}
    {group}
)

select
    coalesce(sum(c), 0) as n,
    coalesce(sum(b), 0) as bad,
    {dups} as dups,
    {outside} as outside,
    max(m) as latest
from per_key
