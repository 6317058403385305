"""Phones are told apart by their request headers: the client hint when the browser sends one, else 'Mobi'."""

from __future__ import annotations

import pytest

from ui.device import phone_headers

IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.4 Mobile/15E148 Safari/604.1"
)
WECHAT_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) NetType/4G Language/zh_CN"
)
ANDROID = "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Mobile Safari/537.36"
IPAD = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari"
DESKTOP = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36"


@pytest.mark.parametrize(
    "headers, phone",
    [
        ({"User-Agent": IPHONE}, True),  # Safari sends no client hints
        ({"User-Agent": WECHAT_IPHONE}, True),  # a link opened in WeChat
        ({"User-Agent": ANDROID, "Sec-CH-UA-Mobile": "?1"}, True),
        ({"user-agent": ANDROID}, True),  # header names in any case
        ({"User-Agent": IPAD}, False),  # a tablet gets the desktop tiles
        ({"User-Agent": DESKTOP, "Sec-CH-UA-Mobile": "?0"}, False),
        ({"User-Agent": ANDROID, "Sec-CH-UA-Mobile": "?0"}, False),  # the hint wins over the User-Agent
        ({}, False),
    ],
)
def test_phone_headers(headers: dict[str, str], phone: bool) -> None:
    assert phone_headers(headers) is phone


def test_the_hint_is_read_from_streamlits_headers() -> None:
    # Streamlit re-capitalises header names ("Sec-Ch-Ua-Mobile"): the hint must still be found.
    from streamlit.runtime.context import StreamlitHeaders

    android_hint = StreamlitHeaders([("sec-ch-ua-mobile", "?1"), ("user-agent", DESKTOP)])
    desktop_hint = StreamlitHeaders([("sec-ch-ua-mobile", "?0"), ("user-agent", ANDROID)])
    for headers in (android_hint, dict(android_hint.items())):  # the object, or its items copied
        assert phone_headers(headers) is True
    for headers in (desktop_hint, dict(desktop_hint.items())):
        assert phone_headers(headers) is False
