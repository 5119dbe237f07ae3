"""Charts for the appendix: matplotlib set up for Japanese, helpers, and :class:`AppendixFigure`.

Importing this module calls :func:`setup`: the Agg backend, the IPAex Gothic font shipped in the
``matplotlib-fontja`` wheel (registered from its file, so no system font is needed), the Okabe–Ito
colour-blind-safe palette and sizes suited to A4 reports.

A section draws a figure, wraps it in an :class:`AppendixFigure` (number, title, alt text, 出典)
and displays and/or saves it. The PNG is rendered once; the matplotlib figure is then closed, so a
notebook does not show it a second time.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
import json
import struct
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, PercentFormatter

from komae_analysis.calendar import short_fy, wareki_fy, wareki_year
from komae_analysis.fileio import atomic_write_bytes
from komae_analysis.report.fonts import font_path
from komae_analysis.report.tables import TABLE_CSS, note_line, slug, source_line

__all__ = [
    "DPI",
    "FONT_NAME",
    "OKABE_ITO",
    "PALETTE",
    "SEX_COLORS",
    "AppendixFigure",
    "font_path",
    "percent",
    "setup",
    "thousands",
    "wareki_year_labels",
]

FONT_NAME = "IPAexGothic"

#: Okabe & Ito (2008) colours, by name.
OKABE_ITO: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
#: The colour cycle of every chart: Okabe–Ito, strongest contrasts first (yellow late: weak on white).
_CYCLE_ORDER = (
    "blue",
    "orange",
    "bluish_green",
    "vermillion",
    "sky_blue",
    "reddish_purple",
    "yellow",
    "black",
)
PALETTE: list[str] = [OKABE_ITO[name] for name in _CYCLE_ORDER]
#: Colours for 男 / 女 (population pyramids and the like).
SEX_COLORS: dict[str, str] = {"男": OKABE_ITO["blue"], "女": OKABE_ITO["vermillion"]}

#: Resolution of saved PNGs.
DPI = 150
#: Figure width in inches (about 16 cm: the text width of an A4 page) and default height.
FIG_WIDTH = 6.4
FIG_HEIGHT = 4.0
#: Image width in CSS pixels per inch of figure (CSS px are 1/96 inch).
_CSS_PX_PER_INCH = 96

_RC = {
    "font.family": [FONT_NAME],
    "font.size": 10.0,
    "axes.titlesize": 12.0,
    "axes.titleweight": "normal",  # IPAex Gothic has one weight: asking for bold only logs a warning
    "figure.titleweight": "normal",
    "axes.labelsize": 10.0,
    "xtick.labelsize": 9.0,
    "ytick.labelsize": 9.0,
    "legend.fontsize": 9.0,
    "legend.frameon": False,
    "axes.unicode_minus": True,  # IPAex Gothic has U+2212 MINUS SIGN
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "axes.axisbelow": True,
    "grid.color": "#d0d0d0",
    "grid.linewidth": 0.6,
    "figure.figsize": (FIG_WIDTH, FIG_HEIGHT),
    "figure.dpi": 100.0,
    "figure.autolayout": False,
    "figure.constrained_layout.use": True,
    "savefig.dpi": DPI,
    "savefig.facecolor": "white",
    "savefig.bbox": None,
    "svg.hashsalt": "komae_analysis",
    "pdf.fonttype": 42,
    "ps.fonttype": 42,
}

_registered: Path | None = None


def setup() -> None:
    """Configure matplotlib for the appendix (idempotent; run on import of this module)."""
    global _registered
    if matplotlib.get_backend().lower() != "agg":
        matplotlib.use("Agg", force=True)
    if _registered is None:
        path = font_path()
        known = {Path(f.fname).resolve() for f in font_manager.fontManager.ttflist}
        if path.resolve() not in known:
            font_manager.fontManager.addfont(str(path))
        _registered = path
    matplotlib.rcParams.update(_RC)
    matplotlib.rcParams["axes.prop_cycle"] = matplotlib.cycler(color=PALETTE)


# ---------------------------------------------------------------------------------------------
# Axis helpers
# ---------------------------------------------------------------------------------------------


def _axes_of(ax: Axes, axis: str) -> list:
    if axis == "x":
        return [ax.xaxis]
    if axis == "y":
        return [ax.yaxis]
    if axis == "both":
        return [ax.xaxis, ax.yaxis]
    raise ValueError(f"axis は 'x'、'y'、'both' のいずれかです: {axis!r}")


def _minus(text: str) -> str:
    return text.replace("-", "\u2212") if matplotlib.rcParams["axes.unicode_minus"] else text


def thousands(ax: Axes, axis: str = "y", decimals: int = 0) -> Axes:
    """Tick labels with thousands separators (82,258) on ``axis`` ("x", "y" or "both")."""

    def fmt(x: float, _pos: object) -> str:
        text = f"{x:,.{decimals}f}"
        if text.lstrip("-").strip("0.,") == "":  # −0 → 0
            text = text.lstrip("-")
        return _minus(text)

    for a in _axes_of(ax, axis):
        a.set_major_formatter(FuncFormatter(fmt))
    return ax


def percent(ax: Axes, axis: str = "y", decimals: int = 0, xmax: float = 1.0) -> Axes:
    """Percent tick labels for data stored as fractions (0.243 → 24%); ``xmax=100`` for percent data."""
    for a in _axes_of(ax, axis):
        a.set_major_formatter(PercentFormatter(xmax=xmax, decimals=decimals))
    return ax


def _year_of(value: object) -> int:
    if isinstance(value, dt.date):
        return value.year
    year = getattr(value, "year", None)
    if isinstance(year, int):
        return year
    return int(value)  # type: ignore[call-overload]


def wareki_year_labels(
    years: Iterable[object], *, style: str = "short", fiscal: bool = False, western: bool = False
) -> list[str]:
    """和暦 labels for Western years (ints, dates or Timestamps).

    - ``style="short"``: H29, H30, R1 … (2017, 2018, 2019 …)
    - ``style="long"``: 平成29年, 平成30年, 令和元年 … (with ``fiscal=True``: 令和8年度)
    - ``western=True`` adds the Western year on a second line: 令和8年\\n(2026)
    2019 is 令和元年 (R1), following :func:`komae_analysis.calendar.wareki_year`.
    """
    if style not in ("short", "long"):
        raise ValueError(f"style は 'short' か 'long' です: {style!r}")
    labels = []
    for value in years:
        year = _year_of(value)
        if style == "short":
            label = short_fy(year)
        elif fiscal:
            label = wareki_fy(year)
        else:
            label = wareki_year(year)
        if western:
            label += f"\n({year})"
        labels.append(label)
    return labels


# ---------------------------------------------------------------------------------------------
# Figures, second axes and value labels
# ---------------------------------------------------------------------------------------------


def new_figure(width: float = FIG_WIDTH, height: float = FIG_HEIGHT) -> Figure:
    """A new figure (not registered with pyplot), with the appendix's settings applied."""
    setup()
    return Figure(figsize=(width, height), layout="constrained")


def right_axis(ax: Axes) -> Axes:
    """A second y axis on the right (``twinx``) whose spine and ticks are visible (the appendix's
    style hides the right spine of ordinary axes)."""
    ax2 = ax.twinx()
    ax2.spines["right"].set_visible(True)
    ax2.grid(False)
    return ax2


def label_ends(ax: Axes, x: Sequence[float], y: Sequence[float], text: Callable[[float], str], *,
               color: str | None = None, offset_points: float = 7.0) -> None:
    """Write the value at the first and last point of a line (``text`` formats a value, e.g.
    :func:`komae_analysis.report.numbers.pct`), above the points."""
    xs, ys = list(x), list(y)
    if not xs:
        return
    for i in sorted({0, len(xs) - 1}):
        ax.annotate(text(ys[i]), (xs[i], ys[i]), textcoords="offset points", xytext=(0, offset_points),
                    ha="center", va="bottom", fontsize=8.5, color=color or "#222222")


# ---------------------------------------------------------------------------------------------
# The figure
# ---------------------------------------------------------------------------------------------

_JSON_KIND = "komae_appendix_figure"
_JSON_VERSION = 1
_PNG_METADATA = {"Software": None}


def _png_size(data: bytes) -> tuple[int, int]:
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("PNG ではありません")
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@dataclass(eq=False, kw_only=True)
class AppendixFigure:
    """One appendix figure: number (図2-1-1), title, the matplotlib figure, alt text and 出典.

    The PNG is rendered on first use (display or save) and kept; the matplotlib figure is closed at
    that point, so later changes to it are not picked up. An object read back by :meth:`load` has
    ``figure=None`` and ``png_path`` set.
    """

    title: str
    figure: Figure | None
    alt: str
    source: str
    section: str = ""
    notes: list[str] = field(default_factory=list)
    png_path: Path | None = None
    #: 図2-1-1; empty until the section shows the figure (numbers follow display order)
    number: str = ""

    def __post_init__(self) -> None:
        if self.number:
            slug(self.number)  # fails clearly if no file name can be made
        where = f"図「{self.number}」"
        if not self.title or not self.title.strip():
            raise ValueError(f"{where}: 表題が空です")
        if not self.alt or not self.alt.strip():
            raise ValueError(f"{where}: 代替テキスト（alt）が空です。図の内容を文章で説明してください")
        if not self.source or not self.source.strip():
            raise ValueError(f"{where}: 出典が空です（すべての図に出典が必要です）")
        if self.figure is None and self.png_path is None:
            raise ValueError(f"{where}: figure も png_path もありません")
        if self.figure is not None and not isinstance(self.figure, Figure):
            raise TypeError(f"{where}: figure は matplotlib.figure.Figure にしてください")
        if isinstance(self.notes, str):
            self.notes = [self.notes]
        self.notes = list(self.notes)
        if self.png_path is not None:
            self.png_path = Path(self.png_path)
        self._png: bytes | None = None

    @property
    def slug(self) -> str:
        """ASCII file stem and HTML id: 図2-1-1 → fig2-1-1."""
        return slug(self.number)

    def source_line(self) -> str:
        return source_line(self.source)

    def note_lines(self) -> list[str]:
        return [note_line(n) for n in self.notes if n and n.strip()]

    def png_bytes(self) -> bytes:
        """The PNG (rendered once, deterministically; the matplotlib figure is then closed)."""
        if self._png is None:
            if self.figure is not None:
                buf = io.BytesIO()
                self.figure.savefig(buf, format="png", dpi=DPI, metadata=_PNG_METADATA, facecolor="white")
                self._png = buf.getvalue()
                if getattr(self.figure.canvas, "manager", None) is not None:
                    # a figure made with pyplot is registered there; ours (Figure()) are not
                    import matplotlib.pyplot as plt

                    plt.close(self.figure)
            else:
                assert self.png_path is not None
                self._png = self.png_path.read_bytes()
        return self._png

    def close(self) -> None:
        """Close the matplotlib figure (after rendering it, so the PNG stays available)."""
        self.png_bytes()

    def save(self, directory: Path) -> Path:
        """Write ``<directory>/<slug>.png`` and ``<slug>.json`` (metadata) atomically; return the PNG path."""
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        data = self.png_bytes()
        png = directory / f"{self.slug}.png"
        atomic_write_bytes(png, data)
        width, height = _png_size(data)
        meta = {
            "kind": _JSON_KIND,
            "version": _JSON_VERSION,
            "number": self.number,
            "title": self.title,
            "alt": self.alt,
            "source": self.source,
            "section": self.section,
            "notes": list(self.notes),
            "png": png.name,
            "width_px": width,
            "height_px": height,
            "dpi": DPI,
        }
        text = json.dumps(meta, ensure_ascii=False, indent=2) + "\n"
        atomic_write_bytes(directory / f"{self.slug}.json", text.encode("utf-8"))
        self.png_path = png
        return png

    @classmethod
    def load(cls, json_path: Path) -> AppendixFigure:
        """Read the metadata written by :meth:`save` (``figure`` is None, ``png_path`` the PNG file)."""
        json_path = Path(json_path)
        meta = json.loads(json_path.read_text(encoding="utf-8"))
        if meta.get("kind") != _JSON_KIND:
            raise ValueError(f"{json_path} は図のメタデータではありません")
        png = json_path.parent / meta["png"]
        if not png.exists():
            raise FileNotFoundError(f"図「{meta['number']}」の画像 {png} がありません")
        return cls(
            number=meta["number"],
            title=meta["title"],
            figure=None,
            alt=meta["alt"],
            source=meta["source"],
            section=meta["section"],
            notes=list(meta["notes"]),
            png_path=png,
        )

    def to_html(self, png_src: str | None = None, *, css: bool = True) -> str:
        """``<figure>`` with the caption (number and title), the image with its alt text, 出典 and 注.

        ``png_src`` is the image URL to use (e.g. a relative path in the report); without it the PNG
        is embedded as a base64 data URI. ``css=False`` leaves out the ``<style>`` block.
        """
        esc = html.escape
        data = self.png_bytes()
        width_px, _height_px = _png_size(data)
        css_width = round(width_px / DPI * _CSS_PX_PER_INCH)
        src = png_src if png_src is not None else "data:image/png;base64," + base64.b64encode(data).decode()
        parts: list[str] = []
        if css:
            parts.append(f"<style>\n{TABLE_CSS}\n</style>")
        parts.append(f'<figure class="komae-figure" id="{esc(self.slug)}">')
        parts.append(
            "<figcaption>"
            f'<span class="komae-figure-number">{esc(self.number)}</span>'
            f'<span class="komae-figure-title">{esc(self.title)}</span>'
            "</figcaption>"
        )
        parts.append(f'<img src="{esc(src)}" alt="{esc(self.alt)}" width="{css_width}">')
        parts.append(f'<p class="komae-figure-source">{esc(self.source_line())}</p>')
        parts.extend(f'<p class="komae-figure-note">{esc(n)}</p>' for n in self.note_lines())
        parts.append("</figure>")
        return "\n".join(parts)

    def _repr_html_(self) -> str:
        return self.to_html()


setup()
