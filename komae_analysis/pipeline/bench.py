"""``make bench``: whole-build wall times, cold, three ways, in one run.

1. ``komae build --jobs 1``;
2. ``komae build --jobs 2``;
3. the naive script a user would write: for each section notebook, the papermill CLI, then the
   ``jupyter nbconvert --to html --no-input`` CLI, one after another.

"Cold" means no processed-data cache and no previous output. Each way runs in a fresh process
(as a user would start it). Results are printed with ratios and written to
``reports/bench/bench.json``, with per-section timings from the builds' manifests.
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


def _bin(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


def _cold(processed: Path, out: Path) -> None:
    shutil.rmtree(processed, ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)


def _run(cmd: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    res = subprocess.run(cmd, cwd=paths.PROJECT_DIR, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if res.returncode != 0:
        sys.stderr.write(res.stdout + res.stderr)
        raise SystemExit(f"ベンチマークの実行に失敗しました: {' '.join(cmd)}")
    return seconds


def bench(fy: int, repeat: int) -> dict:
    work = Path(tempfile.mkdtemp(prefix="komae-bench-"))
    processed = paths.processed_dir(fy)
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    results: dict[str, list[float]] = {"jobs1": [], "jobs2": [], "naive": []}
    sections: dict[str, dict] = {}
    phases: dict[str, dict] = {}
    try:
        for _ in range(repeat):
            for jobs in (1, 2):
                out = work / f"jobs{jobs}"
                _cold(processed, out)
                results[f"jobs{jobs}"].append(
                    _run([_bin("komae"), "build", "--fy", str(fy), "--out", str(out), "--jobs", str(jobs)], env)
                )
                manifest = json.loads((out / f"FY{fy}" / "manifest.json").read_text(encoding="utf-8"))
                if results[f"jobs{jobs}"][-1] == min(results[f"jobs{jobs}"]):  # the steps of the best run
                    sections[f"jobs{jobs}"] = {s["id"]: s.get("timings", {}) | {"total": s.get("seconds")}
                                               for s in manifest["sections"]}
                    phases[f"jobs{jobs}"] = manifest.get("phase_seconds", {})
            out = work / "naive"
            _cold(processed, out)
            t0 = time.perf_counter()
            for s in SECTIONS:
                executed = out / f"{s.id}.ipynb"
                _run([_bin("papermill"), str(s.notebook), str(executed), "-p", "fy", str(fy),
                      "-p", "out_dir", str(out / "scratch"), "--cwd", str(paths.NOTEBOOKS_DIR)], env)
                _run([_bin("jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)], env)
            results["naive"].append(time.perf_counter() - t0)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    best = {k: min(v) for k, v in results.items()}
    return {
        "fiscal_year": fy,
        "sections": [s.id for s in SECTIONS],
        "repeat": repeat,
        "seconds": {k: [round(x, 2) for x in v] for k, v in results.items()},
        "best_seconds": {k: round(v, 2) for k, v in best.items()},
        "ratios": {
            "jobs2_over_naive": round(best["jobs2"] / best["naive"], 3),
            "jobs1_over_naive": round(best["jobs1"] / best["naive"], 3),
            "jobs2_over_jobs1": round(best["jobs2"] / best["jobs1"], 3),
        },
        "per_section": sections,
        "phases": phases,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m komae_analysis.pipeline.bench", description="ビルド時間の計測")
    ap.add_argument("--fy", type=int, default=2026)
    ap.add_argument("--repeat", type=int, default=3, help="各方式の繰り返し回数（最小値を採用）")
    args = ap.parse_args(argv)
    result = bench(args.fy, args.repeat)
    out = paths.REPORTS_DIR / "bench" / "bench.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    b, r = result["best_seconds"], result["ratios"]
    print(f"セクション: {', '.join(result['sections'])}（{args.fy}年度、コールド）")
    print(f"  komae build --jobs 1 : {b['jobs1']:6.1f} 秒")
    print(f"  komae build --jobs 2 : {b['jobs2']:6.1f} 秒")
    print(f"  素朴なスクリプト     : {b['naive']:6.1f} 秒（papermill CLI → jupyter nbconvert CLI を順に）")
    print(f"  比: jobs2/素朴 = {r['jobs2_over_naive']:.2f}（目標 0.5 以下）、jobs1/素朴 = {r['jobs1_over_naive']:.2f}、"
          f"jobs2/jobs1 = {r['jobs2_over_jobs1']:.2f}")
    names = {"setup": "準備", "inputs": "入力の検査・読込", "sections": "ノートブック実行とHTML",
             "assemble": "Excel・目次・manifest", "publish": "公開（入れ替え）"}
    for way, ph in result["phases"].items():
        print(f"  {way} の内訳: " + "、".join(f"{names.get(k, k)} {v:.2f}秒" for k, v in ph.items()))
    for way, secs in result["per_section"].items():
        for sid, t in secs.items():
            parts = "、".join(f"{k} {v:.1f}秒" for k, v in t.items() if v is not None)
            print(f"  {way} {sid}: {parts}")
    print(f"結果: {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
