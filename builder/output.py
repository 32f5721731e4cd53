"""Write a course's outputs so that `dist/` only ever holds a complete build or the previous one.

Everything is written into a staging folder beside `dist/` (same filesystem, outside `dist/`, so a
killed build leaves `dist/` exactly as it was), then swapped into place with one atomic rename
(Linux `renameat2(RENAME_EXCHANGE)` when a previous build exists).
"""

from __future__ import annotations

import contextlib
import errno
import glob
import os
import shutil
import signal
import tempfile
from pathlib import Path

STAGING_PREFIX = ".coursesmith-staging-"
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


@contextlib.contextmanager
def staged_directory(final: Path, before_swap=lambda: None):
    """Yield an empty folder; on success it replaces `final` atomically, on any failure it is removed.

    `before_swap()` is called when the folder is complete, just before the swap (a course built
    beside others waits there for its turn, so that dist/ changes in course order)."""
    if os.path.islink(final):
        # The swap would put the link's target (someone's folder) where the old build goes.
        raise FileExistsError(errno.EEXIST, "the output folder is a symbolic link", str(final))
    final = final.parent.resolve() / final.name
    if os.path.lexists(final) and not final.is_dir():
        # Never swap a build in for someone's file: it would be deleted as the "previous build".
        raise FileExistsError(errno.EEXIST, "a file is in the way of the output folder", str(final))
    staging = _make_staging(final)
    try:
        signals_before = len(_received)
        yield staging
        if len(_received) > signals_before:
            # Library code (WeasyPrint logs and carries on) swallowed the Interrupted exception.
            raise Interrupted(_received[-1])
        before_swap()
        final.parent.mkdir(parents=True, exist_ok=True)
        # mkdtemp makes a private (0700) folder; the published build is readable like any other.
        staging.chmod(0o777 & ~_umask())
        _swap_into_place(staging, final)
    finally:
        # A step's scratch folders sit beside staging, named after it (build.py's SCO folders). A
        # signal that lands while a step removes its own is raised from inside that removal and
        # leaves it half done, so they are removed here too, on the way out.
        for scratch in [staging, *staging.parent.glob(glob.escape(staging.name) + "-*")]:
            shutil.rmtree(scratch, ignore_errors=True)


def _make_staging(final: Path) -> Path:
    """A fresh staging folder beside the output folder, or inside it when only that is writable
    (`--out /srv/www/courses` where /srv/www belongs to someone else)."""
    outside, inside = final.parent.parent, final.parent
    outside.mkdir(parents=True, exist_ok=True)
    try:
        remove_stale_staging(outside)
        return Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-", dir=outside))
    except OSError:
        inside.mkdir(parents=True, exist_ok=True)
        remove_stale_staging(inside)
        return Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-", dir=inside))


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


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
    import ctypes
    import ctypes.util

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


class Interrupted(KeyboardInterrupt):
    """The build received SIGINT or SIGTERM; staging is removed and `dist/` is left alone.

    A KeyboardInterrupt, so that no `except Exception` (ours or a library's) mistakes a stop for
    an error and carries on, and what stops on Ctrl-C (the preview) stops on SIGTERM too."""

    def __init__(self, signum: int):
        self.signum = signum
        super().__init__(signal.Signals(signum).name)


_received: list[int] = []


def signals_received() -> int:
    """How many interrupting signals this process has received so far."""
    return len(_received)


def received_signal() -> int | None:
    """The signal that interrupted a build in this process, if any.

    The exception a signal raises can surface inside library code that turns it into another
    exception; the caller asks this to still report an interruption as one."""
    return _received[-1] if _received else None


@contextlib.contextmanager
def interrupts_raise():
    """Turn SIGTERM (and SIGINT) into `Interrupted`, so `finally` blocks clean up on the way out.

    Only the `coursesmith` command itself installs this (builder.cli.run): a program or a test
    that calls the command line in-process keeps its own signal handling."""
    def handler(signum, _frame):
        _received.append(signum)
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
