insert into audit_events (seq, ts, actor, action, subject, client, detail, prev, hash)
values (:seq, :ts, :actor, :action, :subject, :client, :detail, :prev, :hash)
