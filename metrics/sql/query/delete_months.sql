delete from {table} where month in (select distinct month from {months})
