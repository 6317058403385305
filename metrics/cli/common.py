"""Shared CLI pieces: filter arguments, one-line errors, output in table, csv or json."""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from pathlib import Path
from typing import NoReturn

import pandas as pd

from ..csvout import to_csv_bytes
from ..engine import Engine
from ..periods import Filters
from ..presets import DEFAULT_CLI, PRESETS, apply_preset


class CliError(Exception):
    """A user error: printed as one line on stderr, exit code 2."""


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line and exit 2, never a traceback."""

    def error(self, message: str) -> NoReturn:
        raise CliError(f"{self.prog}: {message}")


def add_filter_args(p: argparse.ArgumentParser, default_period: str = DEFAULT_CLI) -> None:
    """--period, --from, --to, --province, --city, --compare."""
    p.add_argument(
        "--period",
        choices=PRESETS,
        default=None,
        help=f"a preset period ending at the data's last month (default: {default_period}); "
        "ytd = this year to date, last12, last-year = the previous full year",
    )
    p.add_argument("--from", dest="start", metavar="YYYY-MM", help="first month of a custom period")
    p.add_argument(
        "--to",
        dest="end",
        metavar="YYYY-MM",
        help="last month of a custom period (counted up to the data's last month)",
    )
    p.set_defaults(default_period=default_period)
    p.add_argument("--province", default="all", help="all (default), sichuan or chongqing")
    p.add_argument("--city", default=None, help="a city or district id (see `series ID --by city`)")


def add_lang_arg(p: argparse.ArgumentParser) -> None:
    """--lang zh|en."""
    p.add_argument("--lang", choices=["zh", "en"], default="zh", help="language of names and units (default zh)")


def add_format_arg(p: argparse.ArgumentParser) -> None:
    """--format table|csv|json."""
    p.add_argument(
        "--format",
        choices=["table", "csv", "json"],
        default="table",
        help="table (default) for people, csv (UTF-8 with BOM) or json for programs",
    )
    p.add_argument("-o", "--output", default=None, help="write to this file instead of standard output")


def filters_from(args: argparse.Namespace, engine: Engine) -> Filters:
    """Filters from parsed arguments, checked against the data and its places (FilterError on bad values)."""
    if args.period and (args.start or args.end):
        raise CliError("give --period or --from/--to, not both")
    province = None if args.province in (None, "all") else args.province
    filters = engine.check_filters(Filters(start=args.start, end=args.end, province=province, city=args.city))
    if not (args.start or args.end):
        filters = apply_preset(engine, filters, args.period or args.default_period)
    engine.period(filters)  # a period that starts after the data's last month is refused here, as a FilterError
    return filters


def engine_from(args: argparse.Namespace) -> Engine:
    """The engine for --config / --data-dir, or the defaults."""
    return Engine(config_path=getattr(args, "config", None), data_dir=getattr(args, "data_dir", None))


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def render_table(df: pd.DataFrame) -> str:
    """A plain aligned text table that keeps Chinese columns straight."""
    cells = [[str(c) for c in df.columns]] + [
        ["" if pd.isna(v) else str(v) for v in row] for row in df.itertuples(index=False)
    ]
    widths = [max(_width(r[i]) for r in cells) for i in range(len(df.columns))]
    lines = []
    for n, row in enumerate(cells):
        lines.append("  ".join(c + " " * (w - _width(c)) for c, w in zip(row, widths, strict=True)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines) + "\n"


def write_bytes(data: bytes, output: str | None) -> None:
    """Write to a file (clear error if it cannot be written) or to standard output."""
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    path = checked_output(output)
    try:
        path.write_bytes(data)
    except OSError as e:
        raise CliError(f"cannot write {output}: {e.strerror or e}") from None


def checked_output(output: str) -> Path:
    """-o FILE as a path, refused when it names a folder or its folder does not exist (CliError)."""
    path = Path(output)
    if output.endswith(("/", "\\")) or path.is_dir():
        raise CliError(f"cannot write {output}: it is a folder; give a file name")
    if not path.parent.is_dir():
        raise CliError(f"cannot write {output}: the folder {path.parent} does not exist")
    return path


def emit(df: pd.DataFrame, fmt: str, output: str | None, table: pd.DataFrame | None = None) -> None:
    """Print or save df as csv, json (a list of records) or a text table (table overrides what is shown)."""
    if fmt == "csv":
        write_bytes(to_csv_bytes(df), output)
    elif fmt == "json":
        records = json.loads(df.to_json(orient="records", force_ascii=False))
        write_bytes((json.dumps(records, ensure_ascii=False, indent=2) + "\n").encode("utf-8"), output)
    else:
        write_bytes(render_table(table if table is not None else df).encode("utf-8"), output)
