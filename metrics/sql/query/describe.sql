-- No rows, only the columns: every engine answers this, unlike DuckDB's DESCRIBE.
select * from ({base}) as b limit 0
