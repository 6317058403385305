"""The build steps, written once for every backend: check and type each dataset, then the calendar, the views
and every indicator's rollups. The SQL is the project's templates; a backend only runs it."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from ..config import MEASURE_COLUMNS, SQL_DIR, STANDARD_COLUMNS, Config, Indicator
from ..contracts import MAX_PROBLEMS, ContractError, Problem
from ..sqlfiles import ident, indicator_table, render
from . import checks
from .backend import Backend, ReadError

LOAD_SHARE = 0.85  # of a build's time, roughly, goes to reading and checking the files
# Grains at which distinct counts are pre-computed: the engine's place filters (none, province, city).
DISTINCT_GRAINS = ("all", "province", "city")
DOMAINS = "_domains"
# Datasets whose file is bigger than this are raw events: the build reads them into temporary tables for the
# rollups and leaves them out of the serving database (writing 10 million rows of text to disk costs more
# than the whole rest of the build, and nothing the dashboard shows reads them).
SERVED_MAX_BYTES = 64 << 20
Progress = Callable[[float, str], None]


def distinct_table(indicator_id: str, grain: str) -> str:
    """The quoted name of a distinct-count indicator's pre-counted runs table at a place grain."""
    return ident(f"dc_{grain}_{indicator_id}"[:63])


def dataset_order(cfg: Config) -> list[str]:
    """Datasets with the ones they reference first."""
    order: list[str] = []

    def visit(name: str, stack: tuple[str, ...] = ()) -> None:
        if name in order or name in stack:
            return
        for c in cfg.datasets[name].columns:
            if c.references and c.references != "areas":
                visit(c.references.split(".")[0], stack + (name,))
        order.append(name)

    for n in cfg.datasets:
        visit(n)
    return order


@dataclass
class Loaded:
    """What loading one dataset found: its rows, its as-of date and any contract problems."""

    rows: int = 0
    as_of: date | None = None
    problems: list[Problem] = field(default_factory=list)


def dataset_path(data_dir: Path | str, file: str) -> str:
    """A dataset's file under the data directory, which may be a URI (hdfs://..., s3a://...)."""
    base = str(data_dir)
    return f"{base.rstrip('/')}/{file}" if "://" in base else str(Path(base) / file)


def load_dataset(
    be: Backend,
    cfg: Config,
    name: str,
    data_dir: Path | str,
    domain_ids: dict[str, tuple[int, list[str]]],
    loaded: set[str],
    temporary: bool = False,
) -> Loaded:
    """Check one dataset in SQL and create its typed table (also when it has problems: others refer to it)."""
    ds = cfg.datasets[name]
    label = dataset_path(data_dir, ds.file)
    out = Loaded()
    try:
        header = be.source(label)
    except FileNotFoundError:
        out.problems.append(Problem(label, None, None, None, f"dataset {name!r}: file not found"))
        return out
    except ReadError as e:
        out.problems.append(Problem(label, None, None, None, str(e)))
        return out
    layout, out.problems = checks.read_layout(header, name, ds, label)
    if layout is None:
        return out
    refs = {"areas"} | {c.references for c in ds.columns if c.references and c.references.split(".")[0] in loaded}
    params = checks.params(layout)
    try:
        be.execute(checks.typed_table(layout, "_source", domain_ids, refs, temporary, be.blank_free()), params)
    except be.read_errors as e:
        out.problems.append(Problem(label, None, None, None, f"cannot read as UTF-8 CSV: {_first_line(e)}"))
        return out
    loaded.add(name)
    table = ident(name)
    keys = ", ".join(ident(k) for k in ds.primary_key) if layout.keys_present() else ""
    outside = " + ".join(f"({q.strip()})" for q in checks.outside_queries(layout, domain_ids, refs)) or "0"
    n, bad, n_dups, n_outside, last = be.rows(
        render(
            "contract/stats",
            table=table,
            group=f"group by {keys}" if keys else "",
            dups="coalesce(sum(c), 0) - count(*)" if keys else "0",
            outside=outside,
            latest=ident(ds.as_of_column) if ds.as_of_column else "null",
        )
    )[0]
    out.rows = int(n)
    if out.rows == 0:
        out.problems.append(Problem(label, None, None, None, "the file has no data rows"))
    if bad or n_dups or n_outside:
        out.problems += _locate(be, layout, label, domain_ids, refs, params, bool(n_dups))
    be.drop_flag(table)
    out.as_of = _as_date(last)
    return out


def _first_line(e: Exception) -> str:
    return str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__


def _as_date(v: object) -> date | None:
    if v is None:
        return None
    return v.date() if isinstance(v, datetime) else v if isinstance(v, date) else date.fromisoformat(str(v)[:10])


def _locate(
    be: Backend,
    layout: checks.Layout,
    label: str,
    domain_ids: dict[str, tuple[int, list[str]]],
    refs: set[str],
    params: dict[str, object],
    duplicates: bool,
) -> list[Problem]:
    """The slow path, taken only when something is wrong: every problem with its row in the file."""
    numbered = be.numbered()
    found: list[Problem] = []
    sql = checks.problems_query(layout, numbered, domain_ids, refs)
    if sql:
        rows = be.rows(sql, params | {"limit": MAX_PROBLEMS + 1})
        found += [checks.problem(label, layout, *r) for r in rows]
    if duplicates and layout.keys_present():
        rows = be.rows(checks.duplicates_query(layout, numbered), params | {"limit": MAX_PROBLEMS + 1})
        found += [checks.duplicate(label, layout, r[0], tuple(r[1:])) for r in rows]
    be.drop(numbered)
    return found


def load_domains(be: Backend, cfg: Config) -> dict[str, tuple[int, list[str]]]:
    """The allowed-value lists and the areas as a small table the checks join against."""
    domain_ids = checks.domains(cfg)
    rows = [(i, v) for i, values in domain_ids.values() for v in values]
    be.load_rows(DOMAINS, [("domain", "INTEGER"), ("value", "VARCHAR")], rows)
    return domain_ids


def load_all(
    be: Backend,
    cfg: Config,
    data_dir: Path | str,
    progress: Progress | None = None,
    sizes: dict[str, int] | None = None,
) -> dict[str, Loaded]:
    """Check and type every dataset in reference order; ContractError with every problem found."""
    domain_ids = load_domains(be, cfg)
    order = dataset_order(cfg)
    total = sum((sizes or {}).values()) or 1
    done = 0
    out: dict[str, Loaded] = {}
    loaded: set[str] = set()
    for name in order:
        big = (sizes or {}).get(name, 0) > SERVED_MAX_BYTES
        out[name] = load_dataset(be, cfg, name, data_dir, domain_ids, loaded, temporary=big)
        done += (sizes or {}).get(name, 0)
        if progress:
            progress(LOAD_SHARE * done / total, f"{name}: {out[name].rows:,} rows")
    be.drop("_source")
    be.drop(DOMAINS)
    problems = [p for name in order for p in out[name].problems]
    if problems:
        raise ContractError(problems)
    return out


def create_empty(be: Backend, cfg: Config) -> None:
    """Every dataset's table with its contract's types and no rows (the schema a build of no data has)."""
    for name, ds in cfg.datasets.items():
        cols = ", ".join(f"{ident(c.name)} {checks.SQL_TYPES[c.type]}" for c in ds.columns)
        be.execute(render("create_table", table=ident(name), columns=cols))


def month_start(d: date) -> date:
    """The first day of d's month."""
    return date(d.year, d.month, 1)


def build_derived(be: Backend, cfg: Config, latest: date, progress: Progress | None = None) -> None:
    """The calendar, the views and every indicator's rollups, from the typed dataset tables."""
    start = date.fromisoformat(cfg.project.period_start + "-01")
    be.execute(render("calendar"), {"start": start, "end": month_start(latest)})
    for view in cfg.views:
        sql = (SQL_DIR / view.sql_file).read_text(encoding="utf-8").strip().rstrip(";")
        be.execute(render("create_view", view=ident(view.name), body=sql))
    for n, ind in enumerate(cfg.indicators):
        if progress:
            progress(LOAD_SHARE + (1 - LOAD_SHARE) * n / len(cfg.indicators), f"indicator {ind.id}")
        build_indicator(be, ind)


def base_sql(ind: Indicator) -> str:
    """The indicator's own SELECT, without a trailing semicolon."""
    return ind.sql_text().strip().rstrip(";")


def rollup_sql(ind: Indicator) -> str:
    """The statement that creates the indicator's rollup table."""
    dims = "".join(f"{ident(d)},\n    " for d in ind.dimensions if d not in STANDARD_COLUMNS)
    rollup = {"ratio": "rollup_ratio", "distinct_count": "rollup_distinct"}.get(ind.kind, "rollup_additive")
    return render(rollup, table=indicator_table(ind.id), dims=dims, base=base_sql(ind))


PLACES = {
    "all": ("null::varchar", "null::varchar", ""),
    "province": ("province", "null::varchar", "province, "),
    "city": ("province", "city", "province, city, "),
}
FINEST = "city"


def runs_sql(ind: Indicator, grain: str, since: bool = False) -> str:
    """The statement that creates a distinct-count indicator's runs table at one place grain (only the rows
    from month $since on, when since)."""
    province, city, keys = PLACES[grain]
    return render(
        "rollup_distinct_runs_since" if since else "rollup_distinct_runs",
        table=distinct_table(ind.id, grain),
        source=indicator_table(ind.id),
        province=province,
        city=city,
        keys=keys,
    )


def summed_runs_sql(ind: Indicator, grain: str) -> str:
    """The runs table at a coarser grain as sums of the city grain's (when no entity is in two places)."""
    province, city, keys = PLACES[grain]
    return render(
        "rollup_runs_sum",
        table=distinct_table(ind.id, grain),
        source=distinct_table(ind.id, FINEST),
        province=province,
        city=city,
        keys=keys,
    )


def one_place_each(be: Backend, ind: Indicator) -> bool:
    """True when every entity of a distinct count is active in one place only (province and city)."""
    return int(be.rows(render("movers", source=indicator_table(ind.id)))[0][0]) == 0


def build_runs(be: Backend, ind: Indicator) -> None:
    """A distinct count's runs tables: the city grain's, then the coarser ones, summed from it when that is
    exact (each a window over every entity-month otherwise, the costliest statements of a build)."""
    be.execute(runs_sql(ind, FINEST))
    summed = one_place_each(be, ind)
    for grain in DISTINCT_GRAINS:
        if grain != FINEST:
            be.execute(summed_runs_sql(ind, grain) if summed else runs_sql(ind, grain))


def build_indicator(be: Backend, ind: Indicator) -> None:
    """Check the indicator's columns, then create its rollup (and runs tables for a distinct count)."""
    got = set(be.columns(render("describe", base=base_sql(ind))))
    need = set(STANDARD_COLUMNS) | set(MEASURE_COLUMNS[ind.kind])
    need |= {d for d in ind.dimensions if d not in STANDARD_COLUMNS}
    missing = sorted(need - got)
    if missing:
        raise ValueError(f"indicator {ind.id}: its SQL must yield the column(s) {', '.join(missing)}")
    be.execute(rollup_sql(ind))
    if ind.kind == "distinct_count":
        build_runs(be, ind)


def rollup_tables(cfg: Config) -> list[str]:
    """Every table the engine serves from besides the datasets: calendar, rollups, runs (unquoted names)."""
    out = ["calendar"]
    for ind in cfg.indicators:
        out.append(f"ind_{ind.id}")
        if ind.kind == "distinct_count":
            out += [distinct_table(ind.id, g).strip('"') for g in DISTINCT_GRAINS]
    return out


def metadata(cfg: Config, loaded: dict[str, Loaded], engine: str) -> dict[str, object]:
    """What _meta records about a build."""
    as_of = {n: (x.as_of.isoformat() if x.as_of else None) for n, x in loaded.items()}
    latest = max(date.fromisoformat(v) for v in as_of.values() if v)
    return {
        "as_of": latest.isoformat(),
        "datasets_as_of": as_of,
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "rows": {n: x.rows for n, x in loaded.items()},
        "engine": engine,
    }


def metadata_time() -> str:
    """When a build finished, as _meta records it."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def meta_json(meta: dict[str, object]) -> str:
    """_meta's single value."""
    return json.dumps(meta)
