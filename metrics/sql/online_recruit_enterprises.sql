select
    month,
    province,
    city_id as city,
    industry,
    enterprise_id as entity
from job_postings
