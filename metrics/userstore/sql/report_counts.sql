-- How many report versions and reviews exist: both only grow, so together they name the reports' version.
select
    (select count(*) from progress_reports) as reports,
    (select count(*) from report_reviews) as reviews
