describe select * from ({base}) as b
