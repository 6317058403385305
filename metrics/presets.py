"""The periods a user can choose: the months on offer."""

from __future__ import annotations

from datetime import date

from .engine import Engine
from .periods import add_months, month_str


def month_options(engine: Engine) -> list[str]:
    """Months a user may pick: from the data's (or agreement's) start to the agreement's due month or last data."""
    agreement = engine.config.project.agreement
    first = min(engine.first_month, date(agreement.signed.year, agreement.signed.month, 1))
    last = max(engine.last_month, date(agreement.due.year, agreement.due.month, 1))
    out, m = [], first
    while m <= last:
        out.append(month_str(m))
        m = add_months(m, 1)
    return out
