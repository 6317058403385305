case when contains({text}, '.') then try_cast(split_part({text}, '.', 1) as bigint) else try_cast({text} as bigint) end
