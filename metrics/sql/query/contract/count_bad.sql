-- Rows in a freshly typed table, and how many of them break a rule.
select count(*) as n, count(*) filter (where _bad) as bad
from {table}
