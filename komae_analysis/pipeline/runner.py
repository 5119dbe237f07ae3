"""Runs section notebooks: papermill in a warm kernel, then the committee HTML.

:class:`SectionRunner` drives ``--jobs`` threads, each with a kernel of its own started as soon as
the runner is made (see :mod:`~komae_analysis.pipeline.kernels`); :func:`run_section` executes one
notebook into the staging folder and renders its HTML. A failing notebook never stops the others:
its executed copy, traceback included, is kept and reported.
"""

from __future__ import annotations

import queue
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from komae_analysis import paths
from komae_analysis.params import Params
from komae_analysis.pipeline import registry as catalogue
from komae_analysis.pipeline.kernels import KERNEL_CONFIG, WarmKernel, close_thread_loop, register_engine
from komae_analysis.report.html import render_html, warm_exporter

#: A cell that runs longer than this fails its section instead of hanging the build (seconds).
CELL_TIMEOUT = 600


@dataclass
class SectionResult:
    id: str
    status: str  # "ok" | "failed" | "not_built" (an input it reads has problems)
    seconds: float
    notebook: str  # path relative to the report folder
    html: str | None = None
    error: str | None = None
    timings: dict[str, float] = field(default_factory=dict)



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
        for attempt in (1, 2):
            try:
                executed = papermill.execute_notebook(
                    str(section.notebook),
                    str(nb_out),
                    parameters={"fy": fy, "params_file": params_file, "data_dir": data_dir,
                                "out_dir": str(stage_dir)},
                    kernel_name="python3",
                    progress_bar=False,
                    # papermill would rewrite the whole notebook (embedded PNGs included) after every
                    # cell; the executed notebook is still written once at the end, on failure too
                    request_save_on_cell_execute=False,
                    cwd=str(paths.NOTEBOOKS_DIR),
                    config=Config(KERNEL_CONFIG),
                    km=warm.take() if warm is not None else None,
                    execution_timeout=CELL_TIMEOUT,
                    engine_name=register_engine(),
                    shutdown_kernel="immediate",  # the notebook is complete: no need to wait for the kernel
                )
                break
            except RuntimeError as exc:
                # a kernel that dies while starting, before any cell ran (seen: a port taken by another
                # process between jupyter_client choosing it and the kernel binding it), is replaced
                # once by a fresh kernel; the dead one's output stays in the manifest
                if attempt == 2 or not _died_starting(exc):
                    raise
                if warm is not None:
                    warm.close()
                    warm = None
        result.timings["execute"] = time.perf_counter() - started
        t0 = time.perf_counter()
        html = stage_dir / "html" / f"{section_id}.html"
        render_html(executed, html, title=section.full_title)  # the executed notebook, not re-read
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


def _died_starting(exc: BaseException) -> bool:
    return "Kernel died before replying to kernel_info" in str(exc)


def _short_error(exc: BaseException) -> str:
    name = type(exc).__name__
    if name == "PapermillExecutionError":
        ename = getattr(exc, "ename", "")
        evalue = getattr(exc, "evalue", "")
        return f"{ename}: {evalue}"
    return "".join(traceback.format_exception_only(type(exc), exc)).strip()



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
        self._done = 0
        self._total = len(sections)
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

    def run(
        self, params: Params, data_dir: Path, stage: Path, skip: dict[str, str] | None = None
    ) -> list[SectionResult]:
        """Run the sections (in registry order, ``workers`` at a time); ``skip``: section id → why it
        is not run (its result has the status ``"not_built"`` and that reason as its error)."""
        skip = skip or {}
        self._args = (params.source_file, params.fiscal_year, str(data_dir), str(stage))
        for s in self._sections:
            if s.id in skip:
                self._results[s.id] = SectionResult(s.id, "not_built", 0.0, "", error=skip[s.id])
            else:
                self._queue.put(s)
        self._total = self._queue.qsize()
        self._go.set()
        # the HTML exporter is needed when the first notebook has run: build it meanwhile (after the
        # inputs phase, so no file-reading process forks while this thread imports)
        warm_exporter()
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
            return WarmKernel(catalogue.warm_imports(self._sections))
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
                    self._note_kernel_problem(current)
                    self._results[result.id] = result
                    self._done += 1
                    _echo_result(self._echo, result, self._done, self._total)
        finally:
            if warm is not None:
                warm.close()
                with self._lock:
                    self._note_kernel_problem(warm)
            close_thread_loop()

    def _note_kernel_problem(self, warm: WarmKernel | None) -> None:
        """A traceback a kernel printed (e.g. it could not start) goes to the manifest, not the terminal."""
        if warm is not None and warm.problem:
            self.warmup_errors.append(warm.problem)


def _echo_result(echo: Callable[[str], None], r: SectionResult, i: int, n: int) -> None:
    mark = "完了" if r.status == "ok" else "失敗"
    echo(f"[{i}/{n}] {mark}: {r.id}（{r.seconds:.1f}秒）")

