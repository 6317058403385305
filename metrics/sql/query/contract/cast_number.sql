try_cast({text} as double)
