select count(*) as n from {table}
