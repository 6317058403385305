"""The indicator library behind the dashboard, the CLI and the exports. It never imports streamlit."""

from .config import Config, ConfigError, load_config
from .contracts import ContractError, Problem
from .engine import Engine, IndicatorValue, UnknownDimension, UnknownIndicator
from .periods import FilterError, Filters, Period

__all__ = [
    "Config",
    "ConfigError",
    "ContractError",
    "Engine",
    "FilterError",
    "Filters",
    "IndicatorValue",
    "Period",
    "Problem",
    "UnknownDimension",
    "UnknownIndicator",
    "load_config",
]
