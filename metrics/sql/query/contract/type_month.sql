case when regexp_matches({text}, {pattern})
    then try_cast(split_part({text}, '-', 1) || '-' || lpad(split_part({text}, '-', 2), 2, '0') || '-01' as date) end
