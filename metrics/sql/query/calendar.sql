-- One row per month from $start to $end. generate_series/unnest is DuckDB's spelling; SQLGlot writes it for
-- Spark as explode(sequence(...)), which Spark runs (its translation of range() is not).
create table calendar as
select cast(m as date) as month
from (select unnest(generate_series(cast($start as date), cast($end as date), interval 1 month)) as m) as t
