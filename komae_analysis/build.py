"""The batch build: validate inputs, run section notebooks with papermill, publish the report.

Flow (ARCHITECTURE.md):
1. check every chosen notebook's parameters cell (an injected name it does not define is an error);
   meanwhile ``--jobs`` section threads each launch a kernel, which boots and imports the package
   in its own process while the build goes on;
2. read and validate the raw inputs the chosen sections declare, each file once for all the
   sources that use it, in parallel processes: any problem → :class:`InputError`, nothing is
   written to ``reports/``; the tidy frames go to ``data/processed/FY<YYYY>/`` for the notebooks;
3. run the notebooks on the section threads (papermill Python API, one warm kernel each; the next
   section's kernel boots while the current one runs) and render each executed notebook to HTML
   in the same thread (nbconvert API, code hidden);
4. assemble the Excel workbook, ``index.html`` and ``manifest.json`` in a staging folder;
5. swap the staging folder into ``reports/FY<YYYY>/`` with renames. If a section failed nothing is
   published: the staging folder is kept as ``reports/FY<YYYY>.failed/`` with the executed
   notebooks (tracebacks included) and their paths are printed.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import queue
import shutil
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from komae_analysis import datasets, paths
from komae_analysis import sections as catalogue
from komae_analysis.errors import KomaeError
from komae_analysis.fileio import atomic_write_bytes
from komae_analysis.params import Params

KERNEL_CONFIG = {"KernelManager": {"transport_encryption": "auto"}}
#: A cell that runs longer than this fails its section instead of hanging the build (seconds).
CELL_TIMEOUT = 600
FAILED_SUFFIX = ".failed"


@dataclass
class SectionResult:
    id: str
    status: str  # "ok" | "failed"
    seconds: float
    notebook: str  # path relative to the report folder
    html: str | None = None
    error: str | None = None
    timings: dict[str, float] = field(default_factory=dict)


@dataclass
class BuildResult:
    report_dir: Path
    sections: list[SectionResult]
    seconds: float
    published: bool
    phases: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return all(s.status == "ok" for s in self.sections)


# --- parameters -------------------------------------------------------------------------
def check_parameters(section: catalogue.Section) -> None:
    """Fail unless the notebook's parameters cell defines every name the build injects.

    papermill only warns about an unknown parameter; a typo would then run with the default.
    """
    import papermill

    if not section.notebook.exists():
        raise KomaeError(f"セクション「{section.id}」のノートブック「{section.notebook}」がありません")
    declared = set(papermill.inspect_notebook(str(section.notebook)))
    missing = [p for p in catalogue.INJECTED_PARAMETERS if p not in declared]
    if missing:
        raise KomaeError(
            f"ノートブック「{section.notebook.name}」のparametersセルに {', '.join(missing)} がありません"
            "（ビルドが渡すパラメータを受け取れません）"
        )


def notebook_parameters(section: catalogue.Section) -> dict[str, dict[str, str]]:
    """name → {type, default, help} of a notebook's parameters cell (for ``komae sections``)."""
    import papermill

    info = papermill.inspect_notebook(str(section.notebook))
    return {
        name: {"type": v.get("inferred_type_name", ""), "default": v.get("default", ""), "help": v.get("help", "")}
        for name, v in info.items()
    }


# --- kernels and sections ---------------------------------------------------------------
#: Modules a warm kernel imports before its notebook arrives (a warm-up only: notebooks import
#: what they use themselves).
KERNEL_WARM_IMPORTS = ("komae_analysis.section", "komae_analysis.population")


class WarmKernel:
    """A kernel started ahead of its notebook, importing the package while other work goes on.

    Started and used by one thread. The kernel process boots on its own, so its start-up overlaps
    whatever the build does meanwhile (reading the inputs, the previous section's HTML)."""

    def __init__(self) -> None:
        import zmq.asyncio
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync
        from traitlets.config import Config

        # a ZMQ context of its own, destroyed with the kernel: every socket of this kernel's clients
        # (ours and papermill's) is closed for sure, however long the process lives
        self.context = zmq.asyncio.Context()
        self.km = AsyncKernelManager(kernel_name="python3", config=Config(KERNEL_CONFIG), context=self.context)
        try:
            run_sync(self.km.start_kernel)(cwd=str(paths.NOTEBOOKS_DIR))
            self.kc = self.km.client()
            # the shell channel is all a warm-up needs (no heartbeat thread, nothing to read back)
            self.kc.start_channels(shell=True, iopub=False, stdin=False, hb=False, control=False)
        except BaseException:
            if self.km.has_kernel:
                run_sync(self.km.shutdown_kernel)(now=True)
            self.context.destroy(linger=0)
            raise
        # queued by ZMQ until the kernel is up; silent: the notebook's execution counts start at 1
        self.kc.execute(f"import {', '.join(KERNEL_WARM_IMPORTS)}", silent=True, store_history=False)

    def take(self) -> Any:
        """The kernel manager, for papermill (which then talks to the kernel with its own client)."""
        self.kc.stop_channels()
        return self.km

    def close(self) -> None:
        """Shut the kernel down (if papermill has not) and close every socket of its context."""
        from jupyter_core.utils import run_sync

        self.kc.stop_channels()
        try:
            if self.km.has_kernel:
                run_sync(self.km.shutdown_kernel)(now=True)
        finally:
            self.context.destroy(linger=0)


@functools.cache
def _register_engine() -> str:
    """papermill's nbclient engine, adapted to a kernel the build started (``km``): the notebook
    client shuts that kernel down and closes its own channels afterwards, as it does for a kernel
    it starts itself (papermill's engine leaves both open when given a kernel manager)."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.log import logger
    from papermill.utils import merge_kwargs, remove_args

    class WarmKernelEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(
            cls, nb_man, kernel_name, log_output=False, stdout_file=None, stderr_file=None,
            start_timeout=60, execution_timeout=None, **kwargs,
        ):
            kwargs = remove_args(["input_path"], **kwargs)
            safe_kwargs = remove_args(["timeout", "startup_timeout"], **kwargs)
            final_kwargs = merge_kwargs(
                safe_kwargs,
                timeout=execution_timeout if execution_timeout else kwargs.get("timeout"),
                startup_timeout=start_timeout,
                kernel_name=kernel_name,
                log=logger,
                log_output=log_output,
                stdout_file=stdout_file,
                stderr_file=stderr_file,
            )
            return PapermillNotebookClient(nb_man, **final_kwargs).execute(cleanup_kc=True)

    papermill_engines.register("komae", WarmKernelEngine)
    return "komae"


def preload() -> None:
    """Import papermill, nbconvert and the readers, and compile the HTML template, once: before the
    section threads need them and before file-reading processes fork from this one."""
    import nbformat
    import papermill  # noqa: F401

    from komae_analysis.ingest import population  # noqa: F401  (before any fork of file readers)

    _exporter().from_notebook_node(nbformat.v4.new_notebook(), resources={"komae": {"title": "", "css": ""}})


@functools.cache
def _exporter():
    """One HTML exporter per process: building it compiles the Jinja templates (≈0.15 s)."""
    from nbconvert import HTMLExporter

    return HTMLExporter(
        template_name="komae",
        extra_template_basedirs=[str(paths.TEMPLATES_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        language_code="ja",
    )


def run_section(
    section_id: str, params_file: str, fy: int, data_dir: str, stage: str, warm: WarmKernel | None = None
) -> SectionResult:
    """Execute one section notebook into ``stage`` and render its HTML. Never raises.

    ``warm``: a kernel started ahead (see :class:`WarmKernel`) to run the notebook in, closed
    afterwards; without it papermill starts one."""
    import papermill
    from traitlets.config import Config

    section = catalogue.get(section_id)
    stage_dir = Path(stage)
    nb_out = stage_dir / "notebooks" / f"{section_id}.ipynb"
    nb_out.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    result = SectionResult(section_id, "ok", 0.0, nb_out.relative_to(stage_dir).as_posix())
    try:
        papermill.execute_notebook(
            str(section.notebook),
            str(nb_out),
            parameters={"fy": fy, "params_file": params_file, "data_dir": data_dir, "out_dir": str(stage_dir)},
            kernel_name="python3",
            progress_bar=False,
            # papermill would rewrite the whole notebook (embedded PNGs included) after every cell;
            # the executed notebook is still written once at the end, on failure too
            request_save_on_cell_execute=False,
            cwd=str(paths.NOTEBOOKS_DIR),
            config=Config(KERNEL_CONFIG),
            km=warm.take() if warm is not None else None,
            execution_timeout=CELL_TIMEOUT,
            engine_name=_register_engine(),
            shutdown_kernel="immediate",  # the notebook is complete: no need to wait for the kernel
        )
        result.timings["execute"] = time.perf_counter() - started
        t0 = time.perf_counter()
        html = stage_dir / "html" / f"{section_id}.html"
        render_html(nb_out, html, title=section.full_title)
        result.timings["html"] = time.perf_counter() - t0
        result.html = html.relative_to(stage_dir).as_posix()
    except Exception as exc:  # a failing notebook must not stop the other sections
        result.status = "failed"
        result.error = _short_error(exc)
    finally:
        if warm is not None:  # papermill's engine shut the kernel down; this closes what is left
            warm.close()
    result.seconds = time.perf_counter() - started
    return result


def _short_error(exc: BaseException) -> str:
    name = type(exc).__name__
    if name == "PapermillExecutionError":
        ename = getattr(exc, "ename", "")
        evalue = getattr(exc, "evalue", "")
        return f"{ename}: {evalue}"
    return "".join(traceback.format_exception_only(type(exc), exc)).strip()


def render_html(notebook: Path, html: Path, *, title: str) -> None:
    """Executed notebook → committee HTML: no code cells, lang="ja", no CDN scripts."""
    import nbformat

    nb = nbformat.read(str(notebook), as_version=4)
    nb.metadata["title"] = title
    body, _ = _exporter().from_notebook_node(nb, resources={"komae": {"title": title, "css": page_css()}})
    atomic_write_bytes(html, body.encode("utf-8"))


FONT_ASSET = "assets/ipaexg.ttf"


def page_css(root: str = "../") -> str:
    """CSS shared by the section pages and the contents page (page layout + appendix tables).

    The IPAex Gothic font shipped with matplotlib-fontja is copied into the report (``assets/``) and
    declared with @font-face, so pages look the same on every machine, offline, even where no
    Japanese font is installed. ``root`` is the path from the page to the report folder.
    """
    from komae_analysis.tables import TABLE_CSS

    font_face = (
        '@font-face { font-family: "IPAexGothic"; '
        f'src: local("IPAexGothic"), local("IPAexゴシック"), url("{root}{FONT_ASSET}") format("truetype"); }}\n'
    )
    return font_face + (paths.TEMPLATES_DIR / "report" / "page.css").read_text(encoding="utf-8") + "\n" + TABLE_CSS


def copy_font(report: Path) -> None:
    from komae_analysis.fonts import font_path

    dst = report / FONT_ASSET
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(font_path(), dst)


# --- the whole build --------------------------------------------------------------------
def build(
    params: Params,
    *,
    data_dir: Path | None = None,
    out_base: Path | None = None,
    only: list[str] | None = None,
    jobs: int = 2,
    echo: Callable[[str], None] = print,
) -> BuildResult:
    """Build the report of ``params.fiscal_year``. Raises InputError / KomaeError before anything runs."""
    started = time.perf_counter()
    data_dir = Path(data_dir or paths.RAW_DIR).resolve()
    out_base = Path(out_base or paths.REPORTS_DIR).resolve()
    if not data_dir.is_dir():
        raise KomaeError(f"データフォルダ「{data_dir}」がありません")
    chosen = catalogue.select(only)
    runner = SectionRunner(chosen, min(jobs, len(chosen)), echo)
    try:
        for s in chosen:
            check_parameters(s)
        preload()
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
    if jobs > 1:
        # the raw files are parsed in parallel processes (the readers are pure Python); the
        # processes fork from here, so first let the section threads settle into waiting
        runner.wait_idle()
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            datasets.prepare(source_ids, fy, data_dir, map_fn=pool.map)
    else:
        datasets.prepare(source_ids, fy, data_dir)
    phases["inputs"] = time.perf_counter() - t0
    echo(f"入力データを確認しました（{len(source_ids)}種類）。")

    published = paths.report_dir(fy, out_base)
    _remove_leftovers(out_base, fy)
    stage = out_base / f".FY{fy}.staging-{os.getpid()}"
    if stage.exists():
        shutil.rmtree(stage)
    if only and published.exists():
        # a partial build keeps the other sections of the current report
        shutil.copytree(published, stage)
        for s in chosen:
            _remove_section_outputs(stage, s.id)
    stage.mkdir(parents=True, exist_ok=True)

    t0 = time.perf_counter()
    results = runner.run(params, data_dir, stage)
    ok = all(r.status == "ok" for r in results)
    phases["sections"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    assemble(stage, params, data_dir, results, seconds=time.perf_counter() - started, jobs=jobs,
             warmup_errors=runner.warmup_errors)
    phases["assemble"] = time.perf_counter() - t0
    if not ok:
        failed_dir = out_base / f"FY{fy}{FAILED_SUFFIX}"
        if failed_dir.exists():
            shutil.rmtree(failed_dir)
        os.replace(stage, failed_dir)
        for r in results:
            if r.status != "ok":
                echo(f"失敗: {r.id} — {r.error}")
                echo(f"  実行済みノートブック（エラー箇所を含む）: {failed_dir / r.notebook}")
        echo(f"公開中のレポート（{published}）は変更していません。")
        return BuildResult(failed_dir, results, time.perf_counter() - started, published=False)

    t0 = time.perf_counter()
    _swap(stage, published)
    phases["publish"] = time.perf_counter() - t0
    total = time.perf_counter() - started
    _rewrite_build_seconds(published, total, phases)
    return BuildResult(published, results, total, published=True, phases=phases)


def _remove_leftovers(out_base: Path, fy: int) -> None:
    """Staging and old-report folders left by a build that was killed (its process is gone)."""
    for p in [*out_base.glob(f".FY{fy}.staging-*"), *out_base.glob(f".FY{fy}.old-*")]:
        pid = p.name.rsplit("-", 1)[-1]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            shutil.rmtree(p, ignore_errors=True)


def _alive(pid: int) -> bool:
    if os.name == "nt":  # os.kill(pid, 0) would terminate the process on Windows: keep the folder
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _remove_section_outputs(stage: Path, section_id: str) -> None:
    for p in (
        stage / "tables" / "data" / section_id,
        stage / "figures" / section_id,
    ):
        shutil.rmtree(p, ignore_errors=True)
    for p in (
        stage / "notebooks" / f"{section_id}.ipynb",
        stage / "html" / f"{section_id}.html",
        stage / "sections" / f"{section_id}.json",
    ):
        p.unlink(missing_ok=True)


class SectionRunner:
    """Runs section notebooks on ``workers`` threads, each with a kernel of its own.

    The threads start their kernels as soon as the runner is made, so kernel start-up overlaps the
    checks and the reading of the inputs; :meth:`run` then hands out the sections. The real work
    happens in the kernel processes; a thread only drives papermill and renders HTML."""

    def __init__(self, sections: list[catalogue.Section], workers: int, echo: Callable[[str], None]) -> None:
        # what the threads import, imported here first: a module imported by two threads at once
        # can be seen half-initialised by one of them
        import jupyter_client.manager  # noqa: F401
        import jupyter_core.utils  # noqa: F401
        import traitlets.config  # noqa: F401
        import zmq.asyncio  # noqa: F401

        self._sections = sections
        self._echo = echo
        self._queue: queue.Queue[catalogue.Section] = queue.Queue()
        self._go = threading.Event()
        self._cancel = threading.Event()
        self._lock = threading.Lock()
        self._results: dict[str, SectionResult] = {}
        self._args: tuple[str, int, str, str] = ("", 0, "", "")
        self._idle = threading.Semaphore(0)  # released by each thread once its kernel is launched
        self.warmup_errors: list[str] = []
        self._threads = [
            threading.Thread(target=self._work, name=f"section-{i}", daemon=True) for i in range(max(1, workers))
        ]
        for t in self._threads:
            t.start()

    def wait_idle(self) -> None:
        """Block until every thread has launched its kernel and is only waiting: from then on the
        process may fork (the threads hold no locks while they wait)."""
        for _ in self._threads:
            self._idle.acquire()
        for _ in self._threads:
            self._idle.release()

    def run(self, params: Params, data_dir: Path, stage: Path) -> list[SectionResult]:
        self._args = (params.source_file, params.fiscal_year, str(data_dir), str(stage))
        for s in self._sections:
            self._queue.put(s)
        self._go.set()
        for t in self._threads:
            t.join()
        return [self._results[s.id] for s in self._sections]

    def close(self) -> None:
        """Stop early (bad input, an error before the sections ran): idle kernels are shut down."""
        if not self._go.is_set():
            self._cancel.set()
            self._go.set()
        for t in self._threads:
            t.join()

    def _try_warm_kernel(self) -> WarmKernel | None:
        """A warm kernel, or None if one cannot be started: papermill then starts the kernel itself
        (and a real failure is reported for the section that needed it). The reason is kept for the
        manifest, so a broken warm-up does not go unnoticed."""
        try:
            return WarmKernel()
        except Exception as exc:  # noqa: BLE001
            with self._lock:
                self.warmup_errors.append(_short_error(exc))
            return None

    def _work(self) -> None:
        warm = self._try_warm_kernel()
        self._idle.release()
        try:
            self._go.wait()
            while not self._cancel.is_set():
                try:
                    section = self._queue.get_nowait()
                except queue.Empty:
                    break
                with self._lock:
                    self._echo(f"開始: {section.id}　{section.full_title}")
                current, warm = warm, None
                # the next section's kernel boots while this one runs (on the other core)
                warm = self._try_warm_kernel() if not self._queue.empty() else None
                result = run_section(section.id, *self._args, warm=current)
                with self._lock:
                    self._results[result.id] = result
                    _echo_result(self._echo, result, len(self._results), len(self._sections))
        finally:
            if warm is not None:
                warm.close()
            _close_thread_loop()


def _close_thread_loop() -> None:
    """Close the asyncio loop that jupyter_client/nbclient made for this thread: left open, its
    file descriptors would live until the garbage collector finds it (many builds in one process)."""
    from jupyter_core.utils import ensure_event_loop

    loop = ensure_event_loop()
    if not loop.is_running():
        loop.close()


def _echo_result(echo: Callable[[str], None], r: SectionResult, i: int, n: int) -> None:
    mark = "完了" if r.status == "ok" else "失敗"
    echo(f"[{i}/{n}] {mark}: {r.id}（{r.seconds:.1f}秒）")


def _swap(stage: Path, published: Path) -> None:
    """Replace the published report by the staging folder with two renames (never half-replaced)."""
    old = published.with_name(f".{published.name}.old-{os.getpid()}")
    if published.exists():
        os.replace(published, old)
    os.replace(stage, published)
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)


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
) -> None:
    from komae_analysis import report_index
    from komae_analysis.excel import write_workbook
    from komae_analysis.section import DEMO_BANNER_TEXT
    from komae_analysis.tables import AppendixTable

    fy = params.fiscal_year
    demo = datasets.is_demo(data_dir)
    copy_font(stage)
    records = _section_records(stage)
    tables = []
    for rec in records:
        for t in rec.get("tables", []):
            tables.append(AppendixTable.load(stage / "tables" / "data" / rec["section"] / t["file"]))
    workbook = stage / "tables" / f"appendix_FY{fy}.xlsx"
    if tables:
        write_workbook(
            tables,
            workbook,
            title=f"あいとぴあレインボープラン 資料編「現状と課題の整理」 集計表（{params.fy_label}）",
            subtitle=f"{params.city.name}　作成日 {dt.date.today():%Y-%m-%d}",
            banner=("デモデータ：" + DEMO_BANNER_TEXT) if demo else None,
        )
    manifest = build_manifest(stage, params, data_dir, results, records, seconds=seconds, jobs=jobs)
    manifest["kernel_warmup_errors"] = list(warmup_errors or [])
    atomic_write_bytes(
        stage / "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8")
    )
    report_index.write_index(stage, params, manifest, demo=demo)


def _section_records(stage: Path) -> list[dict]:
    out = []
    for s in catalogue.SECTIONS:
        p = stage / "sections" / f"{s.id}.json"
        if p.exists():
            out.append(json.loads(p.read_text(encoding="utf-8")))
    return out


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
    results: list[SectionResult],
    records: list[dict],
    *,
    seconds: float,
    jobs: int,
) -> dict:
    by_id = {r.id: r for r in results}
    previous = {}
    old_manifest = stage / "manifest.json"
    if old_manifest.exists():  # partial build: keep the facts of sections not rebuilt
        previous = {s["id"]: s for s in json.loads(old_manifest.read_text(encoding="utf-8")).get("sections", [])}
    sections_out = []
    for rec in records:
        sid = rec["section"]
        r = by_id.get(sid)
        entry = previous.get(sid, {}) if r is None else {
            "status": r.status,
            "seconds": round(r.seconds, 2),
            "timings": {k: round(v, 2) for k, v in r.timings.items()},
            "notebook": r.notebook,
            "html": r.html,
            "error": r.error,
            "built_in_this_run": True,
        }
        entry = {**entry, "id": sid, "title": rec["title"], "inputs": sorted(rec.get("inputs", {}))}
        if r is None:
            entry["built_in_this_run"] = False
        entry["tables"] = [{**t, "path": f"tables/data/{sid}/{t['file']}"} for t in rec.get("tables", [])]
        entry["figures"] = [{**f, "path": f"figures/{sid}/{f['file']}"} for f in rec.get("figures", [])]
        sections_out.append(entry)
    for r in results:  # a section that failed before finish() has no record
        if r.id not in {s["id"] for s in sections_out}:
            sections_out.append({"id": r.id, "status": r.status, "seconds": round(r.seconds, 2),
                                 "notebook": r.notebook, "error": r.error, "built_in_this_run": True})
    from komae_analysis.ingest import registry

    # the files as the notebooks read them (recorded with their sha256 by SectionContext.load)
    read: dict[str, dict[str, dict]] = {}
    for rec in records:
        for sid, files in rec.get("inputs", {}).items():
            read.setdefault(sid, {}).update({f["path"]: f for f in files})
    inputs = []
    for sid in sorted(read):
        src = registry.source(sid)
        for path in sorted(read[sid]):
            inputs.append({"source": sid, "title": src.title_ja, "citation": src.source_ja, **read[sid][path]})
    dirty = _git("status", "--porcelain")
    return {
        "report": "あいとぴあレインボープラン 資料編「現状と課題の整理」",
        "fiscal_year": params.fiscal_year,
        "fiscal_year_label": params.fy_label,
        "built_at": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "build_seconds": round(seconds, 2),
        "jobs": jobs,
        "demo_data": datasets.is_demo(data_dir),
        "data_dir": str(data_dir),
        "params_file": params.source_file,
        "params": params.to_dict(),
        "git": {"commit": _git("rev-parse", "HEAD"), "dirty": None if dirty is None else bool(dirty)},
        "packages": package_versions(),
        "inputs": inputs,
        "sections": sections_out,
        "workbook": f"tables/appendix_FY{params.fiscal_year}.xlsx",
    }


def _rewrite_build_seconds(published: Path, total: float, phases: dict[str, float]) -> None:
    """Record the final wall time and the time of each phase (known only after the swap) in the
    published manifest."""
    path = published / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest["build_seconds"] = round(total, 2)
    manifest["phase_seconds"] = {k: round(v, 2) for k, v in phases.items()}
    atomic_write_bytes(path, json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8"))
