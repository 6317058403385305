"""Valid files go in by mode, as new versions that the next Engine sees; rollback restores the bytes."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from metrics import Engine
from metrics.ingest import KEEP_VERSIONS, IngestError, datasets, read_audit, verify_chain
from metrics.ingest.audit import audit_path
from tests.support.ingest import assert_refused, fixture_bytes, ingest, paths, snapshot, undo, versions, xlsx_bytes

APPENDED = b"2023-05,sichuan,chengdu,E5,20\n2023-05,chongqing,jiangbei,E3,8\n"


def engine(project: Path, tmp_path: Path) -> Engine:
    return Engine(project / "config.yaml", data_dir=project / "data", cache_dir=tmp_path / "cache")


def test_append_is_seen_by_the_next_engine(mini_copy: Path, tmp_path: Path) -> None:
    old = engine(mini_copy, tmp_path)
    assert old.value("positions").value == 37 and old.as_of == dt.date(2023, 4, 1)
    r = ingest(mini_copy, fixture_bytes("postings_append.csv"), "postings_2023-05.csv")
    assert r.ok and r.changed and r.version == "v2", r.message
    assert (r.rows_added, r.rows_replaced, r.rows_before, r.rows_after) == (2, 0, 7, 9)
    assert r.as_of == "2023-05"
    new = engine(mini_copy, tmp_path)
    assert new.database != old.database  # the warehouse hash changed, so it was rebuilt
    assert new.value("positions").value == 37 + 28
    assert new.value("enterprises").value == 5  # E5 is new
    assert new.as_of == dt.date(2023, 5, 1)
    assert (mini_copy / "data" / "postings.csv").read_bytes().endswith(APPENDED)


def test_gb18030_file_with_chinese_headers(mini_copy: Path, tmp_path: Path) -> None:
    text = fixture_bytes("postings_append_zh.csv").decode("utf-8")
    r = ingest(mini_copy, text.encode("gb18030"), "岗位_2023年5月.csv")
    assert r.ok and r.encoding == "gb18030", r.message
    stored = (mini_copy / "data" / "postings.csv").read_bytes()
    assert stored.startswith(b"month,province,city_id,enterprise_id,positions\n") and stored.endswith(APPENDED)
    assert engine(mini_copy, tmp_path).value("positions").value == 65


@pytest.mark.parametrize(
    "encoding, declared", [("utf-8-sig", None), ("gbk", "gbk"), ("utf-8", "utf-8"), ("gb18030", "GB18030")]
)
def test_other_encodings(mini_copy: Path, encoding: str, declared: str | None) -> None:
    text = fixture_bytes("postings_append_zh.csv").decode("utf-8")
    r = ingest(mini_copy, text.encode(encoding), "p.csv", encoding=declared)
    assert r.ok, r.message
    assert (mini_copy / "data" / "postings.csv").read_bytes().endswith(APPENDED)


def test_excel_shapes_are_tidied(mini_copy: Path) -> None:
    data = (
        '月份,省市,城市代码,企业编号,岗位数\r\n2023/5,sichuan, chengdu ,E5,"1,020"\r\n'
        "2023年5月,chongqing,jiangbei,E3,８\r\n"
    ).encode("gb18030")
    r = ingest(mini_copy, data, "p.csv")
    assert r.ok, r.message
    assert (
        (mini_copy / "data" / "postings.csv")
        .read_bytes()
        .endswith(b"2023-05,sichuan,chengdu,E5,1020\n2023-05,chongqing,jiangbei,E3,8\n")
    )


def test_xlsx_with_dates_numbers_and_a_chosen_sheet(mini_copy: Path) -> None:
    rows = [
        ["月份", "省市", "城市代码", "企业编号", "岗位数"],
        [dt.datetime(2023, 5, 1), "sichuan", "chengdu", "E5", 20.0],
        [None, None, None, None, None],
        ["2023-05", "chongqing", "jiangbei", "E3", 8],
    ]
    r = ingest(mini_copy, xlsx_bytes(rows, sheet="五月", others=("封面",)), "p.xlsx", sheet="五月")
    assert r.ok and r.sheet == "五月" and r.format == "xlsx", r.message
    assert (mini_copy / "data" / "postings.csv").read_bytes().endswith(APPENDED)


def test_xlsx_first_sheet_by_default(mini_copy: Path) -> None:
    rows = [["month", "province", "city_id", "enterprise_id", "positions"], ["2023-05", "sichuan", "chengdu", "E5", 20]]
    r = ingest(mini_copy, xlsx_bytes(rows, sheet="data"), "p.xlsx")
    assert r.ok and r.sheet == "data", r.message


def test_dry_run_validates_and_changes_nothing(mini_copy: Path) -> None:
    before = snapshot(mini_copy)
    r = ingest(mini_copy, fixture_bytes("postings_append.csv"), dry_run=True)
    assert r.ok and not r.changed and r.rows_added == 2 and "nothing was changed" in r.message
    assert snapshot(mini_copy) == before
    assert not (mini_copy / "data" / ".versions").exists() and not audit_path(mini_copy / "data").exists()


def test_append_then_rollback_restores_the_previous_bytes(mini_copy: Path, tmp_path: Path) -> None:
    before = snapshot(mini_copy)
    r = ingest(mini_copy, fixture_bytes("postings_append.csv"))
    assert r.ok and snapshot(mini_copy) != before
    [new, baseline] = versions(mini_copy)
    assert (new.id, new.current, new.action, new.source) == ("v2", True, "ingest", "new.csv")
    assert (baseline.id, baseline.current, baseline.action, baseline.rows) == ("v1", False, "baseline", 7)
    back = undo(mini_copy, "v1", user="boss")
    assert back.ok and back.version == "v3" and back.rows_removed == 2, back.message
    assert snapshot(mini_copy) == before
    assert engine(mini_copy, tmp_path).value("positions").value == 37
    # The rollback is itself a version, so it can be undone too.
    assert undo(mini_copy, "v2").ok
    assert engine(mini_copy, tmp_path).value("positions").value == 65
    assert [v.id for v in versions(mini_copy) if v.current] == ["v4"]


def test_upsert_replaces_rows_with_the_same_key(mini_copy: Path, tmp_path: Path) -> None:
    data = (
        b"month,province,city_id,enterprise_id,positions\n2023-01,sichuan,chengdu,E1,100\n"
        b"2023-05,sichuan,chengdu,E5,1\n"
    )
    r = ingest(mini_copy, data, mode="upsert")
    assert r.ok and (r.rows_added, r.rows_replaced, r.rows_after) == (1, 1, 8), r.message
    lines = (mini_copy / "data" / "postings.csv").read_text().splitlines()
    assert lines[1] == "2023-01,sichuan,chengdu,E1,100" and lines[-1] == "2023-05,sichuan,chengdu,E5,1"
    assert engine(mini_copy, tmp_path).value("positions").value == 37 - 10 + 100 + 1


def test_replace_mode_replaces_the_whole_dataset(mini_copy: Path, tmp_path: Path) -> None:
    r = ingest(mini_copy, fixture_bytes("postings_append.csv"), mode="replace")
    assert r.ok and (r.rows_added, r.rows_removed, r.rows_after) == (2, 7, 2), r.message
    assert engine(mini_copy, tmp_path).value("positions").value == 28


def test_replace_that_orphans_rows_elsewhere_is_refused(mini_copy: Path) -> None:
    before = snapshot(mini_copy)
    cities = (
        "city_id,province,name_zh,name_en\nchengdu,sichuan,成都市,Chengdu\nyuzhong,chongqing,渝中区,Yuzhong\n"
        "jiangbei,chongqing,江北区,Jiangbei\n"
    ).encode()
    r = ingest(mini_copy, cities, "cities.csv", dataset="cities", mode="replace")
    assert_refused(
        r,
        before,
        mini_copy,
        "postings.csv, row 3, column 'city_id': still refers to cities.city_id "
        "'mianyang', which the new cities data no longer contains",
    )


def test_new_city_then_rows_that_use_it(mini_copy: Path, tmp_path: Path) -> None:
    r = ingest(mini_copy, "city_id,province,name_zh,name_en\nleshan,sichuan,乐山市,Leshan\n".encode(), dataset="cities")
    assert r.ok, r.message
    r = ingest(mini_copy, b"month,province,city_id,enterprise_id,positions\n2023-05,sichuan,leshan,E9,4\n")
    assert r.ok, r.message
    series = engine(mini_copy, tmp_path).series("positions", by="city")
    assert dict(zip(series["key"], series["label"], strict=True))["leshan"] == "乐山市"


def test_rollback_that_would_orphan_rows_is_refused(mini_copy: Path) -> None:
    ingest(mini_copy, "city_id,province,name_zh,name_en\nleshan,sichuan,乐山市,Leshan\n".encode(), dataset="cities")
    ingest(mini_copy, b"month,province,city_id,enterprise_id,positions\n2023-05,sichuan,leshan,E9,4\n")
    before = snapshot(mini_copy)
    cities_baseline = next(v for v in versions(mini_copy, "cities") if v.action == "baseline")
    r = undo(mini_copy, cities_baseline.id)
    assert not r.ok and "still refers to cities.city_id 'leshan'" in r.problems[0].reason
    assert snapshot(mini_copy) == before


def test_rollback_of_unknown_version_is_a_request_error(mini_copy: Path) -> None:
    with pytest.raises(IngestError, match="unknown version 'v9'"):
        undo(mini_copy, "v9")


def test_request_errors(mini_copy: Path) -> None:
    with pytest.raises(IngestError, match="unknown dataset 'nope'"):
        ingest(mini_copy, b"x", dataset="nope")
    with pytest.raises(IngestError, match="unknown mode"):
        ingest(mini_copy, b"x", mode="merge")
    with pytest.raises(IngestError, match="must be named"):
        ingest(mini_copy, b"x", user=" ")


def test_old_versions_are_pruned(mini_copy: Path) -> None:
    for i in range(KEEP_VERSIONS + 3):
        r = ingest(
            mini_copy, f"month,province,city_id,enterprise_id,positions\n2023-05,sichuan,chengdu,N{i},1\n".encode()
        )
        assert r.ok, r.message
    kept = versions(mini_copy, "postings")
    assert len(kept) == KEEP_VERSIONS and kept[0].current
    blobs = list((mini_copy / "data" / ".versions" / "blobs").glob("*.csv"))
    assert {b.stem for b in blobs} == {v.sha256 for v in kept}


def test_audit_log_records_each_ingest_and_rollback(mini_copy: Path) -> None:
    data = fixture_bytes("postings_append.csv")
    ingest(mini_copy, data, "p.csv", user="alice")
    undo(mini_copy, "v1", user="bob")
    events = read_audit(**paths(mini_copy))
    assert [(e["action"], e["user"], e["result"]) for e in events] == [
        ("ingest", "alice", "ok"),
        ("rollback", "bob", "ok"),
    ]
    import hashlib

    first = events[0]
    assert first["sha256"] == hashlib.sha256(data).hexdigest() and first["file_name"] == "p.csv"
    assert (first["dataset"], first["rows_added"], first["rows_replaced"], first["version"]) == ("postings", 2, 0, "v2")
    assert events[1]["restored_from"] == "v1" and events[1]["rows_removed"] == 2
    assert all(e["ts"].endswith("+00:00") for e in events)
    assert verify_chain(mini_copy / "data") == []


def test_audit_log_tampering_is_detectable(mini_copy: Path) -> None:
    for i in range(3):
        ingest(mini_copy, f"month,province,city_id,enterprise_id,positions\n2023-05,sichuan,chengdu,T{i},1\n".encode())
    log = audit_path(mini_copy / "data")
    lines = log.read_text(encoding="utf-8").splitlines()
    edited = json.loads(lines[1]) | {"user": "someone else"}
    log.write_text("\n".join([lines[0], json.dumps(edited, ensure_ascii=False), lines[2]]) + "\n", encoding="utf-8")
    assert verify_chain(mini_copy / "data") == [3]


def test_data_dictionary_of_the_shipped_project() -> None:
    entries = datasets()
    by_name = {e["name"]: e for e in entries}
    jp = by_name["job_postings"]
    assert jp["file"] == "data/job_postings.csv" and jp["primary_key"] == ["enterprise_id", "month"]
    positions = next(c for c in jp["columns"] if c["name"] == "positions")
    assert (positions["name_zh"], positions["type"], positions["min"]) == ("岗位数", "integer", 0)
    assert all({"name", "name_zh", "type"} <= set(c) for e in entries for c in e["columns"])
    json.dumps(entries, ensure_ascii=False)  # plain data all the way down


def test_the_shipped_data_round_trips_byte_for_byte(tmp_path: Path) -> None:
    """Appending to a shipped file keeps its existing bytes: the writer matches the generator's format."""
    from metrics.config import DEFAULT_CONFIG, load_config
    from metrics.ingest.normalise import to_csv
    from metrics.ingest.validate import current_text
    from metrics.warehouse import resolve_paths

    cfg = load_config()
    data_dir = resolve_paths(cfg, DEFAULT_CONFIG).data_dir
    for name, ds in cfg.datasets.items():
        original = (data_dir / ds.file).read_bytes()
        assert to_csv(current_text(data_dir, ds), ds) == original, name


def test_title_rows_above_the_header_are_skipped(mini_copy: Path) -> None:
    text = "2023年5月 岗位发布情况,,,,\n填报单位:某某人社局,,,,\n" + fixture_bytes("postings_append_zh.csv").decode()
    r = ingest(mini_copy, text.encode("gb18030"), "p.csv")
    assert r.ok, r.message
    assert (mini_copy / "data" / "postings.csv").read_bytes().endswith(APPENDED)
    rows = [
        ["岗位发布情况"],
        [],
        ["月份", "省市", "城市代码", "企业编号", "岗位数"],
        ["2023-05", "sichuan", "chengdu", "E5", -1],
    ]
    r = ingest(mini_copy, xlsx_bytes(rows), "p.xlsx", mode="upsert")
    assert not r.ok and str(r.problems[0]) == (
        "p.xlsx, row 4, column '岗位数 (positions)': negative count (value '-1')"
    )


def test_append_keeps_the_existing_bytes_untouched(mini_copy: Path) -> None:
    path = mini_copy / "data" / "postings.csv"
    quirky = path.read_bytes().replace(b"2023-01,sichuan,chengdu,E1,10", b'2023-01,"sichuan",chengdu,E1,10 ')
    path.write_bytes(quirky)
    assert ingest(mini_copy, fixture_bytes("postings_append.csv")).ok
    assert path.read_bytes() == quirky + APPENDED
