-- Distinct entities per month: every entity-month row counts once in its own month.
select
    month as key,
    sum(n) as value
from {table}
where month between $start and $end
    and ($province is null or province = $province)
    and ($city is null or city = $city)
group by 1
order by 1
