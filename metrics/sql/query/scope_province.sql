($province is null or province = $province)
