delete from login_throttle where scope = :scope and key = :key
