"""Every SQL statement the build runs and the engine reads, and what other engines would need changed.

    python -m metrics.build.portability           # the known gaps per target dialect, by construct and template

SQLGlot transpiles our DuckDB SQL; some constructs pass through unchanged although the target does not have
them (GROUP BY ALL on Trino), so each target has a list of constructs looked for in SQLGlot's output.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable

import sqlglot
from sqlglot.errors import ErrorLevel

from ..config import DEFAULT_CONFIG, SQL_DIR, STANDARD_COLUMNS, Config, load_config
from ..sqlfiles import AGGREGATES, ident, indicator_table, render
from . import checks, pipeline

NAMED_PARAMETER = re.compile(r"(?<![:\w]):[a-z_][a-z0-9_]*\b")


def _strings_removed(sql: str) -> str:
    """sql without its string literals and comments (so a ':' or a word inside them is not a construct)."""
    sql = re.sub(r"/\*.*?\*/", " ", sql, flags=re.DOTALL)
    return re.sub(r"'(?:[^']|'')*'", "''", sql)


# construct name -> (dialects that lack it, test on the transpiled SQL)
GAPS: dict[str, tuple[tuple[str, ...], Callable[[str], bool]]] = {
    "group by all": (("trino", "starrocks"), lambda s: "GROUP BY ALL" in s),
    "named parameters": (("trino", "starrocks"), lambda s: bool(NAMED_PARAMETER.search(s))),
    "aggregate filter (where ...)": (("starrocks",), lambda s: "FILTER(WHERE" in s),
    "contains() on text": (("trino",), lambda s: "CONTAINS(" in s),
    "explode() of a series": (("starrocks",), lambda s: "EXPLODE(" in s),
    "unnest emulated by position": (("trino",), lambda s: "_u.pos" in s),
}


def _layout(name: str, cfg: Config) -> checks.Layout:
    ds = cfg.datasets[name]
    return checks.Layout(name, ds, {i: i for i in range(len(ds.columns))})


def build_statements(cfg: Config) -> list[tuple[str, str]]:
    """(template, SQL) for every statement a build runs on this config."""
    out = [("calendar", render("calendar"))]
    out += [
        (
            "create_view",
            render(
                "create_view",
                view=ident(v.name),
                body=(SQL_DIR / v.sql_file).read_text(encoding="utf-8").strip().rstrip(";"),
            ),
        )
        for v in cfg.views
    ]
    domains = checks.domains(cfg)
    for name, ds in cfg.datasets.items():
        layout = _layout(name, cfg)
        refs = {"areas"} | {c.references for c in ds.columns if c.references}
        out.append(("contract/typed_table", checks.typed_table(layout, "_source", domains, refs)))
        problems = checks.problems_query(layout, "_numbered", domains, refs)
        if problems:
            out.append(("contract/problems", problems))
        out.append(("duplicate_keys", checks.duplicates_query(layout, "_numbered")))
        out += [("contract/count_outside", q) for q in checks.outside_queries(layout, domains, refs)]
        keys = ", ".join(ident(k) for k in ds.primary_key)
        out.append(
            (
                "contract/stats",
                render(
                    "contract/stats",
                    table=ident(name),
                    group=f"group by {keys}",
                    dups="coalesce(sum(c), 0) - count(*)",
                    outside="0",
                    latest=ident(ds.as_of_column) if ds.as_of_column else "null",
                ),
            )
        )
    for ind in cfg.indicators:
        out.append(("describe", render("describe", base=pipeline.base_sql(ind))))
        rollup = {"ratio": "rollup_ratio", "distinct_count": "rollup_distinct"}.get(ind.kind, "rollup_additive")
        out.append((rollup, pipeline.rollup_sql(ind)))
        if ind.kind == "distinct_count":
            out += [("rollup_distinct_runs", pipeline.runs_sql(ind, g)) for g in pipeline.DISTINCT_GRAINS]
            out.append(("movers", render("movers", source=indicator_table(ind.id))))
            coarser = [g for g in pipeline.DISTINCT_GRAINS if g != pipeline.FINEST]
            out += [("rollup_runs_sum", pipeline.summed_runs_sql(ind, g)) for g in coarser]
    return out


def read_statements(cfg: Config) -> list[tuple[str, str]]:
    """(template, SQL) for every statement the engine reads the rollups with."""
    out: list[tuple[str, str]] = []
    for ind in cfg.indicators:
        table, agg = indicator_table(ind.id), AGGREGATES[ind.kind]
        dims = [d for d in ind.dimensions if d not in STANDARD_COLUMNS]
        scoped = render("scoped", table=table, start="$start", end="$end")
        if ind.kind == "distinct_count":
            grain = pipeline.distinct_table(ind.id, "city")
            out.append(
                ("distinct_runs", render("distinct_runs", scoped=render("scoped", table=grain, start="$lo", end="$hi")))
            )
        else:
            scope = " and ".join([render("scope_province").strip(), render("scope_city").strip()])
            out.append(
                (
                    "monthly_part",
                    render("monthly_part", part="0", a="sum(value)", b="null::double", table=table, scope=scope),
                )
            )
        for name in ("grouped", "grouped_latest"):
            out.append((name, render(name, scoped=scoped, key=ident("month"), agg=agg)))
        if dims:
            for name in ("grouped2", "grouped2_latest"):
                out.append((name, render(name, scoped=scoped, key1=ident("month"), key2=ident(dims[0]), agg=agg)))
    for dim in cfg.dimensions.values():
        if dim.lookup:
            out.append(
                (
                    "lookup",
                    render(
                        "lookup", key=ident(dim.lookup.key), label=ident(dim.lookup.zh), table=ident(dim.lookup.dataset)
                    ),
                )
            )
    out += [("cities", render("cities")), ("select_all", render("select_all", table=ident("tasks")))]
    return out


def transpile(sql: str, dialect: str) -> str:
    """One DuckDB statement in dialect (unsupported constructs SQLGlot knows of raise)."""
    return sqlglot.transpile(sql, read="duckdb", write=dialect, unsupported_level=ErrorLevel.RAISE)[0]


def gaps(cfg: Config, dialect: str) -> dict[str, set[str]]:
    """construct -> the templates whose statements need it changed for dialect (or SQLGlot's own error)."""
    out: dict[str, set[str]] = {}
    for template, sql in build_statements(cfg) + read_statements(cfg):
        try:
            text = _strings_removed(transpile(sql, dialect))
        except sqlglot.errors.SqlglotError as e:
            out.setdefault(f"sqlglot: {str(e).splitlines()[0][:80]}", set()).add(template)
            continue
        for construct, (dialects, found) in GAPS.items():
            if dialect in dialects and found(text):
                out.setdefault(construct, set()).add(template)
    return out


def main(argv: list[str] | None = None) -> int:
    """Print the gaps for each target dialect."""
    cfg = load_config(DEFAULT_CONFIG)
    total = len(build_statements(cfg) + read_statements(cfg))
    for dialect in (argv or sys.argv[1:]) or ["spark", "trino", "starrocks"]:
        found = gaps(cfg, dialect)
        print(f"{dialect}: {total} statements, {len(found)} construct(s) to change")
        for construct, templates in sorted(found.items()):
            print(f"  {construct}: {', '.join(sorted(templates))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
