"""Kernels for the section notebooks: started ahead of their notebook, cleaned up for sure.

:class:`WarmKernel` boots a kernel and imports the package in it while the build goes on (reading
the inputs, rendering the previous section); the papermill engine registered by
:func:`register_engine` runs a notebook in such a kernel and shuts it down afterwards. jupyter_client
and zmq are imported lazily: the CLI and the notebooks never need them.
"""

from __future__ import annotations

import functools
import tempfile
from typing import Any

from komae_analysis import paths

KERNEL_CONFIG = {"KernelManager": {"transport_encryption": "auto"}}


class WarmKernel:
    """A kernel started ahead of its notebook, importing the package while other work goes on.

    Started and used by one thread. The kernel process boots on its own, so its start-up overlaps
    whatever the build does meanwhile (reading the inputs, the previous section's HTML)."""

    def __init__(self, imports: tuple[str, ...] = ()) -> None:
        import zmq.asyncio
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync
        from traitlets.config import Config

        # a ZMQ context of its own, destroyed with the kernel: every socket of this kernel's clients
        # (ours and papermill's) is closed for sure, however long the process lives
        self.context = zmq.asyncio.Context()
        self.km = AsyncKernelManager(kernel_name="python3", config=Config(KERNEL_CONFIG), context=self.context)
        # the kernel's own output (start-up warnings, a crash's traceback) goes to a private log, not
        # to the user's terminal; :attr:`problem` keeps the end of a traceback found there
        self._log = tempfile.TemporaryFile(prefix="komae-kernel-", suffix=".log")  # noqa: SIM115  (closed in close())
        self.problem: str | None = None
        try:
            run_sync(self.km.start_kernel)(cwd=str(paths.NOTEBOOKS_DIR), stdout=self._log, stderr=self._log)
            self.kc = self.km.client()
            # the shell channel is all a warm-up needs (no heartbeat thread, nothing to read back)
            self.kc.start_channels(shell=True, iopub=False, stdin=False, hb=False, control=False)
        except BaseException:
            if self.km.has_kernel:
                run_sync(self.km.shutdown_kernel)(now=True)
            self.context.destroy(linger=0)
            self._log.close()
            raise
        # queued by ZMQ until the kernel is up; silent: the notebook's execution counts start at 1
        self.kc.execute(_warm_up_code(imports), silent=True, store_history=False)

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
            self._log.seek(0)
            text = self._log.read().decode("utf-8", "replace")
            self._log.close()
            if "Traceback" in text:
                self.problem = "カーネルのエラー出力: " + " / ".join(text.strip().splitlines()[-3:])


@functools.cache
def register_engine() -> str:
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



def close_thread_loop() -> None:
    """Close the asyncio loop that jupyter_client/nbclient made for this thread: left open, its
    file descriptors would live until the garbage collector finds it (many builds in one process)."""
    from jupyter_core.utils import ensure_event_loop

    loop = ensure_event_loop()
    if not loop.is_running():
        loop.close()



def _warm_up_code(imports: tuple[str, ...]) -> str:
    """Import the modules a notebook will use and set matplotlib up (the slowest part of its start)."""
    lines = [f"import {name}" for name in imports]
    lines.append("import komae_analysis.report.charts as _c; _c.setup(); del _c")
    return "\n".join(lines)
