insert into role_snapshot (id, digest, entries) values (1, :digest, :entries)
on conflict (id) do update set digest = excluded.digest, entries = excluded.entries
