-- The dataset's as-of date: the latest value of its as-of column.
select max({column}) as latest
from {table}
