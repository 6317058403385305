try_cast({text} as date)
