({text} <> '' and {value} is null)
