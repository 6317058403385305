create table {table} ({columns})
