-- A distinct count over two windows a and b (the scoped rows run from the earlier start to the later end):
-- each entity counts once per window, at its first active month in it, i.e. the month whose previous active
-- month falls before the window. So any window's distinct count is a sum over the pre-counted runs.
{scoped}

select
    sum(n) filter (where month between $a_start and $a_end and (prev_month is null or prev_month < $a_start)) as a,
    count(*) filter (where month between $a_start and $a_end and (prev_month is null or prev_month < $a_start)) as a_rows,
    sum(n) filter (where month between $b_start and $b_end and (prev_month is null or prev_month < $b_start)) as b,
    count(*) filter (where month between $b_start and $b_end and (prev_month is null or prev_month < $b_start)) as b_rows
from scoped
