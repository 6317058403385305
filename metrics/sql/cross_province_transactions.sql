-- The province that handled the service is the province.
select
    t.month,
    t.handled_province as province,
    null::varchar as city,
    t.home_province,
    t.item_id as item,
    i.batch::varchar as batch,
    t.transactions as value
from service_transactions as t
inner join service_items as i
    on t.item_id = i.item_id
