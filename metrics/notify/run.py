"""One reminder run: resend what the outbox kept, send each robot its digest, keep whatever fails."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import outbox
from .model import Digest
from .render import Body, DigestTooLong, render
from .send import Sender
from .targets import Target

# Called with a target and bodies that could not even be kept in the outbox, so they are not lost.
Spill = Callable[[Target, list[Body], str], None]


@dataclass(frozen=True)
class Delivery:
    """What happened to one digest for one robot in this run."""

    name: str
    platform: str
    masked_url: str
    messages: int
    sent: int
    error: str = ""
    kept: str = ""  # outbox entry id holding the unsent rest
    resent: str = ""  # outbox entry id this delivery came from

    @property
    def ok(self) -> bool:
        return self.sent == self.messages


@dataclass
class RunReport:
    """Every delivery of the run and anything worth a warning (orphaned or unreadable outbox entries)."""

    deliveries: list[Delivery] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def failed(self) -> list[Delivery]:
        return [d for d in self.deliveries if not d.ok]

    @property
    def exit_code(self) -> int:
        """0 when everything was sent, 1 when something failed (and was kept)."""
        return 1 if self.failed else 0


def deliver(sender: Sender, target: Target, bodies: Sequence[Body]) -> tuple[int, list[Body], str]:
    """Send bodies in order, stopping at the first failure: (number sent, bodies left, error)."""
    for i, body in enumerate(bodies):
        result = sender.send(target, body)
        if not result.ok:
            return i, list(bodies[i:]), result.error
    return len(bodies), [], ""


def spill_to(stream_write: Callable[[str], object]) -> Spill:
    """A Spill that writes the unsent bodies as JSON, for a log or cron's mail."""

    def spill(target: Target, bodies: list[Body], why: str) -> None:
        stream_write(f"could not keep the unsent digest for {target.name} in the outbox ({why}); here it is:\n")
        for body in bodies:
            stream_write(json.dumps(body, ensure_ascii=False, indent=2) + "\n")

    return spill


def resend_outbox(folder: Path, targets: Sequence[Target], sender: Sender, report: RunReport) -> None:
    """Send what earlier runs kept, for the robots this run knows; keep whatever fails again."""
    entries, problems = outbox.pending(folder)
    report.warnings += problems
    if not entries:
        return
    by_print = {t.fingerprint: t for t in targets}
    with outbox.claimed(folder) as mine:
        if not mine:
            report.warnings.append(f"{folder}: another run is resending the outbox; left to it")
            return
        for entry in outbox.pending(folder)[0]:  # re-read: the other run may have sent some
            target = by_print.get(entry.fingerprint)
            if target is None:
                report.warnings.append(
                    f"outbox entry {entry.id} ({entry.name}, {entry.platform} {entry.masked_url}) "
                    "waits for that robot; it is not among this run's webhooks"
                )
                continue
            sent, rest, error = deliver(sender, target, entry.bodies)
            try:
                if rest:
                    outbox.update(entry, rest, error)
                else:
                    outbox.remove(entry)
            except OSError as e:  # the old entry stays: at worst a message is sent twice, never lost
                report.warnings.append(f"outbox entry {entry.id}: could not record the resend ({e})")
            report.deliveries.append(
                Delivery(
                    target.name,
                    target.platform,
                    target.masked,
                    len(entry.bodies),
                    sent,
                    error,
                    kept=entry.id if rest else "",
                    resent=entry.id,
                )
            )


def send_digests(
    plan: Sequence[tuple[Target, Digest]], sender: Sender, folder: Path, report: RunReport, spill: Spill
) -> None:
    """Render and send each robot its digest; keep the unsent rest in the outbox (or spill it)."""
    for target, digest in plan:
        try:
            bodies = render(digest, target.platform, target.style)
        except DigestTooLong as e:  # nothing to send or keep; say so and go on with the other robots
            report.deliveries.append(Delivery(target.name, target.platform, target.masked, 1, 0, str(e)))
            continue
        sent, rest, error = deliver(sender, target, bodies)
        kept = ""
        if rest:
            try:
                kept = outbox.keep(folder, target, digest.title, rest, error).id
            except OSError as e:
                spill(target, rest, f"{type(e).__name__}: {e}")
        report.deliveries.append(
            Delivery(target.name, target.platform, target.masked, len(bodies), sent, error, kept=kept)
        )


def run(plan: Sequence[tuple[Target, Digest]], sender: Sender, folder: Path, spill: Spill) -> RunReport:
    """Resend the outbox for these robots, then send the new digests; never raises for a failed send."""
    report = RunReport()
    try:
        resend_outbox(folder, [t for t, _ in plan], sender, report)
    except OSError as e:
        report.warnings.append(f"{folder}: cannot use the outbox ({e}); kept digests were not resent")
    send_digests(plan, sender, folder, report, spill)
    return report
