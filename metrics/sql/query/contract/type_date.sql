case
    when regexp_matches({raw}, $p_date) then {cast_raw}
    when regexp_matches({raw}, $padded_date) then {cast_stripped}
end
