"""Build the DuckDB database from the curated CSVs once, and open it read-only and locked down."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pandas as pd

from .config import MEASURE_COLUMNS, PROJECT_ROOT, SQL_DIR, STANDARD_COLUMNS, Config, Dataset, Indicator
from .contracts import MAX_PROBLEMS, ContractError, Problem, read_csv_text, validate_table
from .sqlfiles import ident, indicator_table, render

# Bump when the build logic changes, so old cached databases are not reused.
BUILD_VERSION = "2"
KEEP_BUILDS = 3
# Files above this size are read and checked in row chunks, so a 10-million-row file never sits in memory whole.
CHUNK_FROM_BYTES = 64 << 20
CHUNK_ROWS = 1_000_000
# Grains at which distinct counts are pre-computed: the engine's place filters (none, province, city).
DISTINCT_GRAINS = ("all", "province", "city")
HASH_MEMO = "file-hashes.json"
LOAD_SHARE = 0.85  # of a build's time, roughly, goes to reading and checking the files
# progress(fraction done, what is happening): lets a UI show a bar while a large build runs.
Progress = Callable[[float, str], None]
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


def distinct_table(indicator_id: str, grain: str) -> str:
    """The quoted name of a distinct-count indicator's pre-counted runs table at a place grain."""
    return ident(f"dc_{grain}_{indicator_id}"[:63])


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


def _file_digest(path: Path, memo: dict[str, list]) -> str:
    """sha256 of a file, reused while its size, mtime and inode are unchanged (as git's index does)."""
    st = path.stat()
    stamp = [st.st_size, st.st_mtime_ns, st.st_ino]
    hit = memo.get(str(path))
    if hit and hit[:3] == stamp:
        return hit[3]
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    memo[str(path)] = [*stamp, h.hexdigest()]
    return h.hexdigest()


def _read_memo(cache_dir: Path) -> dict[str, list]:
    try:
        return json.loads((cache_dir / HASH_MEMO).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _write_memo(cache_dir: Path, memo: dict[str, list]) -> None:
    # Best effort: a read-only or racing cache dir only costs a re-hash next time.
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".hashes-", dir=cache_dir)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(memo, fh)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; the database files beside it are not
        os.replace(tmp, cache_dir / HASH_MEMO)
    except OSError:
        pass


def fingerprint(cfg: Config, paths: Paths) -> str:
    """A hash of everything the database is built from: code version, config, SQL and data files."""
    h = hashlib.sha256(BUILD_VERSION.encode())
    h.update(paths.config.read_bytes())
    for p in sorted(SQL_DIR.rglob("*.sql")):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    memo = _read_memo(paths.cache_dir)
    before = dict(memo)
    for name in sorted(cfg.datasets):
        f = paths.data_dir / cfg.datasets[name].file
        h.update(name.encode())
        if f.is_file():
            h.update(_file_digest(f, memo).encode())
    if memo != before:
        _write_memo(paths.cache_dir, memo)
    return h.hexdigest()[:16]


def _referenced(cfg: Config) -> set[str]:
    """The dataset.column keys that some contract references (only these need value sets)."""
    return {c.references for ds in cfg.datasets.values() for c in ds.columns if c.references}


def _read_chunks(path: Path) -> Iterator[tuple[pd.DataFrame, float]]:
    """Text cells with the share of the file read so far: whole for small files, in row chunks for big ones.

    Chunks keep the running row index, so problems still name the row in the file.
    """
    size = path.stat().st_size
    if size <= CHUNK_FROM_BYTES:
        yield read_csv_text(path), 1.0
        return
    # Same reading rules as contracts.read_csv_text, only chunked.
    with path.open("rb") as fh:
        for chunk in pd.read_csv(fh, dtype=str, keep_default_na=False, encoding="utf-8-sig", chunksize=CHUNK_ROWS):
            yield chunk, min(fh.tell() / size, 1.0)


@dataclass
class Loaded:
    """What loading one dataset found: its rows, its as-of date and any contract problems."""

    rows: int = 0
    as_of: date | None = None
    chunks: int = 0
    problems: list[Problem] = field(default_factory=list)


def _remember_refs(typed: pd.DataFrame, name: str, ds: Dataset, refs: dict[str, set[str]],
                   wanted: set[str]) -> None:
    for c in ds.columns:
        key = f"{name}.{c.name}"
        if key in wanted and c.name in typed.columns:
            refs.setdefault(key, set()).update(str(v) for v in typed[c.name].dropna().unique())


def load_dataset(con: duckdb.DuckDBPyConnection | None, cfg: Config, name: str, data_dir: Path,
                 refs: dict[str, set[str]], progress: Callable[[float, int], None] | None = None) -> Loaded:
    """Check one dataset chunk by chunk and, while it is clean, append it to its table in con."""
    ds = cfg.datasets[name]
    path = data_dir / ds.file
    label = str(path)
    out = Loaded()
    if not path.is_file():
        out.problems.append(Problem(label, None, None, None, f"dataset {name!r}: file not found"))
        return out
    wanted = _referenced(cfg)
    try:
        for raw, done in _read_chunks(path):
            typed, found = validate_table(raw, ds, label, refs)
            # Header problems are the same in every chunk: report them once.
            out.problems += found if out.chunks == 0 else [p for p in found if p.row != 1]
            out.chunks += 1
            _remember_refs(typed, name, ds, refs, wanted)
            if out.problems:
                if len(out.problems) > MAX_PROBLEMS:
                    break
                continue
            if con is not None:
                _append(con, name, ds, typed, create=out.chunks == 1)
            out.rows += len(typed)
            d = _as_of(typed, ds)
            out.as_of = max(filter(None, (out.as_of, d)), default=None)
            if progress:
                progress(done, out.rows)
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as e:
        out.problems.append(Problem(label, None, None, None, f"cannot read as UTF-8 CSV: {e}"))
    if con is not None and out.chunks > 1 and not out.problems:
        out.problems += _duplicate_keys(con, name, ds, label)
    return out


def _duplicate_keys(con: duckdb.DuckDBPyConnection, name: str, ds: Dataset, label: str) -> list[Problem]:
    """Primary keys repeated across chunks (each chunk already checked itself)."""
    keys = ", ".join(ident(k) for k in ds.primary_key)
    if con.execute(render("count_duplicate_keys", table=ident(name), keys=keys)).fetchone()[0] == 0:
        return []
    rows = con.execute(render("duplicate_keys", table=ident(name), keys=keys), {"limit": MAX_PROBLEMS}).fetchall()
    # rowid follows file order (chunks are appended in order); the header is line 1.
    return [Problem(label, int(r[0]) + 2, "+".join(ds.primary_key),
                    ", ".join(f"{k}={v}" for k, v in zip(ds.primary_key, r[1:])),
                    "duplicate primary key (same key as an earlier row)") for r in rows]


def _as_of(df: pd.DataFrame, ds: Dataset) -> date | None:
    if not ds.as_of_column or df.empty:
        return None
    v = df[ds.as_of_column].dropna()
    return pd.Timestamp(v.max()).date() if len(v) else None


def _append(con: duckdb.DuckDBPyConnection, name: str, ds: Dataset, df: pd.DataFrame, create: bool) -> None:
    if create:
        cols = ", ".join(f"{ident(c.name)} {SQL_TYPES[c.type]}" for c in ds.columns)
        con.execute(render("create_table", table=ident(name), columns=cols))
    con.register("incoming", df[[c.name for c in ds.columns]])
    con.execute(render("insert_frame", table=ident(name)))
    con.unregister("incoming")


def _month_start(d: date) -> date:
    return date(d.year, d.month, 1)


def _build_indicators(con: duckdb.DuckDBPyConnection, cfg: Config, progress: Progress | None = None) -> None:
    for n, ind in enumerate(cfg.indicators):
        if progress:
            progress(n / len(cfg.indicators), ind.id)
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
        if ind.kind == "distinct_count":
            _build_distinct_runs(con, ind)


def _build_distinct_runs(con: duckdb.DuckDBPyConnection, ind: Indicator) -> None:
    """Per place filter, each entity-month with the entity's previous active month, counted.

    An entity is in a period's distinct count exactly once: at its first active month in the period, i.e. the
    month whose previous active month is before the period. So count(distinct entity) over millions of rows
    becomes a sum over a table of months x previous months x places, whatever the period.
    """
    place = {"all": ("null::varchar", "null::varchar", ""),
             "province": ("province", "null::varchar", "province, "),
             "city": ("province", "city", "province, city, ")}
    for grain in DISTINCT_GRAINS:
        province, city, keys = place[grain]
        con.execute(render("rollup_distinct_runs", table=distinct_table(ind.id, grain),
                           source=indicator_table(ind.id), province=province, city=city, keys=keys))


def _dataset_progress(progress: Progress | None, sizes: dict[str, int], name: str,
                      key: str) -> Callable[[float, int], None] | None:
    """Map one dataset's own progress onto the whole build (loading is its first share, split by bytes)."""
    if progress is None:
        return None
    total = sum(sizes.values()) or 1
    before = sum(v for k, v in sizes.items() if k < key) / total
    return lambda done, rows: progress(LOAD_SHARE * (before + done * sizes[key] / total), f"{name}: {rows:,} rows")


def build_database(cfg: Config, paths: Paths, target: Path, progress: Progress | None = None) -> dict[str, object]:
    """Validate and load every dataset, then build target atomically; returns the build metadata."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".build-", suffix=".duckdb", dir=target.parent)
    os.close(fd)
    os.unlink(tmp_name)
    tmp = Path(tmp_name)
    try:
        con = duckdb.connect(str(tmp))
        problems: list[Problem] = []
        refs: dict[str, set[str]] = {"areas": {a.id for a in cfg.areas}}
        as_of: dict[str, str | None] = {}
        rows: dict[str, int] = {}
        order = dataset_order(cfg)
        files = {n: paths.data_dir / cfg.datasets[n].file for n in order}
        # Keys sort like the load order so each dataset's share starts where the previous one ended.
        sizes = {f"{i:03d}": f.stat().st_size if f.is_file() else 0 for i, f in enumerate(files.values())}
        for i, name in enumerate(order):
            # Once a problem is found, keep checking but stop loading: the build is going to fail anyway.
            step = _dataset_progress(progress, sizes, name, f"{i:03d}")
            loaded = load_dataset(None if problems else con, cfg, name, paths.data_dir, refs, step)
            problems += loaded.problems
            as_of[name] = loaded.as_of.isoformat() if loaded.as_of else None
            rows[name] = loaded.rows
        if problems:
            con.close()
            raise ContractError(problems)
        latest = max(date.fromisoformat(v) for v in as_of.values() if v)
        start = date.fromisoformat(cfg.project.period_start + "-01")
        con.execute(render("calendar"), {"start": start, "end": _month_start(latest)})
        for view in cfg.views:
            sql = (SQL_DIR / view.sql_file).read_text(encoding="utf-8").strip().rstrip(";")
            con.execute(render("create_view", view=ident(view.name), body=sql))
        _build_indicators(con, cfg, _indicator_progress(progress))
        meta = {"as_of": latest.isoformat(), "datasets_as_of": as_of,
                "built_at": datetime.now(UTC).isoformat(timespec="seconds"), "rows": rows}
        con.execute("create table _meta as select ? as meta", [json.dumps(meta)])
        con.close()
        with tmp.open("rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
        Path(str(tmp) + ".wal").unlink(missing_ok=True)
    return meta


def _indicator_progress(progress: Progress | None) -> Progress | None:
    if progress is None:
        return None
    return lambda done, what: progress(LOAD_SHARE + (1 - LOAD_SHARE) * done, f"indicator {what}")


def database_path(cfg: Config, paths: Paths) -> Path:
    """Where the database for the current inputs lives (it may not be built yet)."""
    return paths.cache_dir / f"warehouse-{fingerprint(cfg, paths)}.duckdb"


def ensure_database(cfg: Config, paths: Paths, progress: Progress | None = None) -> Path:
    """The built database for the current inputs, building it only when the inputs changed."""
    target = database_path(cfg, paths)
    if not target.is_file():
        build_database(cfg, paths, target, progress)
        if progress:
            progress(1.0, "ready")
        _prune(paths.cache_dir, keep=target)
    return target


def _prune(cache_dir: Path, keep: Path) -> None:
    builds = sorted(cache_dir.glob("warehouse-*.duckdb"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in [b for b in builds if b != keep][KEEP_BUILDS - 1:]:
        old.unlink(missing_ok=True)


def open_readonly(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection with file access, extension loading and configuration changes disabled."""
    return duckdb.connect(str(path), read_only=True, config=dict(HARDENED))
