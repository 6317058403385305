-- A stock by one dimension: the period's last month with data, never summed across months.
{scoped}

select
    {key} as key,
    {agg} as value
from scoped
where month = (select max(month) from scoped)
group by 1
order by 1
