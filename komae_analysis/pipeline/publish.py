"""Atomic publication of a report folder: build in a staging folder, swap it in with renames.

A killed build leaves at most a staging folder, removed by the next build; a failed build is kept
as ``reports/FY<YYYY>.failed/`` and the published report is never half-replaced.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

FAILED_SUFFIX = ".failed"

try:  # the lock of a report folder (see locked())
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]
try:
    import msvcrt
except ImportError:
    msvcrt = None  # type: ignore[assignment]


def remove_leftovers(out_base: Path, fy: int) -> None:
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


def remove_section_outputs(stage: Path, section_id: str) -> None:
    for p in (
        stage / "tables" / "data" / section_id,
        stage / "tables" / section_id,  # the section's own workbooks (report.documents)
        stage / "figures" / section_id,
    ):
        shutil.rmtree(p, ignore_errors=True)
    for p in (
        stage / "notebooks" / f"{section_id}.ipynb",
        stage / "html" / f"{section_id}.html",
        stage / "sections" / f"{section_id}.json",
    ):
        p.unlink(missing_ok=True)



@contextlib.contextmanager
def locked(published: Path) -> Iterator[None]:
    """Hold the reports folder's lock: builds running at the same time take turns to read the
    published report and to swap a new one in, so each sees it whole.

    An OS lock, released by the OS if the process dies: on the reports folder itself where the OS can
    lock a folder (POSIX ``flock``), else on a ``.<name>.lock`` file beside the report (Windows)."""
    folder = published.parent
    folder.mkdir(parents=True, exist_ok=True)
    if fcntl is not None:
        fd = os.open(folder, os.O_RDONLY)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing releases the lock
        return
    with open(published.with_name(f".{published.name}.lock"), "a+b") as f:  # pragma: no cover - Windows
        f.seek(0)
        msvcrt.locking(f.fileno(), msvcrt.LK_LOCK, 1)
        try:
            yield
        finally:
            f.seek(0)
            msvcrt.locking(f.fileno(), msvcrt.LK_UNLCK, 1)


def swap(stage: Path, published: Path) -> None:
    """Replace the published report by the staging folder with two renames (never half-replaced).
    Call it holding :func:`locked`."""
    old = published.with_name(f".{published.name}.old-{os.getpid()}")
    if published.exists():
        os.replace(published, old)
    os.replace(stage, published)
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)



def link_tree(src: Path, dst: Path) -> None:
    """``dst`` as a copy of ``src`` made of hard links (a partial build's starting point).

    Cheap at any report size: no file is read. Safe because every write of the build replaces a
    file by renaming a new one into place (:mod:`komae_analysis.fileio`), so a linked file is never
    modified through the staging folder. Where links are not possible (another file system), files
    are copied.
    """
    def link_or_copy(s: str, d: str) -> None:
        try:
            os.link(s, d)
        except OSError:
            shutil.copy2(s, d)

    shutil.copytree(src, dst, copy_function=link_or_copy)
