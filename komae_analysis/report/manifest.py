"""``manifest.json``: what a build read, with what, and what it published.

Parameters, the program's version (git commit, uncommitted changes), every input file as the
notebooks read it (path, size, sha256), package versions, and per section its status, timings,
tables and figures.
"""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import metadata
from pathlib import Path

from komae_analysis import paths
from komae_analysis.calendar import now_jst
from komae_analysis.fileio import atomic_write_bytes
from komae_analysis.ingest import cache
from komae_analysis.ingest import registry as sources
from komae_analysis.params import Params


def _git(*args: str) -> str | None:
    try:
        res = subprocess.run(
            ["git", *args], cwd=paths.PROJECT_DIR, capture_output=True, text=True, timeout=10, check=True
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return res.stdout.strip()


def package_versions() -> dict[str, str]:
    names = [
        "komae_analysis", "pandas", "numpy", "pyarrow", "pandera", "openpyxl", "matplotlib",
        "matplotlib-fontja", "papermill", "nbconvert", "nbclient", "ipykernel",
    ]
    out = {"python": sys.version.split()[0]}
    for n in names:
        try:
            out[n] = metadata.version(n)
        except metadata.PackageNotFoundError:
            out[n] = "未インストール"
    return out


def build_manifest(
    stage: Path,
    params: Params,
    data_dir: Path,
    results: list[dict],
    records: list[dict],
    *,
    seconds: float,
    jobs: int,
) -> dict:
    by_id = {r["id"]: r for r in results}
    previous = {}
    old_manifest = stage / "manifest.json"
    if old_manifest.exists():  # partial build: keep the facts of sections not rebuilt
        previous = {s["id"]: s for s in json.loads(old_manifest.read_text(encoding="utf-8")).get("sections", [])}
    sections_out = []
    for rec in records:
        sid = rec["section"]
        r = by_id.get(sid)
        entry = previous.get(sid, {}) if r is None else {
            "status": r["status"],
            "seconds": round(r["seconds"], 2),
            "timings": {k: round(v, 2) for k, v in r["timings"].items()},
            "notebook": r["notebook"],
            "html": r["html"],
            "error": r["error"],
            "built_in_this_run": True,
        }
        entry = {**entry, "id": sid, "title": rec["title"], "inputs": sorted(rec.get("inputs", {}))}
        if r is None:
            entry["built_in_this_run"] = False
        entry["tables"] = [{**t, "path": f"tables/data/{sid}/{t['file']}"} for t in rec.get("tables", [])]
        entry["figures"] = [{**f, "path": f"figures/{sid}/{f['file']}"} for f in rec.get("figures", [])]
        entry["files"] = [{**f, "path": f"tables/{sid}/{f['file']}"} for f in rec.get("files", [])]
        sections_out.append(entry)
    for r in results:  # a section that failed before finish() has no record
        if r["id"] not in {s["id"] for s in sections_out}:
            sections_out.append({"id": r["id"], "title": r.get("title", r["id"]), "status": r["status"],
                                 "seconds": round(r["seconds"], 2),
                                 "notebook": r["notebook"], "error": r["error"], "built_in_this_run": True})

    # the files as the notebooks read them (recorded with their sha256 by SectionContext.data)
    read: dict[str, dict[str, dict]] = {}
    for rec in records:
        for sid, files in rec.get("inputs", {}).items():
            read.setdefault(sid, {}).update({f["path"]: f for f in files})
    inputs = []
    for sid in sorted(read):
        src = sources.source(sid)
        for path in sorted(read[sid]):
            inputs.append({"source": sid, "title": src.title_ja, "citation": sources.citation(sid), **read[sid][path]})
    dirty = _git("status", "--porcelain")
    return {
        "report": "あいとぴあレインボープラン 資料編「現状と課題の整理」",
        "fiscal_year": params.fiscal_year,
        "fiscal_year_label": params.fy_label,
        "built_at": now_jst().isoformat(timespec="seconds"),
        "build_seconds": round(seconds, 2),
        "jobs": jobs,
        "demo_data": cache.is_demo(data_dir),
        "data_dir": str(data_dir),
        "params_file": params.source_file,
        "params": params.to_dict(),
        "git": {"commit": _git("rev-parse", "HEAD"), "dirty": None if dirty is None else bool(dirty)},
        "packages": package_versions(),
        "inputs": inputs,
        "sections": sections_out,
        "workbook": f"tables/appendix_FY{params.fiscal_year}.xlsx",
    }


def rewrite_build_seconds(published: Path, total: float, phases: dict[str, float]) -> None:
    """Record the final wall time and the time of each phase (known only after the swap) in the
    published manifest."""
    path = published / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest["build_seconds"] = round(total, 2)
    manifest["phase_seconds"] = {k: round(v, 2) for k, v in phases.items()}
    atomic_write_bytes(path, json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8"))
