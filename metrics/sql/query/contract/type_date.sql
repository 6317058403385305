case when regexp_matches({text}, {pattern}) then try_cast({text} as date) end
