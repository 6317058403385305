case
    when regexp_matches({raw}, $p_number) then {cast_raw}
    when regexp_matches({raw}, $padded_number) then {cast_stripped}
end
