-- A ratio of sums: days saved over baseline days.
select
    month,
    province,
    null::varchar as city,
    baseline_days - actual_days as num,
    baseline_days as den
from transfer_settlements
