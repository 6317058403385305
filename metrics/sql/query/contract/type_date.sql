case when regexp_matches({text}, $p_date) then try_cast({text} as date) end
