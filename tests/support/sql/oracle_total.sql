-- One number for the period. {table} and {agg} come from the validated config, never from users.
select
    {agg} as value,
    count(*) as n_rows
from {table}
where month between $start and $end
    and ($province is null or province = $province)
    and ($city is null or city = $city)
