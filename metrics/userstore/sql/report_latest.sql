-- The newest version of one task's report for one period, with its review if it has one.
select
    r.task_id, r.period, r.version, r.party, r.progress_pct, r.state, r.completed_on, r.progress_note, r.issues,
    r.next_steps, r.evidence, r.reporter, r.source, r.submitted_at,
    v.decision, v.reviewer, v.comment, v.reviewed_at
from progress_reports as r
left join report_reviews as v
    on r.task_id = v.task_id and r.period = v.period and r.version = v.version
where r.task_id = :task_id and r.period = :period
order by r.version desc
limit 1
