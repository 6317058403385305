case when regexp_matches({text}, $month_short) then try_cast({text} || '-01' as date) else try_cast({text} as date) end
