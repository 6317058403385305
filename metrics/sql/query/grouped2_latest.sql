-- A stock by two dimensions: the period's last month with data, never summed across months.
{scoped}

select
    {key1} as key1,
    {key2} as key2,
    {agg} as value
from scoped
where month = (select max(month) from scoped)
group by 1, 2
order by 1, 2
