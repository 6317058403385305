select
    {key} as key,
    {agg} as value
from {table}
where month between $start and $end
    and ($province is null or province = $province)
    and ($city is null or city = $city)
group by 1
order by 1
