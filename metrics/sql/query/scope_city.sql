($city is null or city = $city)
