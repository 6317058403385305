"""Core commands: list, values, series, check."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..auth import SECRETS_PATH, check_access
from ..columns import localise_headers
from ..config import DEFAULT_CONFIG, ConfigError, load_config
from ..contracts import ContractError
from ..formatting import format_number
from ..status import status_label
from ..tables import series_frame, values_frame
from .common import CliError, add_filter_args, add_format_arg, add_lang_arg, emit, engine_from, filters_from


def cmd_list(args: argparse.Namespace) -> int:
    """Print every indicator's id, names, area, unit and kind."""
    cfg = load_config(args.config or DEFAULT_CONFIG)
    import pandas as pd

    rows = [
        {
            "indicator_id": i.id,
            "name_zh": i.name_zh,
            "name_en": i.name_en,
            "area": i.area,
            "unit": i.text("unit", args.lang),
            "kind": i.kind,
            "dimensions": ",".join(["month", *i.dimensions]),
        }
        for i in cfg.indicators
    ]
    emit(pd.DataFrame(rows), args.format, args.output)
    return 0


def cmd_values(args: argparse.Namespace) -> int:
    """Print one row per indicator for the filters."""
    engine = engine_from(args)
    filters = filters_from(args, engine)
    df = values_frame(engine, filters, args.lang)
    fmt = {i.id: i.format for i in engine.config.indicators}
    shown = df[
        [
            "indicator_id",
            "name",
            "value",
            "unit",
            "yoy_note",
            "cumulative_value",
            "target_progress_pct",
            "time_elapsed_pct",
            "status",
            "scope",
        ]
    ].copy()
    shown["value"] = [format_number(v, args.lang, fmt[i]) for i, v in zip(df["indicator_id"], df["value"], strict=True)]
    shown["cumulative_value"] = [
        format_number(v, args.lang, fmt[i]) for i, v in zip(df["indicator_id"], df["cumulative_value"], strict=True)
    ]
    shown["status"] = [status_label(x, args.lang) for x in df["status"]]
    emit(df, args.format, args.output, table=localise_headers(shown, engine.config, args.lang))
    return 0


def cmd_series(args: argparse.Namespace) -> int:
    """Print one indicator by month or by a dimension."""
    engine = engine_from(args)
    filters = filters_from(args, engine)
    df = series_frame(engine, args.indicator, filters, by=args.by, lang=args.lang)
    ind = engine.indicator(args.indicator)
    shown = df[["label", "value", "unit"]].copy()
    shown["value"] = [format_number(v, args.lang, ind.format) for v in df["value"]]
    emit(df, args.format, args.output, table=localise_headers(shown, engine.config, args.lang))
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """Validate the config, every dataset, the kept versions, the audit chains and the access settings."""
    from .cmd_ingest import audit_problems  # finishes interrupted writes first, so the engine reads settled data

    try:
        kept = audit_problems(args.config, args.data_dir)
    except (ConfigError, CliError):
        kept = []  # the engine below reports a broken config or a missing data dir
    for line in kept:
        print(line, file=sys.stderr)
    access = check_access(Path(args.secrets))
    for problem in access:
        print(f"access settings: {problem}", file=sys.stderr)
    try:
        engine = engine_from(args)
    except ConfigError as e:
        print(f"config problems:\n{e}", file=sys.stderr)
        return 1
    except ContractError as e:
        for p in e.problems:
            print(str(p), file=sys.stderr)
        print(f"{len(e.problems)} problem(s) found", file=sys.stderr)
        return 1
    if kept:
        print(f"{len(kept)} problem(s) found in the kept versions or the audit", file=sys.stderr)
    if access:
        print(
            f"{len(access)} problem(s) in the access settings ({args.secrets} and the CHUANYU_* environment); "
            "the dashboard shows visitors only that it is not configured correctly",
            file=sys.stderr,
        )
    if kept or access:
        return 1
    n_ds = len(engine.config.datasets)
    n_ind = len(engine.config.indicators)
    print(
        f"ok: config valid, {n_ds} datasets match their contracts, {n_ind} indicators computed; "
        f"data as of {engine.as_of.isoformat()}; access settings valid"
    )
    return 0


def register(sub: argparse._SubParsersAction, parents: list[argparse.ArgumentParser]) -> None:
    """Add list, values, series and check."""
    p = sub.add_parser("list", parents=parents, help="list indicators with id, names, area, unit and kind")
    add_lang_arg(p)
    add_format_arg(p)
    p.set_defaults(func=cmd_list)

    p = sub.add_parser(
        "values",
        parents=parents,
        help="one row per indicator for the chosen period and province",
        description="Every indicator's value for the period, with the previous period of equal "
        "length, unit, scope and source. Defaults: all time, both provinces.",
    )
    add_filter_args(p)
    add_lang_arg(p)
    add_format_arg(p)
    p.set_defaults(func=cmd_values)

    p = sub.add_parser(
        "series",
        parents=parents,
        help="one indicator by month or by a dimension",
        description="One indicator broken down by month (default), province, city or any "
        "dimension it declares (see `list`).",
    )
    p.add_argument("indicator", help="indicator id (see `list`)")
    p.add_argument("--by", default="month", help="month (default), province, city or a declared dimension")
    add_filter_args(p)
    add_lang_arg(p)
    add_format_arg(p)
    p.set_defaults(func=cmd_series)

    p = sub.add_parser(
        "check",
        parents=parents,
        help="validate the config, every dataset and the access settings",
        description="Exit 0 when the config and all datasets are valid, every data file is its "
        "newest kept version, the audit chains are intact and the access settings "
        "(secrets.toml and the CHUANYU_* environment) are valid; otherwise list every "
        "problem with file, row, column and reason, and exit 1. Finishes or undoes "
        "an interrupted ingest or rollback first.",
    )
    p.add_argument(
        "--secrets",
        default=str(SECRETS_PATH),
        help="the secrets file the dashboard reads (default: the project's .streamlit/secrets.toml)",
    )
    p.set_defaults(func=cmd_check)
