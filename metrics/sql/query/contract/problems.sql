-- Every cell that breaks its column's rules, with the row in the file; ordered as the pandas checks report.
with cleaned as (
    {cleaned}
),

parsed as (
    select
        *,
        {values}
    from cleaned
),

found as (
    {checks}
)

select
    _row,
    col,
    rule,
    value
from found
order by col, rule, _row
limit $limit
