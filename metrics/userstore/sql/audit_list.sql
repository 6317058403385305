select seq, ts, actor, action, subject, client, detail, prev, hash from audit_events order by seq
