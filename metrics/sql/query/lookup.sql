select
    {key} as key,
    {label} as label
from {table}
