-- One additive indicator per month at the chosen places; the engine unions one part per indicator.
-- Only fixed fragments and config identifiers are spliced in here, never user values.
select
    {part} as part,
    month,
    {a} as a,
    {b} as b
from {table}
where {scope}
group by month
