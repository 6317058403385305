select version, name, applied_at from schema_migrations order by version
