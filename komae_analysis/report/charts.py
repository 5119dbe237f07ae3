"""Charts for the appendix: matplotlib set up for Japanese, helpers, and :class:`AppendixFigure`.

matplotlib is imported lazily, inside the functions that need it: analysis modules import this
module at their top, and the build process imports the analysis modules (for their parameter
dataclasses) without drawing anything, so it must not pay matplotlib's start-up (≈0.3 s). The plain
constants (:data:`PALETTE`, :data:`OKABE_ITO`, :data:`SEX_COLORS`, :data:`FONT_NAME`, :data:`DPI`)
need no matplotlib.

:func:`setup` configures matplotlib: the Agg backend, the IPAex Gothic font shipped in the
``matplotlib-fontja`` wheel (registered from its file, so no system font is needed), the Okabe–Ito
colour-blind-safe palette and sizes suited to A4 reports. It runs on the first :func:`new_figure`
(and the other helpers); if matplotlib is already imported when this module is imported, it runs
then, so that figures made with ``matplotlib.figure.Figure`` directly get the settings too.

Numbers on axes and value labels are formatted by :mod:`komae_analysis.report.numbers` (the one
rounding rule of the tables and the commentary).

A section draws a figure, wraps it in an :class:`AppendixFigure` (title, alt text, 出典; the number
is given when the section shows it) and displays and/or saves it. The PNG is rendered once; the
matplotlib figure is then closed, so a notebook does not show it a second time.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
import struct
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from komae_analysis.calendar import short_fy, wareki_fy, wareki_year
from komae_analysis.fileio import atomic_write_bytes
from komae_analysis.report import numbers
from komae_analysis.report.artefact import Artefact
from komae_analysis.report.fonts import font_path
from komae_analysis.report.styles import TABLE_CSS

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "DPI",
    "FONT_NAME",
    "OKABE_ITO",
    "PALETTE",
    "SEX_COLORS",
    "AppendixFigure",
    "font_path",
    "label_ends",
    "new_figure",
    "percent",
    "right_axis",
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
    """Configure matplotlib for the appendix (idempotent; imports matplotlib)."""
    global _registered
    import matplotlib
    from matplotlib import font_manager

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
    """A leading minus as U+2212 (the typographic minus; IPAex Gothic has it), −0 as 0."""
    if text.startswith("-"):
        body = text[1:]
        return "\u2212" + body if any(ch in "123456789" for ch in body) else body
    return text


def thousands_label(value: Any, decimals: int = 0) -> str:
    """A tick label with thousands separators, rounded by the table rule: 82,258; −1,200."""
    r = numbers.rounded(value, decimals)
    return _minus(("-" if r < 0 else "") + format(abs(r), ",f"))


def percent_label(value: Any, decimals: int = 0, xmax: float = 1.0, sign: str = "％") -> str:
    """A tick label for a share (``value`` / ``xmax`` is the fraction), rounded by the table rule:
    0.243 → 24％ (``decimals=0``), 24.3％ (``decimals=1``)."""
    if xmax == 1:
        r = numbers.percentage(value, decimals)
    else:
        r = numbers.rounded(float(value) * (100 / float(xmax)), decimals)
    return _minus(("-" if r < 0 else "") + format(abs(r), "f") + sign)


def thousands(ax: Axes, axis: str = "y", decimals: int = 0) -> Axes:
    """Tick labels with thousands separators (82,258) on ``axis`` ("x", "y" or "both")."""
    setup()
    from matplotlib.ticker import FuncFormatter

    for a in _axes_of(ax, axis):
        a.set_major_formatter(FuncFormatter(lambda x, _pos: thousands_label(x, decimals)))
    return ax


def percent(ax: Axes, axis: str = "y", decimals: int = 0, xmax: float = 1.0) -> Axes:
    """Percent tick labels for data stored as fractions (0.243 → 24％); ``xmax=100`` for percent data.

    Labels round like the table cells (:mod:`komae_analysis.report.numbers`)."""
    setup()
    from matplotlib.ticker import FuncFormatter

    for a in _axes_of(ax, axis):
        a.set_major_formatter(FuncFormatter(lambda x, _pos: percent_label(x, decimals, xmax)))
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
    from matplotlib.figure import Figure

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

_PNG_METADATA = {"Software": None}


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height in pixels of a PNG (from its header)."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("PNG ではありません")
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@dataclass(eq=False, kw_only=True)
class AppendixFigure(Artefact):
    """One appendix figure: title, the matplotlib figure, alt text and 出典 (number: 図2-1-1, given
    when the section shows it).

    The PNG is rendered on first use (display or save) and kept; the matplotlib figure is closed at
    that point, so later changes to it are not picked up. An object read back by :meth:`load` has
    ``figure=None`` and ``png_path`` set. ``alt`` describes the chart in words, in the order the
    chart shows things (it is the text a screen reader reads, and the Excel sheet prints it).
    """

    KIND = "図"
    JSON_KIND = "komae_appendix_figure"
    JSON_VERSION = 1

    figure: Figure | None
    alt: str
    png_path: Path | None = None

    def __post_init__(self) -> None:
        self.check_common()
        if not isinstance(self.alt, str) or not self.alt.strip():
            raise ValueError(f"{self.where}: 代替テキスト（alt）が空です。図の内容を文章で説明してください")
        if self.figure is None and self.png_path is None:
            raise ValueError(f"{self.where}: figure も png_path もありません")
        if self.figure is not None:
            # a Figure object exists only if matplotlib is imported: no import needed to check
            mpl_figure = sys.modules.get("matplotlib.figure")
            if mpl_figure is None or not isinstance(self.figure, mpl_figure.Figure):
                raise TypeError(f"{self.where}: figure は matplotlib.figure.Figure にしてください")
        if self.png_path is not None:
            self.png_path = Path(self.png_path)
        self._png: bytes | None = None

    def png_bytes(self) -> bytes:
        """The PNG (rendered once, deterministically; the matplotlib figure is then closed)."""
        if self._png is None:
            if self.figure is not None:
                buf = io.BytesIO()
                self.figure.savefig(buf, format="png", dpi=DPI, metadata=_PNG_METADATA, facecolor="white")
                self._png = buf.getvalue()
                if getattr(self.figure.canvas, "manager", None) is not None:
                    # a figure made with pyplot is registered there; ours (new_figure) are not
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
        """Write ``<directory>/<slug>.png`` and ``<slug>.json`` (metadata) atomically; return the PNG path.

        Refuses a figure without a number."""
        self.require_number()
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        data = self.png_bytes()
        png = directory / f"{self.slug}.png"
        atomic_write_bytes(png, data)
        width, height = png_size(data)
        self.write_metadata(
            directory / f"{self.slug}.json",
            {"alt": self.alt, "png": png.name, "width_px": width, "height_px": height, "dpi": DPI},
        )
        self.png_path = png
        return png

    @classmethod
    def load(cls, json_path: Path) -> AppendixFigure:
        """Read the metadata written by :meth:`save` (``figure`` is None, ``png_path`` the PNG file)."""
        json_path = Path(json_path)
        meta = cls.read_metadata(json_path)
        png = json_path.parent / meta["png"]
        if not png.exists():
            raise FileNotFoundError(f"図「{meta['number']}」の画像 {png} がありません")
        return cls(**cls.common_kwargs(meta), figure=None, alt=meta["alt"], png_path=png)

    def to_html(self, png_src: str | None = None, *, css: bool = True) -> str:
        """``<figure>`` with the caption (number and title), the image with its alt text, 出典 and 注.

        ``png_src`` is the image URL to use (e.g. a relative path in the report); without it the PNG
        is embedded as a base64 data URI. ``css=False`` leaves out the ``<style>`` block. A figure
        not numbered yet has no number and no id.
        """
        esc = html.escape
        data = self.png_bytes()
        width_px, _height_px = png_size(data)
        css_width = round(width_px / DPI * _CSS_PX_PER_INCH)
        src = png_src if png_src is not None else "data:image/png;base64," + base64.b64encode(data).decode()
        parts: list[str] = []
        if css:
            parts.append(f"<style>\n{TABLE_CSS}\n</style>")
        anchor = f' id="{esc(self.slug)}"' if self.number else ""
        parts.append(f'<figure class="komae-figure"{anchor}>')
        number = f'<span class="komae-figure-number">{esc(self.number)}</span>' if self.number else ""
        parts.append(
            f'<figcaption>{number}<span class="komae-figure-title">{esc(self.title)}</span></figcaption>'
        )
        parts.append(f'<img src="{esc(src)}" alt="{esc(self.alt)}" width="{css_width}">')
        parts.append(f'<p class="komae-figure-source">{esc(self.source_line())}</p>')
        parts.extend(f'<p class="komae-figure-note">{esc(n)}</p>' for n in self.note_lines())
        parts.append("</figure>")
        return "\n".join(parts)

    def _repr_html_(self) -> str:
        return self.to_html()


if "matplotlib" in sys.modules:  # already paid for: give figures made directly the appendix's settings
    setup()
