{scoped}

select
    {key1} as key1,
    {key2} as key2,
    {agg} as value
from scoped
group by 1, 2
order by 1, 2
