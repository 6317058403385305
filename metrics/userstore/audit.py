"""The store's append-only audit_events: each event chained to the one before, with the same hash as the ingest log."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from ..chain import GENESIS, canonical, link_hash
from .base import Row, Store, Tx

HASHED = ("seq", "ts", "actor", "action", "subject", "client", "detail", "prev")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def event_hash(row: Row) -> str:
    """The chain hash of one event: its fields in canonical form (metrics.chain)."""
    return link_hash(canonical({k: row.get(k) for k in HASHED}))


def append(
    tx: Tx,
    actor: str,
    action: str,
    *,
    subject: str | None = None,
    client: str | None = None,
    detail: dict[str, object] | None = None,
) -> Row:
    """Append one event inside tx; commits or rolls back with whatever else tx does."""
    head = tx.query("audit_head_get")
    seq, prev = (int(str(head[0]["seq"])), str(head[0]["hash"])) if head else (0, GENESIS)
    row: Row = {
        "seq": seq + 1,
        "ts": _now(),
        "actor": actor,
        "action": action,
        "subject": subject,
        "client": client,
        "detail": json.dumps(detail or {}, ensure_ascii=False, sort_keys=True),
        "prev": prev,
    }
    row["hash"] = event_hash(row)
    tx.execute("audit_insert", row)
    tx.execute("audit_head_set", {"seq": row["seq"], "hash": row["hash"]})
    return row


def events(store: Store) -> list[Row]:
    """Every event, oldest first, with detail as a dict."""
    with store.transaction(write=False) as tx:
        rows = tx.query("audit_list")
    return [{**r, "detail": json.loads(str(r["detail"]))} for r in rows]


def latest(store: Store, limit: int) -> list[Row]:
    """The newest limit events, newest first, with detail as a dict."""
    with store.transaction(write=False) as tx:
        rows = tx.query("audit_latest", {"limit": limit})
    return [{**r, "detail": json.loads(str(r["detail"]))} for r in rows]


def verify(store: Store) -> list[str]:
    """Every problem of the chain: edited events, removed events, events cut off the end."""
    with store.transaction(write=False) as tx:
        rows = tx.query("audit_list")
        head = tx.query("audit_head_get")
    problems: list[str] = []
    prev, expected = GENESIS, 1
    for r in rows:
        seq = int(str(r["seq"]))
        if seq != expected:
            problems.append(f"audit_events: events {expected}-{seq - 1} are missing")
        elif r["prev"] != prev:
            problems.append(f"audit_events, event {seq}: its prev hash does not match event {seq - 1}")
        if event_hash(r) != r["hash"]:
            problems.append(f"audit_events, event {seq}: was edited (its hash does not match its content)")
        prev, expected = str(r["hash"]), seq + 1
    last = (expected - 1, prev)
    kept = (int(str(head[0]["seq"])), str(head[0]["hash"])) if head else (0, GENESIS)
    if kept[0] > last[0]:
        problems.append(
            f"audit_events: {kept[0]} events were written but the chain ends at {last[0]}: "
            f"events {last[0] + 1}-{kept[0]} were cut off the end"
        )
    elif kept != last and kept[0] == last[0]:
        problems.append(f"audit_events, event {last[0]}: is not the one that was written (it was replaced)")
    elif kept[0] < last[0]:
        problems.append(f"audit_events: events {kept[0] + 1}-{last[0]} were added without updating the head")
    return problems
