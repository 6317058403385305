"""Appending rows (a new month) to a dataset updates a copy of the previous build instead of building anew.

Only what the new rows touch is done again: the new rows are checked (with their rows in the whole file), added
to their table when the dataset is served, and merged into the month partitions of the rollups that read that
dataset; a distinct count's runs are recounted from the first touched month on; the calendar and the rollups
built on it are rebuilt when the as-of month moves (they read small tables). Anything else (a changed or
removed row, new code or config, two appended datasets in one rollup) returns None: the caller builds anew.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from datetime import date
from pathlib import Path

import duckdb
import sqlglot
from sqlglot import exp

from ..config import SQL_DIR, Config, Indicator
from ..contracts import ContractError, Problem
from ..sqlfiles import ident, indicator_table, render
from . import checks, pipeline
from .backend import SOURCE
from .duck import DuckBackend

DELTA = "delta"  # the schema that holds the appended rows while the rollups read them
NEW_KEYS = "_new_keys"
Progress = pipeline.Progress


def previous_meta(path: Path) -> dict | None:
    """The _meta of an earlier build, or None when it cannot be read."""
    try:
        con = duckdb.connect(str(path), read_only=True)
        try:
            row = con.execute(render("select_meta")).fetchone()
            return json.loads(row[0]) if row else None
        finally:
            con.close()
    except (duckdb.Error, TypeError, ValueError):
        return None


def prefix_digest(path: Path, size: int) -> str:
    """sha256 of the first size bytes of path."""
    h = hashlib.sha256()
    left = size
    with path.open("rb") as fh:
        while left > 0:
            chunk = fh.read(min(1 << 20, left))
            if not chunk:
                break
            h.update(chunk)
            left -= len(chunk)
    return h.hexdigest()


def appended(cfg: Config, data_dir: Path, old: dict, code: str, inputs: dict[str, list]) -> dict[str, int] | None:
    """dataset -> old file size for each dataset whose file only grew at its end; None if anything else changed."""
    if old.get("code") != code or set(old.get("inputs", {})) != set(inputs) or set(inputs) != set(cfg.datasets):
        return None
    out = {}
    for name, (size, digest) in inputs.items():
        old_size, old_digest = old["inputs"][name]
        if digest == old_digest:
            continue
        f = data_dir / cfg.datasets[name].file
        with f.open("rb") as fh:
            fh.seek(old_size - 1)
            ends_line = fh.read(1) == b"\n"
        if size <= old_size or not ends_line or prefix_digest(f, old_size) != old_digest:
            return None
        out[name] = old_size
    return out or None


def tables_read(sql: str, views: dict[str, str]) -> set[str]:
    """The tables a statement reads, through the config's views."""
    tree = sqlglot.parse_one(sql, read="duckdb")
    ctes = {c.alias for c in tree.find_all(exp.CTE)}
    names = {t.name for t in tree.find_all(exp.Table)} - ctes
    out = set()
    for n in names:
        out |= tables_read(views[n], views) if n in views else {n}
    return out


def _tail_file(src: Path, old_size: int, folder: Path, name: str) -> Path:
    """The file's header line and the rows after old_size, as a CSV of its own."""
    dst = folder / name
    with src.open("rb") as fh, dst.open("wb") as out:
        out.write(fh.readline())
        fh.seek(old_size)
        shutil.copyfileobj(fh, out, 1 << 20)
    return dst


def _check_delta(
    be: DuckBackend,
    cfg: Config,
    name: str,
    data_dir: Path,
    old_rows: int,
    tail: Path,
    domain_ids: dict[str, tuple[int, list[str]]],
    present: set[str],
) -> tuple[pipeline.Loaded, bool]:
    """Check the new rows into delta.<name> (problems name the whole file and its rows); and whether some key
    of the file repeats an earlier one (the full build then locates it)."""
    ds = cfg.datasets[name]
    label = pipeline.dataset_path(data_dir, ds.file)
    loaded = pipeline.load_dataset(be, cfg, name, tail.parent, domain_ids, set(present))
    loaded.problems = [
        Problem(label, p.row + old_rows if p.row and p.row > 1 else p.row, p.column, p.value, p.reason)
        for p in loaded.problems
    ]
    if loaded.problems or not ds.primary_key:
        return loaded, False
    layout, _ = checks.read_layout(be.source(str(tail)), name, ds, label)
    if layout is None or not layout.keys_present():
        return loaded, False
    # Across the old and the new rows: the contract compares the keys' stripped text, as in a full build. The
    # new rows' keys are distinct (checked above), and the old rows' were: a key repeats an earlier row's when
    # more rows of the whole file have one of the new keys than there are new rows.
    params = checks.params(layout)
    be.execute(checks.key_text_table(layout, SOURCE, NEW_KEYS, be.blank_free()), params)
    be.source(label)  # the same header: the tail file was written with the file's own
    hits = int(be.rows(checks.key_hits_query(layout, SOURCE, NEW_KEYS, be.blank_free()), params)[0][0])
    be.drop(NEW_KEYS)
    return loaded, hits > loaded.rows


def _rebuild(be: DuckBackend, ind: Indicator) -> None:
    for table in [indicator_table(ind.id)] + (
        [pipeline.distinct_table(ind.id, g) for g in pipeline.DISTINCT_GRAINS] if ind.kind == "distinct_count" else []
    ):
        be.drop(table)
    pipeline.build_indicator(be, ind)


def _merge(be: DuckBackend, ind: Indicator) -> date | None:
    """Merge the rollup of the delta rows into the indicator's month partitions; the first touched month."""
    target = indicator_table(ind.id)
    # With delta first on the search path, the indicator's own SQL reads the new rows of its dataset only.
    be.execute(render("search_path", path=f"{DELTA},main"))
    be.execute(pipeline.rollup_sql(ind).replace(f"create table {target}", "create table delta._rollup", 1))
    be.execute(render("search_path", path="main"))
    first = be.rows(render("first_month", table="delta._rollup"))[0][0]
    if first is None:
        be.drop("delta._rollup")
        return None
    kind = {"ratio": "merge_ratio", "distinct_count": "merge_distinct"}.get(ind.kind, "merge_additive")
    dims = "".join(f"{ident(d)},\n    " for d in ind.dimensions if d not in ("month", "province", "city"))
    be.execute(render(kind, table=target, delta="delta._rollup", dims=dims))
    be.execute(render("delete_months", table=target, months="delta._merged"))
    be.execute(render("insert_by_name", table=target, source="delta._merged"))
    be.drop("delta._merged")
    be.drop("delta._rollup")
    return first if isinstance(first, date) else date.fromisoformat(str(first)[:10])


def _recount_runs(be: DuckBackend, ind: Indicator, since: date) -> None:
    """A distinct count's runs tables from the first touched month on (earlier months keep their rows); the
    coarser grains summed anew from the city grain when every entity is in one place, as a full build does."""
    summed = pipeline.one_place_each(be, ind)
    for grain in (pipeline.FINEST, *(g for g in pipeline.DISTINCT_GRAINS if g != pipeline.FINEST)):
        table = pipeline.distinct_table(ind.id, grain)
        if summed and grain != pipeline.FINEST:
            be.drop(table)
            be.execute(pipeline.summed_runs_sql(ind, grain))
            continue
        fresh = pipeline.runs_sql(ind, grain, since=True)
        be.execute(fresh.replace(f"create table {table}", "create table delta._runs", 1), {"since": since})
        be.execute(render("delete_since", table=table), {"since": since})
        be.execute(render("insert_since", table=table, source="delta._runs"), {"since": since})
        be.drop("delta._runs")


def append_build(
    cfg: Config,
    data_dir: Path,
    previous: Path,
    target: Path,
    code: str,
    inputs: dict[str, list],
    progress: Progress | None = None,
) -> dict[str, object] | None:
    """Build target from a copy of previous plus the appended rows; None when that is not possible."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".append-", suffix=".duckdb", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    # The copy is read, not the original: a server may hold that one open with another configuration.
    shutil.copyfile(previous, tmp)
    try:
        old = previous_meta(tmp)
        grown = appended(cfg, data_dir, old, code, inputs) if old else None
        if not grown or old is None:
            return None
        meta = _apply(cfg, data_dir, tmp, old, grown, progress)
        if meta is None:
            return None
        meta |= {"code": code, "inputs": inputs}
        be = DuckBackend(tmp)
        try:
            be.execute(render("delete_all", table="_meta"))
            be.execute(render("insert_meta"), {"meta": pipeline.meta_json(meta)})
        finally:
            be.close()
        with tmp.open("rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
        return meta
    finally:
        tmp.unlink(missing_ok=True)
        Path(str(tmp) + ".wal").unlink(missing_ok=True)


def _apply(
    cfg: Config, data_dir: Path, db: Path, old: dict, grown: dict[str, int], progress: Progress | None
) -> dict[str, object] | None:
    """Check the new rows and update the copy; None when the change needs a full build."""
    be = DuckBackend(db)
    views = {v.name: (SQL_DIR / v.sql_file).read_text(encoding="utf-8") for v in cfg.views}
    try:
        present = {r[0] for r in be.rows(render("main_tables"))}
        be.execute(render("create_schema", schema=DELTA))
        be.execute(render("use_schema", schema=DELTA, path=f"{DELTA},main"))
        domain_ids = pipeline.load_domains(be, cfg)
        rows = dict(old["rows"])
        as_of = dict(old["datasets_as_of"])
        problems: list[Problem] = []
        with tempfile.TemporaryDirectory(dir=db.parent) as scratch:
            for name in pipeline.dataset_order(cfg):
                if name not in grown:
                    continue
                tail = _tail_file(
                    data_dir / cfg.datasets[name].file, grown[name], Path(scratch), cfg.datasets[name].file
                )
                loaded, repeated = _check_delta(be, cfg, name, data_dir, rows[name], tail, domain_ids, present)
                if repeated:
                    return None
                problems += loaded.problems
                rows[name] += loaded.rows
                if loaded.as_of and (as_of[name] is None or loaded.as_of.isoformat() > as_of[name]):
                    as_of[name] = loaded.as_of.isoformat()
        if problems:
            raise ContractError(problems)
        be.execute(render("use_schema", schema="main", path="main"))
        for name in grown:
            if name in present:
                be.execute(render("insert_by_name", table=ident(name), source=f"{DELTA}.{ident(name)}"))
        latest = max(date.fromisoformat(v) for v in as_of.values() if v)
        calendar_moved = pipeline.month_start(latest) != pipeline.month_start(date.fromisoformat(old["as_of"]))
        if calendar_moved:
            be.drop("calendar")
            start = date.fromisoformat(cfg.project.period_start + "-01")
            be.execute(render("calendar"), {"start": start, "end": pipeline.month_start(latest)})
        for n, ind in enumerate(cfg.indicators):
            if progress:
                progress(n / len(cfg.indicators), f"indicator {ind.id}")
            reads = tables_read(pipeline.base_sql(ind), views)
            touched = reads & set(grown)
            if (calendar_moved and "calendar" in reads) or len(touched) > 1:
                if not reads <= present | {"calendar"}:
                    return None  # it reads raw events the serving database does not keep
                _rebuild(be, ind)
            elif touched:
                first = _merge(be, ind)
                if first is not None and ind.kind == "distinct_count":
                    _recount_runs(be, ind, first)
        be.execute(render("drop_schema", schema=DELTA))
        return {
            **old,
            "as_of": latest.isoformat(),
            "datasets_as_of": as_of,
            "rows": rows,
            "built_at": pipeline.metadata_time(),
            "appended": sorted(grown),
        }
    finally:
        be.close()
