"""The notebook API: what a section notebook talks to.

A notebook opens its section, gets its data, and shows tables, figures and commentary::

    ctx = open_section("02a_population", fy=fy, params_file=params_file, data_dir=data_dir, out_dir=out_dir)
    data = ctx.data()                     # the declared inputs, through the analysis module's prepare()
    ctx.show(population.trend_table(data))
    ...
    ctx.finish()

Everything about the section comes from its registry entry: the inputs it reads, its analysis
module, its title and the prefix of its 表/図 numbers. :meth:`SectionContext.show` numbers tables and
figures in display order (表2-1-1, 表2-1-2 … and 図2-1-1 …), saves them under the report folder
(``tables/data/<section>/``, ``figures/<section>/``) for the workbook and the contents page, and
:meth:`SectionContext.finish` writes ``sections/<section>.json``: the input files read (with
sha256), the tables and the figures.

Run interactively (JupyterLab, parameters left at their defaults) a notebook writes to
``reports/scratch/FY<YYYY>/`` and ``data/processed/`` only.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from komae_analysis import paths
from komae_analysis.fileio import atomic_write_bytes
from komae_analysis.ingest import cache
from komae_analysis.params import Params
from komae_analysis.pipeline import registry
from komae_analysis.report.charts import AppendixFigure
from komae_analysis.report.documents import AppendixWorkbook
from komae_analysis.report.html import demo_banner_html
from komae_analysis.report.tables import AppendixTable


class SectionContext:
    """Parameters, inputs and outputs of one section run."""

    def __init__(self, section_id: str, params: Params, data_dir: Path, report_root: Path) -> None:
        self.section = registry.get(section_id)
        self.params = params
        self.data_dir = data_dir
        self.report_root = report_root
        self.tables_dir = report_root / "tables" / "data" / section_id
        self.figures_dir = report_root / "figures" / section_id
        self.demo = cache.is_demo(data_dir)
        self._inputs: dict[str, list[dict[str, object]]] = {}
        self._tables: list[dict[str, str]] = []
        self._figures: list[dict[str, str]] = []
        self._files: list[dict[str, str]] = []

    # --- inputs ---------------------------------------------------------------------
    def data(self) -> Any:
        """The section's data: every input its registry entry declares, read from the processed cache
        (and recorded for the manifest), passed to its analysis module's ``prepare(params, inputs)``."""
        frames = {}
        for source_id in self.section.inputs:
            frames[source_id], self._inputs[source_id] = cache.load_traced(
                source_id, self.params.fiscal_year, self.data_dir
            )
        return self.section.analysis_module().prepare(self.params, frames)

    # --- outputs --------------------------------------------------------------------
    def _next_number(self, kind: str, done: list[dict[str, str]]) -> str:
        return f"{kind}{self.section.numbering}-{len(done) + 1}"

    def show(self, *items: Any) -> None:
        """Number, save and display tables and figures; display strings as commentary paragraphs. A
        section's own workbook (:class:`~komae_analysis.report.documents.AppendixWorkbook`) is written to
        ``tables/<section>/`` and its HTML displayed."""
        from IPython.display import HTML, Markdown, display

        for item in items:
            if isinstance(item, AppendixTable):
                item.number = self._next_number("表", self._tables)
                item.section = self.section.id
                path = item.save(self.tables_dir)
                self._tables.append({"number": item.number, "title": item.title, "file": path.name})
                display(HTML(item.to_html()))
            elif isinstance(item, AppendixFigure):
                item.number = self._next_number("図", self._figures)
                item.section = self.section.id
                path = item.save(self.figures_dir)
                self._figures.append({"number": item.number, "title": item.title, "file": path.name, "alt": item.alt})
                display(HTML(item.to_html()))
            elif isinstance(item, AppendixWorkbook):
                item.section = self.section.id
                path = item.save(self.report_root / "tables" / self.section.id)
                self._files.append({"title": item.title, "file": path.name})
                display(HTML(item.to_html()))
            elif isinstance(item, str):
                display(Markdown(item))
            else:
                raise TypeError(f"cannot show {type(item).__name__}")

    def header(self) -> None:
        """The section's opening lines: the demo-data banner when needed, and the city and year."""
        from IPython.display import HTML, display

        parts = []
        if self.demo:
            parts.append(demo_banner_html())
        parts.append(f'<p class="run-facts">{self.params.city.name}　{self.params.fy_label}</p>')
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
            "files": self._files,
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
    params = registry.run_params(int(fy), path=params_file or None)
    data = Path(data_dir) if data_dir else paths.RAW_DIR
    out = Path(out_dir) if out_dir else paths.REPORTS_DIR / "scratch" / f"FY{params.fiscal_year}"
    ctx = SectionContext(section_id, params, data, out)
    ctx.header()
    return ctx
