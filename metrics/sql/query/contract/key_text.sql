-- The keys of a file's rows as the contract compares them (their stripped text), one row per key.
create temp table {table} as
select distinct {keys}
from ({cleaned}) as cleaned
