with scoped as (
    select *
    from {table}
    where month between $start and $end
        and ($province is null or province = $province)
        and ($city is null or city = $city)
)

select
    {key} as key,
    {agg} as value
from scoped
where month = (select max(month) from scoped)
group by 1
order by 1
