select city_id, province, name_zh, name_en
from cities
where $province is null or province = $province
order by province desc, city_id
