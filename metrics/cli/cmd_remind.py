"""remind: send each party's digest (headline figures, task status, overdue tasks, 催报) to its group-chat robot."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import Any

from ..auth import AuthConfigError
from ..cycle import current_period
from ..notify import (
    ALL,
    ENV_WEBHOOKS,
    STYLES,
    Delivery,
    Digest,
    RetryPolicy,
    RunReport,
    Sender,
    Target,
    WebhookConfigError,
    compose_digest,
    load_targets,
    make_target,
    outbox_dir,
    parties,
    render,
    resend_outbox,
    run,
    spill_to,
)
from ..notify.render import Body, check_style
from ..supervision import missing_reports
from .common import CliError, add_lang_arg, engine_from

MAX_ATTEMPTS = 10
PLATFORM_CHOICES = ("wecom", "dingtalk", "feishu", "lark")


class _Stderr(logging.Handler):
    """Log lines on whatever sys.stderr is now (tests swap it), prefixed with the command."""

    def emit(self, record: logging.LogRecord) -> None:
        print(f"remind: {record.getMessage()}", file=sys.stderr)


def _setup_logging() -> None:
    logger = logging.getLogger("metrics.notify")
    if not any(isinstance(h, _Stderr) for h in logger.handlers):
        logger.addHandler(_Stderr())
    logger.setLevel(logging.INFO)


def _check_args(args: argparse.Namespace, known: list[str]) -> None:
    if args.party and args.party not in [*known, ALL]:
        raise CliError(f"unknown party {args.party!r} (use {', '.join([*known, ALL])})")
    if args.secret and not args.webhook:
        raise CliError("--secret goes with --webhook (configured robots keep theirs in secrets.toml)")
    if (args.platform or args.style) and not args.webhook and not args.dry_run:
        raise CliError("--platform and --style go with --webhook or --dry-run (configured robots name theirs)")
    if args.resend_only and args.dry_run:
        raise CliError("--resend-only sends what the outbox keeps; it has no dry run (the files are JSON)")
    if not 1 <= args.attempts <= MAX_ATTEMPTS:
        raise CliError(f"--attempts must be between 1 and {MAX_ATTEMPTS}")
    if not 0 < args.timeout <= 120:
        raise CliError("--timeout must be more than 0 and at most 120 seconds")


def _targets(args: argparse.Namespace, known: list[str]) -> list[Target]:
    """The robots to send to: --webhook, else the configured ones (of --party if given)."""
    try:
        if args.webhook:
            return [make_target(args.party or ALL, args.platform, args.webhook, args.secret, args.style)]
        targets = load_targets(known)
    except (WebhookConfigError, AuthConfigError) as e:
        raise CliError(str(e)) from None
    return [t for t in targets if not args.party or t.name == args.party]


def _preview(target: Target | None, platform: str, style: str, bodies: list[Body], party: str = ALL) -> dict[str, Any]:
    """What a dry run shows for one robot: masked URL, and where the signature will go (never its value)."""
    signed = bool(target and target.secret)
    url = target.masked if target else None
    if signed and platform == "dingtalk":
        url = f"{url}&timestamp=<ms when sent>&sign=<HMAC-SHA256, when sent>"
    if signed and platform == "feishu":
        bodies = [{"timestamp": "<s when sent>", "sign": "<HMAC-SHA256, when sent>", **b} for b in bodies]
    return {
        "party": target.name if target else party,
        "platform": platform,
        "style": style,
        "url": url,
        "signed": signed,
        "messages": len(bodies),
        "bodies": bodies,
    }


def _dry_run(args: argparse.Namespace, plan: list[tuple[Target, Digest]], folder: Path, digest_for: Any) -> int:
    if plan:
        shown = [
            _preview(t, t.platform, t.style or STYLES[t.platform][0], render(d, t.platform, t.style)) for t, d in plan
        ]
    else:
        platform = {"lark": "feishu"}.get(args.platform or "wecom", args.platform or "wecom")
        try:
            style = check_style(platform, args.style)
        except ValueError as e:
            raise CliError(str(e)) from None
        print(
            f"remind: no webhook configured ([webhooks.<party>] in secrets.toml or {ENV_WEBHOOKS}); "
            f"showing the {platform} digest as it would be sent",
            file=sys.stderr,
        )
        party = args.party or ALL
        shown = [_preview(None, platform, style, render(digest_for(party), platform, style), party)]
    sys.stdout.write(json.dumps(shown, ensure_ascii=False, indent=2) + "\n")
    waiting = len(list(folder.glob("*.json"))) if folder.is_dir() else 0
    if waiting:
        print(
            f"remind: {waiting} unsent digest(s) wait in {folder}; a run without --dry-run resends them",
            file=sys.stderr,
        )
    return 0


def _line(d: Delivery) -> str:
    head = f"{'sent' if d.ok else 'FAILED'}  {d.name}  {d.platform}  {d.masked_url}  {d.sent}/{d.messages} message(s)"
    if d.resent:
        head += f"  (kept from an earlier run: {d.resent})"
    if not d.ok:
        head += f": {d.error}; " + (f"kept in the outbox as {d.kept}" if d.kept else "not kept (see stderr)")
    return head


def _summary(report: RunReport, folder: Path) -> int:
    for d in report.deliveries:
        print(_line(d))
    for w in report.warnings:
        print(f"remind: warning: {w}", file=sys.stderr)
    failed = report.failed
    if failed:
        print(
            f"error: {len(failed)} of {len(report.deliveries)} digest(s) not fully sent; the rest is kept in "
            f"{folder} and the next run resends it",
            file=sys.stderr,
        )
    else:
        print(f"ok: {len(report.deliveries)} digest(s) sent, {sum(d.sent for d in report.deliveries)} message(s)")
    return report.exit_code


def cmd_remind(args: argparse.Namespace) -> int:
    """Send (or with --dry-run print) each robot's digest; exit 0 all sent, 1 some kept in the outbox."""
    if args.platform == "lark":
        args.platform = "feishu"
    engine = engine_from(args)
    known = parties(engine)
    _check_args(args, known)
    targets = _targets(args, known)
    if not targets and not args.dry_run:
        which = f"party {args.party!r}" if args.party else "any party"
        raise CliError(
            f"no webhook configured for {which}: add [webhooks.<party>] to .streamlit/secrets.toml, "
            f"set {ENV_WEBHOOKS}, or pass --webhook URL"
        )
    digests: dict[str, Digest] = {}
    missing = missing_reports(engine)  # the 催报 items of the current period, once for every party's digest

    def digest_for(name: str) -> Digest:
        if name not in digests:
            digests[name] = compose_digest(engine, args.lang, name, missing=missing, period=current_period(engine))
        return digests[name]

    folder = Path(args.outbox) if args.outbox else outbox_dir(engine.paths.data_dir)
    sender = Sender(RetryPolicy(attempts=args.attempts, timeout=args.timeout))
    if args.resend_only:
        _setup_logging()
        report = RunReport()
        resend_outbox(folder, targets, sender, report)
        return _summary(report, folder)
    plan = [(t, digest_for(t.name)) for t in targets]
    if args.dry_run:
        return _dry_run(args, plan, folder, digest_for)
    _setup_logging()
    report = run(plan, sender, folder, spill_to(sys.stderr.write))
    return _summary(report, folder)


def register(sub: argparse._SubParsersAction, parents: list[argparse.ArgumentParser]) -> None:
    """Add remind."""
    p = sub.add_parser(
        "remind",
        parents=parents,
        help="send each party's digest and 催报 list to its group-chat robot",
        description="Build today's digest (headline figures, task status, overdue tasks led by the party, and its "
        "催报 list: tasks with no report for the current period after its deadline) and send it to the robots "
        "configured per party in "
        f".streamlit/secrets.toml [webhooks.<party>] or {ENV_WEBHOOKS}, or to --webhook. Failed sends "
        "are retried, then kept in the outbox and resent by the next run. Exit 0 when everything was "
        "sent, 1 when something was kept, 2 for bad arguments or settings.",
    )
    p.add_argument("--webhook", metavar="URL", help="send to this robot instead of the configured ones")
    p.add_argument(
        "--platform",
        choices=PLATFORM_CHOICES,
        help="the --webhook robot's platform (guessed from the official hosts); with --dry-run and no "
        "webhook, the platform to preview (default wecom)",
    )
    p.add_argument(
        "--secret",
        help="the --webhook robot's signing secret (DingTalk 加签, Feishu 签名校验); visible "
        "to other local users in the process list, so prefer secrets.toml",
    )
    p.add_argument(
        "--style",
        choices=sorted({s for v in STYLES.values() for s in v}),
        help="wecom: markdown (default) or text; feishu: post (default) or card",
    )
    p.add_argument("--party", help="only this party's robot (ministry, sichuan, chongqing, joint, or all)")
    p.add_argument("--dry-run", action="store_true", help="print the JSON bodies (URLs masked) and send nothing")
    p.add_argument(
        "--resend-only",
        action="store_true",
        help="only resend digests earlier runs kept in the outbox (for a frequent retry job)",
    )
    add_lang_arg(p)
    p.add_argument(
        "--attempts",
        type=int,
        default=RetryPolicy.attempts,
        help=f"tries per message before it is kept in the outbox (default {RetryPolicy.attempts})",
    )
    p.add_argument(
        "--timeout",
        type=float,
        default=RetryPolicy.timeout,
        help=f"seconds to wait for each request (default {RetryPolicy.timeout:g})",
    )
    p.add_argument("--outbox", metavar="DIR", help="where unsent digests are kept (default: <data dir>/.outbox)")
    p.set_defaults(func=cmd_remind)
