"""The report's contents page, ``index.html`` (the 資料編 目次): the whole structure of the appendix
with every section, table and figure linked (parts not built yet marked 「未作成」), the inputs with
出典 and sha256 (each file once), the build facts in 日本時間, and the demo-data banner."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import jinja2

from komae_analysis.calendar import wareki_datetime
from komae_analysis.fileio import atomic_write_bytes
from komae_analysis.params import Params
from komae_analysis.report.html import TEMPLATES_DIR, demo_banner_html, page_css
from komae_analysis.report.tables import table_anchor


def write_index(report: Path, params: Params, manifest: dict, *, outline: list[dict], demo: bool) -> Path:
    """Write ``index.html``. ``outline``: the appendix's parts in order, each ``{"heading", "title",
    "sections": [section ids]}``; a part without a built section is shown as 「未作成」."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR / "report")),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
    )
    sections = {}
    for s in manifest["sections"]:
        sections[s["id"]] = (
            {
                **s,
                "seconds": s.get("seconds"),
                "html": s.get("html") if s.get("status") == "ok" else None,
                "tables": [{**t, "anchor": table_anchor(t["number"])} for t in s.get("tables", [])],
                "figures": s.get("figures", []),
            }
        )
    parts = [
        {**part, "sections": [sections[sid] for sid in part["sections"] if sid in sections]} for part in outline
    ]
    workbook = manifest["workbook"] if (report / manifest["workbook"]).exists() else None
    html = env.get_template("index.html.j2").render(
        title=f"あいとぴあレインボープラン 資料編「現状と課題の整理」（{params.fy_label}）",
        city=params.city.name,
        fy_label=params.fy_label,
        demo=demo,
        demo_banner=_markup(demo_banner_html()),
        css=_markup(page_css(root="")),
        parts=parts,
        sections=[s for part in parts for s in part["sections"]],
        workbook=workbook,
        workbook_name=Path(manifest["workbook"]).name,
        sources=_group_inputs(manifest["inputs"]),
        built_at=wareki_datetime(dt.datetime.fromisoformat(manifest["built_at"])),
        data_dir=manifest["data_dir"],
        params_file=Path(manifest["params_file"]).name,
        commit=manifest["git"]["commit"],
        dirty=manifest["git"]["dirty"],
    )
    path = report / "index.html"
    atomic_write_bytes(path, html.encode("utf-8"))
    return path


def _group_inputs(inputs: list[dict]) -> list[dict]:
    """Manifest input rows (one per source and file) → groups of files read by the same sources,
    each file listed once (the city register's two sheets come from one workbook)."""
    by_file: dict[str, dict] = {}
    for i in inputs:
        f = by_file.setdefault(i["path"], {**i, "titles": [], "citations": []})
        if i["title"] not in f["titles"]:
            f["titles"].append(i["title"])
        if i["citation"] not in f["citations"]:
            f["citations"].append(i["citation"])
    groups: dict[tuple[str, ...], dict] = {}
    for f in by_file.values():
        g = groups.setdefault(tuple(f["titles"]), {"title": "／".join(f["titles"]),
                                                    "citation": "／".join(f["citations"]), "files": []})
        g["files"].append(f)
    return list(groups.values())


def _markup(text: str):
    from markupsafe import Markup

    return Markup(text)
