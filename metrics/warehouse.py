"""Build the DuckDB database from the curated CSVs once, and open it read-only and locked down."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

import duckdb
import pandas as pd

from .config import MEASURE_COLUMNS, PROJECT_ROOT, SQL_DIR, STANDARD_COLUMNS, Config, Dataset
from .contracts import ContractError, Problem, read_csv_text, validate_table
from .sqlfiles import AGGREGATES, ident, indicator_table, render

# Bump when the build logic changes, so old cached databases are not reused.
BUILD_VERSION = "1"
KEEP_BUILDS = 3
SQL_TYPES = {"string": "VARCHAR", "integer": "BIGINT", "number": "DOUBLE", "date": "DATE", "month": "DATE"}
HARDENED = {
    "enable_external_access": False,
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "lock_configuration": True,
}


@dataclass(frozen=True)
class Paths:
    """Where the config, the data and the built database live."""

    config: Path
    data_dir: Path
    cache_dir: Path


def resolve_paths(cfg: Config, config_path: Path, data_dir: Path | str | None = None,
                  cache_dir: Path | str | None = None) -> Paths:
    """Data dir: argument, else $CHUANYU_DATA_DIR, else the config's data_dir next to the config."""
    data = data_dir or os.environ.get("CHUANYU_DATA_DIR") or (config_path.parent / cfg.project.data_dir)
    cache = cache_dir or os.environ.get("CHUANYU_CACHE_DIR") or (PROJECT_ROOT / ".cache")
    return Paths(config_path, Path(data).resolve(), Path(cache).resolve())


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


def fingerprint(cfg: Config, paths: Paths) -> str:
    """A hash of everything the database is built from: code version, config, SQL and data files."""
    h = hashlib.sha256(BUILD_VERSION.encode())
    h.update(paths.config.read_bytes())
    for p in sorted(SQL_DIR.rglob("*.sql")):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    for name in sorted(cfg.datasets):
        f = paths.data_dir / cfg.datasets[name].file
        h.update(name.encode())
        if f.is_file():
            with f.open("rb") as fh:
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    h.update(chunk)
    return h.hexdigest()[:16]


def load_datasets(cfg: Config, data_dir: Path) -> dict[str, pd.DataFrame]:
    """Read and check every dataset; raise ContractError listing all problems."""
    problems: list[Problem] = []
    frames: dict[str, pd.DataFrame] = {}
    refs: dict[str, set[str]] = {"areas": {a.id for a in cfg.areas}}
    for name in dataset_order(cfg):
        ds = cfg.datasets[name]
        path = data_dir / ds.file
        label = str(path)
        if not path.is_file():
            problems.append(Problem(label, None, None, None, f"dataset {name!r}: file not found"))
            continue
        try:
            raw = read_csv_text(path)
        except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as e:
            problems.append(Problem(label, None, None, None, f"cannot read as UTF-8 CSV: {e}"))
            continue
        typed, found = validate_table(raw, ds, label, refs)
        problems += found
        frames[name] = typed
        for c in ds.columns:
            if c.name in typed.columns:
                refs[f"{name}.{c.name}"] = set(typed[c.name].dropna().astype(str))
    if problems:
        raise ContractError(problems)
    return frames


def _as_of(df: pd.DataFrame, ds: Dataset) -> date | None:
    if not ds.as_of_column or df.empty:
        return None
    v = df[ds.as_of_column].dropna()
    return pd.Timestamp(v.max()).date() if len(v) else None


def _create_table(con: duckdb.DuckDBPyConnection, name: str, ds: Dataset, df: pd.DataFrame) -> None:
    cols = ", ".join(f"{ident(c.name)} {SQL_TYPES[c.type]}" for c in ds.columns)
    con.execute(render("create_table", table=ident(name), columns=cols))
    con.register("incoming", df[[c.name for c in ds.columns]])
    con.execute(render("insert_frame", table=ident(name)))
    con.unregister("incoming")


def _month_start(d: date) -> date:
    return date(d.year, d.month, 1)


def _build_indicators(con: duckdb.DuckDBPyConnection, cfg: Config) -> None:
    for ind in cfg.indicators:
        base = ind.sql_text().strip().rstrip(";")
        described = con.execute(render("describe", base=base)).fetchall()
        got = {row[0] for row in described}
        need = set(STANDARD_COLUMNS) | set(MEASURE_COLUMNS[ind.kind])
        need |= {d for d in ind.dimensions if d not in STANDARD_COLUMNS}
        missing = sorted(need - got)
        if missing:
            raise ValueError(f"indicator {ind.id}: its SQL must yield the column(s) {', '.join(missing)}")
        dims = "".join(f"{ident(d)},\n    " for d in ind.dimensions if d not in STANDARD_COLUMNS)
        rollup = {"ratio": "rollup_ratio", "distinct_count": "rollup_distinct"}.get(ind.kind, "rollup_additive")
        con.execute(render(rollup, table=indicator_table(ind.id), dims=dims, base=base))


def build_database(cfg: Config, paths: Paths, target: Path) -> dict[str, object]:
    """Validate every dataset, then build target atomically; returns the build metadata."""
    frames = load_datasets(cfg, paths.data_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".build-", suffix=".duckdb", dir=target.parent)
    os.close(fd)
    os.unlink(tmp_name)
    tmp = Path(tmp_name)
    try:
        con = duckdb.connect(str(tmp))
        as_of = {}
        for name in dataset_order(cfg):
            ds = cfg.datasets[name]
            _create_table(con, name, ds, frames[name])
            d = _as_of(frames[name], ds)
            as_of[name] = d.isoformat() if d else None
        latest = max(date.fromisoformat(v) for v in as_of.values() if v)
        start = date.fromisoformat(cfg.project.period_start + "-01")
        con.execute(render("calendar"), {"start": start, "end": _month_start(latest)})
        for view in cfg.views:
            sql = (SQL_DIR / view.sql_file).read_text(encoding="utf-8").strip().rstrip(";")
            con.execute(render("create_view", view=ident(view.name), body=sql))
        _build_indicators(con, cfg)
        meta = {"as_of": latest.isoformat(), "datasets_as_of": as_of,
                "built_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                "rows": {n: len(f) for n, f in frames.items()}}
        con.execute("create table _meta as select ? as meta", [json.dumps(meta)])
        con.close()
        with tmp.open("rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
        Path(str(tmp) + ".wal").unlink(missing_ok=True)
    return meta


def ensure_database(cfg: Config, paths: Paths) -> Path:
    """The built database for the current inputs, building it only when the inputs changed."""
    target = paths.cache_dir / f"warehouse-{fingerprint(cfg, paths)}.duckdb"
    if not target.is_file():
        build_database(cfg, paths, target)
        _prune(paths.cache_dir, keep=target)
    return target


def _prune(cache_dir: Path, keep: Path) -> None:
    builds = sorted(cache_dir.glob("warehouse-*.duckdb"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in [b for b in builds if b != keep][KEEP_BUILDS - 1:]:
        old.unlink(missing_ok=True)


def open_readonly(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection with file access, extension loading and configuration changes disabled."""
    return duckdb.connect(str(path), read_only=True, config=dict(HARDENED))
