-- The store's append-only audit: one row per event, each chained to the one before by SHA-256 (metrics.chain).
-- seq is given by the writer (head + 1), not generated, so the same DDL runs on SQLite and PostgreSQL and two
-- writers can never both append the same link: the second one's insert fails on the primary key and is retried.
create table audit_events (
    seq bigint primary key,
    ts text not null,
    actor text not null,
    action text not null,
    subject text,
    client text,
    detail text not null,
    prev text not null,
    hash text not null
);

-- The chain's head, updated in the same transaction as each insert: rows deleted from the end no longer reach it.
create table audit_head (
    id integer primary key,
    seq bigint not null,
    hash text not null
);
