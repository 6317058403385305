"""Reminders and digests to group-chat robots (WeCom, DingTalk, Feishu/Lark): compose, render, sign, send.

digest = compose_digest(engine, lang="zh", party="sichuan", missing=None)
bodies = render(digest, "wecom")                 # unsigned JSON bodies, split to the size limits
report = run([(target, digest)], Sender(), outbox_dir(data_dir), spill)
"""

from .compose import compose_digest, parties
from .inert import inert
from .model import (
    ChaseList,
    Digest,
    Figure,
    Layout,
    MissingReport,
    Section,
    StatusCount,
    TaskLine,
    layout,
)
from .outbox import outbox_dir
from .render import PLATFORMS, STYLES, DigestTooLong, encode_body, render
from .run import Delivery, RunReport, resend_outbox, run, spill_to
from .send import RetryPolicy, Sender, SendResult
from .sign import dingtalk_sign, feishu_sign, sign_request
from .targets import (
    ALL,
    ENV_WEBHOOKS,
    Target,
    WebhookConfigError,
    load_targets,
    make_target,
    mask_url,
)

__all__ = [
    "ALL",
    "ENV_WEBHOOKS",
    "PLATFORMS",
    "STYLES",
    "ChaseList",
    "Delivery",
    "Digest",
    "DigestTooLong",
    "Figure",
    "Layout",
    "MissingReport",
    "RetryPolicy",
    "RunReport",
    "Section",
    "SendResult",
    "Sender",
    "StatusCount",
    "Target",
    "TaskLine",
    "WebhookConfigError",
    "compose_digest",
    "dingtalk_sign",
    "encode_body",
    "feishu_sign",
    "inert",
    "layout",
    "load_targets",
    "make_target",
    "mask_url",
    "outbox_dir",
    "parties",
    "render",
    "resend_outbox",
    "run",
    "sign_request",
    "spill_to",
]
