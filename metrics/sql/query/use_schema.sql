set schema = '{schema}';
set search_path = '{path}'
