"""Chart images: PNG of the expected size and not blank, Chinese drawn as glyphs, SVG carries its text.

One warm Chromium serves the whole test session (metrics.exports.images keeps it per process).
"""

from __future__ import annotations

import io
import os

import pytest
from PIL import Image

from metrics import Engine, Filters
from metrics.charts import monthly_chart
from metrics.exports import images
from metrics.figures.builders import base as _base
from metrics.figures.fit import export_figure, wrap_footnote
from metrics.figures.style import TEMPLATE, ChartText


def require_chromium() -> None:
    """Skip without Chromium, except in CI, where image export must work."""
    if not images.images_available():
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium is required in CI (scripts/setup_system.sh installs it)")
        pytest.skip("Chromium not installed: " + images.enable_hint("en"))


@pytest.fixture(scope="module")
def warm() -> images.Renderer:
    require_chromium()
    r = images.renderer()
    r.start()
    return r


def png_image(data: bytes) -> Image.Image:
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    return Image.open(io.BytesIO(data)).convert("RGB")


def test_png_is_2x_and_not_blank(engine: Engine, warm: images.Renderer) -> None:
    chart = monthly_chart(engine, engine.indicator("cardholders"), Filters(), "zh")
    fig = export_figure(chart.figure, chart.text)
    img = png_image(warm.render(fig, "png"))
    assert img.size == (images.WIDTH * images.SCALE, int(fig.layout.height) * images.SCALE)
    colors = img.getcolors(maxcolors=1 << 22)
    assert len(colors) > 50  # lines, text and antialiasing, not one flat colour
    # The province colours are drawn (no black bars from a foreign template).
    pixels = {c for _, c in colors}
    assert (31, 111, 178) in pixels and (217, 98, 43) in pixels
    assert (0, 0, 0) not in pixels


def test_chinese_renders_as_glyphs(warm: images.Renderer) -> None:
    # Missing CJK fonts draw every character as the same empty box, so two different titles would look alike.
    def title_only(title: str) -> bytes:
        fig = _base(ChartText(title, ""), height=120)
        fig.update_layout(xaxis_visible=False, yaxis_visible=False, margin=dict(t=60, b=0, l=0, r=0))
        return warm.render(fig, "png", width=400, height=120, scale=1)

    a, b = png_image(title_only("社会保障卡")), png_image(title_only("持卡人数据"))
    assert a.tobytes() != b.tobytes()


def test_svg_contains_title_unit_and_footnote(engine: Engine, warm: images.Renderer) -> None:
    chart = monthly_chart(engine, engine.indicator("online_recruit_positions"), Filters(province="sichuan"), "en")
    svg = warm.render(export_figure(chart.figure, chart.text), "svg").decode("utf-8")
    assert svg.lstrip().startswith("<svg") or "<svg" in svg[:500]
    assert "Positions posted in the joint online recruitment zone" in svg
    assert "(positions)" in svg
    # Monthly data is as of a month (provenance.indicator_as_of), never a month's first day.
    assert "Data as of: 2023-08 " in svg.replace("<", " ") and "Period: 2021-01 – 2023-08" in svg


def test_export_figure_forces_our_template_and_draws_text() -> None:
    text = ChartText("标题", "人", "2021-01 – 2023-08", "来源甲", "2023-08-29", "zh")
    fig = _base(ChartText("", ""))
    fig.update_layout(template="plotly_dark")
    out = export_figure(fig, text)
    assert out.layout.template.layout.paper_bgcolor == TEMPLATE.layout.paper_bgcolor == "white"
    assert "标题" in out.layout.title.text and "(人)" in out.layout.title.text
    assert any("数据截至: 2023-08-29" in a.text for a in out.layout.annotations)


def test_long_footnotes_wrap() -> None:
    lines = wrap_footnote("Period: 2021-01 – 2023-08 · Source: " + "x" * 140 + " · Data as of: 2023-08-29")
    assert len(lines) == 3 and lines[2] == "Data as of: 2023-08-29"


def test_missing_chromium_is_reported_not_crashed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    assert not images.images_available()
    r = images.Renderer()
    with pytest.raises(images.ImageExportUnavailable, match="Chromium"):
        r.render(_base(ChartText("t", "")), "png")
    assert "apt-get install chromium" in images.enable_hint("en")
    assert "BROWSER_PATH" in images.enable_hint("zh")
