-- Outlets open at each month's end, per city.
select
    c.month,
    o.province,
    o.city_id as city,
    count(*) as value
from calendar as c
inner join card_outlets as o
    on o.opened_month <= c.month
group by all
