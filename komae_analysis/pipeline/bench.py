"""``make bench``: whole-build wall times, cold, three ways, in one run, plus a one-section rebuild.

1. ``komae build --jobs 1``;
2. ``komae build --jobs 2``;
3. the naive script a user would write: for each section notebook, the papermill CLI, then the
   ``jupyter nbconvert --to html --no-input`` CLI, one after another;
4. ``komae build --only <first section>`` on top of the published report (the processed-data cache
   warm), as an analyst rebuilds one section after correcting it.

"Cold" means no processed-data cache and no previous output. Each way runs in a fresh process (as a
user would start it). Results are printed with ratios and written to ``reports/bench/bench.json``,
with per-section timings and build phases from the builds' manifests.

``--scale N`` (``make bench SCALE=12``) measures the same at N times the sections: the package and
the notebooks are copied to a temporary project whose registry holds N copies of every section
(ids ``<id>_c2`` …, their own 表/図 prefixes), and every process of the run imports that copy
(``PYTHONPATH``; kernels inherit it). Nothing in the project changes.

These machines are noisy: compare the ratios within one run, not absolute times across runs.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from komae_analysis import paths
from komae_analysis.pipeline.registry import SECTIONS

_SCALED_REGISTRY = '''

# --- added by komae_analysis.pipeline.bench --scale: {n} copies of every section ---
import dataclasses as _bench_dc  # noqa: E402

SECTIONS = SECTIONS + tuple(
    _bench_dc.replace(s, id=f"{{s.id}}_c{{k}}", numbering=f"{{k}}{{s.numbering}}")
    for k in range(2, {n} + 1)
    for s in SECTIONS
)
'''


#: Runs of the one-section rebuild per repeat (it takes seconds: the best of three).
ONLY_REPEAT = 3


def _bin(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


def _cold(processed: Path, out: Path) -> None:
    shutil.rmtree(processed, ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)


def _run(cmd: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    # run from the project whose package the run imports (``python -m`` puts the working folder first)
    cwd = Path(env["PYTHONPATH"].split(os.pathsep)[0]) if env.get("PYTHONPATH") else paths.PROJECT_DIR
    res = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if res.returncode != 0:
        sys.stderr.write(res.stdout + res.stderr)
        raise SystemExit(f"ベンチマークの実行に失敗しました: {' '.join(cmd)}")
    return seconds


def scaled_project(root: Path, n: int) -> list[tuple[str, Path]]:
    """A copy of the package and notebooks under ``root`` whose registry holds ``n`` copies of every
    section; returns (section id, notebook path) of all of them, in registry order."""
    pkg = root / "komae_analysis"
    shutil.copytree(paths.PACKAGE_DIR, pkg, ignore=shutil.ignore_patterns("__pycache__"))
    with open(pkg / "pipeline" / "registry.py", "a", encoding="utf-8") as f:
        f.write(_SCALED_REGISTRY.format(n=n))
    notebooks = root / "notebooks"
    notebooks.mkdir()
    out = []
    for k in range(1, n + 1):
        for s in SECTIONS:
            sid = s.id if k == 1 else f"{s.id}_c{k}"
            text = s.notebook.read_text(encoding="utf-8")
            if k > 1:
                text = text.replace(f'open_section(\\"{s.id}\\"', f'open_section(\\"{sid}\\"')
                if sid not in text:
                    raise SystemExit(f"ノートブック {s.notebook.name} に open_section(\"{s.id}\" がありません")
            path = notebooks / f"{sid}.ipynb"
            path.write_text(text, encoding="utf-8")
            out.append((sid, path))
    return out


def bench(fy: int, repeat: int, scale: int = 1) -> dict:
    work = Path(tempfile.mkdtemp(prefix="komae-bench-"))
    processed = work / "processed"
    env = {**os.environ, "PYTHONWARNINGS": "ignore", "KOMAE_PROCESSED_DIR": str(processed)}
    if scale > 1:
        project = work / "project"
        project.mkdir()
        sections = scaled_project(project, scale)
        env["PYTHONPATH"] = os.pathsep.join([str(project), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
        cwd_notebooks = project / "notebooks"
    else:
        sections = [(s.id, s.notebook) for s in SECTIONS]
        cwd_notebooks = paths.NOTEBOOKS_DIR
    komae = [sys.executable, "-m", "komae_analysis"]
    data = ["--data-dir", str(paths.RAW_DIR)]
    results: dict[str, list[float]] = {"jobs1": [], "jobs2": [], "naive": [], "only": []}
    per_section: dict[str, dict] = {}
    phases: dict[str, dict] = {}
    try:
        for _ in range(repeat):
            for jobs in (1, 2):
                out = work / f"jobs{jobs}"
                _cold(processed, out)
                results[f"jobs{jobs}"].append(
                    _run([*komae, "build", "--fy", str(fy), *data, "--out", str(out), "--jobs", str(jobs)], env)
                )
                manifest = json.loads((out / f"FY{fy}" / "manifest.json").read_text(encoding="utf-8"))
                if results[f"jobs{jobs}"][-1] == min(results[f"jobs{jobs}"]):  # the steps of the best run
                    per_section[f"jobs{jobs}"] = {s["id"]: s.get("timings", {}) | {"total": s.get("seconds")}
                                                  for s in manifest["sections"]}
                    phases[f"jobs{jobs}"] = manifest.get("phase_seconds", {})
            # one section rebuilt on the report just published (the processed cache is warm); three
            # times, as an analyst correcting a section would
            out = work / "jobs2"
            for _ in range(ONLY_REPEAT):
                results["only"].append(
                    _run([*komae, "build", "--fy", str(fy), *data, "--out", str(out), "--only", sections[0][0]], env)
                )
                manifest = json.loads((out / f"FY{fy}" / "manifest.json").read_text(encoding="utf-8"))
                if results["only"][-1] == min(results["only"]):
                    phases["only"] = manifest.get("phase_seconds", {})
            out = work / "naive"
            _cold(processed, out)
            t0 = time.perf_counter()
            for sid, notebook in sections:
                executed = out / f"{sid}.ipynb"
                _run([_bin("papermill"), str(notebook), str(executed), "-p", "fy", str(fy),
                      "-p", "data_dir", str(paths.RAW_DIR), "-p", "out_dir", str(out / "scratch"),
                      "--cwd", str(cwd_notebooks)], env)
                _run([_bin("jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)], env)
            results["naive"].append(time.perf_counter() - t0)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    best = {k: min(v) for k, v in results.items()}
    return {
        "fiscal_year": fy,
        "scale": scale,
        "sections": [sid for sid, _ in sections],
        "repeat": repeat,
        "seconds": {k: [round(x, 2) for x in v] for k, v in results.items()},
        "best_seconds": {k: round(v, 2) for k, v in best.items()},
        "ratios": {
            "jobs2_over_naive": round(best["jobs2"] / best["naive"], 3),
            "jobs1_over_naive": round(best["jobs1"] / best["naive"], 3),
            "jobs2_over_jobs1": round(best["jobs2"] / best["jobs1"], 3),
        },
        "per_section": per_section,
        "phases": phases,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m komae_analysis.pipeline.bench", description="ビルド時間の計測")
    ap.add_argument("--fy", type=int, default=2026)
    ap.add_argument("--repeat", type=int, default=None, help="各方式の繰り返し回数（最小値を採用。既定は3、--scale 指定時は1）")
    ap.add_argument("--scale", type=int, default=1, help="セクションをN倍に複製して計測する（例: 12）")
    args = ap.parse_args(argv)
    if args.scale < 1:
        raise SystemExit("--scale は1以上を指定してください")
    repeat = args.repeat or (3 if args.scale == 1 else 1)
    result = bench(args.fy, repeat, args.scale)
    from komae_analysis.survey import bench as survey_bench

    if args.scale == 1:
        # the survey engine's own benchmark: 100,000 respondents × 150 questions × 3 attributes
        result["survey"] = survey_bench.run()
    name = "bench.json" if args.scale == 1 else f"bench_scale{args.scale}.json"
    out = paths.REPORTS_DIR / "bench" / name
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    b, r = result["best_seconds"], result["ratios"]
    print(f"セクション: {len(result['sections'])}（{args.fy}年度、コールド、{repeat}回の最良値）")
    print(f"  komae build --jobs 1 : {b['jobs1']:6.1f} 秒")
    print(f"  komae build --jobs 2 : {b['jobs2']:6.1f} 秒")
    print(f"  素朴なスクリプト     : {b['naive']:6.1f} 秒（papermill CLI → jupyter nbconvert CLI を順に）")
    print(f"  1セクションの作り直し: {b['only']:6.1f} 秒（komae build --only {result['sections'][0]}、目標 4 秒以下。"
          f"各回 {'、'.join(f'{x:.1f}' for x in result['seconds']['only'])} 秒）")
    print(f"  比: jobs2/素朴 = {r['jobs2_over_naive']:.2f}（目標 0.5 以下）、jobs1/素朴 = {r['jobs1_over_naive']:.2f}、"
          f"jobs2/jobs1 = {r['jobs2_over_jobs1']:.2f}")
    names = {"setup": "準備", "inputs": "入力の検査・読込", "sections": "ノートブック実行とHTML",
             "assemble": "Excel・目次・manifest", "publish": "公開（入れ替え）"}
    for way, ph in result["phases"].items():
        print(f"  {way} の内訳: " + "、".join(f"{names.get(k, k)} {v:.2f}秒" for k, v in ph.items()))
    if args.scale == 1:
        for way, secs in result["per_section"].items():
            for sid, t in secs.items():
                parts = "、".join(f"{k} {v:.1f}秒" for k, v in t.items() if v is not None)
                print(f"  {way} {sid}: {parts}")
    if "survey" in result:
        print("  " + survey_bench.report(result["survey"]))
    print(f"結果: {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
