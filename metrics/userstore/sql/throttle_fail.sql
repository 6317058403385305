-- One more failure; a count whose last failure is older than :forget_before starts again at 1.
insert into login_throttle (scope, key, failures, last_failure, logged_until)
values (:scope, :key, 1, :now, 0)
on conflict (scope, key) do update set
    failures = case when login_throttle.last_failure < :forget_before then 1 else login_throttle.failures + 1 end,
    last_failure = excluded.last_failure
