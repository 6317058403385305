({text} <> '' and {value} < {bound})
