-- Rows of {a} missing from {b} and the reverse, counting repeats (except all), and both row counts.
select
    (select count(*) from (select * from {a} except all select * from {b}) as x) as only_a,
    (select count(*) from (select * from {b} except all select * from {a}) as y) as only_b,
    (select count(*) from {a}) as rows_a,
    (select count(*) from {b}) as rows_b
