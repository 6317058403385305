-- A dataset's cells as the contract reads them: the raw text ('' when empty) and the text stripped of blanks.
select
    {row}{cells}
from (
    select
        {row}{raws}
    from {source}
) as raw
