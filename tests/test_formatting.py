"""Number formats and CSV safety."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from metrics.csvout import neutralise, to_csv_bytes
from metrics.formatting import format_delta, format_number


@pytest.mark.parametrize(
    "value, zh, en",
    [
        (1_410_000, "141万", "1.41 million"),
        (21_000, "2.1万", "21,000"),
        (1_035_000, "103.5万", "1.04 million"),
        (125_000_000, "1.25亿", "125 million"),
        (140_000_000, "1.4亿", "140 million"),
        (3178, "3178", "3,178"),
        (85_000, "8.5万", "85,000"),
        (None, "—", "—"),
        (0, "0", "0"),
    ],
)
def test_chinese_and_english_numbers(value, zh: str, en: str) -> None:
    assert format_number(value, "zh") == zh
    assert format_number(value, "en") == en


def test_percent_and_delta() -> None:
    assert format_number(0.70922, "zh", "percent") == "70.9%"
    assert format_delta(12_300, 0.081, "zh") == "+1.23万 (+8.1%)"
    assert format_delta(-500, -0.5, "en") == "−500 (-50.0%)"
    assert format_delta(float("nan"), float("nan"), "en") == "—"


@pytest.mark.parametrize(
    "cell, out",
    [
        ("=1+1", "'=1+1"),
        ("+cmd", "'+cmd"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("-12.5", "-12.5"),
        ("成都", "成都"),
        (-3, -3),
        (1.5, 1.5),
    ],
)
def test_neutralise(cell, out) -> None:
    assert neutralise(cell) == out


def test_csv_has_bom_and_numbers_stay_numeric() -> None:
    df = pd.DataFrame({"name": ['=HYPERLINK("x")', "成都"], "value": [-5, 12]})
    data = to_csv_bytes(df)
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert list(back["name"]) == ['\'=HYPERLINK("x")', "成都"]
    assert list(back["value"]) == [-5, 12]
