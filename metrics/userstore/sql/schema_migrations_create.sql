create table if not exists schema_migrations (
    version integer primary key,
    name text not null,
    applied_at text not null
)
