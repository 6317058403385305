{scoped}

select
    {key} as key,
    {agg} as value
from scoped
group by 1
order by 1
