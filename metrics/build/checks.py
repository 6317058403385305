"""Dataset contracts checked in SQL, on whichever engine builds: the same rules and messages as contracts.py.

A clean file costs one pass: the typed table is written with a flag on each row that breaks a rule. Only when
some row is flagged (or a key repeats) are the problems located cell by cell, with the row in the file, by a
second query over the file with row numbers. Problems come out in the order the pandas checks give them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import pandas as pd

from ..config import Column, Config, Dataset
from ..contracts import (
    BLANK,
    DUPLICATE_KEY,
    EDGE_PATTERN,
    FIRST_DATA_LINE,
    PATTERNS,
    RULES,
    Problem,
    check_headers,
    key_shown,
    map_headers,
    reason,
)
from ..sqlfiles import ident, render

AREAS_DOMAIN = 0
SQL_TYPES = {"string": "VARCHAR", "integer": "BIGINT", "number": "DOUBLE", "date": "DATE", "month": "DATE"}
MONTH_SHORT = "^[0-9]{4}-[0-9]{1,2}$"  # YYYY-MM, the common form of PATTERNS["month"], typed by appending -01


def domains(cfg: Config) -> dict[str, tuple[int, list[str]]]:
    """Every value list the checks look values up in: 'areas' and 'dataset.column' for allowed values."""
    out = {"areas": (AREAS_DOMAIN, [a.id for a in cfg.areas])}
    for name, ds in cfg.datasets.items():
        for col in ds.columns:
            if col.allowed is not None:
                out[f"{name}.{col.name}"] = (len(out), sorted(set(col.allowed)))
    return out


@dataclass(frozen=True)
class Layout:
    """Where each contract column is in a file: the position of its cells, or absent."""

    name: str
    ds: Dataset
    positions: dict[int, int]  # contract column index -> file column index

    def present(self) -> list[tuple[int, Column]]:
        """The contract columns the file has, in contract order."""
        return [(i, c) for i, c in enumerate(self.ds.columns) if i in self.positions]

    def keys_present(self) -> bool:
        """True when every primary-key column is in the file (the key check needs them all)."""
        names = {c.name for _, c in self.present()}
        return bool(self.ds.primary_key) and all(k in names for k in self.ds.primary_key)


def read_layout(header: list[str], name: str, ds: Dataset, label: str) -> tuple[Layout | None, list[Problem]]:
    """Map a file's header onto the contract; header problems, and no layout when a column repeats."""
    frame = map_headers(pd.DataFrame(columns=header), ds)
    problems = check_headers(frame, ds, label)
    if any(p.reason == "column appears more than once" for p in problems):
        return None, problems
    where = {str(c): j for j, c in enumerate(frame.columns)}
    positions = {i: where[c.name] for i, c in enumerate(ds.columns) if c.name in where}
    return Layout(name, ds, positions), problems


def _cleaned(
    layout: Layout, source: str, numbered: bool, all_text: bool | None = None, blank_free: bool = False
) -> str:
    """Raw cells of every column; stripped text of string columns (the fast path) or of all (the slow path).
    In a blank-free source every cell is already stripped, and the pattern that finds edge blanks is left out."""
    raws, cells = [], []
    every = numbered if all_text is None else all_text
    for i, col in layout.present():
        raws.append(f"coalesce({ident(f'src_{layout.positions[i]}')}, '') as r_{i}")
        cells.append(f"r_{i}")
        if every or col.type == "string":
            stripped = f"r_{i}" if blank_free else render("contract/stripped", raw=f"r_{i}").strip()
            cells.append(f"{stripped} as t_{i}")
    row = "_row,\n    " if numbered else ""
    return render(
        "contract/cleaned", row=row, cells=",\n    ".join(cells), raws=",\n        ".join(raws), source=source
    )


def _value(i: int, col: Column) -> str:
    """The typed value of column i: strings are their stripped text; other types parse the raw cell, and strip
    it first only when it does not parse as it is (blanks around a cell are rare, and stripping costs)."""
    if col.type == "string":
        return f"t_{i} as v_{i}"
    stripped = render("contract/stripped", raw=f"r_{i}").strip()
    expr = render(
        f"contract/type_{col.type}",
        raw=f"r_{i}",
        cast_raw=render(f"contract/cast_{col.type}", text=f"r_{i}").strip(),
        cast_stripped=render(f"contract/cast_{col.type}", text=f"({stripped})").strip(),
    ).strip()
    return f"{expr} as v_{i}"


def _conditions(
    layout: Layout, domain_ids: dict[str, tuple[int, list[str]]], references: set[str]
) -> list[tuple[int, int, str, str]]:
    """(column index, rule index, condition, shown value) for every rule that applies to a present column."""
    out = []
    for i, col in layout.present():
        raw, value = f"r_{i}", f"v_{i}"
        text = col.type == "string"
        present = f"v_{i} <> ''" if text else f"v_{i} is not null"
        rules: dict[str, str] = {}
        if not text:
            rules["type"] = render("contract/rule_type", raw=raw, value=value)
        if col.required:
            rules["required"] = (
                render("contract/rule_required", text=value)
                if text
                else render("contract/rule_required_typed", raw=raw, value=value)
            )
        if col.allowed is not None:
            rules["allowed"] = render(
                "contract/rule_allowed",
                present=present,
                value=value,
                domain=str(domain_ids[f"{layout.name}.{col.name}"][0]),
            )
        if col.references and col.references in references:
            if col.references == "areas":
                rules["reference"] = render(
                    "contract/rule_allowed", present=present, value=value, domain=str(AREAS_DOMAIN)
                )
            else:
                other, key = col.references.split(".")
                rules["reference"] = render(
                    "contract/rule_reference", present=present, value=value, other=ident(other), key=ident(key)
                )
        if col.min is not None and not text:
            rules["min"] = render("contract/rule_min", value=value, bound=f"$min_{i}")
        if col.max is not None and not text:
            rules["max"] = render("contract/rule_max", value=value, bound=f"$max_{i}")
        for rule, condition in rules.items():
            shown = "''" if rule == "required" else raw
            out.append((i, RULES.index(rule), condition.strip(), shown))
    return out


def params(layout: Layout) -> dict[str, object]:
    """The bound values the check SQL uses: the blank set and the columns' bounds."""
    out: dict[str, object] = {
        "blank": BLANK,
        "edge": EDGE_PATTERN,
        "month_short": MONTH_SHORT,
        "blank_only": f"^[{BLANK}]*$",
    }
    for kind, pattern in PATTERNS.items():
        out[f"p_{kind}"] = pattern
        out[f"padded_{kind}"] = f"^[{BLANK}]*{pattern[1:-1]}[{BLANK}]*$"
    for i, col in layout.present():
        for kind, bound in (("min", col.min), ("max", col.max)):
            if bound is not None and col.type != "string":
                out[f"{kind}_{i}"] = bound if isinstance(bound, date) else float(bound)
    return out


# Rules a row breaks by itself; allowed values and references are checked once per distinct value instead.
ROW_RULES = ("type", "required", "min", "max")


def typed_table(
    layout: Layout,
    source: str,
    domain_ids: dict[str, tuple[int, list[str]]],
    references: set[str],
    temporary: bool = False,
    blank_free: bool = False,
) -> str:
    """create table <dataset> as the typed rows with a _bad flag, in one pass over the source (whose cells
    need no stripping when it is blank_free)."""
    present = dict(layout.present())
    values = ",\n        ".join(_value(i, c) for i, c in present.items())
    cols = []
    for i, col in enumerate(layout.ds.columns):
        typed = f"v_{i}" if i in present else f"cast(null as {SQL_TYPES[col.type]})"
        cols.append(f"{typed} as {ident(col.name)}")
    conditions = _row_flags(layout, domain_ids, references)
    return render(
        "contract/typed_table",
        temp="temp " if temporary else "",
        table=ident(layout.name),
        cleaned=_cleaned(layout, source, False, blank_free=blank_free),
        values=values or "null as _none",
        columns=",\n    ".join(cols),
        bad=" or ".join(conditions) or "false",
    )


def _row_flags(layout: Layout, domain_ids: dict[str, tuple[int, list[str]]], references: set[str]) -> list[str]:
    """The row rules as the _bad flag tests them: a required typed cell breaks its type or required rule
    exactly when its value is null, so that pair is one test (the problems query still tells them apart)."""
    out = []
    for i, r, condition, _ in _conditions(layout, domain_ids, references):
        col, rule = layout.ds.columns[i], RULES[r]
        if rule not in ROW_RULES:
            continue
        if col.type != "string" and col.required and rule in ("type", "required"):
            if rule == "type":
                out.append(f"v_{i} is null")
            continue
        out.append(condition)
    return out


def outside_queries(layout: Layout, domain_ids: dict[str, tuple[int, list[str]]], references: set[str]) -> list[str]:
    """One query per allowed-value or reference rule: how many distinct values of the typed table break it."""
    out = []
    for _, col in layout.present():
        column = ident(col.name)
        if col.allowed is not None:
            domain = str(domain_ids[f"{layout.name}.{col.name}"][0])
            out.append(
                render(
                    "contract/count_outside",
                    column=column,
                    table=ident(layout.name),
                    known=render("contract/domain_values", domain=domain).strip(),
                )
            )
        if col.references and col.references in references:
            if col.references == "areas":
                known = render("contract/domain_values", domain=str(AREAS_DOMAIN)).strip()
            else:
                other, key = col.references.split(".")
                known = render("contract/key_values", key=ident(key), table=ident(other)).strip()
            out.append(render("contract/count_outside", column=column, table=ident(layout.name), known=known))
    return out


def problems_query(
    layout: Layout, numbered: str, domain_ids: dict[str, tuple[int, list[str]]], references: set[str]
) -> str | None:
    """Every broken cell with its row, over the numbered source; None when no rule applies."""
    conditions = _conditions(layout, domain_ids, references)
    if not conditions:
        return None
    checks = "\n    union all\n    ".join(
        render("contract/check", col=str(i), rule=str(r), value=shown, condition=cond).strip()
        for i, r, cond, shown in conditions
    )
    values = ",\n        ".join(_value(i, c) for i, c in layout.present())
    return render("contract/problems", cleaned=_cleaned(layout, numbered, True), values=values, checks=checks)


def duplicates_query(layout: Layout, numbered: str) -> str:
    """Rows whose stripped key text repeats an earlier row's."""
    keys = ", ".join(_key_columns(layout))
    return render("duplicate_keys", keys=keys, source=f"({_cleaned(layout, numbered, True)}) as cleaned")


def _key_columns(layout: Layout) -> list[str]:
    names = {c.name: i for i, c in enumerate(layout.ds.columns)}
    return [f"t_{names[k]}" for k in layout.ds.primary_key]


def key_text_table(layout: Layout, source: str, table: str, blank_free: bool = False) -> str:
    """create a table of the source's distinct keys (stripped text)."""
    cleaned = _cleaned(layout, source, False, all_text=True, blank_free=blank_free)
    return render("contract/key_text", table=table, keys=", ".join(_key_columns(layout)), cleaned=cleaned)


def key_hits_query(layout: Layout, source: str, table: str, blank_free: bool = False) -> str:
    """How many rows of the source have a key (stripped text) that is in table."""
    cleaned = _cleaned(layout, source, False, all_text=True, blank_free=blank_free)
    match = " and ".join(f"k.{k} = cleaned.{k}" for k in _key_columns(layout))
    return render("contract/key_hits", table=table, match=match, cleaned=cleaned)


def problem(label: str, layout: Layout, row: int, col: int, rule: int, value: str) -> Problem:
    """One row of the problems query as the Problem the pandas checks would report."""
    column = layout.ds.columns[col]
    return Problem(
        label, int(row), column.name, "" if RULES[rule] == "required" else value, reason(column, RULES[rule])
    )


def duplicate(label: str, layout: Layout, row: int, keys: tuple[str, ...]) -> Problem:
    """One row of the duplicates query as a Problem."""
    pk = layout.ds.primary_key
    return Problem(label, int(row), "+".join(pk), key_shown(pk, list(keys)), DUPLICATE_KEY)


def bound_names(sql: str, available: dict[str, object]) -> dict[str, object]:
    """Only the parameters a statement uses (DuckDB and Spark refuse unused ones)."""
    used = set(re.findall(r"\$([A-Za-z_][A-Za-z0-9_]*)", sql))
    return {k: v for k, v in available.items() if k in used}


__all__ = [
    "FIRST_DATA_LINE",
    "SQL_TYPES",
    "Layout",
    "bound_names",
    "domains",
    "duplicate",
    "duplicates_query",
    "params",
    "problem",
    "problems_query",
    "read_layout",
    "typed_table",
]
