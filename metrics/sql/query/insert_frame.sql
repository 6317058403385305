insert into {table} select * from incoming
