({value} < {bound})
