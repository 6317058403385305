"""Export commands for scheduled jobs: export (CSV/XLSX), charts (PNG/SVG), deck (the PPTX meeting pack), brief
(the Word work brief)."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from ..charts import headline_charts, task_charts
from ..engine import Engine
from ..exports import images
from ..exports.bulk import all_series, all_values
from ..exports.names import export_name
from ..exports.tabular import HEADER_MODES, csv_bytes, xlsx_bytes
from ..figures.fit import export_figure
from ..i18n import tr
from ..periods import Filters
from ..tables import series_frame
from .common import CliError, add_filter_args, add_lang_arg, engine_from, filters_from, write_bytes


def write_file(data: bytes, path: Path) -> None:
    """Write atomically (temporary file in the same directory, then rename); a clear CliError if impossible."""
    if path.is_dir():
        raise CliError(f"cannot write {path}: it is a directory")
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent or Path("."))
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; give the file the usual permissions
        os.replace(tmp, path)
    except OSError as e:
        if tmp and os.path.exists(tmp):
            os.unlink(tmp)
        raise CliError(f"cannot write {path}: {e.strerror or e}") from None


def target(output: str | None, default_name: str) -> Path:
    """-o FILE, or the generated name inside -o DIR, or in the current directory."""
    if output is None:
        return Path(default_name)
    path = Path(output)
    if path.is_dir():
        return path / default_name
    if output.endswith(("/", os.sep)):
        raise CliError(f"cannot write to {output}: no such folder")
    if not path.parent.is_dir():
        raise CliError(f"cannot write {output}: the folder {path.parent} does not exist")
    return path


def _format(args: argparse.Namespace) -> str:
    if args.format:
        return args.format
    suffix = Path(args.output).suffix.lower().lstrip(".") if args.output and args.output != "-" else ""
    return suffix if suffix in ("csv", "xlsx") else "csv"


def _export_frame(engine: Engine, args: argparse.Namespace, filters: Filters):
    if args.all:
        by = args.by
        if by is None:
            return all_values(engine, filters, args.lang), "all-indicators"
        if by != "month" and by not in engine.config.dimensions:
            raise CliError(f"unknown dimension {by!r}; choose month or one of {', '.join(engine.config.dimensions)}")
        return all_series(engine, filters, by, args.lang), f"all-indicators_by-{by}"
    by = args.by or "month"
    return series_frame(engine, args.indicator, filters, by=by, lang=args.lang), f"{args.indicator}_by-{by}"


def cmd_export(args: argparse.Namespace) -> int:
    """One indicator (by month or a dimension) or all indicators, as CSV or XLSX with provenance."""
    if bool(args.indicator) == bool(args.all):
        raise CliError("give one indicator id or --all (not both)")
    fmt = _format(args)
    if fmt == "xlsx" and args.output == "-":
        raise CliError("XLSX is binary: give -o FILE.xlsx instead of standard output")
    engine = engine_from(args)
    filters = filters_from(args, engine)
    df, name = _export_frame(engine, args, filters)
    if fmt == "csv":
        data = csv_bytes(engine, df, args.lang, args.header)
    else:
        title = name if args.all else engine.indicator(args.indicator).text("name", args.lang)
        data = xlsx_bytes(
            engine,
            df,
            title=title,
            filters=filters,
            lang=args.lang,
            header=args.header,
            indicator_ids=None if args.all else [args.indicator],
        )
    if args.output == "-":
        write_bytes(data, None)
        return 0
    path = target(args.output, export_name(engine, name, filters, fmt, args.lang))
    write_file(data, path)
    print(f"wrote {path} ({len(df)} rows)", file=sys.stderr)
    return 0


def _out_dir(path: str) -> Path:
    out = Path(path)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise CliError(f"cannot write to {out}: not a directory") from None
    except OSError as e:
        raise CliError(f"cannot create {out}: {e.strerror or e}") from None
    if not os.access(out, os.W_OK):
        raise CliError(f"cannot write to {out}: permission denied")
    return out


def cmd_charts(args: argparse.Namespace) -> int:
    """Every headline chart (and the task charts) as PNG or SVG into a directory."""
    out = _out_dir(args.out)
    if not images.images_available():
        print(f"error: chart images need Chromium. {images.enable_hint('en')}", file=sys.stderr)
        return 1
    engine = engine_from(args)
    filters = filters_from(args, engine)
    charts = task_charts(engine, filters, args.lang) + headline_charts(engine, filters, args.lang)
    started = time.perf_counter()
    try:
        rendered = images.renderer().render_many([export_figure(c.figure, c.text) for c in charts], args.format)
    except images.ImageExportUnavailable as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    for chart, data in zip(charts, rendered, strict=True):
        write_file(data, out / export_name(engine, chart.name, filters, args.format, args.lang))
    print(
        f"wrote {len(charts)} {args.format.upper()} charts to {out} in {time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )
    return 0


def add_since_arg(p: argparse.ArgumentParser) -> None:
    """--since: the last meeting, after which completed tasks are listed."""
    p.add_argument(
        "--since",
        default=None,
        metavar="YYYY-MM-DD",
        help="the last meeting: tasks completed after it are listed (default: config.yaml's "
        "reporting.last_meeting, else the end of the period before the current one)",
    )


def since_from(args: argparse.Namespace) -> date | None:
    """--since as a date; CliError naming the option when it is not one."""
    if args.since is None:
        return None
    try:
        return date.fromisoformat(args.since)
    except ValueError:
        raise CliError(f"--since {args.since}: not a date (YYYY-MM-DD)") from None


def _office_target(
    args: argparse.Namespace, name_key: str, suffix: str, noun: str, without_charts: str
) -> tuple[Engine, Filters, Path]:
    """The engine, the filters and the output path of a meeting document; CliError for another suffix.
    without_charts says what the document does when Chromium is missing (a warning, not an error)."""
    engine = engine_from(args)
    filters = filters_from(args, engine)
    path = target(args.output, export_name(engine, tr(name_key, args.lang), filters, suffix, args.lang))
    if path.suffix.lower() != f".{suffix}":
        raise CliError(f"the {noun} is a .{suffix} file; got {path.name}")
    if not images.images_available():
        print(f"warning: no Chromium, {without_charts}. {images.enable_hint('en')}", file=sys.stderr)
    return engine, filters, path


def _build_and_write(build: Callable[[], bytes], path: Path) -> bytes:
    """Build a document, write it to path and say how long it took; the bytes."""
    started = time.perf_counter()
    data = build()
    write_file(data, path)
    print(f"wrote {path} in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return data


def cmd_deck(args: argparse.Namespace) -> int:
    """The meeting pack as PPTX (and PDF with --pdf, through LibreOffice)."""
    from ..exports import pdf
    from ..exports.deck import build_deck

    if args.pdf and not pdf.pdf_available():
        raise CliError("--pdf needs LibreOffice (Debian: apt-get install libreoffice-impress)")
    engine, filters, path = _office_target(
        args, "dl.deck_name", "pptx", "deck", "the slides will say how to enable charts"
    )
    data = _build_and_write(lambda: build_deck(engine, filters, args.lang, since=since_from(args)), path)
    if args.pdf:
        try:
            pdf_data = pdf.pptx_to_pdf(data)
        except pdf.PdfUnavailable as e:
            print(f"error: {e}", file=sys.stderr)
            return 1
        write_file(pdf_data, path.with_suffix(".pdf"))
        print(f"wrote {path.with_suffix('.pdf')}", file=sys.stderr)
    return 0


def cmd_brief(args: argparse.Namespace) -> int:
    """The Word brief (简报) as DOCX; its text is complete without Chromium."""
    from ..exports.brief import build_brief

    engine, filters, path = _office_target(
        args, "dl.brief_name", "docx", "brief", "the brief will have no charts (its text is complete)"
    )
    _build_and_write(lambda: build_brief(engine, filters, args.lang, since=since_from(args)), path)
    return 0


def register(sub: argparse._SubParsersAction, parents: list[argparse.ArgumentParser]) -> None:
    """Add export, charts, deck and brief."""
    p = sub.add_parser(
        "export",
        parents=parents,
        help="one indicator or all indicators as CSV or XLSX",
        description="CSV (UTF-8 with BOM, formulas neutralised) or XLSX (number formats and an "
        "About sheet with definitions, units, sources, filters and as-of date). "
        "The default file name carries the filters and the as-of date.",
    )
    p.add_argument("indicator", nargs="?", help="indicator id (see `list`); or use --all")
    p.add_argument("--all", action="store_true", help="every indicator: one row each, or stacked with --by")
    p.add_argument(
        "--by",
        default=None,
        help="month or a dimension (default: month for one indicator; one row per indicator for --all)",
    )
    add_filter_args(p)
    add_lang_arg(p)
    p.add_argument(
        "--format", choices=["csv", "xlsx"], default=None, help="csv or xlsx (default: from the -o suffix, else csv)"
    )
    p.add_argument(
        "--header",
        choices=list(HEADER_MODES),
        default="lang",
        help="lang: headers in --lang (default); id-row: plus a row of column ids; ids: column ids",
    )
    p.add_argument(
        "-o",
        "--output",
        default=None,
        help="file, existing directory, or - for standard output (default: generated name here)",
    )
    p.set_defaults(func=cmd_export)

    p = sub.add_parser(
        "charts",
        parents=parents,
        help="every headline chart as PNG or SVG",
        description="Renders the task charts and each headline indicator's chart with title, "
        "unit, period, source and as-of date drawn in (needs Chromium).",
    )
    add_filter_args(p)
    add_lang_arg(p)
    p.add_argument("--format", choices=["png", "svg"], default="png", help="png (2× scale, default) or svg")
    p.add_argument("--out", required=True, metavar="DIR", help="directory to write into (created if missing)")
    p.set_defaults(func=cmd_charts)

    p = sub.add_parser(
        "deck",
        parents=parents,
        help="the meeting pack as a 16:9 PPTX",
        description="A briefing in --lang: title, executive summary (key messages and the status of every "
        "headline indicator), task progress with the burn-up, one slide per area, an appendix with one slide "
        "per headline indicator, sources. Speaker notes carry the written analysis.",
    )
    add_filter_args(p, default_period="ytd")
    add_lang_arg(p)
    add_since_arg(p)
    p.add_argument(
        "-o",
        "--output",
        default=None,
        metavar="FILE.pptx",
        help="output file or existing directory (default: generated name here)",
    )
    p.add_argument("--pdf", action="store_true", help="also write a PDF next to it (needs LibreOffice)")
    p.set_defaults(func=cmd_deck)

    p = sub.add_parser(
        "brief",
        parents=parents,
        help="the work brief (简报) as a Word DOCX",
        description="A government-style work brief in --lang: title, issuing body and date, overall progress, "
        "progress by area (a paragraph and a table each), matters needing attention, notes on the data. "
        "Charts are pictures where Chromium is installed; the text is complete without it.",
    )
    add_filter_args(p, default_period="ytd")
    add_lang_arg(p)
    add_since_arg(p)
    p.add_argument(
        "-o",
        "--output",
        default=None,
        metavar="FILE.docx",
        help="output file or existing directory (default: generated name here)",
    )
    p.set_defaults(func=cmd_brief)
