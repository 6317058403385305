delete from login_throttle where last_failure < :before
