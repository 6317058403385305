case when regexp_matches({text}, $p_number) then try_cast({text} as double) end
