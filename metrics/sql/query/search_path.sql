set search_path = '{path}'
