insert into report_reviews (task_id, period, version, decision, reviewer, comment, reviewed_at)
values (:task_id, :period, :version, :decision, :reviewer, :comment, :reviewed_at)
