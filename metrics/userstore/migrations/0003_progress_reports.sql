-- Progress reports (填报): one row per submitted version, never updated. A resubmission is a new version; the
-- primary key keeps two writers from taking the same version number (the second one retries or is refused).
create table progress_reports (
    task_id text not null,
    period text not null,
    version integer not null,
    party text not null,
    progress_pct integer not null,
    state text not null,
    completed_on text,
    progress_note text not null,
    issues text not null,
    next_steps text not null,
    evidence text not null,
    reporter text not null,
    source text not null,
    submitted_at text not null,
    primary key (task_id, period, version)
);

create index progress_reports_period on progress_reports (period, task_id);

-- Reviews: one decision (approved or returned) per report version, never updated; the key refuses a second one.
create table report_reviews (
    task_id text not null,
    period text not null,
    version integer not null,
    decision text not null,
    reviewer text not null,
    comment text not null,
    reviewed_at text not null,
    primary key (task_id, period, version),
    foreign key (task_id, period, version) references progress_reports (task_id, period, version)
);

-- The reporter and reviewer assignments last seen (from secrets.toml and the environment), so that each change
-- of role is audited once, by whichever process notices it first.
create table role_snapshot (
    id integer primary key,
    digest text not null,
    entries text not null
);
