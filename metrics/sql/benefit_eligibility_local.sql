select
    month,
    province,
    null::varchar as city,
    benefit_type,
    certifications as value
from benefit_certifications
