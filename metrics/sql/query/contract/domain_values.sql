select value from _domains where domain = {domain}
