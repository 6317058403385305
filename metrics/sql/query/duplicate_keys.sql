-- Rows whose primary key repeats an earlier row's; rowid follows file order since chunks are appended in order.
with numbered as (
    select
        rowid as row_index,
        {keys},
        row_number() over (partition by {keys} order by rowid) as n
    from {table}
)

select
    row_index,
    {keys}
from numbered
where n > 1
order by row_index
limit $limit
