-- The dataset typed by its contract, and a flag on each row that breaks it (those are then located in detail).
create {temp}table {table} as
with cleaned as (
    {cleaned}
),

parsed as (
    select
        *,
        {values}
    from cleaned
)

select
    {columns},
    {bad} as _bad
from parsed
