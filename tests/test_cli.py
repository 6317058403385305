"""The CLI: same numbers as the engine, BOM CSV, JSON records, and one-line errors with exit code 2."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from metrics import Engine, Filters
from metrics.cli import main

ROOT = Path(__file__).resolve().parents[1]


def run(capsysbinary, *argv: str) -> tuple[int, bytes, str]:
    code = main(list(argv))
    out, err = capsysbinary.readouterr()
    return code, out, err.decode("utf-8")


def test_values_json_matches_engine(capsysbinary, engine: Engine) -> None:
    code, out, _ = run(
        capsysbinary, "values", "--format", "json", "--province", "chongqing", "--from", "2023-01", "--to", "2023-06"
    )
    assert code == 0
    rows = {r["indicator_id"]: r for r in json.loads(out)}
    f = Filters(start="2023-01", end="2023-06", province="chongqing")
    for ind in engine.config.indicators:
        expected = engine.value(ind.id, f).value
        got = rows[ind.id]["value"]
        assert (got is None and expected is None) or got == pytest.approx(expected), ind.id
    assert {"unit", "period_start", "period_end", "source"} <= set(rows["cardholders"])


def test_values_csv_defaults_to_all_time_and_has_bom(capsysbinary) -> None:
    code, out, _ = run(capsysbinary, "values", "--format", "csv", "--lang", "en")
    assert code == 0 and out.startswith(b"\xef\xbb\xbf")
    df = pd.read_csv(io.BytesIO(out), encoding="utf-8-sig")
    row = df.set_index("indicator_id").loc["online_recruit_positions"]
    assert row["value"] == 1410000 and row["unit"] == "positions"
    assert row["period_start"] == "2021-01" and row["period_end"] == "2023-08"


def test_values_table_is_readable(capsysbinary) -> None:
    code, out, _ = run(capsysbinary, "values")
    text = out.decode("utf-8")
    assert code == 0 and "141万" in text and "1.25亿" in text and "线上招聘专区发布岗位数" in text


def test_series_by_city_csv(capsysbinary, engine: Engine) -> None:
    code, out, _ = run(
        capsysbinary, "series", "cardholders", "--by", "city", "--province", "sichuan", "--format", "csv"
    )
    df = pd.read_csv(io.BytesIO(out), encoding="utf-8-sig")
    assert code == 0 and df["value"].sum() == engine.value("cardholders", Filters(province="sichuan")).value
    assert len(df) == 21


def test_series_by_month_and_dimension(capsysbinary) -> None:
    code, out, _ = run(
        capsysbinary, "series", "insurance_transfers", "--by", "insurance_type", "--format", "json", "--lang", "en"
    )
    rows = json.loads(out)
    assert code == 0 and {r["label"] for r in rows} == {"Pension", "Unemployment"}
    assert sum(r["value"] for r in rows) == 85000


def test_list(capsysbinary) -> None:
    code, out, _ = run(capsysbinary, "list", "--format", "json")
    rows = json.loads(out)
    assert (
        code == 0 and len(rows) >= 34 and {"indicator_id", "name_zh", "name_en", "area", "unit", "kind"} <= set(rows[0])
    )


def test_check_ok(capsysbinary) -> None:
    code, out, _ = run(capsysbinary, "check")
    assert code == 0 and b"ok:" in out


@pytest.mark.parametrize(
    "argv, message",
    [
        (["series", "no_such_indicator"], "unknown indicator 'no_such_indicator'"),
        (["values", "--from", "2023-13"], "--from must be a month like 2023-08"),
        (["values", "--from", "202301"], "--from must be a month like 2023-08"),
        (["values", "--from", "2023-05", "--to", "2023-01"], "--from 2023-05 is after --to 2023-01"),
        (["values", "--province", "beijing"], "province must be one of all, sichuan, chongqing"),
        (["series", "cardholders", "--by", "industry"], "cannot be broken down by 'industry'"),
        (["values", "--format", "xml"], "invalid choice: 'xml'"),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
        ([], "the following arguments are required"),
    ],
)
def test_bad_arguments_are_one_line_and_exit_2(capsysbinary, argv: list[str], message: str) -> None:
    code, out, err = run(capsysbinary, *argv)
    assert code == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_unwritable_output_is_a_clear_error(capsysbinary, tmp_path: Path) -> None:
    code, _, err = run(capsysbinary, "values", "--format", "csv", "-o", str(tmp_path / "missing" / "x.csv"))
    assert code == 2 and "cannot write" in err and "does not exist" in err


def test_check_lists_every_problem(capsysbinary, mini_copy: Path) -> None:
    p = mini_copy / "data" / "postings.csv"
    p.write_text(p.read_text(encoding="utf-8").replace("E2,5", "E2,x").replace("E3,7", "E3,-7"), encoding="utf-8")
    code, _, err = run(capsysbinary, "check", "--config", str(mini_copy / "config.yaml"))
    assert code == 1
    assert "row 3, column 'positions': not a whole number" in err
    assert "row 4, column 'positions': negative count" in err
    assert "2 problem(s) found" in err


def test_help_runs_as_a_module() -> None:
    r = subprocess.run([sys.executable, "-m", "metrics", "series", "--help"], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0 and "--by" in r.stdout and "--province" in r.stdout
