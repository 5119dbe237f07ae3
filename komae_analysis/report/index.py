"""The report's contents page, ``index.html`` (the 資料編 目次): every section, table and figure
linked, the inputs with 出典 and sha256, the build facts, and the demo-data banner."""

from __future__ import annotations

from pathlib import Path

import jinja2

from komae_analysis.fileio import atomic_write_bytes
from komae_analysis.params import Params
from komae_analysis.report.html import TEMPLATES_DIR, demo_banner_html, page_css
from komae_analysis.report.tables import table_anchor


def write_index(report: Path, params: Params, manifest: dict, *, demo: bool) -> Path:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR / "report")),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
    )
    sections = []
    for s in manifest["sections"]:
        sections.append(
            {
                **s,
                "seconds": s.get("seconds"),
                "html": s.get("html") if s.get("status") == "ok" else None,
                "tables": [{**t, "anchor": table_anchor(t["number"])} for t in s.get("tables", [])],
                "figures": s.get("figures", []),
            }
        )
    workbook = manifest["workbook"] if (report / manifest["workbook"]).exists() else None
    html = env.get_template("index.html.j2").render(
        title=f"あいとぴあレインボープラン 資料編「現状と課題の整理」（{params.fy_label}）",
        city=params.city.name,
        fy_label=params.fy_label,
        demo=demo,
        demo_banner=_markup(demo_banner_html()),
        css=_markup(page_css(root="")),
        sections=sections,
        workbook=workbook,
        workbook_name=Path(manifest["workbook"]).name,
        sources=_group_inputs(manifest["inputs"]),
        built_at=manifest["built_at"],
        data_dir=manifest["data_dir"],
        params_file=Path(manifest["params_file"]).name,
        commit=manifest["git"]["commit"],
        dirty=manifest["git"]["dirty"],
    )
    path = report / "index.html"
    atomic_write_bytes(path, html.encode("utf-8"))
    return path


def _group_inputs(inputs: list[dict]) -> list[dict]:
    """Manifest input rows → one entry per source with its files."""
    groups: dict[str, dict] = {}
    for i in inputs:
        g = groups.setdefault(i["source"], {"title": i["title"], "citation": i["citation"], "files": []})
        g["files"].append(i)
    return list(groups.values())


def _markup(text: str):
    from markupsafe import Markup

    return Markup(text)
