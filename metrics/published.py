"""The register of published figures: every report that published a figure (title, publisher, date, link) and each
figure it gave, with its 口径 (basis) and the quote. The seed's report (2023-08-29) is the first; a data officer
adds later ones with the usual ingest of published_reports.csv and published_values.csv.

A figure is recomputed from the data by the same basis, where the data reach its date:

- cumulative: since the agreement's signing, up to the figure's month;
- in_year: from January of the figure's year, up to its month;
- as_of: the value at the figure's month (a stock; for a count of distinct things, everything up to then).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .engine import Engine
from .i18n import norm_lang, paren, tr
from .periods import Filters, month_str

BASES = ("cumulative", "in_year", "as_of")
COMPARISONS = ("equals", "nearly", "more_than")


@dataclass(frozen=True)
class Check:
    """A published figure beside the data's value by the same basis."""

    figure_id: str
    report_id: str
    published: float
    computed: float | None
    comparison: str

    @property
    def holds(self) -> bool | None:
        """Whether the data reproduce the figure as it was stated (None when they cannot say)."""
        if self.computed is None:
            return None
        if self.comparison == "nearly":  # "nearly 200": below it, but close
            return 0.9 * self.published <= self.computed < self.published
        if self.comparison == "more_than":  # "more than 2/3"
            return self.computed > self.published
        return self.computed == self.published


def reports(engine: Engine, lang: str = "zh") -> pd.DataFrame:
    """Every report in the register, oldest first: report_id, title, publisher, published_on, link, figures."""
    r = engine.table("published_reports")
    v = engine.table("published_values")
    counts = v.groupby("report_id").size()
    lang = norm_lang(lang)
    out = pd.DataFrame(
        {
            "report_id": r["report_id"],
            "title": r[f"title_{lang}"],
            "publisher": r[f"publisher_{lang}"],
            "published_on": pd.to_datetime(r["published_on"]).dt.date,
            "link": r["link"].fillna(""),
            "figures": r["report_id"].map(counts).fillna(0).astype(int),
        }
    )
    return out.sort_values(["published_on", "report_id"], ignore_index=True)


def window(engine: Engine, basis: str, as_of: pd.Timestamp) -> Filters | None:
    """The months a figure of this basis counts, or None when the data do not reach its month."""
    month = as_of.date().replace(day=1)
    if month > engine.last_month:
        return None
    if basis == "cumulative":
        return Filters(start=month_str(engine.signing_month()), end=month_str(month))
    if basis == "in_year":
        return Filters(start=f"{month.year:04d}-01", end=month_str(month))
    return Filters(end=month_str(month))


def history(engine: Engine, indicator_id: str, lang: str = "zh") -> pd.DataFrame:
    """An indicator's published values over time, each with its report, basis, quote and the data's value.

    Columns: as_of, value, basis, basis_label, comparison, quote, report_id, title, publisher, published_on,
    link, computed.
    """
    v = engine.table("published_values")
    v = v[v["figure_id"] == indicator_id]
    regs = reports(engine, lang).set_index("report_id")
    rows = []
    for r in v.itertuples():
        as_of = pd.Timestamp(r.as_of)
        filters = window(engine, str(r.basis), as_of)
        computed = engine.value(indicator_id, filters).value if filters is not None else None
        rep = regs.loc[r.report_id]
        rows.append(
            {
                "as_of": as_of.date(),
                "value": float(r.value),
                "basis": r.basis,
                "basis_label": basis_label(str(r.basis), as_of, lang),
                "comparison": r.comparison,
                "quote": r.quote_zh,
                "report_id": r.report_id,
                "title": rep["title"],
                "publisher": rep["publisher"],
                "published_on": rep["published_on"],
                "link": rep["link"],
                "computed": computed,
            }
        )
    cols = ["as_of", "value", "basis", "basis_label", "comparison", "quote", "report_id", "title", "publisher"]
    frame = pd.DataFrame(rows, columns=[*cols, "published_on", "link", "computed"])
    frame["computed"] = pd.Series([r["computed"] for r in rows], index=frame.index, dtype=object)  # None: not computed
    return frame.sort_values(["as_of", "published_on"], ignore_index=True)


def basis_label(basis: str, as_of: pd.Timestamp, lang: str) -> str:
    """The 口径 in words: '自协议签署以来累计(截至2023-08-29)'."""
    return tr(f"basis.{basis}", lang) + paren(as_of.date().isoformat(), lang)


def checks(engine: Engine, report_id: str | None = None) -> list[Check]:
    """Every figure of a report (or of all reports) beside the data's value by the same basis."""
    v = engine.table("published_values")
    if report_id is not None:
        v = v[v["report_id"] == report_id]
    out = []
    for r in v.itertuples():
        filters = window(engine, str(r.basis), pd.Timestamp(r.as_of))
        try:
            computed = engine.value(str(r.figure_id), filters).value if filters is not None else None
        except KeyError:  # a figure no indicator computes
            computed = None
        out.append(Check(str(r.figure_id), str(r.report_id), float(r.value), computed, str(r.comparison)))
    return out
