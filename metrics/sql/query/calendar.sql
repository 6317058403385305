create table calendar as
select cast(m as date) as month
from range(cast($start as date), cast($end as date) + interval 1 day, interval 1 month) as t(m)
