insert into audit_head (id, seq, hash) values (1, :seq, :hash)
on conflict (id) do update set seq = excluded.seq, hash = excluded.hash
