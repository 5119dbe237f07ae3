"""Committee HTML: the page CSS and font, the demo-data banner, and executed notebook → HTML.

Section pages are rendered with nbconvert's HTML exporter (code cells hidden, ``lang="ja"``, no CDN
scripts: the ``komae`` template in ``templates/``). nbconvert is imported lazily, on the first page
rendered: building the exporter compiles the Jinja templates (≈0.15 s), so it is kept per process.
"""

from __future__ import annotations

import functools
import shutil
import threading
from pathlib import Path
from typing import Any

from komae_analysis.fileio import atomic_write_bytes
from komae_analysis.report.fonts import font_path
from komae_analysis.report.styles import TABLE_CSS

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
FONT_ASSET = "assets/ipaexg.ttf"

DEMO_BANNER_TEXT = (
    "この資料はデモデータ（架空のデータ）で作成しています。実在の統計ではありません。"
    "数値は公表値をもとに調整した架空の値です。"
)


def demo_banner_html() -> str:
    return (
        '<div class="demo-banner" role="alert" style="border:3px solid #c00;background:#fff0f0;color:#900;'
        'padding:0.6em 1em;margin:0.5em 0 1em;font-weight:bold;font-size:1.05em">'
        f"デモデータ　{DEMO_BANNER_TEXT}</div>"
    )


def page_css(root: str = "../") -> str:
    """CSS shared by the section pages and the contents page (page layout + appendix tables).

    The IPAex Gothic font shipped with matplotlib-fontja is copied into the report (``assets/``) and
    declared with @font-face, so pages look the same on every machine, offline, even where no
    Japanese font is installed. ``root`` is the path from the page to the report folder.
    """
    font_face = (
        '@font-face { font-family: "IPAexGothic"; '
        f'src: local("IPAexGothic"), local("IPAexゴシック"), url("{root}{FONT_ASSET}") format("truetype"); }}\n'
    )
    return font_face + (TEMPLATES_DIR / "report" / "page.css").read_text(encoding="utf-8") + "\n" + TABLE_CSS


def copy_font(report: Path) -> None:
    dst = report / FONT_ASSET
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(font_path(), dst)


_exporter_lock = threading.Lock()


@functools.cache
def _make_exporter():
    from nbconvert import HTMLExporter

    return HTMLExporter(
        template_name="komae",
        extra_template_basedirs=[str(TEMPLATES_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        language_code="ja",
    )


def exporter():
    """One HTML exporter per process (threads asking at once wait for the first to build it)."""
    with _exporter_lock:
        return _make_exporter()


def warm_exporter() -> None:
    """Build the exporter and compile its templates once, ahead of the first page."""
    import nbformat

    exporter().from_notebook_node(nbformat.v4.new_notebook(), resources={"komae": {"title": "", "css": ""}})


def render_html(notebook: Any, html: Path, *, title: str) -> None:
    """Executed notebook (a path, or the notebook node itself) → committee HTML: no code cells,
    lang="ja", no CDN scripts."""
    import nbformat

    nb = nbformat.read(str(notebook), as_version=4) if isinstance(notebook, str | Path) else notebook
    nb.metadata["title"] = title
    body, _ = exporter().from_notebook_node(nb, resources={"komae": {"title": title, "css": page_css()}})
    atomic_write_bytes(html, body.encode("utf-8"))
