case when regexp_matches({raw}, $edge) then trim({raw}, $blank) else {raw} end
