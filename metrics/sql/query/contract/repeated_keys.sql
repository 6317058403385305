-- How many keys (their stripped text, as the contract compares them) occur more than once in a whole file.
select count(*) as n
from (
    select {keys}
    from ({cleaned}) as cleaned
    group by {keys}
    having count(*) > 1
) as repeated
