"""The signatures DingTalk and Feishu/Lark robots check when a signing secret (加签 / 签名校验) is set.

DingTalk: timestamp in milliseconds; sign = urlEncode(base64(HmacSHA256(key=secret, msg="{timestamp}\\n{secret}")));
both go in the webhook URL's query string. Feishu/Lark: timestamp in seconds; sign = base64(HmacSHA256(
key="{timestamp}\\n{secret}", msg="")), both in the JSON body. The two differ in what is the key. Sources:
docs/notify.md. WeCom group robots have no signature: the key in the URL is the credential.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from urllib.parse import parse_qsl, quote_plus, urlencode, urlsplit, urlunsplit

from .render import Body


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """The base64 signature (before URL encoding) for a DingTalk robot."""
    to_sign = f"{timestamp_ms}\n{secret}".encode()
    return base64.b64encode(hmac.new(secret.encode("utf-8"), to_sign, hashlib.sha256).digest()).decode("ascii")


def feishu_sign(secret: str, timestamp_s: int) -> str:
    """The base64 signature for a Feishu/Lark robot: the HMAC key is "{timestamp}\\n{secret}", the message empty."""
    key = f"{timestamp_s}\n{secret}".encode()
    return base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode("ascii")


def signed_dingtalk_url(url: str, secret: str, now_s: float) -> str:
    """url with timestamp and sign appended to its query (replacing stale ones)."""
    ts = int(now_s * 1000)
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in ("timestamp", "sign")]
    # quote_plus, as DingTalk's own sample does: base64's + / = become %2B %2F %3D.
    tail = urlencode([("timestamp", str(ts)), ("sign", dingtalk_sign(secret, ts))], quote_via=quote_plus)
    head = urlencode(query, quote_via=quote_plus)
    return urlunsplit(parts._replace(query=f"{head}&{tail}" if head else tail))


def signed_feishu_body(body: Body, secret: str, now_s: float) -> Body:
    """body with "timestamp" (seconds, a string as in the guide's example) and "sign" added."""
    ts = int(now_s)
    return {"timestamp": str(ts), "sign": feishu_sign(secret, ts), **body}


def sign_request(platform: str, url: str, body: Body, secret: str | None, now_s: float) -> tuple[str, Body]:
    """The URL and body to POST: signed when the platform signs and a secret is set, else unchanged."""
    if not secret:
        return url, body
    if platform == "dingtalk":
        return signed_dingtalk_url(url, secret, now_s), body
    if platform == "feishu":
        return url, signed_feishu_body(body, secret, now_s)
    return url, body
