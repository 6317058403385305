-- The programme is recorded from 2023, so all time equals the published 2023 figure.
select
    date_trunc('month', event_date)::date as month,
    province,
    city_id as city,
    1 as value
from programme_events
where programme = 'talent_event'
