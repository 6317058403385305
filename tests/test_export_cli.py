"""`python -m metrics export | charts | deck`: files read back, one-line errors with exit code 2."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from PIL import Image
from pptx import Presentation

from metrics import Engine, Filters
from metrics.cli import main
from metrics.exports import images

F = Filters(start="2023-01", end="2023-06", province="chongqing")
FILTER_ARGS = ["--from", "2023-01", "--to", "2023-06", "--province", "chongqing"]


def run(capsysbinary, *argv: str) -> tuple[int, bytes, str]:
    code = main(list(argv))
    out, err = capsysbinary.readouterr()
    return code, out, err.decode("utf-8")


def tiny_png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (8, 5), "white").save(buf, "PNG")
    return buf.getvalue()


class FakeRenderer:
    """Stands in for Chromium: returns a tiny PNG (or SVG) and remembers the titles it was asked to draw."""

    def __init__(self) -> None:
        self.titles: list[str] = []

    def render_many(self, figs, fmt="png", **kw) -> list[bytes]:
        figs = list(figs)
        self.titles += [f.layout.title.text for f in figs]
        return [tiny_png() if fmt == "png" else b"<svg/>" for _ in figs]

    def render(self, fig, fmt="png", **kw) -> bytes:
        return self.render_many([fig], fmt)[0]


def test_export_one_indicator_csv(capsysbinary, engine: Engine, tmp_path: Path) -> None:
    code, _, err = run(capsysbinary, "export", "cardholders", "--by", "city", *FILTER_ARGS, "-o", str(tmp_path))
    assert code == 0
    path = tmp_path / "cardholders_by-city_2023-01_2023-06_chongqing_zh_asof-2023-08-29.csv"
    assert f"wrote {path}" in err
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    df = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    # The value column says its unit.
    assert "数值(人)" in df.columns and df["数值(人)"].sum() == engine.value("cardholders", F).value
    assert len(df) == 38  # Chongqing's districts


def test_export_all_xlsx_with_id_row(capsysbinary, engine: Engine, tmp_path: Path) -> None:
    out = tmp_path / "all.xlsx"
    code, _, _ = run(
        capsysbinary, "export", "--all", *FILTER_ARGS, "--lang", "en", "--header", "id-row", "-o", str(out)
    )
    assert code == 0
    wb = openpyxl.load_workbook(out)
    ws = wb["Data"]
    assert ws["A1"].value == "Indicator id" and ws["A2"].value == "indicator_id"
    values = {r[0]: r[4] for r in ws.iter_rows(min_row=3, values_only=True)}
    assert values["cardholders"] == engine.value("cardholders", F).value
    about = {r[0]: r[1] for r in wb["About"].iter_rows(values_only=True) if r[0]}
    assert about["Province"] == "Chongqing" and about["Data as of"] == "2023-08-29"


def test_export_all_by_month_to_stdout(capsysbinary, engine: Engine) -> None:
    code, out, _ = run(capsysbinary, "export", "--all", "--by", "month", "--header", "ids", "-o", "-")
    df = pd.read_csv(io.BytesIO(out), encoding="utf-8-sig")
    assert code == 0 and set(df["indicator_id"]) == {i.id for i in engine.config.indicators}
    sub = df[df["indicator_id"] == "online_recruit_positions"]
    assert sub["value"].sum() == engine.value("online_recruit_positions").value


@pytest.mark.parametrize(
    "argv, message",
    [
        (["export"], "give one indicator id or --all"),
        (["export", "cardholders", "--all"], "give one indicator id or --all"),
        (["export", "no_such"], "unknown indicator 'no_such'"),
        (["export", "cardholders", "--by", "industry"], "cannot be broken down by 'industry'"),
        (["export", "--all", "--by", "colour"], "unknown dimension 'colour'"),
        (["export", "cardholders", "--format", "pdf"], "invalid choice: 'pdf'"),
        (["export", "cardholders", "--header", "fancy"], "invalid choice: 'fancy'"),
        (["export", "cardholders", "--from", "2023-5"], "--from must be a month like 2023-08"),
        (["export", "cardholders", "--format", "xlsx", "-o", "-"], "XLSX is binary"),
        (["charts", "--format", "gif", "--out", "x"], "invalid choice: 'gif'"),
        (["charts", "--lang", "fr", "--out", "x"], "invalid choice: 'fr'"),
        (["charts"], "the following arguments are required: --out"),
        (["deck", "--province", "tibet"], "province must be one of"),
        (["deck", "-o", "pack.pdf"], "the deck is a .pptx file"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(capsysbinary, argv: list[str], message: str) -> None:
    code, _, err = run(capsysbinary, *argv)
    assert code == 2 and message in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


@pytest.mark.parametrize(
    "argv",
    [
        ["export", "cardholders", "-o", "{missing}/x.csv"],
        ["export", "--all", "--format", "xlsx", "-o", "{missing}/x.xlsx"],
        ["deck", "-o", "{missing}/pack.pptx"],
    ],
)
def test_unwritable_output_is_a_clear_error(
    capsysbinary, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, argv: list[str]
) -> None:
    monkeypatch.setattr(images, "renderer", lambda: FakeRenderer())
    argv = [a.replace("{missing}", str(tmp_path / "missing")) for a in argv]
    code, _, err = run(capsysbinary, *argv)
    assert code == 2 and "cannot write" in err and "does not exist" in err


def test_charts_out_must_be_a_directory(capsysbinary, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    code, _, err = run(capsysbinary, "charts", "--out", str(tmp_path / "file" / "sub"))
    assert code == 2 and "cannot" in err and str(tmp_path / "file") in err


def test_charts_writes_every_headline_chart(
    capsysbinary, engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = FakeRenderer()
    monkeypatch.setattr(images, "renderer", lambda: fake)
    monkeypatch.setattr(images, "images_available", lambda: True)
    code, _, err = run(capsysbinary, "charts", "--lang", "en", "--format", "svg", "--out", str(tmp_path / "c"))
    assert code == 0
    files = sorted(p.name for p in (tmp_path / "c").iterdir())
    ids = [i.id for i in engine.config.headline_indicators()]
    assert len(files) == len(ids) + 3
    assert f"{ids[0]}-monthly_2021-01_2023-08_all_en_asof-2023-08-29.svg" in files
    assert "tasks-burnup_2021-01_2023-08_all_en_asof-2023-08-29.svg" in files
    assert any("Social security cardholders" in t for t in fake.titles)


def test_charts_without_chromium_explains(capsysbinary, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    code, _, err = run(capsysbinary, "charts", "--out", str(tmp_path / "c"))
    assert code == 1 and "apt-get install chromium" in err and "Traceback" not in err


def test_deck_writes_a_pptx(capsysbinary, engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(images, "renderer", lambda: FakeRenderer())
    code, _, err = run(capsysbinary, "deck", "--lang", "en", *FILTER_ARGS, "-o", str(tmp_path))
    path = tmp_path / "meeting-pack_2023-01_2023-06_chongqing_en_asof-2023-08-29.pptx"
    assert code == 0 and f"wrote {path}" in err
    prs = Presentation(str(path))
    assert prs.slides[0].shapes.title.text.startswith("Sichuan–Chongqing")
