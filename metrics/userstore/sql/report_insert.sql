insert into progress_reports (
    task_id, period, version, party, progress_pct, state, completed_on, progress_note, issues, next_steps,
    evidence, reporter, source, submitted_at
)
values (
    :task_id, :period, :version, :party, :progress_pct, :state, :completed_on, :progress_note, :issues,
    :next_steps, :evidence, :reporter, :source, :submitted_at
)
