"""Who reports and who reviews progress (填报 and 审核), configured beside the admins.

In .streamlit/secrets.toml:

    [access]
    reporters = { sichuan = ["alice", "bob"], chongqing = ["carol"], ministry = ["erin@mohrss.example"] }
    reviewers = ["dave", "office@example.gov.cn"]

and, for scripts and tests, in the environment (added to what the file says):

    CHUANYU_REPORTERS="sichuan=alice,bob;chongqing=carol;ministry=erin"
    CHUANYU_REVIEWERS="dave"

A name is a local account (as in [admins]/[viewers]) or an OIDC e-mail (compared in lower case). A reporter belongs
to exactly one party: a name listed for two parties is refused for both (fail closed) and named in the problems.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

ENV_REPORTERS = "CHUANYU_REPORTERS"
ENV_REVIEWERS = "CHUANYU_REVIEWERS"
DEFAULT_PARTIES = ("ministry", "sichuan", "chongqing")
NAME = re.compile(r"^[A-Za-z0-9_.@+-]{1,128}$")


def user_key(name: str | None) -> str:
    """How a name is compared: trimmed; an e-mail in lower case (local account names keep their case)."""
    text = (name or "").strip()
    return text.lower() if "@" in text else text


@dataclass(frozen=True)
class Roles:
    """Reporters (name -> party) and reviewers, with what was wrong in the settings."""

    reporters: Mapping[str, str] = field(default_factory=dict)
    reviewers: frozenset[str] = frozenset()
    problems: tuple[str, ...] = ()

    def party_of(self, user: str | None) -> str | None:
        """The party a user reports for, or None."""
        return self.reporters.get(user_key(user))

    def is_reviewer(self, user: str | None) -> bool:
        """True when the user may approve or return reports."""
        return user_key(user) in self.reviewers

    def entries(self) -> list[str]:
        """Every assignment as 'reporter:party:name' or 'reviewer:name', sorted: what the audit compares."""
        out = [f"reporter:{p}:{n}" for n, p in self.reporters.items()]
        return sorted(out + [f"reviewer:{n}" for n in self.reviewers])

    def digest(self) -> str:
        """A fingerprint of the assignments: a change of role changes it."""
        return hashlib.sha256(json.dumps(self.entries()).encode("utf-8")).hexdigest()


def _names(value: object, where: str, problems: list[str]) -> list[str]:
    """A list of names from a TOML array or a comma/space separated string."""
    items = value if isinstance(value, (list, tuple)) else re.split(r"[\s,]+", str(value or ""))
    out = []
    for item in items:
        name = user_key(str(item))
        if not name:
            continue
        if not NAME.match(name):
            problems.append(f"{where}: {name!r} is not a user name or e-mail")
            continue
        out.append(name)
    return out


def _reporter_pairs(value: object, where: str, problems: list[str]) -> list[tuple[str, str]]:
    """(party, name) pairs from a table {party = [names]} or a string 'party=a,b;party=c'."""
    if value is None or value == "":
        return []
    if isinstance(value, Mapping):
        groups = list(value.items())
    else:
        groups = []
        for part in (p for p in str(value).split(";") if p.strip()):
            party, sep, names = part.partition("=")
            if not sep:
                problems.append(f"{where}: entries are party=name,name (got {part.strip()!r})")
                continue
            groups.append((party, names))
    return [(str(party).strip(), n) for party, names in groups for n in _names(names, f"{where}.{party}", problems)]


def load_roles(
    access: Mapping[str, object] | None, environ: Mapping[str, str], parties: tuple[str, ...] = DEFAULT_PARTIES
) -> Roles:
    """Roles from the secrets' [access] table and the environment; problems name what was dropped and why."""
    access = access or {}
    problems: list[str] = []
    pairs = _reporter_pairs(access.get("reporters"), "[access] reporters", problems)
    pairs += _reporter_pairs(environ.get(ENV_REPORTERS), ENV_REPORTERS, problems)
    reporters: dict[str, str] = {}
    twice: set[str] = set()
    for party, name in pairs:
        if party not in parties:
            problems.append(f"reporters: unknown party {party!r} for {name!r} (use {', '.join(parties)})")
        elif reporters.get(name, party) != party:
            twice.add(name)
        else:
            reporters[name] = party
    for name in sorted(twice):
        problems.append(f"reporters: {name!r} is listed for more than one party; they may not report until fixed")
        reporters.pop(name, None)
    reviewers = _names(access.get("reviewers"), "[access] reviewers", problems)
    reviewers += _names(environ.get(ENV_REVIEWERS), ENV_REVIEWERS, problems)
    return Roles(reporters, frozenset(reviewers), tuple(problems))
