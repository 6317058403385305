-- Distinct entities per month: every entity-month row counts once in its own month.
{scoped}

select
    month as key,
    sum(n) as value
from scoped
group by 1
order by 1
