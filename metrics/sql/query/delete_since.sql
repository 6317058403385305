delete from {table} where month >= $since
