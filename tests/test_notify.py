"""Group-chat digests: inert text, golden payloads, size splits, signatures, retries, the outbox and `remind`.

The robots are fakes on 127.0.0.1 that check each payload's shape and signature the way the platforms
document them (docs/notify.md); their signature checks are written here from the documentation, not
imported from metrics.notify.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import sys
import threading
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote_plus, urlsplit

import pytest

from metrics import Engine
from metrics.cli import main
from metrics.notify import (
    ChaseList,
    Digest,
    Figure,
    MissingReport,
    RetryPolicy,
    Sender,
    StatusCount,
    Target,
    TaskLine,
    WebhookConfigError,
    compose_digest,
    dingtalk_sign,
    encode_body,
    feishu_sign,
    inert,
    load_targets,
    make_target,
    mask_url,
    outbox,
    render,
    run,
    sign_request,
    targets,
)
from metrics.notify.send import RateLimiter

# -- fake robots ------------------------------------------------------------------------------
WECOM_KEY = "693a91f6-7aoc-4bc4-97a0-0ec2sifa5aaa"
DING_TOKEN = "b5e1c3a9d0f24e7c8a6b1d3f5e7a9c0b"
DING_SECRET = "SEC5a3ecf88f2b3eb50db30ecfc00f53033"
FEISHU_TOKEN = "5e3d587e-d78e-4a07-bd07-265f269f86fd"
FEISHU_SECRET = "nIMtb7r3N9pkXyXdtAbx6e"
ONE_HOUR = 3600


def _b64_hmac(key: bytes, msg: bytes) -> str:
    return base64.b64encode(hmac.new(key, msg, hashlib.sha256).digest()).decode()


def _check_wecom(query: dict[str, list[str]], body: dict) -> tuple[int, str]:
    """WeCom group robot: key in the URL; msgtype markdown (content <= 4096 bytes) or text (<= 2048)."""
    if query.get("key") != [WECOM_KEY]:
        return 93000, "invalid webhook url"
    kind = body.get("msgtype")
    if kind not in ("markdown", "text") or set(body) != {"msgtype", kind} or set(body[kind]) != {"content"}:
        return 40008, "invalid message type or shape"
    content = body[kind]["content"]
    limit = 4096 if kind == "markdown" else 2048
    if not isinstance(content, str) or not content or len(content.encode("utf-8")) > limit:
        return 40058, f"{kind}.content exceed max length {limit}"
    return 0, "ok"


def _check_dingtalk(query: dict[str, list[str]], raw_query: str, body: dict, size: int) -> tuple[int, str]:
    """DingTalk custom robot with 加签: timestamp (ms) and urlEncoded base64 HmacSHA256 sign in the query."""
    if query.get("access_token") != [DING_TOKEN]:
        return 300001, "token is not exist"
    ts, sign = query.get("timestamp", [""])[0], query.get("sign", [""])[0]
    if not ts.isdigit() or abs(int(ts) - time.time() * 1000) > ONE_HOUR * 1000:
        return 310000, "invalid timestamp"
    expected = _b64_hmac(DING_SECRET.encode(), f"{ts}\n{DING_SECRET}".encode())
    if sign != expected or f"sign={quote_plus(expected)}" not in raw_query:
        return 310000, "sign not match"
    md = body.get("markdown")
    if (
        body.get("msgtype") != "markdown"
        or set(body) != {"msgtype", "markdown"}
        or not isinstance(md, dict)
        or set(md) != {"title", "text"}
        or not all(isinstance(md[k], str) and md[k] for k in md)
    ):
        return 40035, "invalid markdown message"
    if size > 20000:
        return 460101, "message too long, exceed 20000 bytes"
    return 0, "ok"


def _check_feishu(body: dict, size: int) -> tuple[int, str]:
    """Feishu custom bot with 签名校验: body timestamp (s) and base64 HmacSHA256 keyed by "ts\\nsecret" over ""."""
    ts, sign = body.get("timestamp"), body.get("sign")
    if not isinstance(ts, str) or not ts.isdigit() or abs(int(ts) - time.time()) > ONE_HOUR:
        return 19021, "sign match fail or timestamp is not within one hour from current time"
    if sign != _b64_hmac(f"{ts}\n{FEISHU_SECRET}".encode(), b""):
        return 19021, "sign match fail or timestamp is not within one hour from current time"
    rest = {k: v for k, v in body.items() if k not in ("timestamp", "sign")}
    if size > 20 * 1024:
        return 9499, "request body too large"
    if rest.get("msg_type") == "post" and set(rest) == {"msg_type", "content"}:
        posts = rest["content"].get("post", {})
        ok = (
            len(posts) == 1
            and set(posts) <= {"zh_cn", "en_us"}
            and all(
                isinstance(p.get("title"), str)
                and p["content"]
                and all(
                    isinstance(row, list)
                    and row
                    and all(e.get("tag") == "text" and isinstance(e.get("text"), str) and e["text"] for e in row)
                    for row in p["content"]
                )
                for p in posts.values()
            )
        )
        return (0, "success") if ok else (19002, "invalid post")
    if rest.get("msg_type") == "interactive" and set(rest) == {"msg_type", "card"}:
        card = rest["card"]
        ok = (
            card["header"]["title"]["tag"] == "plain_text"
            and all(e["tag"] in ("div", "hr", "note") for e in card["elements"])
            and all(e["text"]["tag"] == "plain_text" for e in card["elements"] if e["tag"] == "div")
        )
        return (0, "success") if ok else (19002, "invalid card")
    return 19002, "invalid msg_type"


class Robots:
    """Three fake robots on 127.0.0.1 and a script of misbehaviours for the next requests."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []  # accepted bodies, signature fields removed
        self.refused: list[str] = []
        self.hits: list[str] = []  # every request path
        self.script: deque[tuple[str, Any]] = deque()
        self.lock = threading.Lock()
        robots = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _reply(self, status: int, data: dict | None, headers: dict[str, str] | None = None) -> None:
                raw = json.dumps(data).encode() if data is not None else b""
                self.send_response(status)
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                parts = urlsplit(self.path)
                with robots.lock:
                    robots.hits.append(parts.path)
                    step: tuple[str, Any] = robots.script.popleft() if robots.script else ("ok", 0)
                action, arg = step
                platform = (
                    "wecom"
                    if parts.path == "/cgi-bin/webhook/send"
                    else "dingtalk"
                    if parts.path == "/robot/send"
                    else "feishu"
                    if parts.path == f"/open-apis/bot/v2/hook/{FEISHU_TOKEN}"
                    else None
                )
                if action == "sleep":
                    time.sleep(arg)
                    return self._reply(200, None)
                if action == "http":
                    return self._reply(arg, {"errmsg": "server error"})
                if action == "redirect":
                    return self._reply(302, None, {"Location": "/elsewhere"})
                if action == "echo":  # an error message that repeats the request's URL
                    return self._reply(200, {"errcode": 40001, "errmsg": f"bad request to {self.path}"})
                if action == "code":
                    key = "code" if platform == "feishu" else "errcode"
                    return self._reply(200, {key: arg, "msg" if platform == "feishu" else "errmsg": "refused"})
                ok_type = (
                    self.headers.get("Content-Type", "").replace(" ", "").lower() == "application/json;charset=utf-8"
                )
                try:
                    body = json.loads(raw.decode("utf-8"))
                except (UnicodeDecodeError, json.JSONDecodeError):
                    body = None
                query = parse_qs(parts.query)
                if platform is None or not ok_type or not isinstance(body, dict):
                    code, msg = 40000, "not a robot request"
                elif platform == "wecom":
                    code, msg = _check_wecom(query, body)
                elif platform == "dingtalk":
                    code, msg = _check_dingtalk(query, parts.query, body, len(raw))
                else:
                    code, msg = _check_feishu(body, len(raw))
                with robots.lock:
                    if code == 0:
                        robots.received.append(
                            {
                                "platform": platform,
                                "body": {k: v for k, v in body.items() if k not in ("timestamp", "sign")},
                            }
                        )
                    else:
                        robots.refused.append(f"{platform}: {code} {msg}")
                if platform == "feishu":
                    return self._reply(200, {"code": code, "msg": msg, "data": {}})
                return self._reply(200, {"errcode": code, "errmsg": msg})

        self.server = QuietServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def url(self, platform: str) -> str:
        return {
            "wecom": f"{self.base}/cgi-bin/webhook/send?key={WECOM_KEY}",
            "dingtalk": f"{self.base}/robot/send?access_token={DING_TOKEN}",
            "feishu": f"{self.base}/open-apis/bot/v2/hook/{FEISHU_TOKEN}",
        }[platform]

    def target(
        self, platform: str, name: str = "sichuan", style: str | None = None, secret: str | None = None
    ) -> Target:
        default = {"wecom": None, "dingtalk": DING_SECRET, "feishu": FEISHU_SECRET}[platform]
        return make_target(name, platform, self.url(platform), secret or default, style)


class QuietServer(ThreadingHTTPServer):
    """The robots' server: a client that hung up (a timeout test) is expected, not printed into a later test."""

    def handle_error(self, request: object, client_address: object) -> None:
        """Ignore a connection the client closed; anything else is printed as usual."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


@pytest.fixture()
def robots() -> Iterator[Robots]:
    r = Robots()
    r.thread.start()
    try:
        yield r
    finally:
        r.server.shutdown()
        r.server.server_close()


@pytest.fixture(autouse=True)
def no_configured_robots(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Neither a developer's secrets.toml nor their environment may add robots to these tests."""
    monkeypatch.setattr(targets, "SECRETS_PATH", tmp_path / "no-secrets.toml")
    monkeypatch.delenv("CHUANYU_WEBHOOKS", raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")


class Sleeps(list):
    """A sleep that records instead of waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(round(seconds, 3))


def sender(attempts: int = 4, timeout: float = 2.0) -> tuple[Sender, Sleeps]:
    sleeps = Sleeps()
    return Sender(RetryPolicy(attempts=attempts, timeout=timeout), sleep=sleeps, rand=lambda: 0.5), sleeps


# -- a small hand-written digest --------------------------------------------------------------
def digest_zh() -> Digest:
    return Digest(
        lang="zh",
        title="川渝人社合作月度简报 · 四川",
        as_of=date(2023, 8, 29),
        month="2023-08",
        figures=(Figure("社会保障卡持卡人数", "1.25亿", "人"), Figure("互办业务量", "103.5万", "件")),
        status=(
            StatusCount("全部 97 项", (("已完成", 63), ("进行中", 22), ("未开始", 5), ("逾期", 7))),
            StatusCount("四川牵头 21 项", (("已完成", 14), ("进行中", 4), ("未开始", 2), ("逾期", 1))),
        ),
        overdue=(
            TaskLine(
                "T069",
                "推进“异地快办”服务模式",
                "四川",
                date(2022, 1, 28),
                85,
                note="系统已联调 [详情](http://evil.example/x) <@all>\n# 标题",
            ),
        ),
        chase=(
            ChaseList(
                "四川",
                "2023-08",
                ((TaskLine("T070", "共建川渝人才信息库", "四川", date(2023, 12, 31), 40), date(2023, 8, 10)),),
            ),
        ),
        sample=True,
    )


def digest_en() -> Digest:
    return Digest(
        lang="en",
        title="Sichuan–Chongqing HR cooperation: monthly digest · Sichuan",
        as_of=date(2023, 8, 29),
        month="2023-08",
        figures=(
            Figure("Social security cardholders", "125 million", "people"),
            Figure("Cross-province service transactions handled", "1.04 million", "transactions"),
        ),
        status=(
            StatusCount("All tasks (97)", (("Completed", 63), ("In progress", 22), ("Not started", 5), ("Overdue", 7))),
            StatusCount(
                "Led by Sichuan (21)", (("Completed", 14), ("In progress", 4), ("Not started", 2), ("Overdue", 1))
            ),
        ),
        overdue=(
            TaskLine(
                "T069",
                "Introduce fast handling for non-local applicants",
                "Sichuan",
                date(2022, 1, 28),
                85,
                note="Tested <b>ok</b> ![x](http://evil.example/p.png) @all",
            ),
        ),
        chase=(
            ChaseList(
                "Sichuan",
                "2023-08",
                (
                    (
                        TaskLine("T070", "Build a shared talent database", "Sichuan", date(2023, 12, 31), 40),
                        date(2023, 8, 10),
                    ),
                ),
            ),
        ),
        sample=True,
    )


def many_tasks(n: int, lang: str = "zh") -> Digest:
    """A digest with n overdue tasks whose titles are long Chinese text (3 bytes a character)."""
    tasks = tuple(
        TaskLine(
            f"T{i:03d}",
            f"第{i}项:推进川渝两地人力资源和社会保障公共服务事项跨省通办与数据共享互认工作",
            "四川",
            date(2023, 1, 1),
            i % 100,
        )
        for i in range(1, n + 1)
    )
    return replace(digest_zh() if lang == "zh" else digest_en(), overdue=tasks, chase=None)


# -- inert text -------------------------------------------------------------------------------
def test_inert_neutralises_links_tags_mentions_and_layout() -> None:
    text = inert(
        '看 [这里](http://evil.example) ![p](x.png) <font color="warning">x</font> <@userid> '
        '<at user_id="all">所有人</at> @all `code` **b** | ~~s~~\n# 标题\n> 引用'
    )
    assert text == (
        '看 ［这里］(http：//evil.example) !［p］(x.png) ＜font color="warning"＞x＜/font＞ ＜＠userid＞ '
        '＜at user_id="all"＞所有人＜/at＞ ＠all ｀code｀ ＊＊b＊＊ ｜ ～～s～～ ＃ 标题 ＞ 引用'
    )


def test_inert_flattens_controls_and_cuts_to_the_limit() -> None:
    assert inert("a\r\nb\tc\u202ed\u200be\x00f") == "a b c d e f"
    assert inert("一二三四五六", limit=4) == "一二三…"
    assert inert(None) == ""


# -- signatures (known answers computed with `openssl dgst -sha256 -hmac`) --------------------
def test_dingtalk_signature_matches_the_documented_algorithm() -> None:
    assert dingtalk_sign("SECtest", 1700000000001) == "r4CWp/Dz+Ng0sbTjH1vB0Fr+uQ2fn831mssaN6/C05I="
    url, body = sign_request(
        "dingtalk", "https://oapi.dingtalk.com/robot/send?access_token=abc", {"a": 1}, "SECtest", 1700000000.001
    )
    assert url == (
        "https://oapi.dingtalk.com/robot/send?access_token=abc&timestamp=1700000000001"
        "&sign=r4CWp%2FDz%2BNg0sbTjH1vB0Fr%2BuQ2fn831mssaN6%2FC05I%3D"
    )
    assert body == {"a": 1}


def test_feishu_signature_is_keyed_by_timestamp_and_secret() -> None:
    assert feishu_sign("secret", 1700000000) == "fiWS2+gh28DOydAv7hzONH/mDn9+b1Y4Y5ivXWXy8vA="
    url, body = sign_request(
        "feishu", "https://open.feishu.cn/open-apis/bot/v2/hook/x", {"msg_type": "post"}, "secret", 1700000000.9
    )
    assert url == "https://open.feishu.cn/open-apis/bot/v2/hook/x"
    assert body == {
        "timestamp": "1700000000",
        "sign": "fiWS2+gh28DOydAv7hzONH/mDn9+b1Y4Y5ivXWXy8vA=",
        "msg_type": "post",
    }


def test_wecom_and_unsigned_robots_are_left_alone() -> None:
    assert sign_request("wecom", "https://q/send?key=k", {"a": 1}, None, 1.0) == ("https://q/send?key=k", {"a": 1})
    assert sign_request("feishu", "https://f/hook/x", {"a": 1}, None, 1.0) == ("https://f/hook/x", {"a": 1})


# -- golden payloads --------------------------------------------------------------------------
WECOM_ZH = """\
## 川渝人社合作月度简报 · 四川
数据截至 2023-08-29

**主要指标(截至 2023-08)**
- 社会保障卡持卡人数:1.25亿 人
- 互办业务量:103.5万 件

**任务进展**
- 全部 97 项:已完成 63,进行中 22,未开始 5,逾期 7
- 四川牵头 21 项:已完成 14,进行中 4,未开始 2,逾期 1

**逾期任务(1 项)**
- T069 推进“异地快办”服务模式 — 牵头:四川;截止 2022-01-28(逾期 578 天);进度 85%
- 最新进展:系统已联调 ［详情］(http：//evil.example/x) ＜＠all＞ ＃ 标题

**催报:四川 2023-08 未报送(1 项)**
- T070 共建川渝人才信息库(报送截止 2023-08-10)

<font color="comment">示例数据 · 由川渝人社合作指标看板自动发送</font>"""

WECOM_EN = """\
## Sichuan–Chongqing HR cooperation: monthly digest · Sichuan
Data as of 2023-08-29

**Headline figures (to 2023-08)**
- Social security cardholders: 125 million people
- Cross-province service transactions handled: 1.04 million transactions

**Task status**
- All tasks (97): Completed 63, In progress 22, Not started 5, Overdue 7
- Led by Sichuan (21): Completed 14, In progress 4, Not started 2, Overdue 1

**Overdue tasks (1)**
- T069 Introduce fast handling for non-local applicants — lead: Sichuan; due 2022-01-28 (578 days late); progress 85%
- Latest note: Tested ＜b＞ok＜/b＞ !［x］(http：//evil.example/p.png) ＠all

**Reports missing: Sichuan, 2023-08 (1)**
- T070 Build a shared talent database (report due 2023-08-10)

<font color="comment">Sample data · Sent automatically by the Sichuan–Chongqing cooperation dashboard</font>"""


def test_wecom_markdown_golden_zh_and_en() -> None:
    assert render(digest_zh(), "wecom") == [{"msgtype": "markdown", "markdown": {"content": WECOM_ZH}}]
    assert render(digest_en(), "wecom") == [{"msgtype": "markdown", "markdown": {"content": WECOM_EN}}]


def test_wecom_text_golden_zh() -> None:
    assert render(digest_zh(), "wecom", "text") == [
        {
            "msgtype": "text",
            "text": {
                "content": """\
川渝人社合作月度简报 · 四川
数据截至 2023-08-29

【主要指标(截至 2023-08)】
· 社会保障卡持卡人数:1.25亿 人
· 互办业务量:103.5万 件

【任务进展】
· 全部 97 项:已完成 63,进行中 22,未开始 5,逾期 7
· 四川牵头 21 项:已完成 14,进行中 4,未开始 2,逾期 1

【逾期任务(1 项)】
· T069 推进“异地快办”服务模式 — 牵头:四川;截止 2022-01-28(逾期 578 天);进度 85%
· 最新进展:系统已联调 ［详情］(http：//evil.example/x) ＜＠all＞ ＃ 标题

【催报:四川 2023-08 未报送(1 项)】
· T070 共建川渝人才信息库(报送截止 2023-08-10)

示例数据 · 由川渝人社合作指标看板自动发送"""
            },
        }
    ]


def test_dingtalk_markdown_golden_en_and_zh() -> None:
    title = "Sichuan–Chongqing HR cooperation: monthly digest · Sichuan"
    text = WECOM_EN.replace("\nData as of", "\n\nData as of").replace(
        '<font color="comment">Sample data · Sent automatically by the Sichuan–Chongqing cooperation dashboard</font>',
        "> Sample data · Sent automatically by the Sichuan–Chongqing cooperation dashboard",
    )
    assert text.startswith(f"## {title}\n\nData as of 2023-08-29\n\n**Headline figures") and text.endswith(
        "\n\n> Sample data · Sent automatically by the Sichuan–Chongqing cooperation dashboard"
    )
    assert render(digest_en(), "dingtalk") == [{"msgtype": "markdown", "markdown": {"title": title, "text": text}}]
    zh = render(digest_zh(), "dingtalk")[0]["markdown"]
    assert zh["title"] == "川渝人社合作月度简报 · 四川"
    assert zh["text"].endswith("\n\n> 示例数据 · 由川渝人社合作指标看板自动发送")


def test_feishu_post_golden_zh() -> None:
    rows = [
        "数据截至 2023-08-29",
        "【主要指标(截至 2023-08)】",
        "· 社会保障卡持卡人数:1.25亿 人",
        "· 互办业务量:103.5万 件",
        "【任务进展】",
        "· 全部 97 项:已完成 63,进行中 22,未开始 5,逾期 7",
        "· 四川牵头 21 项:已完成 14,进行中 4,未开始 2,逾期 1",
        "【逾期任务(1 项)】",
        "· T069 推进“异地快办”服务模式 — 牵头:四川;截止 2022-01-28(逾期 578 天);进度 85%",
        "· 最新进展:系统已联调 ［详情］(http：//evil.example/x) ＜＠all＞ ＃ 标题",
        "【催报:四川 2023-08 未报送(1 项)】",
        "· T070 共建川渝人才信息库(报送截止 2023-08-10)",
        "示例数据 · 由川渝人社合作指标看板自动发送",
    ]
    assert render(digest_zh(), "feishu") == [
        {
            "msg_type": "post",
            "content": {
                "post": {
                    "zh_cn": {
                        "title": "川渝人社合作月度简报 · 四川",
                        "content": [[{"tag": "text", "text": r}] for r in rows],
                    }
                }
            },
        }
    ]


def test_feishu_card_golden_en() -> None:
    def div(text: str) -> dict:
        return {"tag": "div", "text": {"tag": "plain_text", "content": text}}

    assert render(digest_en(), "feishu", "card") == [
        {
            "msg_type": "interactive",
            "card": {
                "config": {"wide_screen_mode": True},
                "header": {
                    "title": {
                        "tag": "plain_text",
                        "content": "Sichuan–Chongqing HR cooperation: monthly digest · Sichuan",
                    },
                    "template": "blue",
                },
                "elements": [
                    div("Data as of 2023-08-29"),
                    {"tag": "hr"},
                    div(
                        "【Headline figures (to 2023-08)】\n· Social security cardholders: 125 million people\n"
                        "· Cross-province service transactions handled: 1.04 million transactions"
                    ),
                    {"tag": "hr"},
                    div(
                        "【Task status】\n· All tasks (97): Completed 63, In progress 22, Not started 5, Overdue 7\n"
                        "· Led by Sichuan (21): Completed 14, In progress 4, Not started 2, Overdue 1"
                    ),
                    {"tag": "hr"},
                    div(
                        "【Overdue tasks (1)】\n· T069 Introduce fast handling for non-local applicants — lead: "
                        "Sichuan; "
                        "due 2022-01-28 (578 days late); progress 85%\n"
                        "· Latest note: Tested ＜b＞ok＜/b＞ !［x］(http：//evil.example/p.png) ＠all"
                    ),
                    {"tag": "hr"},
                    div(
                        "【Reports missing: Sichuan, 2023-08 (1)】\n"
                        "· T070 Build a shared talent database (report due 2023-08-10)"
                    ),
                    {
                        "tag": "note",
                        "elements": [
                            {
                                "tag": "plain_text",
                                "content": "Sample data · Sent automatically by the Sichuan–Chongqing cooperation "
                                "dashboard",
                            }
                        ],
                    },
                ],
            },
        }
    ]


# -- size limits and splitting ----------------------------------------------------------------
def test_wecom_markdown_splits_at_lines_within_4096_bytes() -> None:
    digest = many_tasks(60)
    bodies = render(digest, "wecom")
    contents = [b["markdown"]["content"] for b in bodies]
    n = len(contents)
    assert n == 3  # 60 lines of about 180 bytes: 10.9 KB, three messages
    assert all(len(c.encode("utf-8")) <= 4096 for c in contents)
    # Greedy: each full message is close to the limit (it could not take one more task line of ~160 bytes).
    assert all(len(c.encode("utf-8")) > 4096 - 400 for c in contents[:-1])
    assert [c.splitlines()[0] for c in contents] == [
        f"## 川渝人社合作月度简报 · 四川(第 {i}/{n} 条)" for i in range(1, n + 1)
    ]
    task_lines = [line for c in contents for line in c.splitlines() if line.startswith("- T")]
    assert [line.split()[1] for line in task_lines] == [f"T{i:03d}" for i in range(1, 61)]  # whole, in order
    assert ["示例数据" in c for c in contents] == [False] * (n - 1) + [True]  # footer once, at the end
    assert all(not c.rstrip().endswith("**") for c in contents[:-1])  # no heading left alone at the end
    english = [b["markdown"]["content"].splitlines()[0] for b in render(many_tasks(60, "en"), "wecom")]
    assert english[-1] == "## Sichuan–Chongqing HR cooperation: monthly digest · Sichuan (part 3 of 3)"


def test_a_line_longer_than_a_message_is_cut_between_characters() -> None:
    long_name = "川渝" * 1500 + "é"  # 9002 bytes in one figure line
    digest = replace(digest_zh(), figures=(Figure(long_name, "1", "人"),), overdue=(), chase=None)
    for style, limit, bullet, n in (("markdown", 4096, "- ", 3), ("text", 2048, "· ", 5)):
        contents = [b[style]["content"] for b in render(digest, "wecom", style)]
        assert len(contents) == n and all(len(c.encode("utf-8")) <= limit for c in contents), style
        pieces = [
            line[2:] for c in contents for line in c.splitlines() if line.startswith((bullet + "川", bullet + "渝"))
        ]
        assert len(pieces) == n and "".join(pieces) == long_name + ":1 人", style


def test_dingtalk_and_feishu_bodies_stay_under_20000_bytes() -> None:
    digest = many_tasks(300)
    for platform, style, limit in (
        ("dingtalk", None, 20000),
        ("feishu", "post", 20000 - 128),
        ("feishu", "card", 20000 - 128),
    ):
        bodies = render(digest, platform, style)
        assert len(bodies) > 1, platform
        assert all(len(encode_body(b)) <= limit for b in bodies), platform
        assert all(len(encode_body(b)) > limit - 400 for b in bodies[:-1]), platform


# -- the digest from today's data -------------------------------------------------------------
def test_compose_digest_for_a_party(engine: Engine) -> None:
    d = compose_digest(engine, "zh", "sichuan")
    assert d.title == "川渝人社合作月度简报 · 四川" and d.as_of == date(2023, 8, 29) and d.month == "2023-08"
    assert [f.name for f in d.figures][:2] == ["全面完成任务数", "线上招聘专区发布岗位数"]
    assert [(f.value, f.unit) for f in d.figures][:2] == [("63", "项"), ("141万", "个")]
    assert d.status == (
        StatusCount("全部 97 项", (("已完成", 63), ("进行中", 22), ("未开始", 5), ("逾期", 7))),
        StatusCount("四川牵头 21 项", (("已完成", 14), ("进行中", 4), ("未开始", 2), ("逾期", 1))),
    )
    assert [(t.task_id, t.due, t.progress_pct) for t in d.overdue] == [("T069", date(2022, 1, 28), 85)]
    assert d.chase is None and d.sample
    assert "催报" not in json.dumps(render(d, "wecom"), ensure_ascii=False)


def test_compose_digest_for_everyone_lists_every_overdue_task_oldest_first(engine: Engine) -> None:
    d = compose_digest(engine, "en", "all")
    assert d.title == "Sichuan–Chongqing HR cooperation: monthly digest · all lead parties"
    assert [t.task_id for t in d.overdue] == ["T033", "T069", "T093", "T015", "T094", "T081", "T082"]
    assert [t.lead for t in d.overdue][:3] == ["Joint", "Sichuan", "Chongqing"]
    assert len(d.status) == 1


def test_missing_reports_fill_each_partys_chase_list(engine: Engine) -> None:
    missing = [
        MissingReport("sichuan", "T069", "2023-08", date(2023, 8, 10)),
        MissingReport("chongqing", "T093", "2023-08", date(2023, 8, 10)),
        MissingReport("sichuan", "T001", "2023-07", date(2023, 7, 10)),
    ]  # another period: not listed
    mine = compose_digest(engine, "zh", "sichuan", missing=missing)
    assert mine.chase is not None and [(c.party, [t.task_id for t, _ in c.tasks]) for c in mine.chase] == [
        ("四川", ["T069"])
    ]
    everyone = compose_digest(engine, "zh", None, missing=missing)
    assert [c.party for c in everyone.chase or ()] == ["四川", "重庆"]
    calm = compose_digest(engine, "zh", "ministry", missing=missing)
    content = render(calm, "wecom")[0]["markdown"]["content"]
    assert "**催报:人社部 2023-08 未报送(0 项)**\n- 人社部 2023-08 的进展报告均已报送" in content
    with pytest.raises(KeyError, match="T999"):
        compose_digest(engine, "zh", "sichuan", missing=[MissingReport("sichuan", "T999", "2023-08", date(2023, 8, 1))])


# -- configuration and masking ----------------------------------------------------------------
PARTIES = ["ministry", "sichuan", "chongqing", "joint"]


def test_env_webhooks_name_party_platform_url_and_secret() -> None:
    env = {
        "CHUANYU_WEBHOOKS": "sichuan=wecom:https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k1;"
        " chongqing=dingtalk:https://oapi.dingtalk.com/robot/send?access_token=t2#SECx ;"
        "all=lark-card:https://open.larksuite.com/open-apis/bot/v2/hook/h3#s3"
    }
    got = load_targets(PARTIES, secrets_map={}, environ=env)
    assert [(t.name, t.platform, t.style, t.url, t.secret) for t in got] == [
        ("sichuan", "wecom", "markdown", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k1", None),
        ("chongqing", "dingtalk", "markdown", "https://oapi.dingtalk.com/robot/send?access_token=t2", "SECx"),
        ("all", "feishu", "card", "https://open.larksuite.com/open-apis/bot/v2/hook/h3", "s3"),
    ]


@pytest.mark.parametrize(
    "value, message",
    [
        ("sichuan=https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=secretkey123", "name the platform"),
        ("sichuan", "entries are party=platform:https://"),
        ("hubei=wecom:https://qyapi.weixin.qq.com/x?key=secretkey123", "unknown party"),
        ("sichuan=slack:https://hooks.example/x?key=secretkey123", "unknown platform"),
        ("sichuan=wecom:https://qyapi.weixin.qq.com/x?key=secretkey123#SECret", "no signing secret"),
        ("sichuan=feishu-text:https://open.feishu.cn/open-apis/bot/v2/hook/secretkey1234567", "no style 'text'"),
        ("sichuan=wecom:ftp://qyapi.weixin.qq.com/x?key=secretkey123", "must start with https://"),
    ],
)
def test_bad_env_webhooks_are_refused_without_showing_the_key(value: str, message: str) -> None:
    with pytest.raises(WebhookConfigError, match=message) as e:
        load_targets(PARTIES, secrets_map={}, environ={"CHUANYU_WEBHOOKS": value})
    assert "secretkey" not in str(e.value) and "SECret" not in str(e.value)


def test_secrets_toml_webhooks_and_env_override(tmp_path: Path) -> None:
    path = tmp_path / "secrets.toml"
    path.write_text(
        '[webhooks.sichuan]\nurl = "https://oapi.dingtalk.com/robot/send?access_token=tt"\n'
        'platform = "dingtalk"\nsecret = "SECs"\n\n'
        '[webhooks.joint]\nurl = "https://open.feishu.cn/open-apis/bot/v2/hook/hh"\n'
        'platform = "feishu"\nstyle = "card"\n',
        encoding="utf-8",
    )
    got = load_targets(PARTIES, environ={}, path=path)
    assert [(t.name, t.platform, t.style, t.secret) for t in got] == [
        ("sichuan", "dingtalk", "markdown", "SECs"),
        ("joint", "feishu", "card", None),
    ]
    env = {"CHUANYU_WEBHOOKS": "sichuan=wecom:https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=kk"}
    assert [(t.name, t.platform) for t in load_targets(PARTIES, environ=env, path=path)] == [
        ("sichuan", "wecom"),
        ("joint", "feishu"),
    ]
    path.write_text('[webhooks.sichuan]\nurl = "https://x.example/h"\nplatform = "wecom"\ntoken = "t"\n')
    with pytest.raises(WebhookConfigError, match=r"\[webhooks.sichuan\]: unknown keys token"):
        load_targets(PARTIES, environ={}, path=path)


def test_urls_and_targets_are_masked() -> None:
    assert (
        mask_url("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4")
        == "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a…"
    )
    assert (
        mask_url("https://oapi.dingtalk.com/robot/send?access_token=abcdef0123456789&timestamp=1&sign=a%2Bb")
        == "https://oapi.dingtalk.com/robot/send?access_token=abcd…&timestamp=…&sign=…"
    )
    assert (
        mask_url(f"https://open.feishu.cn/open-apis/bot/v2/hook/{FEISHU_TOKEN}")
        == "https://open.feishu.cn/open-apis/bot/v2/hook/5e3d…"
    )
    assert mask_url("https://user:pw@h.example:8443/x?k=") == "https://h.example:8443/x?k="
    t = make_target("sichuan", None, f"https://oapi.dingtalk.com/robot/send?access_token={DING_TOKEN}", DING_SECRET)
    assert t.platform == "dingtalk"  # from the official host
    assert DING_TOKEN not in repr(t) and DING_SECRET not in repr(t)
    assert t.redact(f"failed {t.url} with {DING_SECRET} and {DING_TOKEN}") == (f"failed {t.masked} with *** and b5e1…")


# -- sending ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "platform, style",
    [("wecom", "markdown"), ("wecom", "text"), ("dingtalk", None), ("feishu", "post"), ("feishu", "card")],
)
def test_each_robot_accepts_the_signed_digest(robots: Robots, platform: str, style: str | None) -> None:
    send, sleeps = sender()
    body = render(digest_zh(), platform, style)[0]
    result = send.send(robots.target(platform, style=style), body)
    assert result.ok and result.attempts == 1 and robots.refused == [] and sleeps == []
    assert robots.received == [{"platform": platform, "body": body}]


def test_a_wrong_secret_is_refused_and_not_retried(robots: Robots) -> None:
    send, sleeps = sender()
    result = send.send(robots.target("feishu", secret="not-the-secret"), render(digest_en(), "feishu")[0])
    assert not result.ok and result.attempts == 1 and sleeps == []
    assert result.error == (
        "HTTP 200, code 19021: sign match fail or timestamp is not within one hour from current time"
    )
    bad = robots.target("dingtalk", secret="SECwrong")
    assert not send.send(bad, render(digest_en(), "dingtalk")[0]).ok
    assert robots.refused == [
        "feishu: 19021 sign match fail or timestamp is not within one hour from current time",
        "dingtalk: 310000 sign not match",
    ]


def test_transient_failures_are_retried_with_backoff_and_jitter(robots: Robots) -> None:
    robots.script.extend([("http", 500), ("code", 45009), ("http", 429)])
    send, sleeps = sender(attempts=4)
    result = send.send(robots.target("wecom"), render(digest_zh(), "wecom")[0])
    assert result.ok and result.attempts == 4
    assert sleeps == [0.75, 1.5, 3.0]  # base 1 s doubling, 'equal jitter' at rand() = 0.5
    assert len(robots.received) == 1


def test_backoff_is_capped() -> None:
    send = Sender(RetryPolicy(base_delay=1.0, max_delay=5.0), rand=lambda: 1.0)
    assert [send.backoff(a) for a in range(1, 6)] == [1.0, 2.0, 4.0, 5.0, 5.0]
    low = Sender(RetryPolicy(base_delay=1.0, max_delay=5.0), rand=lambda: 0.0)
    assert [low.backoff(a) for a in range(1, 4)] == [0.5, 1.0, 2.0]


def test_a_timeout_is_retried(robots: Robots) -> None:
    robots.script.append(("sleep", 1.0))
    send, sleeps = sender(timeout=0.3)
    result = send.send(robots.target("dingtalk"), render(digest_zh(), "dingtalk")[0])
    assert result.ok and result.attempts == 2 and sleeps == [0.75]


def test_attempts_are_bounded_and_the_error_reported(robots: Robots) -> None:
    robots.script.extend([("http", 503)] * 5)
    send, sleeps = sender(attempts=3)
    result = send.send(robots.target("feishu"), render(digest_zh(), "feishu")[0])
    assert not result.ok and result.attempts == 3 and len(robots.hits) == 3 and sleeps == [0.75, 1.5]
    assert result.error == "HTTP 503"


def test_an_error_code_in_a_200_reply_is_a_failure(robots: Robots) -> None:
    robots.script.append(("code", 93000))
    send, _ = sender()
    result = send.send(robots.target("wecom"), render(digest_zh(), "wecom")[0])
    assert not result.ok and result.attempts == 1 and result.error == "HTTP 200, errcode 93000: refused"


def test_a_redirect_is_not_followed(robots: Robots) -> None:
    robots.script.append(("redirect", None))
    send, _ = sender()
    result = send.send(robots.target("wecom"), render(digest_zh(), "wecom")[0])
    assert not result.ok and result.error == "HTTP 302" and robots.hits == ["/cgi-bin/webhook/send"]


def test_errors_never_show_the_key(robots: Robots) -> None:
    robots.script.append(("echo", None))
    send, _ = sender()
    result = send.send(robots.target("wecom"), render(digest_zh(), "wecom")[0])
    assert not result.ok and WECOM_KEY not in result.error and "key=693a…" in result.error


def test_a_refused_connection_is_a_reported_failure() -> None:
    send, sleeps = sender(attempts=2)
    target = make_target("sichuan", "wecom", "http://127.0.0.1:9/cgi-bin/webhook/send?key=abcdefgh")
    result = send.send(target, {"msgtype": "text", "text": {"content": "x"}})
    assert not result.ok and result.attempts == 2 and result.error.startswith("network: ") and sleeps == [0.75]


def test_the_rate_limiter_keeps_a_robot_under_20_a_minute() -> None:
    now = [0.0]
    waits: list[float] = []

    def sleep(s: float) -> None:
        waits.append(round(s, 3))
        now[0] += s

    limiter = RateLimiter(clock=lambda: now[0], sleep=sleep)
    for _ in range(21):
        now[0] += 0.5
        limiter.wait("robot-a", "wecom")
    assert waits == [50.0]  # at 10.5 s the 21st waits until the 1st (sent at 0.5 s) is a minute old
    limiter.wait("robot-b", "wecom")  # another robot has its own budget
    assert waits == [50.0]
    for _ in range(6):
        limiter.wait("feishu-a", "feishu")
    assert waits == [50.0, 1.0]  # Feishu: 5 a second


# -- outbox and runs --------------------------------------------------------------------------
def test_a_failed_digest_is_kept_and_the_next_run_sends_it(robots: Robots, tmp_path: Path) -> None:
    folder = tmp_path / ".outbox"
    target = robots.target("dingtalk")
    robots.script.extend([("http", 500)] * 2)
    send, _ = sender(attempts=2)
    first = run([(target, digest_zh())], send, folder, lambda *a: pytest.fail("spilled"))
    assert first.exit_code == 1 and robots.received == []
    [entry] = outbox.pending(folder)[0]
    stored = entry.path.read_text(encoding="utf-8")
    assert DING_TOKEN not in stored and DING_SECRET not in stored and "timestamp" not in stored
    assert entry.bodies == tuple(render(digest_zh(), "dingtalk")) and entry.last_error == "HTTP 500"
    # The next run resends the kept digest (signed afresh), then sends its own.
    second = run([(target, digest_en())], send, folder, lambda *a: pytest.fail("spilled"))
    assert second.exit_code == 0 and [d.resent for d in second.deliveries] == [entry.id, ""]
    assert [r["body"] for r in robots.received] == [
        render(digest_zh(), "dingtalk")[0],
        render(digest_en(), "dingtalk")[0],
    ]
    assert outbox.pending(folder) == ([], [])


def test_a_partly_sent_digest_keeps_only_the_rest(robots: Robots, tmp_path: Path) -> None:
    folder = tmp_path / "box"
    digest = many_tasks(60)
    bodies = render(digest, "wecom")
    robots.script.extend([("ok", None), ("ok", None), ("code", 40058)])
    send, _ = sender(attempts=3)
    report = run([(robots.target("wecom"), digest)], send, folder, lambda *a: pytest.fail("spilled"))
    [d] = report.deliveries
    assert (d.sent, d.messages, d.ok, report.exit_code) == (2, 3, False, 1)
    [entry] = outbox.pending(folder)[0]
    assert entry.bodies == tuple(bodies[2:]) and len(robots.received) == 2


def test_an_unwritable_outbox_spills_the_digest_instead_of_losing_it(robots: Robots, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    robots.script.append(("code", 93000))
    spilled: list[tuple[str, list, str]] = []
    send, _ = sender(attempts=1)
    report = run(
        [(robots.target("wecom"), digest_zh())],
        send,
        blocker / "outbox",
        lambda t, bodies, why: spilled.append((t.name, bodies, why)),
    )
    assert report.exit_code == 1 and report.deliveries[0].kept == ""
    assert [(name, bodies) for name, bodies, _ in spilled] == [("sichuan", render(digest_zh(), "wecom"))]


def test_a_kept_digest_for_an_unknown_robot_waits(robots: Robots, tmp_path: Path) -> None:
    folder = tmp_path / "box"
    gone = make_target("joint", "wecom", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=gonegonegone")
    outbox.keep(folder, gone, "t", render(digest_zh(), "wecom"), "HTTP 500")
    send, _ = sender()
    report = run([(robots.target("wecom"), digest_zh())], send, folder, lambda *a: pytest.fail("spilled"))
    assert report.exit_code == 0 and len(robots.received) == 1
    assert len(report.warnings) == 1 and "key=gone…" in report.warnings[0] and "gonegonegone" not in report.warnings[0]
    assert len(outbox.pending(folder)[0]) == 1


# -- the remind command -----------------------------------------------------------------------
def remind(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["remind", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_remind_dry_run_without_webhooks_prints_the_digest(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = remind(
        capsys, "--dry-run", "--platform", "feishu", "--style", "card", "--lang", "en", "--party", "chongqing"
    )
    assert code == 0 and "no webhook configured" in err
    [shown] = json.loads(out)
    assert (shown["party"], shown["platform"], shown["style"], shown["url"], shown["messages"]) == (
        "chongqing",
        "feishu",
        "card",
        None,
        1,
    )
    assert (
        shown["bodies"][0]["card"]["header"]["title"]["content"]
        == "Sichuan–Chongqing HR cooperation: monthly digest · Chongqing"
    )
    assert "T093 Run the Chengdu-Chongqing twin-core cooperation platform" in out


def test_remind_dry_run_carries_each_partys_chase_list_from_the_store(
    capsys: pytest.CaptureFixture[str], engine: Engine, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from metrics.reports import Desk, Draft
    from metrics.roles import load_roles
    from metrics.userstore import open_store

    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    monkeypatch.setenv("CHUANYU_DATABASE_URL", url)
    store = open_store(url=url)
    assert store is not None
    roles = load_roles({}, {"CHUANYU_REPORTERS": "ministry=erin", "CHUANYU_REVIEWERS": "dave"})
    # The ministry reports T017 (pending review): it is no longer missing; three ministry reports still are.
    Desk(engine, store, roles).submit(
        "erin", Draft(task_id="T017", period="2023-08", progress_pct=30, progress_note="已启动")
    )
    code, out, _ = remind(capsys, "--dry-run", "--lang", "en")
    assert code == 0
    [shown] = json.loads(out)
    content = shown["bodies"][0]["markdown"]["content"]
    assert (
        "**Reports missing: Ministry, 2023-08 (3)**\n"
        "- T035 Set up cross-province benefit verification (report due 2023-08-25)\n"
        "- T073 Set up liaison for cross-province handling (report due 2023-08-25)\n"
        "- T081 Publish a shared catalogue of employment data (report due 2023-08-25)\n"
        "\n**Reports missing: Chongqing, 2023-08 (1)**\n"
        "- T018 Cooperate on job support for priority groups (report due 2023-08-25)"
    ) in content
    assert "T017" not in content
    code, out, _ = remind(capsys, "--dry-run", "--lang", "en", "--party", "sichuan")
    [shown] = json.loads(out)
    assert "- Sichuan: every report for 2023-08 is in" in shown["bodies"][0]["markdown"]["content"]


def test_remind_dry_run_masks_the_webhook_and_sends_nothing(capsys: pytest.CaptureFixture[str], robots: Robots) -> None:
    code, out, _ = remind(
        capsys,
        "--dry-run",
        "--webhook",
        robots.url("dingtalk"),
        "--platform",
        "dingtalk",
        "--secret",
        DING_SECRET,
        "--party",
        "sichuan",
    )
    assert code == 0 and robots.hits == []
    assert DING_TOKEN not in out and DING_SECRET not in out
    [shown] = json.loads(out)
    assert shown["url"] == (
        f"{robots.base}/robot/send?access_token=b5e1…&timestamp=<ms when sent>&sign=<HMAC-SHA256, when sent>"
    )
    assert shown["signed"] is True and "T069" in shown["bodies"][0]["markdown"]["text"]


def test_remind_sends_each_configured_party_its_digest(
    capsys: pytest.CaptureFixture[str], robots: Robots, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(
        "CHUANYU_WEBHOOKS",
        f"sichuan=wecom:{robots.url('wecom')};chongqing=feishu:{robots.url('feishu')}#{FEISHU_SECRET}",
    )
    code, out, err = remind(capsys, "--outbox", str(tmp_path / "box"))
    assert code == 0, err
    assert robots.refused == [] and [r["platform"] for r in robots.received] == ["wecom", "feishu"]
    assert "T069" in robots.received[0]["body"]["markdown"]["content"]
    assert "T093" in json.dumps(robots.received[1]["body"], ensure_ascii=False)
    assert "T069" not in json.dumps(robots.received[1]["body"], ensure_ascii=False)
    assert out.splitlines()[-1] == "ok: 2 digest(s) sent, 2 message(s)"
    assert WECOM_KEY not in out + err and FEISHU_TOKEN not in out + err and FEISHU_SECRET not in out + err


def test_remind_exits_1_when_a_send_fails_and_0_when_the_next_run_resends(
    capsys: pytest.CaptureFixture[str], robots: Robots, tmp_path: Path
) -> None:
    box = tmp_path / "box"
    args = [
        "--webhook",
        robots.url("wecom"),
        "--platform",
        "wecom",
        "--party",
        "sichuan",
        "--outbox",
        str(box),
        "--attempts",
        "1",
    ]
    robots.script.append(("http", 502))
    code, out, err = remind(capsys, *args)
    assert code == 1 and out.startswith("FAILED  sichuan  wecom") and "HTTP 502; kept in the outbox as" in out
    assert "error: 1 of 1 digest(s) not fully sent" in err and WECOM_KEY not in out + err
    assert len(list(box.glob("*.json"))) == 1 and robots.received == []
    code, out, err = remind(capsys, *args, "--resend-only")
    assert code == 0, err
    assert len(robots.received) == 1 and "T069" in robots.received[0]["body"]["markdown"]["content"]
    assert "(kept from an earlier run:" in out and list(box.glob("*.json")) == []
    code, out, _ = remind(capsys, *args, "--resend-only")
    assert code == 0 and out == "ok: 0 digest(s) sent, 0 message(s)\n" and len(robots.received) == 1
    code, out, _ = remind(capsys, *args)  # a normal run sends today's digest again
    assert code == 0 and len(robots.received) == 2 and robots.received[0] == robots.received[1]


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--secret", "s"], "--secret goes with --webhook"),
        (["--party", "hubei", "--dry-run"], "unknown party 'hubei'"),
        (["--attempts", "0", "--dry-run"], "--attempts must be between 1 and 10"),
        (["--platform", "slack", "--dry-run"], "invalid choice: 'slack'"),
        (["--platform", "wecom"], "--platform and --style go with --webhook or --dry-run"),
        (["--webhook", "https://hooks.example/x?key=secretkey123"], "say which platform"),
        (["--dry-run", "--platform", "dingtalk", "--style", "card"], "dingtalk has no style 'card'"),
        (["--dry-run", "--resend-only"], "--resend-only sends what the outbox keeps"),
        ([], "no webhook configured for any party"),
    ],
)
def test_remind_bad_arguments_exit_2(capsys: pytest.CaptureFixture[str], argv: list[str], message: str) -> None:
    code, _, err = remind(capsys, *argv)
    assert code == 2 and message in err and "secretkey123" not in err
    assert len(err.strip().splitlines()) == 1


def test_remind_bad_webhook_settings_exit_2(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CHUANYU_WEBHOOKS", "sichuan=wecom:https://qyapi.weixin.qq.com/x?key=secretkey123#SECnope")
    code, _, err = remind(capsys, "--dry-run")
    assert code == 2 and "no signing secret" in err and "secretkey123" not in err and "SECnope" not in err
