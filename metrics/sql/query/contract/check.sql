select _row, {col} as col, {rule} as rule, {value} as value from parsed where {condition}
