"""Seeded generator of event-grain datasets at scale, under the project's own contracts.

The two large datasets are written one row per event: a job posting (job_postings) and a cross-province
transaction (service_transactions). Their contracts are the shipped ones from config.yaml with one change
that event grain forces: an event id column becomes the primary key, since one enterprise posts many times a
month and the same service is handled many times a month. Every other dataset is the shipped sample, copied.
The directory gets its own config.yaml (data_dir ".") so the engine, the CLI and the app can be pointed at it:

    python -m benchmarks.generate --rows 1e6            # writes benchmarks/data/1e6/
    CHUANYU_CONFIG=benchmarks/data/1e6/config.yaml .venv/bin/streamlit run app.py
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import yaml

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_DIR = ROOT / "data"
DATA_ROOT = Path(__file__).resolve().parent / "data"
SEED = 20230829
CHUNK = 1_000_000
FIRST_MONTH = (2021, 1)
LAST_MONTH = (2023, 8)
# Share of the requested rows that each event-grain dataset gets, and its event id column.
EVENT_DATASETS = {"job_postings": ("posting_id", 0.6), "service_transactions": ("transaction_id", 0.4)}


@dataclass(frozen=True)
class Reference:
    """The reference lists the events draw from, read from the shipped sample."""

    cities: list[str]
    city_province: list[str]
    city_weight: np.ndarray
    industries: list[str]
    items: list[str]
    item_launch: list[int]


def label(rows: int) -> str:
    """1e5-style directory label for a row count."""
    exp = len(str(rows)) - 1
    return f"1e{exp}" if rows == 10**exp else str(rows)


def parse_rows(text: str) -> int:
    """'1e6', '250000' or '2.5e5' to an int."""
    return int(float(text))


def months() -> list[str]:
    """Every month of the sample period as YYYY-MM."""
    out, (y, m) = [], FIRST_MONTH
    while (y, m) <= LAST_MONTH:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def read_reference(sample: Path = SAMPLE_DIR) -> Reference:
    """Cities, industries and service items from the shipped CSVs, so references always resolve."""

    def read(name: str) -> dict:
        return pacsv.read_csv(
            sample / name,
            convert_options=pacsv.ConvertOptions(column_types={"launch_month": pa.string(), "batch": pa.string()}),
        ).to_pydict()

    cities, industries, items = read("cities.csv"), read("industries.csv"), read("service_items.csv")
    # Bigger places post more; Chengdu and Chongqing's core districts dominate, as they do in reality.
    core = {"chengdu": 8.0, "yubei": 2.5, "jiangbei": 2.0, "yuzhong": 2.0, "shapingba": 1.5, "jiulongpo": 1.5}
    weight = np.array([core.get(c, 1.0) for c in cities["city_id"]], dtype=float)
    month_index = {m: i for i, m in enumerate(months())}
    launch = [month_index.get(m[:7], 0) for m in items["launch_month"]]
    return Reference(
        cities["city_id"],
        cities["province"],
        weight / weight.sum(),
        industries["industry_id"],
        items["item_id"],
        launch,
    )


def _dict(indices: np.ndarray, values: list[str]) -> pa.DictionaryArray:
    return pa.DictionaryArray.from_arrays(pa.array(indices.astype(np.int32)), pa.array(values))


def _ids(prefix: str, numbers: np.ndarray, width: int) -> pa.Array:
    digits = pc.utf8_lpad(pa.array(numbers.astype(np.int64)).cast(pa.string()), width, "0")
    return pc.binary_join_element_wise(prefix, digits, "")


@dataclass(frozen=True)
class Enterprises:
    """Fixed attributes of each posting enterprise: where it is, its industry, when it joined the zone."""

    city: np.ndarray
    industry: np.ndarray
    first_month: np.ndarray
    weight: np.ndarray


def enterprises(n: int, ref: Reference, rng: np.random.Generator) -> Enterprises:
    """n enterprises with a heavy-tailed posting activity (a few post a lot)."""
    city = rng.choice(len(ref.cities), size=n, p=ref.city_weight)
    industry = rng.integers(0, len(ref.industries), size=n)
    first = rng.integers(0, len(months()), size=n)
    weight = rng.pareto(1.5, size=n) + 1.0
    return Enterprises(city, industry, first, weight / weight.sum())


def postings_chunk(start: int, n: int, ent: Enterprises, ref: Reference, rng: np.random.Generator) -> pa.Table:
    """n job postings: each by an enterprise, in a month on or after it joined, in its city and industry."""
    e = rng.choice(len(ent.weight), size=n, p=ent.weight)
    first = ent.first_month[e]
    month = first + (rng.random(n) * (len(months()) - first)).astype(np.int64)
    city = ent.city[e]
    province = np.array([0 if p == "sichuan" else 1 for p in ref.city_province])[city]
    return pa.table(
        {
            "posting_id": _ids("P", np.arange(start, start + n), 10),
            "enterprise_id": _ids("E", e, 8),
            "month": _dict(month, months()),
            "province": _dict(province, ["sichuan", "chongqing"]),
            "city_id": _dict(city, ref.cities),
            "industry": _dict(ent.industry[e], ref.industries),
            "positions": pa.array(rng.geometric(0.3, size=n).astype(np.int64)),
        }
    )


def transactions_chunk(start: int, n: int, ref: Reference, rng: np.random.Generator) -> pa.Table:
    """n cross-province transactions, each of a service item already launched in its month."""
    n_months = len(months())
    launched = np.array([sum(1 for x in ref.item_launch if x <= m) for m in range(n_months)])
    order = np.argsort(np.array(ref.item_launch), kind="stable")
    growth = np.linspace(1.0, 3.0, n_months) * (launched > 0)
    month = rng.choice(n_months, size=n, p=growth / growth.sum())
    item = order[(rng.random(n) * launched[month]).astype(np.int64)]
    handled = (rng.random(n) < 0.45).astype(np.int64)
    return pa.table(
        {
            "transaction_id": _ids("T", np.arange(start, start + n), 10),
            "month": _dict(month, months()),
            "item_id": _dict(item, ref.items),
            "handled_province": _dict(handled, ["sichuan", "chongqing"]),
            "home_province": _dict(1 - handled, ["sichuan", "chongqing"]),
            "transactions": pa.array(np.ones(n, dtype=np.int64)),
        }
    )


def write_events(path: Path, total: int, make_chunk) -> None:
    """Write total rows chunk by chunk, each chunk seeded by its position so output is reproducible."""
    tmp = path.with_suffix(".csv.part")
    with tmp.open("wb") as fh:
        writer = None
        for k, start in enumerate(range(0, total, CHUNK)):
            table = make_chunk(start, min(CHUNK, total - start), np.random.default_rng([SEED, k]))
            if writer is None:
                fh.write((",".join(table.column_names) + "\n").encode())
                writer = pacsv.CSVWriter(
                    fh, table.schema, write_options=pacsv.WriteOptions(include_header=False, quoting_style="none")
                )
            writer.write_table(table)
        if writer is not None:
            writer.close()
    tmp.replace(path)


def bench_config(base: Path = ROOT / "config.yaml") -> dict:
    """The shipped config with data_dir '.' and event-grain contracts for the large datasets."""
    raw = yaml.safe_load(base.read_text(encoding="utf-8"))
    raw = {k: v for k, v in raw.items() if not str(k).startswith("x-")}
    raw["project"]["data_dir"] = "."
    for name, (id_col, _) in EVENT_DATASETS.items():
        ds = raw["datasets"][name]
        ds["columns"].insert(0, {"name": id_col, "name_zh": "事件编号", "name_en": "Event id", "type": "string"})
        ds["primary_key"] = [id_col]
        ds["description_en"] += " Event grain: one row per event (benchmark data)."
        ds["description_zh"] += "事件粒度:每个事件一行(基准测试数据)。"
    return raw


def sample_stamp() -> str:
    """A short digest of the sample data files and config.yaml the benchmark data is made from."""
    h = hashlib.sha256()
    for f in sorted([*SAMPLE_DIR.glob("*.csv"), ROOT / "config.yaml"]):
        h.update(f"{f.name}:{f.stat().st_size}:{f.stat().st_mtime_ns}\n".encode())
    return h.hexdigest()[:16]


def generate(rows: int, out: Path | None = None, force: bool = False) -> Path:
    """Write the data directory for rows events (and its config.yaml); reuse it when already complete."""
    out = out or DATA_ROOT / label(rows)
    done = out / ".complete"
    marker = f"{rows} {sample_stamp()}"  # a change to the sample data or the config makes a new copy
    if done.is_file() and not force and done.read_text() == marker:
        return out
    out.mkdir(parents=True, exist_ok=True)
    done.unlink(missing_ok=True)
    for f in SAMPLE_DIR.glob("*.csv"):
        if f.stem not in EVENT_DATASETS and f.name != "published_figures.csv":
            shutil.copyfile(f, out / f.name)
    ref = read_reference()
    n_jobs = round(rows * EVENT_DATASETS["job_postings"][1])
    ent = enterprises(max(1_000, n_jobs // 25), ref, np.random.default_rng([SEED, 10**6]))
    write_events(out / "job_postings.csv", n_jobs, lambda s, n, r: postings_chunk(s, n, ent, ref, r))
    write_events(out / "service_transactions.csv", rows - n_jobs, lambda s, n, r: transactions_chunk(s, n, ref, r))
    text = yaml.safe_dump(bench_config(), allow_unicode=True, sort_keys=False, width=120)
    (out / "config.yaml").write_text("# Generated by benchmarks/generate.py; do not edit.\n" + text, encoding="utf-8")
    done.write_text(marker)
    return out


def main(argv: list[str] | None = None) -> int:
    """Command line: --rows N [--out DIR] [--force]."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=parse_rows, required=True, help="event rows in total, e.g. 1e6")
    ap.add_argument("--out", type=Path, help="output directory (default benchmarks/data/<rows>)")
    ap.add_argument("--force", action="store_true", help="regenerate even when the directory is complete")
    args = ap.parse_args(argv)
    print(generate(args.rows, args.out, args.force))
    return 0


if __name__ == "__main__":
    sys.exit(main())
