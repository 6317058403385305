select
    month,
    province,
    city_id as city,
    industry,
    positions as value
from job_postings
