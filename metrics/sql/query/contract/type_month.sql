case
    when regexp_matches({raw}, $month_short) then try_cast({raw} || '-01' as date)
    when regexp_matches({raw}, $p_month) then try_cast({raw} as date)
    when regexp_matches({raw}, $padded_month) then {cast_stripped}
end
