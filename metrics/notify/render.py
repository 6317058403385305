"""A digest as each platform's documented JSON body, split into several messages when it is too long.

WeCom: {"msgtype": "markdown", "markdown": {"content": ...}} (content at most 4096 bytes of UTF-8) or
{"msgtype": "text", "text": {"content": ...}} (2048 bytes). DingTalk: {"msgtype": "markdown",
"markdown": {"title", "text"}}, body at most 20000 bytes. Feishu/Lark: {"msg_type": "post", "content":
{"post": {"zh_cn"|"en_us": {"title", "content": [[{"tag": "text", "text"}]]}}}} or {"msg_type":
"interactive", "card": {...}}, body at most 20 KB. Sources: docs/notify.md.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from ..i18n import tr
from .model import Digest, Layout, layout

PLATFORMS = ("wecom", "dingtalk", "feishu")
STYLES: dict[str, tuple[str, ...]] = {
    "wecom": ("markdown", "text"),
    "dingtalk": ("markdown",),
    "feishu": ("post", "card"),
}
WECOM_MARKDOWN_BYTES = 4096
WECOM_TEXT_BYTES = 2048
DINGTALK_BODY_BYTES = 20000
FEISHU_BODY_BYTES = 20000  # the guide says 20 KB; keep under 20000 to be safe
FEISHU_SIGN_BYTES = 128  # room for "timestamp" and "sign", added when the message is sent
MAX_PARTS = 999

Body = dict[str, Any]
Unit = tuple[str, str]  # ("h", section heading) or ("l", a line), plain inert text
Renderer = Callable[[Layout, str, Sequence[Unit], bool], Body]


class DigestTooLong(ValueError):
    """The digest would need more than MAX_PARTS messages."""


def encode_body(body: Body) -> bytes:
    """The exact bytes sent: compact JSON in UTF-8 (Chinese is not escaped, so sizes are real)."""
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


# -- per-platform bodies ----------------------------------------------------------------------
def _markdown_lines(units: Sequence[Unit]) -> list[str]:
    out: list[str] = []
    for kind, text in units:
        if kind == "h":
            if out:
                out.append("")
            out.append(f"**{text}**")
        else:
            out.append(f"- {text}")
    return out


def _wecom_markdown(lay: Layout, part: str, units: Sequence[Unit], last: bool) -> Body:
    lines = [f"## {lay.title}{part}", lay.subtitle, "", *_markdown_lines(units)]
    if last:
        lines += ["", f'<font color="comment">{lay.footer}</font>']
    return {"msgtype": "markdown", "markdown": {"content": "\n".join(lines)}}


def _plain_lines(units: Sequence[Unit]) -> list[str]:
    out: list[str] = []
    for kind, text in units:
        if kind == "h":
            if out:
                out.append("")
            out.append(f"【{text}】")
        else:
            out.append(f"· {text}")
    return out


def _wecom_text(lay: Layout, part: str, units: Sequence[Unit], last: bool) -> Body:
    lines = [f"{lay.title}{part}", lay.subtitle, "", *_plain_lines(units)]
    if last:
        lines += ["", lay.footer]
    return {"msgtype": "text", "text": {"content": "\n".join(lines)}}


def _dingtalk_markdown(lay: Layout, part: str, units: Sequence[Unit], last: bool) -> Body:
    # A blank line between blocks: DingTalk joins single-newline paragraphs like CommonMark does.
    lines = [f"## {lay.title}{part}", "", lay.subtitle, "", *_markdown_lines(units)]
    if last:
        lines += ["", f"> {lay.footer}"]
    return {"msgtype": "markdown", "markdown": {"title": f"{lay.title}{part}", "text": "\n".join(lines)}}


def _feishu_post(lay: Layout, part: str, units: Sequence[Unit], last: bool, lang: str = "zh") -> Body:
    # No empty paragraphs: the 【】 headings already set the sections apart.
    rows = [lay.subtitle, *_plain_lines(units)] + ([lay.footer] if last else [])
    locale = tr("digest.feishu_locale", lang)
    content = [[{"tag": "text", "text": row}] for row in rows if row]
    return {"msg_type": "post", "content": {"post": {locale: {"title": f"{lay.title}{part}", "content": content}}}}


def _feishu_card(lay: Layout, part: str, units: Sequence[Unit], last: bool) -> Body:
    # plain_text, never lark_md: the card shows user text exactly as typed, with no markup at all.
    elements: list[Body] = [{"tag": "div", "text": {"tag": "plain_text", "content": lay.subtitle}}]
    block: list[str] = []

    def flush() -> None:
        if block:
            elements.append({"tag": "div", "text": {"tag": "plain_text", "content": "\n".join(block)}})
            block.clear()

    for kind, text in units:
        if kind == "h":
            flush()
            elements.append({"tag": "hr"})
            block.append(f"【{text}】")
        else:
            block.append(f"· {text}")
    flush()
    if last:
        elements.append({"tag": "note", "elements": [{"tag": "plain_text", "content": lay.footer}]})
    return {
        "msg_type": "interactive",
        "card": {
            "config": {"wide_screen_mode": True},
            "header": {"title": {"tag": "plain_text", "content": f"{lay.title}{part}"}, "template": "blue"},
            "elements": elements,
        },
    }


def _fits(platform: str, style: str) -> Callable[[Body], bool]:
    """Whether a body is within the platform's documented size limit."""
    if platform == "wecom":
        key, limit = ("markdown", WECOM_MARKDOWN_BYTES) if style == "markdown" else ("text", WECOM_TEXT_BYTES)
        return lambda body: len(body[key]["content"].encode("utf-8")) <= limit
    if platform == "dingtalk":
        return lambda body: len(encode_body(body)) <= DINGTALK_BODY_BYTES
    return lambda body: len(encode_body(body)) + FEISHU_SIGN_BYTES <= FEISHU_BODY_BYTES


def _renderer(platform: str, style: str, lang: str) -> Renderer:
    if platform == "wecom":
        return _wecom_markdown if style == "markdown" else _wecom_text
    if platform == "dingtalk":
        return _dingtalk_markdown
    if style == "card":
        return _feishu_card
    return lambda lay, part, units, last: _feishu_post(lay, part, units, last, lang)


def check_style(platform: str, style: str | None) -> str:
    """The style to use (the platform's first when None); ValueError for an unknown platform or style."""
    if platform not in STYLES:
        raise ValueError(f"unknown platform {platform!r} (use {', '.join(PLATFORMS)})")
    if style is None:
        return STYLES[platform][0]
    if style not in STYLES[platform]:
        raise ValueError(f"{platform} has no style {style!r} (use {', '.join(STYLES[platform])})")
    return style


# -- splitting ------------------------------------------------------------------------------
def _units(lay: Layout) -> list[Unit]:
    out: list[Unit] = []
    for s in lay.sections:
        if s.lines:
            out.append(("h", s.heading))
            out.extend(("l", line) for line in s.lines)
    return out


def _longest_prefix(unit: Unit, fits: Callable[[Unit], bool]) -> int:
    """How many characters of the unit's text fit (0 if none): bisection on characters, never on bytes."""
    kind, text = unit
    lo, hi = 0, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        lo, hi = (mid, hi) if fits((kind, text[:mid])) else (lo, mid - 1)
    return lo


def _fits_after(fits: Callable[[Sequence[Unit]], bool], head: tuple[Unit, ...], unit: Unit) -> bool:
    return fits([*head, unit])


def _pack(units: list[Unit], fits: Callable[[Sequence[Unit]], bool]) -> list[list[Unit]]:
    """Greedy: as many whole lines per message as fit; a heading never ends a message; a line too long for
    any message is cut between characters, its first piece filling the current message."""
    chunks: list[list[Unit]] = []
    current: list[Unit] = []
    queue = list(units)
    while queue:
        unit = queue.pop(0)
        if fits([*current, unit]):
            current.append(unit)
            continue
        if not fits([unit]):
            n = _longest_prefix(unit, partial(_fits_after, fits, tuple(current)))
            if n == 0 and not current:
                raise DigestTooLong("the title and footer alone exceed the message size limit")
            if n:
                current.append((unit[0], unit[1][:n]))
                unit = (unit[0], unit[1][n:])
            chunks.append(current)
            current = []
            queue.insert(0, unit)
            continue
        carried = [current.pop()] if current[-1][0] == "h" and len(current) > 1 else []
        chunks.append(current)
        current = carried
        queue.insert(0, unit)
    if current or not chunks:
        chunks.append(current)
    return chunks


def render(digest: Digest, platform: str, style: str | None = None) -> list[Body]:
    """The digest as one or more unsigned bodies for platform, each within its documented size limit."""
    style = check_style(platform, style)
    lay = layout(digest)
    draw = _renderer(platform, style, digest.lang)
    ok = _fits(platform, style)
    widest = tr("digest.part", digest.lang, i=MAX_PARTS, n=MAX_PARTS)
    # Pack against the widest part marker and with the footer, so every real message fits too.
    chunks = _pack(_units(lay), lambda units: ok(draw(lay, widest, units, True)))
    if len(chunks) > MAX_PARTS:
        raise DigestTooLong(f"the digest needs {len(chunks)} messages (at most {MAX_PARTS})")
    n = len(chunks)
    return [
        draw(lay, tr("digest.part", digest.lang, i=i, n=n) if n > 1 else "", chunk, i == n)
        for i, chunk in enumerate(chunks, start=1)
    ]
