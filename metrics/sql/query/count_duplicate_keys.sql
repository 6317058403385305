-- How many rows repeat an earlier row's primary key (0 when the key is unique).
select count(*) - (select count(*) from (select distinct {keys} from {table}) as k) as n
from {table}
