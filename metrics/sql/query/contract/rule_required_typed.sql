({value} is null and regexp_matches({raw}, $blank_only))
