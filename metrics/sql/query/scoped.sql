-- The rows every read query starts from: one indicator's pre-aggregated table in the period and places.
-- {table}, {start} and {end} are fixed by the engine ($start and $end, or $lo and $hi to hold two windows);
-- every user value is a bound parameter.
with scoped as (
    select *
    from {table}
    where month between {start} and {end}
        and ($province is null or province = $province)
        and ($city is null or city = $city)
)
