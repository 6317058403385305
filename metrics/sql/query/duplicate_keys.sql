-- Rows whose primary key repeats an earlier row's, in file order ({keys} are the stripped texts of the key).
with keyed as (
    select
        _row,
        {keys},
        row_number() over (partition by {keys} order by _row) as n
    from {source}
)

select
    _row,
    {keys}
from keyed
where n > 1
order by _row
limit $limit
