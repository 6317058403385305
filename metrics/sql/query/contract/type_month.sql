case
    when regexp_matches({text}, $month_short) then try_cast({text} || '-01' as date)
    when regexp_matches({text}, $p_month) then try_cast({text} as date)
end
