-- A distinct count over the period and over the previous one (the scoped rows start at $prev_start): each
-- entity counts at its first active month in the period, i.e. the month whose previous active month is before it.
{scoped}

select
    sum(n) filter (where month between $start and $end and (prev_month is null or prev_month < $start)) as value,
    count(*) filter (where month between $start and $end and (prev_month is null or prev_month < $start)) as n_rows,
    sum(n) filter (
        where month between $prev_start and $prev_end and (prev_month is null or prev_month < $prev_start)
    ) as previous,
    count(*) filter (
        where month between $prev_start and $prev_end and (prev_month is null or prev_month < $prev_start)
    ) as n_previous
from scoped
