select min(month) as first from {table}
