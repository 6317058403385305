"""Where digests go: one group-chat robot per party, from secrets.toml and the environment; masked for logs.

secrets.toml:   [webhooks.sichuan]
                url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=..."
                platform = "wecom"          # wecom | dingtalk | feishu (lark is an alias of feishu)
                secret = "SEC..."           # optional: DingTalk 加签 / Feishu 签名校验
                style = "markdown"          # optional: wecom markdown|text, feishu post|card
environment:    CHUANYU_WEBHOOKS="sichuan=wecom:https://...;chongqing=dingtalk:https://...#SECxxx"
                (an entry for a party replaces that party's secrets.toml entry)
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, quote_plus, urlsplit, urlunsplit

from ..auth import SECRETS_PATH, read_secrets
from .render import PLATFORMS, check_style

ENV_WEBHOOKS = "CHUANYU_WEBHOOKS"
ALL = "all"  # a robot for the whole digest (the joint meeting's office), besides the lead parties
ALIASES = {"lark": "feishu", "wechat_work": "wecom", "wework": "wecom", "ding": "dingtalk"}
# Hosts whose platform is known, so --webhook needs no --platform for them.
HOSTS = {
    "qyapi.weixin.qq.com": "wecom",
    "oapi.dingtalk.com": "dingtalk",
    "open.feishu.cn": "feishu",
    "open.larksuite.com": "feishu",
}
SHOWN = 4  # characters of a key or token left visible when masked


class WebhookConfigError(ValueError):
    """A webhook setting is malformed; the message names it (with the URL masked)."""


def _mask_value(v: str) -> str:
    return (v[:SHOWN] + "…") if len(v) > SHOWN else "…"


def _mask_query_value(v: str) -> str:
    # Quote only the visible stub; the ellipsis stays readable.
    return "" if not v else (quote_plus(v[:SHOWN]) + "…" if len(v) > SHOWN else "…")


def mask_url(url: str) -> str:
    """The URL with every query value, a robot's token in the path and any user:password cut to a stub."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<unparseable URL>"
    host = parts.hostname or ""
    netloc = host + (f":{parts.port}" if parts.port else "") if parts.username or parts.password else parts.netloc
    segments = parts.path.split("/")
    # Feishu/Lark put the token in the path (/open-apis/bot/v2/hook/<token>); mask any long last segment.
    if segments and len(segments[-1]) >= 16:
        segments[-1] = _mask_value(segments[-1])
    query = "&".join(
        f"{quote_plus(k)}={_mask_query_value(v)}" for k, v in parse_qsl(parts.query, keep_blank_values=True)
    )
    return urlunsplit((parts.scheme, netloc, "/".join(segments), query, ""))


@dataclass(frozen=True)
class Target:
    """One robot: the party it serves, its platform, URL and optional signing secret (never in repr)."""

    name: str
    platform: str
    url: str = field(repr=False)
    secret: str | None = field(default=None, repr=False)
    style: str | None = None

    @property
    def masked(self) -> str:
        """The URL as logs and dry runs show it."""
        return mask_url(self.url)

    @property
    def fingerprint(self) -> str:
        """A stable id of the URL that reveals nothing of it (the outbox stores this, not the URL)."""
        return hashlib.sha256(self.url.encode("utf-8")).hexdigest()[:16]

    def redact(self, text: str) -> str:
        """text with the URL, its secret and its query values replaced by their masked forms."""
        out = text.replace(self.url, self.masked)
        if self.secret:
            out = out.replace(self.secret, "***")
        for _, v in parse_qsl(urlsplit(self.url).query):
            if len(v) > SHOWN:
                out = out.replace(v, _mask_value(v))
        return out


def platform_of(name: str | None, url: str) -> str | None:
    """The platform named (aliases allowed), else the one the URL's host belongs to, else None."""
    if name:
        n = name.strip().lower()
        return ALIASES.get(n, n)
    host = (urlsplit(url).hostname or "").lower()
    return HOSTS.get(host)


def make_target(
    name: str,
    platform: str | None,
    url: str,
    secret: str | None = None,
    style: str | None = None,
    where: str = "--webhook",
) -> Target:
    """A validated target; WebhookConfigError names where it came from and what is wrong."""
    url = (url or "").strip()
    shown = mask_url(url)
    if not re.match(r"^https?://[^/\s]+", url):
        raise WebhookConfigError(f"{where}: the webhook URL must start with https:// (got {shown!r})")
    plat = platform_of(platform, url)
    if plat is None:
        raise WebhookConfigError(f"{where}: say which platform {shown} is ({', '.join(PLATFORMS)})")
    if plat not in PLATFORMS:
        raise WebhookConfigError(f"{where}: unknown platform {platform!r} (use {', '.join(PLATFORMS)})")
    try:
        style = check_style(plat, style or None)
    except ValueError as e:
        raise WebhookConfigError(f"{where}: {e}") from None
    if secret and plat == "wecom":
        raise WebhookConfigError(f"{where}: WeCom group robots have no signing secret; remove it")
    return Target(name, plat, url, secret or None, style)


def parse_env(text: str, parties: Iterable[str]) -> list[Target]:
    """Targets from CHUANYU_WEBHOOKS: 'party=platform:url[#secret]' entries separated by ';'."""
    allowed = set(parties) | {ALL}
    out: list[Target] = []
    for entry in (e.strip() for e in text.split(";")):
        if not entry:
            continue
        party, eq, rest = entry.partition("=")
        party = party.strip()
        where = f"{ENV_WEBHOOKS} entry for {party or '?'}"
        platform, colon, url = rest.partition(":")
        if not eq or not colon:
            raise WebhookConfigError(
                f"{ENV_WEBHOOKS}: entries are party=platform:https://...[#secret] "
                f"separated by ';' (check the entry for {party or '?'})"
            )
        if platform.strip().lower() in ("http", "https"):
            raise WebhookConfigError(f"{where}: name the platform before the URL: {party}=wecom:https://...")
        if party not in allowed:
            raise WebhookConfigError(f"{where}: unknown party (use {', '.join(sorted(allowed))})")
        url, _, secret = url.partition("#")
        style = None
        if "-" in platform:  # feishu-card, wecom-text
            platform, _, style = platform.partition("-")
        out.append(make_target(party, platform, url, secret or None, style, where))
    return out


def parse_secrets(section: object, parties: Iterable[str]) -> list[Target]:
    """Targets from the [webhooks.<party>] tables of secrets.toml."""
    if section is None:
        return []
    if not isinstance(section, Mapping):
        raise WebhookConfigError("[webhooks] must hold one table per party: [webhooks.sichuan] url = ...")
    allowed = set(parties) | {ALL}
    out: list[Target] = []
    for party, entry in section.items():
        where = f"[webhooks.{party}]"
        if party not in allowed:
            raise WebhookConfigError(f"{where}: unknown party (use {', '.join(sorted(allowed))})")
        if not isinstance(entry, Mapping):
            raise WebhookConfigError(f"{where}: must be a table with url and platform")
        unknown = set(entry) - {"url", "platform", "secret", "style"}
        if unknown:
            raise WebhookConfigError(f"{where}: unknown keys {', '.join(sorted(unknown))}")
        out.append(
            make_target(
                str(party),
                entry.get("platform"),
                str(entry.get("url") or ""),
                entry.get("secret") or None,
                entry.get("style") or None,
                where,
            )
        )
    return out


def load_targets(
    parties: Iterable[str],
    secrets_map: Mapping | None = None,
    environ: Mapping[str, str] | None = None,
    path: Path | None = None,
) -> list[Target]:
    """Every configured robot: secrets.toml's [webhooks], with CHUANYU_WEBHOOKS replacing a party's entry."""
    parties = list(parties)
    sec = dict(secrets_map) if secrets_map is not None else read_secrets(path or SECRETS_PATH)
    env = os.environ if environ is None else environ
    by_party = {t.name: t for t in parse_secrets(sec.get("webhooks"), parties)}
    by_party.update({t.name: t for t in parse_env(env.get(ENV_WEBHOOKS, ""), parties)})
    order = [*parties, ALL]
    return sorted(by_party.values(), key=lambda t: order.index(t.name))
