with scoped as (
    select *
    from {table}
    where month between $start and $end
        and ($province is null or province = $province)
        and ($city is null or city = $city)
)

select
    {key1} as key1,
    {key2} as key2,
    {agg} as value
from scoped
where month = (select max(month) from scoped)
group by 1, 2
order by 1, 2
