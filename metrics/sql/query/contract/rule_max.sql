({text} <> '' and {value} > {bound})
