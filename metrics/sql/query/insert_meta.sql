insert into _meta values (cast($meta as varchar))
