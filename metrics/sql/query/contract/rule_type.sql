({value} is null and not regexp_matches({raw}, $blank_only))
