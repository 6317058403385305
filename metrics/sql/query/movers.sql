-- How many entities of a distinct count's rollup are active in more than one place (province and city). When
-- none is, an entity's active months are the same at every place grain, and so are its runs.
select count(*) as n
from (
    select entity
    from {source}
    where entity is not null
    group by entity
    having
        min(province) <> max(province)
        or min(city) <> max(city)
        or count(province) not in (0, count(*))
        or count(city) not in (0, count(*))
) as movers
