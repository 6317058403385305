-- A distinct-count indicator's pre-counted runs at the chosen places ($lo..$hi spans every month): the engine
-- fetches them once per place scope and counts any window from them (metrics/runs.py). An entity counts once
-- per window, at its first active month in it, i.e. the month whose previous active month falls before the
-- window; and once per month in a month-by-month series.
{scoped}

select
    month,
    prev_month,
    sum(n) as n
from scoped
group by month, prev_month
order by month, prev_month
