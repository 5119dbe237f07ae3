"""The batch build: validate inputs, run section notebooks with papermill, publish the report.

Flow:
1. check every chosen notebook's parameters cell (an injected name it does not define is an error);
   meanwhile ``--jobs`` section threads each launch a kernel, which boots and imports the package
   in its own process while the build goes on (:mod:`~komae_analysis.pipeline.runner`);
2. read and validate the raw inputs the chosen sections declare, each file once for all the
   sources that use it, in parallel processes: any problem → :class:`InputError`, nothing is
   written to ``reports/``; the tidy frames go to ``data/processed/FY<YYYY>/`` for the notebooks;
3. run the notebooks on the section threads and render each executed notebook to HTML;
4. assemble the Excel workbook, ``index.html`` and ``manifest.json`` in a staging folder;
5. swap the staging folder into ``reports/FY<YYYY>/`` (:mod:`~komae_analysis.pipeline.publish`).
   If a section failed nothing is published: the staging folder is kept as
   ``reports/FY<YYYY>.failed/`` with the executed notebooks (tracebacks included).

``--only`` rebuilds some sections and keeps the others: the published report is linked (not copied)
into the staging folder, and only the rebuilt sections' outputs are replaced.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from komae_analysis import calendar, paths
from komae_analysis.errors import InputError, KomaeError
from komae_analysis.fileio import atomic_write_bytes
from komae_analysis.ingest import cache
from komae_analysis.params import Params
from komae_analysis.pipeline import publish
from komae_analysis.pipeline import registry as catalogue
from komae_analysis.pipeline.notebooks import check_parameters
from komae_analysis.pipeline.runner import SectionResult, SectionRunner
from komae_analysis.report.html import DEMO_BANNER_TEXT, copy_font


@dataclass
class BuildResult:
    report_dir: Path
    sections: list[SectionResult]
    seconds: float
    published: bool
    phases: dict[str, float] = field(default_factory=dict)
    #: the problems of the inputs that stopped some sections (the others were built, not published)
    input_error: InputError | None = None

    @property
    def ok(self) -> bool:
        return all(s.status == "ok" for s in self.sections)



# --- the whole build --------------------------------------------------------------------
def build(
    params: Params | Callable[[], Params],
    *,
    data_dir: Path | None = None,
    out_base: Path | None = None,
    only: list[str] | None = None,
    jobs: int = 2,
    echo: Callable[[str], None] = print,
) -> BuildResult:
    """Build the report of ``params.fiscal_year``. Raises InputError / KomaeError before anything runs.

    ``params`` may also be a function that loads them (the CLI passes one): the section kernels are
    started first, so they boot while the parameters are read and checked."""
    started = time.perf_counter()
    chosen = catalogue.select(only)
    runner = SectionRunner(chosen, min(jobs, len(chosen)), echo)
    try:
        if callable(params):
            params = params()
        data_dir = Path(data_dir or paths.RAW_DIR).resolve()
        out_base = Path(out_base or paths.REPORTS_DIR).resolve()
        if not data_dir.is_dir():
            raise KomaeError(f"データフォルダ「{data_dir}」がありません")
        for s in chosen:
            check_parameters(s)  # imports papermill (the section threads need it) before they do
        phases: dict[str, float] = {"setup": time.perf_counter() - started}
        return _build_stages(params, data_dir, out_base, only, chosen, runner, jobs, echo, started, phases)
    finally:
        runner.close()


def _build_stages(
    params: Params,
    data_dir: Path,
    out_base: Path,
    only: list[str] | None,
    chosen: list[catalogue.Section],
    runner: SectionRunner,
    jobs: int,
    echo: Callable[[str], None],
    started: float,
    phases: dict[str, float],
) -> BuildResult:
    fy = params.fiscal_year
    t0 = time.perf_counter()
    source_ids = sorted({i for s in chosen for i in s.inputs})
    input_error: InputError | None = None
    blocked: dict[str, str] = {}
    try:
        if jobs > 1:
            # the raw files are parsed in parallel processes (the readers are pure Python); the
            # processes fork from here, so first let the section threads settle into waiting
            runner.wait_idle()
            with ProcessPoolExecutor(max_workers=jobs) as pool:
                cache.prepare(source_ids, fy, data_dir, map_fn=pool.map)
        else:
            cache.prepare(source_ids, fy, data_dir)
    except InputError as exc:
        # a failing source stops only the sections that read it; if that is all of them, the
        # build stops here with every problem (nothing is written)
        blocked = blocked_sections(chosen, getattr(exc, "by_source", None))
        if not blocked or len(blocked) == len(chosen):
            raise
        input_error = exc
    phases["inputs"] = time.perf_counter() - t0
    echo(f"入力データを確認しました（{len(source_ids)}種類）。")

    published = paths.report_dir(fy, out_base)
    publish.remove_leftovers(out_base, fy)
    stage = out_base / f".FY{fy}.staging-{os.getpid()}"
    if stage.exists():
        shutil.rmtree(stage)
    with publish.locked(published):
        if only and published.exists():
            # a partial build keeps the other sections of the current report
            publish.link_tree(published, stage)
            for s in chosen:
                publish.remove_section_outputs(stage, s.id)
    stage.mkdir(parents=True, exist_ok=True)

    t0 = time.perf_counter()
    # the kept sections' workbook sheets are made while the chosen ones run (this thread only waits)
    workbook = _WorkbookAhead(stage, _section_records(stage)) if only else None
    results = runner.run(params, data_dir, stage, skip=blocked)
    ok = all(r.status == "ok" for r in results)
    phases["sections"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    assemble(stage, params, data_dir, results, seconds=time.perf_counter() - started, jobs=jobs,
             warmup_errors=runner.warmup_errors, workbook=workbook.result() if workbook else None)
    phases["assemble"] = time.perf_counter() - t0
    if not ok:
        failed_dir = out_base / f"FY{fy}{publish.FAILED_SUFFIX}"
        with publish.locked(published):
            if failed_dir.exists():
                shutil.rmtree(failed_dir)
            os.replace(stage, failed_dir)
        for r in results:
            if r.status == "failed":
                echo(f"失敗: {r.id} — {r.error}")
                echo(f"  実行済みノートブック（エラー箇所を含む）: {failed_dir / r.notebook}")
            elif r.status != "ok":
                echo(f"作成せず: {r.id} — {r.error}")
        if input_error is not None:
            built = [r.id for r in results if r.status == "ok"]
            if built:
                echo(f"ほかのセクション（{'、'.join(built)}）は作成し、{failed_dir} に置きました。"
                     f"問題のないセクションだけを公開するには: komae build --only {' '.join(built)}")
        echo(f"公開中のレポート（{published}）は変更していません。")
        return BuildResult(failed_dir, results, time.perf_counter() - started, published=False,
                           input_error=input_error)

    t0 = time.perf_counter()
    with publish.locked(published):
        publish.swap(stage, published)
    phases["publish"] = time.perf_counter() - t0
    total = time.perf_counter() - started
    from komae_analysis.report.manifest import rewrite_build_seconds

    rewrite_build_seconds(published, total, phases)
    return BuildResult(published, results, total, published=True, phases=phases)



def blocked_sections(
    chosen: list[catalogue.Section], by_source: dict[str, list] | None
) -> dict[str, str]:
    """Section id → why it cannot be built, for the chosen sections that read a failing source
    (``by_source``: failing source id → its problems); empty when the failures are not known by source."""
    if not by_source:
        return {}
    from komae_analysis.ingest import registry  # already imported: it raised the error

    out: dict[str, str] = {}
    for s in chosen:
        failing = [i for i in s.inputs if i in by_source]
        if failing:
            names = "、".join(f"「{registry.source(i).title_ja}」" for i in failing)
            out[s.id] = f"入力データ{names}に問題があるため作成しませんでした"
    return out


# --- assembly: workbook, index, manifest ------------------------------------------------
def assemble(
    stage: Path,
    params: Params,
    data_dir: Path,
    results: list[SectionResult],
    *,
    seconds: float,
    jobs: int,
    warmup_errors: list[str] | None = None,
    workbook: Any = None,
) -> None:
    """The workbook, ``manifest.json`` and ``index.html`` of the staging folder. ``workbook``: an
    :class:`~komae_analysis.report.excel.WorkbookBuilder` already holding some sections' sheets."""
    from komae_analysis.report import excel
    from komae_analysis.report import index as report_index
    from komae_analysis.report import manifest as manifests

    demo = cache.is_demo(data_dir)
    copy_font(stage)
    records = _section_records(stage)
    excel.write_appendix_workbook(
        stage,
        records,
        path=stage / "tables" / f"appendix_FY{params.fiscal_year}.xlsx",
        title=f"あいとぴあレインボープラン 資料編「現状と課題の整理」 集計表（{params.fy_label}）",
        subtitle=f"{params.city.name}　作成日 {calendar.wareki_datetime(calendar.now_jst())}",
        banner=("デモデータ：" + DEMO_BANNER_TEXT) if demo else None,
        builder=workbook,
    )
    manifest = manifests.build_manifest(
        stage, params, data_dir, [{**dataclasses.asdict(r), "title": catalogue.get(r.id).full_title} for r in results], records, seconds=seconds, jobs=jobs
    )
    manifest["kernel_warmup_errors"] = list(warmup_errors or [])
    atomic_write_bytes(
        stage / "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8")
    )
    report_index.write_index(stage, params, manifest, outline=_outline(params), demo=demo)


class _WorkbookAhead:
    """Makes the workbook sheets of the sections a partial build keeps, on a thread of its own,
    while the rebuilt sections run; :meth:`result` waits for it. A failure here is not the build's:
    :meth:`result` then gives None and the assembly makes every sheet itself."""

    def __init__(self, stage: Path, kept: list[dict]) -> None:
        self._builder: Any = None
        self._thread = threading.Thread(target=self._run, args=(stage, kept), name="workbook-ahead", daemon=True)
        self._thread.start()

    def _run(self, stage: Path, kept: list[dict]) -> None:
        from komae_analysis.report import excel

        try:
            builder = excel.WorkbookBuilder()
            for rec in kept:
                builder.add(rec["section"], excel.load_section(stage, rec))
            self._builder = builder
        except Exception:  # noqa: BLE001  (the assembly redoes it and reports any real problem)
            self._builder = None

    def result(self) -> Any:
        self._thread.join()
        return self._builder


def _section_records(stage: Path) -> list[dict]:
    """The ``sections/<id>.json`` records of the report, in registry order."""
    out = []
    for s in catalogue.SECTIONS:
        p = stage / "sections" / f"{s.id}.json"
        if p.exists():
            out.append(json.loads(p.read_text(encoding="utf-8")))
    return out


def _outline(params: Params) -> list[dict]:
    """The appendix's parts with the ids of the registered sections under each (for the contents page)."""
    return [
        {"heading": part.heading, "title": part.title_for(params),
         "sections": [s.id for s in catalogue.SECTIONS if s.part == part.key]}
        for part in catalogue.OUTLINE
    ]
