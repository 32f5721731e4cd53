"""Write a course's outputs so that `dist/` only ever holds a complete build or the previous one.

Everything is written into a staging folder beside `dist/` (same filesystem, outside `dist/`, so a
killed build leaves `dist/` exactly as it was), then swapped into place with one atomic rename
(Linux `renameat2(RENAME_EXCHANGE)` when a previous build exists).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import shutil
import signal
import tempfile
from pathlib import Path

STAGING_PREFIX = ".coursesmith-staging-"
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


@contextlib.contextmanager
def staged_directory(final: Path):
    """Yield an empty folder; on success it replaces `final` atomically, on any failure it is removed."""
    final = final.resolve()
    parent = final.parent.parent
    parent.mkdir(parents=True, exist_ok=True)
    remove_stale_staging(parent)
    staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-", dir=parent))
    try:
        with _signals_raise():
            yield staging
            final.parent.mkdir(parents=True, exist_ok=True)
            _swap_into_place(staging, final)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _swap_into_place(staging: Path, final: Path) -> None:
    if final.exists() and _exchange(staging, final):
        return  # the previous build now sits at `staging` and is removed by the caller
    if final.exists():
        # No atomic exchange on this system: move the old build aside first (briefly absent).
        aside = staging.with_name(staging.name + "-old")
        os.rename(final, aside)
        os.rename(staging, final)
        os.rename(aside, staging)
    else:
        os.rename(staging, final)


def _exchange(a: Path, b: Path) -> bool:
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


def remove_stale_staging(parent: Path) -> None:
    """Remove staging folders left by builds that were killed (their process no longer runs)."""
    for candidate in parent.glob(STAGING_PREFIX + "*"):
        pid = candidate.name[len(STAGING_PREFIX):].split("-", 1)[0]
        if pid.isdigit() and not _running(int(pid)):
            shutil.rmtree(candidate, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Interrupted(Exception):
    """The build received SIGINT or SIGTERM; staging is removed and `dist/` is left alone."""

    def __init__(self, signum: int):
        self.signum = signum
        super().__init__(signal.Signals(signum).name)


@contextlib.contextmanager
def _signals_raise():
    """Turn SIGTERM (and SIGINT) into an exception, so `finally` blocks clean up on the way out."""
    def handler(signum, _frame):
        raise Interrupted(signum)

    previous = {}
    try:
        for signum in (signal.SIGINT, signal.SIGTERM):
            previous[signum] = signal.signal(signum, handler)
    except ValueError:        # not the main thread: leave signals as they are
        previous = {}
    try:
        yield
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)
