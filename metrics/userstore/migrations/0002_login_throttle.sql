-- Failed sign-ins per user name and per client address (metrics.throttle), kept across restarts.
create table login_throttle (
    scope text not null,
    key text not null,
    failures integer not null,
    last_failure double precision not null,
    logged_until double precision not null default 0,
    primary key (scope, key)
);

create index login_throttle_last_failure on login_throttle (last_failure);
