select digest, entries from role_snapshot where id = 1
