case when regexp_matches({text}, {pattern}) then try_cast(split_part({text}, '.', 1) as bigint) end
