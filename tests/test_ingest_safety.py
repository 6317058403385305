"""Crashes leave a whole version, concurrent ingests serialise, and planted formulas come out neutralised."""

from __future__ import annotations

import io
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from metrics import Engine, Filters
from metrics.cli import main
from metrics.csvout import to_csv_bytes
from metrics.ingest import journal, store
from metrics.ingest.audit import read_events
from metrics.tables import series_frame
from tests.support.ingest import fixture_bytes, ingest, paths, snapshot, versions

ROOT = Path(__file__).resolve().parents[1]
POSTINGS_HEADER = "month,province,city_id,enterprise_id,positions\n"


def run_python(code: str, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    """Run a snippet in a fresh interpreter from the project root."""
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )


CRASH = """
    import os, sys
    from pathlib import Path
    from metrics.ingest import ingest_upload, store
    project, point = Path(sys.argv[1]), sys.argv[2]
    real_swap, real_record = store._swap, store.write_record
    def swap(tmp, target):
        if point == "before-swap" and target.name == "postings.csv":
            os._exit(3)  # the process dies: no finally, no cleanup
        real_swap(tmp, target)
    def record(data_dir, v):
        if point == "after-swap" and v.action == "ingest":
            os._exit(3)
        return real_record(data_dir, v)
    store._swap, store.write_record = swap, record
    ingest_upload((Path(sys.argv[3])).read_bytes(), "new.csv", "postings", "tester",
                  config_path=project / "config.yaml", data_dir=project / "data")
"""


def value(project: Path, tmp_path: Path) -> float | None:
    return (
        Engine(project / "config.yaml", data_dir=project / "data", cache_dir=tmp_path / "cache")
        .value("positions")
        .value
    )


def test_crash_between_writing_and_swapping_leaves_the_old_version(mini_copy: Path, tmp_path: Path) -> None:
    before = snapshot(mini_copy)
    r = run_python(CRASH, str(mini_copy), "before-swap", str(ROOT / "tests/fixtures/ingest/postings_append.csv"))
    assert r.returncode == 3, r.stderr
    assert snapshot(mini_copy) == before
    leftovers = list((mini_copy / "data").glob(".ingest-*.tmp"))
    assert len(leftovers) == 1 and leftovers[0].read_bytes().endswith(b"2023-05,chongqing,jiangbei,E3,8\n")
    assert value(mini_copy, tmp_path) == 37
    # The next ingest cleans up after the crash and goes through.
    assert ingest(mini_copy, fixture_bytes("postings_append.csv")).ok
    assert not list((mini_copy / "data").glob(".ingest-*.tmp"))
    assert value(mini_copy, tmp_path) == 65


def test_crash_right_after_the_swap_leaves_the_whole_new_version(mini_copy: Path, tmp_path: Path) -> None:
    r = run_python(CRASH, str(mini_copy), "after-swap", str(ROOT / "tests/fixtures/ingest/postings_append.csv"))
    assert r.returncode == 3, r.stderr
    assert value(mini_copy, tmp_path) == 65
    # The next change first records the interrupted one as the version it was, with its user (journal.recover).
    assert ingest(mini_copy, f"{POSTINGS_HEADER}2023-06,sichuan,chengdu,E1,1\n".encode()).ok
    assert [(v.action, v.user, v.recovered) for v in versions(mini_copy)] == [
        ("ingest", "tester", False),
        ("ingest", "tester", True),
        ("baseline", "(found in data dir)", False),
    ]


def test_an_error_during_the_swap_changes_nothing(mini_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = snapshot(mini_copy)
    real = store._swap

    def failing(tmp: Path, target: Path) -> None:
        if target.name == "postings.csv":
            raise OSError(28, "No space left on device")
        real(tmp, target)

    monkeypatch.setattr(store, "_swap", failing)
    with pytest.raises(OSError):
        ingest(mini_copy, fixture_bytes("postings_append.csv"))
    assert snapshot(mini_copy) == before
    assert not list((mini_copy / "data").glob(".ingest-*.tmp"))
    # The write is settled at once: no intent is left, and the audit says it was interrupted.
    assert not journal.pending(mini_copy / "data")
    assert [(e["result"], e["user"]) for e in read_events(mini_copy / "data")] == [("interrupted", "tester")]


CONCURRENT = """
    import sys, time
    from pathlib import Path
    from metrics.ingest import ingest_upload, service
    project, who, log, go = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4])
    real = service._ingest_locked
    def slow(*a, **kw):
        start = time.monotonic_ns()
        time.sleep(0.4)  # widen the window in which an unlocked writer would interleave
        out = real(*a, **kw)
        with log.open("a") as fh:
            fh.write(f"{who} {start} {time.monotonic_ns()}\\n")
        return out
    service._ingest_locked = slow
    while not go.exists():
        time.sleep(0.01)
    data = f"month,province,city_id,enterprise_id,positions\\n2023-05,sichuan,chengdu,{who},1\\n".encode()
    r = ingest_upload(data, f"{who}.csv", "postings", who, config_path=project / "config.yaml",
                      data_dir=project / "data")
    print(r.ok, r.message)
"""


def test_two_concurrent_ingests_serialise(mini_copy: Path, tmp_path: Path) -> None:
    log, go = tmp_path / "log.txt", tmp_path / "go"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", textwrap.dedent(CONCURRENT), str(mini_copy), who, str(log), str(go)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for who in ("A1", "B2")
    ]
    time.sleep(0.5)  # both interpreters are up and waiting
    go.touch()
    outs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), outs
    assert all(o.startswith("True") for o, _ in outs), outs
    spans = sorted((int(a), int(b)) for _, a, b in (ln.split() for ln in log.read_text().splitlines()))
    assert len(spans) == 2 and spans[0][1] <= spans[1][0], "the two critical sections overlapped"
    text = (mini_copy / "data" / "postings.csv").read_text()
    assert ",A1,1\n" in text and ",B2,1\n" in text  # neither update was lost
    assert value(mini_copy, tmp_path) == 39
    assert sorted(v.id for v in versions(mini_copy)) == ["v1", "v2", "v3"]


def test_a_held_lock_makes_a_second_ingest_wait_then_give_up(mini_copy: Path) -> None:
    before = snapshot(mini_copy)
    with store.locked(mini_copy / "data"):
        r = ingest(mini_copy, fixture_bytes("postings_append.csv"), lock_timeout=0.2)
    assert not r.ok and "another ingest or rollback is running" in r.message
    assert snapshot(mini_copy) == before


# -- formulas planted in ingested text ----------------------------------------------------------
FORMULA = '=HYPERLINK("http://evil.example","点我")'


@pytest.fixture()
def planted(mini_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Engine:
    """The mini project with a city whose names are formulas, and postings in it."""
    monkeypatch.setenv("CHUANYU_CACHE_DIR", str(tmp_path / "cli-cache"))
    cities = f'city_id,province,name_zh,name_en\nevil,sichuan,"{FORMULA.replace(chr(34), chr(34) * 2)}",@SUM(1+1)\n'
    assert ingest(mini_copy, cities.encode(), "=cities.csv", dataset="cities").ok
    assert ingest(mini_copy, f"{POSTINGS_HEADER}2023-05,sichuan,evil,E9,50\n".encode()).ok
    stored = (mini_copy / "data" / "cities.csv").read_text(encoding="utf-8")
    assert "evil,sichuan" in stored and "HYPERLINK" in stored  # the data itself is kept as given
    return Engine(mini_copy / "config.yaml", data_dir=mini_copy / "data", cache_dir=tmp_path / "cache")


def _cells(csv_data: bytes) -> list[str]:
    df = pd.read_csv(io.BytesIO(csv_data), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    return [str(c) for c in df.columns] + [str(v) for v in df.to_numpy().ravel()]


def _assert_neutral(cells: list[str]) -> None:
    assert any("HYPERLINK" in c for c in cells), "the planted label should be in the export"
    for c in cells:
        assert not c.startswith(("=", "+", "@", "\t", "\r")) or c.lstrip("-").replace(".", "").isdigit(), c
    assert f"'{FORMULA}" in cells


def test_planted_formula_is_neutralised_in_csv_out(planted: Engine) -> None:
    df = series_frame(planted, "positions", Filters(), by="city", lang="zh")
    _assert_neutral(_cells(to_csv_bytes(df)))


def test_planted_formula_is_neutralised_in_cli_csv(planted: Engine, mini_copy: Path, capsysbinary) -> None:
    args = ["--config", str(mini_copy / "config.yaml"), "--data-dir", str(mini_copy / "data"), "--format", "csv"]
    assert main(["series", "positions", "--by", "city", *args]) == 0
    _assert_neutral(_cells(capsysbinary.readouterr().out))
    assert main(["values", "--city", "evil", *args]) == 0
    assert all(not c.startswith("=") for c in _cells(capsysbinary.readouterr().out))
    assert main(["versions", *args]) == 0  # the uploaded file name is user input too
    assert "'=cities.csv" in _cells(capsysbinary.readouterr().out)
    assert main(["audit", *args]) == 0
    assert "'=cities.csv" in _cells(capsysbinary.readouterr().out)


def test_planted_formula_is_neutralised_in_exports(planted: Engine) -> None:
    tabular = pytest.importorskip("metrics.exports.tabular")
    df = series_frame(planted, "positions", Filters(), by="city", lang="zh")
    _assert_neutral(_cells(tabular.csv_bytes(planted, df, lang="zh")))
    data = tabular.xlsx_bytes(planted, df, title="t", filters=Filters(), lang="zh")
    wb = openpyxl.load_workbook(io.BytesIO(data))
    hits = [
        c
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str) and "HYPERLINK" in c.value
    ]
    assert hits and all(c.data_type == "s" for c in hits), "a planted formula must stay text in XLSX"
    assert all(c.quotePrefix for c in hits if c.value.startswith("="))


def test_ingest_code_never_builds_sql() -> None:
    """No user input can reach SQL text: the ingest package does not talk to DuckDB at all."""
    src = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "metrics" / "ingest").glob("*.py"))
    assert "duckdb" not in src and "execute(" not in src


def test_library_never_imports_streamlit() -> None:
    r = run_python(
        "import sys, metrics.ingest, metrics.auth, metrics.cli.cmd_ingest; print('streamlit' in sys.modules)"
    )
    assert r.stdout.strip() == "False", r.stderr


def test_versions_and_audit_live_in_hidden_paths_the_app_names(mini_copy: Path) -> None:
    ingest(mini_copy, fixture_bytes("postings_append.csv"), "weird name ＠ (1).csv")
    hidden = {p.name for p in (mini_copy / "data").iterdir() if p.name.startswith(".")}
    assert hidden == {".versions", ".audit.jsonl", ".audit.head", ".ingest.lock"}
    names = {p.name for p in (mini_copy / "data" / ".versions").rglob("*")}
    assert not any("weird" in n for n in names)
    assert paths(mini_copy)["data_dir"].is_dir()
