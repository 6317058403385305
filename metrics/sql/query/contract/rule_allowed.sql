({present} and {value} not in (select value from _domains where domain = {domain}))
