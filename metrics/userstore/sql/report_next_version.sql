select coalesce(max(version), 0) + 1 as version from progress_reports where task_id = :task_id and period = :period
