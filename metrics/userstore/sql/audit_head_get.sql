select seq, hash from audit_head where id = 1
