-- Allowed values and the agreement's areas, from the config, for the allowed and reference checks.
create table _domains (domain integer, value varchar)
