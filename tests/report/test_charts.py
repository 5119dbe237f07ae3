"""Charts: Japanese font set-up without missing glyphs, helpers, deterministic figure files."""

from __future__ import annotations

import base64
import json
import logging
import re
import subprocess
import sys
import warnings
from html.parser import HTMLParser
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import pytest
from matplotlib import font_manager

from komae_analysis.report import charts, numbers
from komae_analysis.report.charts import AppendixFigure

JAPANESE_TEXT = "令和8年 高齢化率の推移～（％）－ ㎡ 平成30年度 65歳以上 あいとぴあ圏域"


@pytest.fixture(autouse=True)
def _appendix_settings():
    charts.setup()  # figures below are made with pyplot directly, so the settings come first


def draw(title: str = JAPANESE_TEXT) -> matplotlib.figure.Figure:
    years = [2017, 2018, 2019, 2020, 2026]
    fig, ax = plt.subplots()
    ax.plot(years, [80807, 81788, 82481, 83257, 82258], marker="o", label="総人口（住民基本台帳）")
    ax.bar(years, [-1200, 500, 300, -100, 20000], label="増減数")
    ax.set_xticks(years, charts.wareki_year_labels(years, style="long", western=True))
    ax.set_title(title)
    ax.set_ylabel("人口（人）")
    ax.annotate("2.3％増～", (2019, 82481))
    charts.thousands(ax)
    ax.legend()
    return fig


def make_figure(**overrides) -> AppendixFigure:
    kwargs = {
        "number": "図2-1-1",
        "title": "総人口の推移",
        "figure": draw(),
        "alt": "狛江市の総人口は平成29年の80,807人から令和8年の82,258人へ推移しています。",
        "source": "総務省「住民基本台帳に基づく人口、人口動態及び世帯数」",
        "section": "02_statistics",
        "notes": ["各年1月1日現在。"],
    }
    kwargs.update(overrides)
    return AppendixFigure(**kwargs)


# ---------------------------------------------------------------------------------------------
# Set-up
# ---------------------------------------------------------------------------------------------


def test_importing_charts_does_not_import_matplotlib():
    code = (
        "import sys\n"
        "import komae_analysis.report.charts as c\n"
        "assert c.PALETTE and c.OKABE_ITO and c.SEX_COLORS and c.FONT_NAME and c.DPI\n"
        "print(sorted(m for m in sys.modules if m == 'matplotlib' or m.startswith('matplotlib.')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_setup_is_idempotent_and_uses_the_wheel_font():
    charts.setup()
    charts.setup()
    wheel_font = charts.font_path().resolve()
    assert wheel_font.name == "ipaexg.ttf" and "matplotlib_fontja" in wheel_font.parts
    registered = [f for f in font_manager.fontManager.ttflist if f.name == "IPAexGothic"]
    assert len(registered) == 1
    assert font_manager.findfont("IPAexGothic", fallback_to_default=False) == str(wheel_font)
    assert matplotlib.rcParams["font.family"] == ["IPAexGothic"]
    assert matplotlib.get_backend().lower() == "agg"


def test_palette_is_okabe_ito():
    okabe_ito = {"#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"}
    assert set(charts.PALETTE) == okabe_ito and len(charts.PALETTE) == 8
    cycle = [c.upper() for c in matplotlib.rcParams["axes.prop_cycle"].by_key()["color"]]
    assert cycle == charts.PALETTE


# ---------------------------------------------------------------------------------------------
# Glyphs
# ---------------------------------------------------------------------------------------------


def _render_capturing(fig, caplog) -> list[str]:
    caplog.clear()
    with warnings.catch_warnings(record=True) as caught, caplog.at_level(logging.DEBUG, logger="matplotlib"):
        warnings.simplefilter("always")
        fig.canvas.draw()
        AppendixFigure(number="図9-9-9", title="確認", figure=fig, alt="確認用の図", source="確認").png_bytes()
    messages = [str(w.message) for w in caught]
    messages += [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    return messages


def test_japanese_text_renders_without_glyph_warnings(caplog):
    messages = _render_capturing(draw(), caplog)
    assert [m for m in messages if "Glyph" in m or "missing" in m or "findfont" in m] == []
    assert messages == []


def test_glyph_check_would_catch_a_missing_font(caplog):
    """The capture above is able to fail: with a Latin-only font the same text warns."""
    with matplotlib.rc_context({"font.family": ["DejaVu Sans"]}):
        messages = _render_capturing(draw(), caplog)
    assert any("Glyph" in m and "missing" in m for m in messages)


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def test_wareki_year_labels():
    years = [2017, 2018, 2019, 2020, 2026]
    assert charts.wareki_year_labels(years) == ["H29", "H30", "R1", "R2", "R8"]
    assert charts.wareki_year_labels(years, style="long") == [
        "平成29年",
        "平成30年",
        "令和元年",
        "令和2年",
        "令和8年",
    ]
    assert charts.wareki_year_labels([2018, 2019, 2026], style="long", fiscal=True) == [
        "平成30年度",
        "令和元年度",
        "令和8年度",
    ]
    assert charts.wareki_year_labels([2026], style="long", western=True) == ["令和8年\n(2026)"]
    with pytest.raises(ValueError):
        charts.wareki_year_labels([2026], style="medium")


def test_thousands_and_percent_formatters():
    fig, ax = plt.subplots()
    charts.thousands(ax)
    fmt = ax.yaxis.get_major_formatter()
    assert fmt(82258, 0) == "82,258"
    assert fmt(1234567, 0) == "1,234,567"
    assert fmt(-1000, 0) == "\u22121,000"
    assert fmt(-0.0, 0) == "0"
    assert fmt(-0.4, 0) == "0"  # no "−0"
    assert fmt(2.5, 0) == "3"  # half up, like the tables (round() gives 2)
    charts.percent(ax, axis="x", decimals=1)
    assert ax.xaxis.get_major_formatter()(0.243, 0) == "24.3％"
    assert ax.xaxis.get_major_formatter()(0.2425, 0) == "24.3％"  # float 0.2425 is 0.24249999…
    charts.percent(ax, axis="x")
    assert ax.xaxis.get_major_formatter()(0.25, 0) == "25％"
    assert ax.xaxis.get_major_formatter()(0.125, 0) == "13％"
    assert ax.xaxis.get_major_formatter()(-0.1, 0) == "\u221210％"
    charts.percent(ax, axis="x", xmax=100)
    assert ax.xaxis.get_major_formatter()(24.0, 0) == "24％"
    with pytest.raises(ValueError):
        charts.thousands(ax, axis="z")
    plt.close(fig)


def test_labels_round_like_the_tables():
    share = 7245 / 14000  # 51.75 % → 51.8 in the table
    assert charts.percent_label(share, 1) == "51.8％"
    assert charts.thousands_label(1234.5) == "1,235"
    assert charts.thousands_label(2.675, 2) == "2.68"


def test_new_figure_right_axis_and_end_labels():
    fig = charts.new_figure(6, 3)
    assert tuple(fig.get_size_inches()) == (6, 3)
    ax = fig.add_subplot()
    ax.plot([0, 1, 2], [0.2425, 0.25, 0.5175])
    assert not ax.spines["right"].get_visible()
    ax2 = charts.right_axis(ax)
    assert ax2.spines["right"].get_visible()
    charts.label_ends(ax, [0, 1, 2], [0.2425, 0.25, 0.5175], numbers.pct)
    assert [t.get_text() for t in ax.texts] == ["24.3％", "51.8％"]  # first and last point, table rounding


# ---------------------------------------------------------------------------------------------
# AppendixFigure
# ---------------------------------------------------------------------------------------------


def test_png_deterministic(tmp_path):
    a, b = make_figure(), make_figure()
    assert a.png_bytes() == b.png_bytes()  # two separate renderings of the same drawing
    p1 = a.save(tmp_path / "one")
    p2 = a.save(tmp_path / "two")
    p3 = b.save(tmp_path / "three")
    assert p1.name == "fig2-1-1.png"
    assert p1.read_bytes() == p2.read_bytes() == p3.read_bytes()
    data = p1.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert b"matplotlib" not in data  # no Software text chunk
    assert b"tIME" not in data


def test_figure_closed_after_rendering():
    fig_obj = make_figure()
    num = fig_obj.figure.number
    assert plt.fignum_exists(num)
    fig_obj._repr_html_()
    assert not plt.fignum_exists(num)
    assert fig_obj.to_html() == fig_obj._repr_html_()  # still available from the cached PNG


class _FigureParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.img: dict[str, str] = {}
        self.figcaption = ""
        self.paragraphs: list[str] = []
        self._buf: list[str] | None = None
        self._tag = ""

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.img = dict(attrs)
        if tag in ("figcaption", "p"):
            self._buf, self._tag = [], tag

    def handle_endtag(self, tag):
        if tag == self._tag and self._buf is not None:
            text = "".join(self._buf)
            if tag == "figcaption":
                self.figcaption = text
            else:
                self.paragraphs.append(text)
            self._buf = None

    def handle_data(self, data):
        if self._buf is not None:
            self._buf.append(data)


def test_to_html(tmp_path):
    f = make_figure(alt='人口は"増加"<傾向>です')
    html_text = f.to_html()
    p = _FigureParser()
    p.feed(html_text)
    assert p.img["alt"] == '人口は"増加"<傾向>です'
    assert p.img["src"].startswith("data:image/png;base64,")
    assert base64.b64decode(p.img["src"].split(",", 1)[1]) == f.png_bytes()
    assert p.figcaption == "図2-1-1総人口の推移"
    assert p.paragraphs == [
        "出典：総務省「住民基本台帳に基づく人口、人口動態及び世帯数」",
        "注：各年1月1日現在。",
    ]
    assert re.search(r'<figure class="komae-figure" id="fig2-1-1">', html_text)
    linked = f.to_html(png_src="../figures/02_statistics/fig2-1-1.png", css=False)
    assert 'src="../figures/02_statistics/fig2-1-1.png"' in linked and "<style>" not in linked


def test_unnumbered_figure_html():
    f = make_figure(number="")
    text = f.to_html(css=False)
    assert "komae-figure-number" not in text and " id=" not in text
    p = _FigureParser()
    p.feed(text)
    assert p.figcaption == "総人口の推移"


def test_save_and_load(tmp_path):
    f = make_figure()
    png = f.save(tmp_path)
    meta = json.loads((tmp_path / "fig2-1-1.json").read_text(encoding="utf-8"))
    assert meta["png"] == "fig2-1-1.png" and meta["number"] == "図2-1-1"
    g = AppendixFigure.load(tmp_path / "fig2-1-1.json")
    assert g.figure is None and g.png_path == png
    for attr in ("number", "title", "alt", "source", "section", "notes"):
        assert getattr(g, attr) == getattr(f, attr), attr
    assert g.png_bytes() == png.read_bytes()
    assert g.to_html() == f.to_html()
    assert sorted(x.name for x in tmp_path.iterdir()) == ["fig2-1-1.json", "fig2-1-1.png"]


def test_metadata_required():
    with pytest.raises(ValueError, match="代替テキスト"):
        make_figure(alt=" ")
    with pytest.raises(ValueError, match="出典"):
        make_figure(source="")
    with pytest.raises(ValueError):
        make_figure(number="図").save(Path("/nonexistent"))
    with pytest.raises(TypeError, match="Figure"):
        make_figure(figure="not a figure")
    plt.close("all")
