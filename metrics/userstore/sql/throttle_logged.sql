update login_throttle set logged_until = :until where scope = :scope and key = :key
