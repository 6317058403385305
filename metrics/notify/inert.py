"""Make text from users inert in chat markdown: no links, images, HTML, mentions or layout from a note."""

from __future__ import annotations

import re
import unicodedata

# Each character that starts markup in WeCom/DingTalk markdown, Feishu lark_md or an HTML tag becomes its
# full-width twin: it still reads the same to a person, and no renderer treats the twin as syntax.
# [ ] kill links and images, < > kill tags (<font>, <@userid>, <at>) and quotes, ` code, * emphasis,
# @ a textual mention, | table cells, ~ strike-through, # headings, \ escapes.
_TWINS = str.maketrans(
    {
        "[": "［",
        "]": "］",
        "<": "＜",
        ">": "＞",
        "`": "｀",
        "*": "＊",
        "@": "＠",
        "|": "｜",
        "~": "～",
        "#": "＃",
        "\\": "＼",
    }
)
# A bare URL is auto-linked by some clients; a full-width colon keeps it readable but not clickable.
_SCHEME = re.compile(r":(?=//)")
_SPACES = re.compile(r"\s+")


def _visible(ch: str) -> bool:
    # Control and format characters (newlines, bidi overrides, zero-width) could break the layout or
    # disguise text; they become spaces.
    return unicodedata.category(ch) not in ("Cc", "Cf", "Zl", "Zp")


def inert(text: object, limit: int | None = None) -> str:
    """One line of plain text that no chat renderer turns into markup; cut to limit characters with '…'."""
    raw = "" if text is None else str(text)
    flat = "".join(ch if _visible(ch) else " " for ch in raw)
    flat = _SPACES.sub(" ", flat).strip()
    if limit is not None and len(flat) > limit:
        flat = flat[: max(limit - 1, 0)].rstrip() + "…"
    return _SCHEME.sub("：", flat.translate(_TWINS))
