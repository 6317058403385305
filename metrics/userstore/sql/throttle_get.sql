select scope, key, failures, last_failure, logged_until from login_throttle where scope = :scope and key = :key
