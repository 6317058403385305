-- A stock: the period's last month with data, summed across places, never across months.
with scoped as (
    select *
    from {table}
    where month between $start and $end
        and ($province is null or province = $province)
        and ($city is null or city = $city)
)

select
    {agg} as value,
    count(*) as n_rows
from scoped
where month = (select max(month) from scoped)
