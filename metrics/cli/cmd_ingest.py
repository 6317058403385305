"""Data-officer commands: ingest, datasets, versions, rollback, audit, hash-password."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import ParamSpec, TypeVar

import pandas as pd

from ..auth import WeakPassword, check_strength, hash_password
from ..ingest import (
    MAX_UPLOAD_BYTES,
    MODE_HELP,
    MODES,
    IngestError,
    Report,
    Where,
    datasets,
    ingest_upload,
    integrity_problems,
    list_versions,
    open_project,
    read_audit,
    rollback,
    verify_audit,
)
from ..ingest.catalog import catalog_rows
from ..userstore import StoreError, open_store
from ..userstore import audit as store_audit
from ..warehouse import Progress
from .common import CliError, add_format_arg, emit, render_table, write_bytes


def cli_user(named: str | None) -> str:
    """Who runs the command, for the audit log: the OS account, and the person if --user names one."""
    try:
        account = getpass.getuser()
    except (KeyError, OSError):
        account = f"uid {os.getuid()}"
    return f"{named} (cli, {account})" if named else f"{account} (cli)"


P = ParamSpec("P")
T = TypeVar("T")


def _call(fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Run a library call with the CLI's --config/--data-dir; a bad request becomes a one-line error."""
    try:
        return fn(*args, **kwargs)
    except IngestError as e:
        raise CliError(str(e)) from None


def _paths(args: argparse.Namespace) -> Where:
    return {"config_path": args.config, "data_dir": args.data_dir}


def read_input(path: str) -> tuple[bytes, str]:
    """The file's bytes (at most one byte over the limit, so the limit is reported) and its base name."""
    p = Path(path)
    if not p.is_file():
        raise CliError(f"{path}: no such file")
    try:
        with p.open("rb") as fh:
            return fh.read(MAX_UPLOAD_BYTES + 1), p.name
    except OSError as e:
        raise CliError(f"cannot read {path}: {e.strerror or e}") from None


def print_report(report: Report, fmt: str, report_csv: str | None) -> int:
    """The report on stdout (table or json), the summary on stderr; 0 when ok, else 1."""
    if report_csv and report.problems:
        write_bytes(report.problems_csv(), report_csv)
    if fmt == "json":
        text = json.dumps(report.as_dict(), ensure_ascii=False, indent=2, default=str) + "\n"
        sys.stdout.write(text)
    elif report.problems:
        shown = report.problems_frame()  # file too: a change can orphan rows in another dataset
        sys.stdout.write(render_table(shown))
    stream = sys.stdout if report.ok and fmt != "json" else sys.stderr  # json stays parseable
    print(("ok: " if report.ok else "error: ") + report.summary(), file=stream)
    return 0 if report.ok else 1


def json_progress(fraction: float, step: str) -> None:
    """One progress line on stderr, for a program that watches a long ingest: {"progress": 0.42, "step": ...}."""
    print(json.dumps({"progress": round(fraction, 3), "step": step}), file=sys.stderr, flush=True)


def _progress(args: argparse.Namespace) -> Progress | None:
    return json_progress if getattr(args, "json_progress", False) else None


def cmd_ingest(args: argparse.Namespace) -> int:
    """Validate a CSV/XLSX against a dataset's contract and, unless --dry-run, swap it in as a new version."""
    data, name = read_input(args.file)
    report = _call(
        ingest_upload,
        data,
        name,
        args.dataset,
        cli_user(args.user),
        mode=args.mode,
        dry_run=args.dry_run,
        sheet=args.sheet,
        encoding=args.encoding,
        progress=_progress(args),
        **_paths(args),
    )
    return print_report(report, args.format, args.report)


def cmd_datasets(args: argparse.Namespace) -> int:
    """The data dictionary: what each dataset's file must contain."""
    entries = _call(datasets, **_paths(args))
    if args.format == "json":
        text = json.dumps(entries, ensure_ascii=False, indent=2) + "\n"
        write_bytes(text.encode("utf-8"), args.output)
    else:
        emit(pd.DataFrame(catalog_rows(entries)), args.format, args.output)
    return 0


def cmd_versions(args: argparse.Namespace) -> int:
    """Kept versions of each dataset, newest first; * marks the one in use."""
    found = _call(list_versions, args.dataset, **_paths(args))
    cols = ["id", "current", "dataset", "created", "user", "action", "source", "mode", "rows", "sha256"]
    df = pd.DataFrame([v.as_dict() for v in found], columns=cols)
    table = df.copy()
    table["current"] = ["*" if c else "" for c in df["current"]]
    table["sha256"] = [str(s)[:12] for s in df["sha256"]]
    emit(df, args.format, args.output, table=table)
    if not found and args.format == "table":
        print("no versions kept yet: they start with the first ingest", file=sys.stderr)
    return 0


def cmd_rollback(args: argparse.Namespace) -> int:
    """Restore a kept version (it becomes a new version; the rollback is logged)."""
    report = _call(rollback, args.version, cli_user(args.user), progress=_progress(args), **_paths(args))
    return print_report(report, "table", None)


INGEST_COLUMNS = [
    "ts",
    "action",
    "user",
    "dataset",
    "file_name",
    "mode",
    "rows_added",
    "rows_replaced",
    "version",
    "result",
    "problems",
    "recovered",
]
STORE_COLUMNS = ["ts", "seq", "action", "user", "client", "subject", "detail"]


def _store_events(args: argparse.Namespace) -> tuple[list[dict], list[str]]:
    """The user store's audit events and the problems of its chain ([] and [] when there is no store yet)."""
    try:
        store = open_store(_call(open_project, **_paths(args)).data_dir, create=False)
        if store is None:
            return [], []
        rows = store_audit.events(store)
        problems = store_audit.verify(store)
    except StoreError as e:
        raise CliError(f"the user store cannot be read: {e}") from None
    events = [
        {
            "log": "store",
            "ts": r["ts"],
            "seq": r["seq"],
            "action": r["action"],
            "user": r["actor"],
            "client": r["client"],
            "subject": r["subject"],
            "detail": json.dumps(r["detail"], ensure_ascii=False, sort_keys=True),
        }
        for r in rows
    ]
    return events, problems


def audit_problems(config: str | None, data_dir: str | None) -> list[str]:
    """Every problem of both audit chains and of the kept versions (after recovering interrupted writes)."""
    args = argparse.Namespace(config=config, data_dir=data_dir)
    return _call(integrity_problems, **_paths(args)) + _store_events(args)[1]


def cmd_audit(args: argparse.Namespace) -> int:
    """The audit of ingests and rollbacks and the user store's (sign-ins), oldest first; checks both chains."""
    ingest = [{"log": "ingest", **e} for e in _call(read_audit, **_paths(args))] if args.source != "store" else []
    store, store_problems = _store_events(args) if args.source != "ingest" else ([], [])
    problems = (_call(verify_audit, **_paths(args)) if args.source != "store" else []) + store_problems
    if not args.verify:
        _show_events(args, ingest, store)
    for p in problems:
        print(f"broken: {p}", file=sys.stderr)
    if problems:
        print(
            f"error: the audit chain is broken ({len(problems)} problem(s)); keep a copy of the data dir as "
            "it is for investigation",
            file=sys.stderr,
        )
        return 1
    if args.verify:
        print(
            f"ok: ingest log {len(ingest)} line(s) and user store {len(store)} event(s): chains intact, "
            "nothing cut off the end"
        )
    return 0


def _show_events(args: argparse.Namespace, ingest: list[dict], store: list[dict]) -> None:
    """Both logs as one list (json, csv) or as two tables."""
    events = ingest + store
    if args.format != "table":
        cols = list(dict.fromkeys(["log"] + INGEST_COLUMNS + STORE_COLUMNS + [k for e in events for k in e]))
        emit(pd.DataFrame(events).reindex(columns=cols), args.format, args.output)
        return
    parts = []
    if args.source != "store":
        parts.append(render_table(pd.DataFrame(ingest).reindex(columns=INGEST_COLUMNS)))
    if args.source != "ingest" and store:
        parts.append("user store (sign-ins):\n" + render_table(pd.DataFrame(store).reindex(columns=STORE_COLUMNS)))
    write_bytes("\n".join(parts).encode("utf-8"), args.output)


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("New admin password: ")
    if getpass.getpass("Repeat it: ") != first:
        raise CliError("the two passwords differ")
    return first


def cmd_hash_password(args: argparse.Namespace) -> int:
    """Print a scrypt hash of a password typed without echo; the password itself is never stored."""
    password = _read_password(args.stdin)
    try:
        check_strength(password, args.user)
    except WeakPassword as e:
        raise CliError(f"password refused: {e}") from None
    h = hash_password(password)
    if args.user:
        print(f'# in .streamlit/secrets.toml, under [admins]:\n{args.user} = "{h}"')
    else:
        print(h)
    return 0


def register(sub: argparse._SubParsersAction, parents: list[argparse.ArgumentParser]) -> None:
    """Add ingest, datasets, versions, rollback, audit and hash-password."""
    modes = "; ".join(f"{m}: {h}" for m, h in MODE_HELP.items())
    p = sub.add_parser(
        "ingest",
        parents=parents,
        help="validate a CSV or XLSX file and load it into a dataset",
        description="Validate FILE against DATASET's contract (see `datasets`) and, unless "
        "--dry-run, write it as a new version, swapped in atomically. On any problem "
        "nothing changes: every problem is listed (row, column, value, reason) and "
        f"the exit code is 1. Modes: {modes}.",
    )
    p.add_argument("dataset", help="dataset name (see `datasets`)")
    p.add_argument("file", help=".csv (UTF-8, UTF-8 with BOM, GB18030/GBK) or .xlsx")
    p.add_argument("--mode", choices=MODES, default="append", help="append (default), upsert or replace")
    p.add_argument("--dry-run", action="store_true", help="validate and report only; change nothing")
    p.add_argument("--sheet", default=None, help="XLSX sheet name (default: the first sheet)")
    p.add_argument("--encoding", default=None, help="CSV encoding: auto (default), utf-8, utf-8-sig, gb18030, gbk")
    p.add_argument("--user", default=None, help="your name for the audit log (default: the OS account)")
    p.add_argument("--format", choices=["table", "json"], default="table", help="report as table or json")
    p.add_argument("--report", default=None, metavar="FILE.csv", help="also save the problems as CSV")
    p.add_argument(
        "--json-progress",
        action="store_true",
        help='print progress as JSON lines on stderr ({"progress": 0.42, "step": "validate"})',
    )
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser(
        "datasets",
        parents=parents,
        help="the data dictionary: every dataset's contract",
        description="What a file must contain for each dataset: columns (machine and zh names), "
        "types, rules and primary key. json: one object per dataset.",
    )
    add_format_arg(p)
    p.set_defaults(func=cmd_datasets)

    p = sub.add_parser("versions", parents=parents, help="kept versions of the datasets, newest first")
    p.add_argument("--dataset", default=None, help="only this dataset")
    add_format_arg(p)
    p.set_defaults(func=cmd_versions)

    p = sub.add_parser(
        "rollback",
        parents=parents,
        help="restore a kept version of a dataset",
        description="Put VERSION (see `versions`) back in place as a new version. Refused, "
        "changing nothing, if the data would then break a contract.",
    )
    p.add_argument("version", help="version id, e.g. v12")
    p.add_argument("--user", default=None, help="your name for the audit log (default: the OS account)")
    p.add_argument("--json-progress", action="store_true", help="print progress as JSON lines on stderr")
    p.set_defaults(func=cmd_rollback)

    p = sub.add_parser(
        "audit",
        parents=parents,
        help="the audit logs (ingests and rollbacks; sign-ins), checked",
        description="List the ingest log (data dir's .audit.jsonl) and the user store's audit "
        "(sign-ins), oldest first, and check both hash chains: an edited or removed "
        "entry, or entries cut off the end, are named on stderr and the exit code is 1.",
    )
    p.add_argument(
        "--verify", action="store_true", help="only check the chains: ok and exit 0, or the problems and exit 1"
    )
    p.add_argument(
        "--source",
        choices=["all", "ingest", "store"],
        default="all",
        help="all (default), ingest (ingests and rollbacks) or store (sign-ins)",
    )
    add_format_arg(p)
    p.set_defaults(func=cmd_audit)

    p = sub.add_parser(
        "hash-password",
        help="make a scrypt hash for a local admin account",
        description="Prompts twice for a password (not echoed) and prints its salted scrypt hash "
        "for .streamlit/secrets.toml [admins] or $CHUANYU_ADMINS. The password is "
        "never stored or passed on the command line.",
    )
    p.add_argument("--user", default=None, help='print a ready-to-paste `user = "hash"` line')
    p.add_argument("--stdin", action="store_true", help="read the password from one line of standard input")
    p.set_defaults(func=cmd_hash_password)
