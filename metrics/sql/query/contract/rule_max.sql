({value} > {bound})
