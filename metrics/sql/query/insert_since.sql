insert into {table} by name select * from {source} where month >= $since
