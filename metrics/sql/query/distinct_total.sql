-- A distinct count over the period: each entity counts at its first active month in the period.
select
    sum(n) as value,
    count(*) as n_rows
from {table}
where month between $start and $end
    and (prev_month is null or prev_month < $start)
    and ($province is null or province = $province)
    and ($city is null or city = $city)
