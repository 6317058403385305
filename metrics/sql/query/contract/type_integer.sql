case
    when regexp_matches({raw}, $p_integer) then {cast_raw}
    when regexp_matches({raw}, $padded_integer) then {cast_stripped}
end
