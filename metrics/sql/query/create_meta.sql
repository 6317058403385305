create table _meta as select cast($meta as varchar) as meta
