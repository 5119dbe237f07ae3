"""What a section notebook talks to: its parameters, its inputs and where its outputs go.

A notebook starts with ``ctx = open_section("02_statistics", fy=fy, data_dir=data_dir, out_dir=out_dir)``
and then shows tables, figures and generated commentary with ``ctx.show(...)``. Each shown table
and figure is saved under the report folder (``tables/data/<section>/`` and ``figures/<section>/``)
so the build can assemble the Excel workbook and the index afterwards; ``ctx.finish()`` writes
``sections/<section>.json`` listing inputs (with sha256), tables and figures.

Run interactively (JupyterLab, parameters left at their defaults) a notebook writes to
``reports/scratch/FY<YYYY>/`` and ``data/processed/`` only.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from komae_analysis import datasets, paths
from komae_analysis import sections as catalogue
from komae_analysis.fileio import atomic_write_bytes
from komae_analysis.params import Params, load_params

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


class SectionContext:
    """Parameters, inputs and outputs of one section run."""

    def __init__(self, section_id: str, params: Params, data_dir: Path, report_root: Path) -> None:
        self.section = catalogue.get(section_id)
        self.params = params
        self.data_dir = data_dir
        self.report_root = report_root
        self.tables_dir = report_root / "tables" / "data" / section_id
        self.figures_dir = report_root / "figures" / section_id
        self.demo = datasets.is_demo(data_dir)
        self._inputs: dict[str, list[dict[str, object]]] = {}
        self._tables: list[dict[str, str]] = []
        self._figures: list[dict[str, str]] = []

    # --- inputs ---------------------------------------------------------------------
    def load(self, source_id: str) -> pd.DataFrame:
        """The tidy frame of a declared raw source (see ``Section.inputs``)."""
        if source_id not in self.section.inputs:
            raise ValueError(f"section {self.section.id} does not declare input {source_id!r}")
        frame, self._inputs[source_id] = datasets.load_traced(source_id, self.params.fiscal_year, self.data_dir)
        return frame

    # --- outputs --------------------------------------------------------------------
    def show(self, *items: Any) -> None:
        """Save and display tables and figures; display strings as commentary paragraphs."""
        from IPython.display import HTML, Markdown, display

        from komae_analysis.charts import AppendixFigure
        from komae_analysis.tables import AppendixTable

        for item in items:
            if isinstance(item, AppendixTable):
                item.section = self.section.id
                path = item.save(self.tables_dir)
                self._tables.append({"number": item.number, "title": item.title, "file": path.name})
                display(HTML(item.to_html()))
            elif isinstance(item, AppendixFigure):
                item.section = self.section.id
                path = item.save(self.figures_dir)
                self._figures.append({"number": item.number, "title": item.title, "file": path.name, "alt": item.alt})
                display(HTML(item.to_html()))
            elif isinstance(item, str):
                display(Markdown(item))
            else:
                raise TypeError(f"cannot show {type(item).__name__}")

    def header(self) -> None:
        """The section's opening lines: the demo-data banner when needed, and the run facts."""
        from IPython.display import HTML, display

        parts = []
        if self.demo:
            parts.append(demo_banner_html())
        parts.append(
            f'<p class="run-facts">{self.params.fy_label}　{self.params.city.name}　'
            f"{self.section.full_title}</p>"
        )
        display(HTML("".join(parts)))

    def finish(self) -> Path:
        """Write ``sections/<id>.json``: what this section read and what it published."""
        record = {
            "section": self.section.id,
            "title": self.section.full_title,
            "fiscal_year": self.params.fiscal_year,
            "inputs": self._inputs,
            "tables": self._tables,
            "figures": self._figures,
        }
        path = self.report_root / "sections" / f"{self.section.id}.json"
        atomic_write_bytes(path, json.dumps(record, ensure_ascii=False, indent=1).encode("utf-8"))
        return path


def open_section(
    section_id: str, *, fy: int, params_file: str = "", data_dir: str = "", out_dir: str = ""
) -> SectionContext:
    """Open a section run. ``params_file`` overrides the bundled ``params/FY<fy>.yaml``; empty
    ``data_dir`` means the project's ``data/raw``; empty ``out_dir`` means ``reports/scratch/FY<fy>``
    (an interactive run never touches the published report)."""
    params = load_params(int(fy), path=params_file or None)
    data = Path(data_dir) if data_dir else paths.RAW_DIR
    out = Path(out_dir) if out_dir else paths.REPORTS_DIR / "scratch" / f"FY{params.fiscal_year}"
    ctx = SectionContext(section_id, params, data, out)
    ctx.header()
    return ctx
