"""`python -m metrics`: the command-line interface for analysts and scheduled jobs.

Command modules are the files cmd_*.py in this package; each has register(sub, parents).
"""

from __future__ import annotations

import importlib
import pkgutil
import sys

from ..config import ConfigError
from ..contracts import ContractError
from ..engine import UnknownDimension, UnknownIndicator
from ..periods import FilterError
from .common import CliError, Parser


def build_parser() -> Parser:
    """The top-level parser with every command module registered."""
    common = Parser(add_help=False)
    common.add_argument("--config", default=None, help="path to config.yaml (default: the project's)")
    common.add_argument(
        "--data-dir", default=None, help="data directory (default: $CHUANYU_DATA_DIR or the config's data_dir)"
    )
    parser = Parser(
        prog="python -m metrics",
        description="Sichuan–Chongqing HR & social-security cooperation indicators "
        "(川渝人社合作指标): the same numbers as the dashboard.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    sub.required = True
    for mod in sorted(m.name for m in pkgutil.iter_modules(__path__) if m.name.startswith("cmd_")):
        importlib.import_module(f"{__name__}.{mod}").register(sub, [common])
    return parser


def _message(e: Exception) -> str:
    if isinstance(e, UnknownIndicator):
        return f"unknown indicator {e.args[0]!r} (see `python -m metrics list`)"
    if isinstance(e, ConfigError):
        return f"invalid config: {e}"
    return str(e)


# User errors exit 2 (one line); broken config or data exit 1.
EXIT_CODES: tuple[tuple[type[Exception], int], ...] = (
    (CliError, 2),
    (FilterError, 2),
    (UnknownIndicator, 2),
    (UnknownDimension, 2),
    (ConfigError, 1),
    (ContractError, 1),
)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; user errors are one line on stderr with exit code 2."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        return int(args.func(args) or 0)
    except BrokenPipeError:
        return 0
    except tuple(cls for cls, _ in EXIT_CODES) as e:
        print(f"error: {_message(e)}", file=sys.stderr)
        return next(code for cls, code in EXIT_CODES if isinstance(e, cls))
