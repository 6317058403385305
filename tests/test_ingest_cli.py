"""`python -m metrics ingest|datasets|versions|rollback|audit|hash-password`: exit codes, output, no side effects."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd

from metrics.auth import verify_password
from metrics.cli import main
from tests.support.ingest import INGEST_FIXTURES, snapshot

ROOT = Path(__file__).resolve().parents[1]


def run(capsys, project: Path, *argv: str) -> tuple[int, str, str]:
    code = main([*argv, "--config", str(project / "config.yaml"), "--data-dir", str(project / "data")])
    out, err = capsys.readouterr()
    return code, out, err


def test_ingest_ok_dry_run_and_refusal(capsys, mini_copy: Path, tmp_path: Path) -> None:
    good = str(INGEST_FIXTURES / "postings_append.csv")
    before = snapshot(mini_copy)
    code, out, _ = run(capsys, mini_copy, "ingest", "postings", good, "--dry-run")
    assert code == 0 and "dry run: the file is valid; 2 row(s) added" in out
    assert snapshot(mini_copy) == before

    bad = str(INGEST_FIXTURES / "postings_many_problems.csv")
    report = tmp_path / "problems.csv"
    code, out, err = run(capsys, mini_copy, "ingest", "postings", bad, "--report", str(report))
    assert code == 1 and "refused: 6 problem(s) found; nothing was changed" in err
    assert "negative count" in out and "lhasa" in out
    assert snapshot(mini_copy) == before
    problems = pd.read_csv(report, encoding="utf-8-sig")
    assert len(problems) == 6 and problems["row"].tolist() == [2, 3, 5, 5, 6, 7]

    code, out, _ = run(capsys, mini_copy, "ingest", "postings", good, "--user", "王芳")
    assert code == 0 and "now version v2" in out and "data as of 2023-05" in out
    code, out, _ = run(capsys, mini_copy, "audit", "--format", "json")
    assert [e["result"] for e in json.loads(out)] == ["rejected", "ok"]
    assert json.loads(out)[1]["user"].startswith("王芳 (cli, ")


def test_ingest_json_report(capsys, mini_copy: Path) -> None:
    code, out, _ = run(
        capsys,
        mini_copy,
        "ingest",
        "postings",
        str(INGEST_FIXTURES / "postings_many_problems.csv"),
        "--format",
        "json",
        "--dry-run",
    )
    doc = json.loads(out)
    assert (
        code == 1
        and doc["ok"] is False
        and doc["problems"][0]
        == {
            "file": "postings_many_problems.csv",
            "row": 2,
            "column": "positions",
            "value": "-3",
            "reason": "negative count",
        }
    )


def test_bad_arguments_are_one_line_and_exit_2(capsys, mini_copy: Path) -> None:
    good = str(INGEST_FIXTURES / "postings_append.csv")
    for argv, msg in [
        (("ingest", "nope", good), "unknown dataset 'nope'"),
        (("ingest", "postings", str(mini_copy / "missing.csv")), "no such file"),
        (("ingest", "postings", good, "--mode", "merge"), "invalid choice"),
        (("rollback", "v42"), "unknown version 'v42'"),
        (("versions", "--dataset", "nope"), "unknown dataset 'nope'"),
    ]:
        code, _, err = run(capsys, mini_copy, *argv)
        assert code == 2 and msg in err and len(err.strip().splitlines()) == 1, (argv, err)


def test_versions_and_rollback(capsys, mini_copy: Path) -> None:
    before = snapshot(mini_copy)
    code, _, err = run(capsys, mini_copy, "versions")
    assert code == 0 and "no versions kept yet" in err
    run(capsys, mini_copy, "ingest", "postings", str(INGEST_FIXTURES / "postings_append.csv"))
    code, out, _ = run(capsys, mini_copy, "versions", "--format", "json")
    listed = json.loads(out)
    assert [(v["id"], v["current"], v["action"]) for v in listed] == [("v2", True, "ingest"), ("v1", False, "baseline")]
    code, out, _ = run(capsys, mini_copy, "versions")
    assert out.splitlines()[2].split()[:3] == ["v2", "*", "postings"]
    code, out, _ = run(capsys, mini_copy, "rollback", "v1")
    assert code == 0 and "restored v1 as v3" in out
    assert snapshot(mini_copy) == before


def test_datasets_json_is_the_data_dictionary(capsys) -> None:
    assert main(["datasets", "--format", "json"]) == 0
    entries = json.loads(capsys.readouterr().out)
    assert {e["name"] for e in entries} >= {"tasks", "job_postings", "cities"}
    for e in entries:
        assert (ROOT / e["file"]).is_file(), e["file"]
        assert e["primary_key"] and all(k in [c["name"] for c in e["columns"]] for k in e["primary_key"])
        assert all(c["name"] and c["name_zh"] and c["type"] for c in e["columns"])


def test_datasets_table(capsys) -> None:
    assert main(["datasets"]) == 0
    out = capsys.readouterr().out
    assert "job_postings" in out and "岗位数" in out and "whole number; required; >= 0" in out


def test_hash_password_from_stdin() -> None:
    r = subprocess.run(
        [sys.executable, "-m", "metrics", "hash-password", "--stdin", "--user", "alice"],
        input="a long passphrase 2023\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert r.returncode == 0, r.stderr
    line = r.stdout.strip().splitlines()[-1]
    user, _, quoted = line.partition(" = ")
    assert user == "alice" and verify_password("a long passphrase 2023", quoted.strip('"'))
    assert "a long passphrase" not in r.stdout


def test_hash_password_refuses_a_weak_password() -> None:
    r = subprocess.run(
        [sys.executable, "-m", "metrics", "hash-password", "--stdin"],
        input="short\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert r.returncode == 2 and "at least 12 characters" in r.stderr


def test_cli_ingest_of_an_xlsx(capsys, mini_copy: Path, tmp_path: Path) -> None:
    from tests.support.ingest import xlsx_bytes

    path = tmp_path / "五月.xlsx"
    path.write_bytes(
        xlsx_bytes(
            [["月份", "省市", "城市代码", "企业编号", "岗位数"], ["2023-05", "sichuan", "chengdu", "E5", 20]],
            sheet="岗位",
        )
    )
    code, out, _ = run(capsys, mini_copy, "ingest", "postings", str(path), "--sheet", "岗位")
    assert code == 0 and "1 row(s) added" in out
    code, _, err = run(capsys, mini_copy, "ingest", "postings", str(path), "--sheet", "nope")
    assert code == 1 and "no sheet named 'nope'" in err
    df = pd.read_csv(io.BytesIO((mini_copy / "data" / "postings.csv").read_bytes()))
    assert df["enterprise_id"].tolist()[-1] == "E5"
