-- One query per dataset for everything the fast path needs to know: rows, rows that break a row rule, repeated
-- keys, values outside their allowed list or reference, and the as-of date (one job on Spark, not five).
select
    (select count(*) from {table}) as n,
    (select count(*) from {table} where _bad) as bad,
    {dups} as dups,
    {outside} as outside,
    {latest} as latest
