"""Run a build's independent steps (each PDF edition, each SCORM version) in worker processes.

WeasyPrint and zlib hold Python's lock, so threads would not use the second core: processes do.
Workers are forked from the build, so each starts with the loaded course already in memory and
nothing but results crosses back. A worker only writes into the staging folder; on a failure or
an interruption (SIGINT, SIGTERM) the workers still running are killed at once, and the staging
folder goes with them (output.staged_directory), so a stop never waits for a long PDF.

With one job every step runs in the build's own process, in the order it was added: the output
is the same bytes either way.

When several courses are built at once (courses_at_once.py), their processes share the machine's
cores through one count (`share_cores`): a course process runs its first worker on its own core
and starts a second one only while a core is free, so N courses never make N × jobs processes.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import time
import traceback
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Any, Callable

from .errors import CourseError

_STOPS = {signal.SIGINT, signal.SIGTERM}
Done = Callable[[str, Any, float], None]     # (step name, its result, seconds it took)
_RECHECK_SECONDS = 0.2       # how often a waiting step looks for a core another course let go
_shared_cores = None         # the cores' count shared by the course processes, in one of them


def share_cores(cores) -> None:
    """In a course process: every Workers of this process takes its extra cores from `cores`
    (a multiprocessing semaphore, one unit per core the other course processes do not use)."""
    global _shared_cores
    _shared_cores = cores


@contextlib.contextmanager
def signals_held():
    """SIGINT and SIGTERM held back while a process is forked and recorded as running.

    A signal handled during the fork would raise inside its at-fork hooks, where the exception
    is printed and dropped; held back, it arrives just after, when the new process is known and
    a stop kills it (the child sets its own handlers before it unblocks them)."""
    signal.pthread_sigmask(signal.SIG_BLOCK, _STOPS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOPS)


def available_cores() -> int:
    """The cores this process may run on: the default number of jobs."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:               # not Linux
        return max(1, os.cpu_count() or 1)


@dataclass
class _Running:
    index: int               # the order the step was added in
    name: str
    process: multiprocessing.process.BaseProcess
    shared_core: bool = False    # it took a core from the count the course processes share


class Workers:
    """Up to `jobs` steps at a time. `add` queues a step (started at once while a worker is
    free), `finish` waits for every step and raises the first failure, as the step raised it.
    Finished steps are handed to `done` in the order they were added, whichever ended first, so
    what the build prints does not depend on the number of jobs."""

    def __init__(self, jobs: int):
        self.jobs = max(1, jobs)
        self._queued: list[tuple[int, str, Callable[[], Any]]] = []
        self._added = 0
        self._delivered = 0                                    # steps handed to `done` so far
        self._finished: dict[int, tuple[str, Any, float]] = {}  # ended, waiting for an earlier one
        self._running: dict[Connection, _Running] = {}
        self._context = multiprocessing.get_context("fork")

    @property
    def parallel(self) -> bool:
        return self.jobs > 1

    def __enter__(self) -> "Workers":
        return self

    def __exit__(self, *_exc) -> None:
        self.stop()

    def add(self, name: str, action: Callable[[], Any]) -> None:
        self._queued.append((self._added, name, action))
        self._added += 1
        if self.parallel:
            self._start_free()

    def finish(self, done: Done) -> None:
        if not self.parallel:
            while self._queued:
                _index, name, action = self._queued.pop(0)
                started = time.perf_counter()
                result = action()
                self._delivered += 1
                done(name, result, time.perf_counter() - started)
            return
        failed: tuple[int, BaseException] | None = None
        while self._running:
            # A queued step may start on a core another course process lets go meanwhile.
            timeout = _RECHECK_SECONDS if self._queued and _shared_cores is not None else None
            for connection in wait(list(self._running), timeout):
                index, error = self._collect(connection)
                if error is not None and (failed is None or index < failed[0]):
                    failed = (index, error)
            self._deliver(done)
            if failed is None:
                self._start_free()
                continue
            # The build stops with the failure of the first step that failed in the order the
            # steps were added, as one process would: the later ones are killed, the earlier
            # ones (which could fail first in that order) finish.
            self._queued.clear()
            for connection, running in list(self._running.items()):
                if running.index > failed[0]:
                    running.process.kill()
        if failed is not None:
            raise failed[1]

    def stop(self) -> None:
        """Kill whatever still runs (a step failed, or the build was interrupted)."""
        self._queued.clear()
        for running in self._running.values():
            running.process.kill()
        for connection, running in list(self._running.items()):
            running.process.join()
            connection.close()
            self._give_back(running)
        self._running.clear()

    def _start_free(self) -> None:
        while self._queued and len(self._running) < self.jobs:
            shared_core = bool(self._running) and _shared_cores is not None
            if shared_core and not _shared_cores.acquire(block=False):
                return           # the other course processes use the cores: wait for one
            index, name, action = self._queued.pop(0)
            reader, writer = self._context.Pipe(duplex=False)
            process = self._context.Process(target=_work, args=(action, writer, os.getpid()), name=f"coursesmith: {name}",
                                            daemon=True)
            with signals_held():
                process.start()
                self._running[reader] = _Running(index, name, process, shared_core)   # so that a stop kills it
                writer.close()

    def _give_back(self, running: _Running) -> None:
        if running.shared_core:
            _shared_cores.release()

    def _deliver(self, done: Done) -> None:
        while self._delivered in self._finished:
            done(*self._finished.pop(self._delivered))
            self._delivered += 1

    def _collect(self, connection: Connection) -> tuple[int, BaseException | None]:
        """The step's index and what it raised (None when it finished: it is then kept for `done`)."""
        running = self._running.pop(connection)
        try:
            outcome = connection.recv()
        except EOFError:
            outcome = ("failed", RuntimeError(f"the worker for {running.name} ended without a result"))
        finally:
            connection.close()
            running.process.join()
            self._give_back(running)
        kind, *rest = outcome
        if kind == "done":
            self._finished[running.index] = (running.name, *rest)
            return running.index, None
        return running.index, CourseError(rest[0]) if kind == "course-error" else rest[0]


def _die_with_the_build(build: int) -> None:
    """A build killed outright (SIGKILL) cannot kill its workers: on Linux the kernel does. Else
    a worker would wait for ever to hand a result (a PDF part, larger than a pipe holds) to
    nobody, keeping the build's output pipes open."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)        # PR_SET_PDEATHSIG
    except (OSError, AttributeError):        # not Linux
        return
    if os.getppid() != build:                # the build ended before the request took
        os._exit(1)


def _work(action: Callable[[], Any], results: Connection, build: int) -> None:
    """In the worker: run the step and send back its result, or what it raised."""
    # The build decides when to stop and kills its workers; a Ctrl-C reaching the whole
    # process group must not make a worker report an error of its own first.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOPS)
    _die_with_the_build(build)
    started = time.perf_counter()
    try:
        results.send(("done", action(), time.perf_counter() - started))
    except CourseError as exc:
        results.send(("course-error", exc.problems))
    except BaseException as exc:  # noqa: BLE001 - the build reports it as it would in its own process
        try:
            results.send(("failed", exc))
        except Exception:  # noqa: BLE001 - an exception that cannot be pickled goes back as text
            results.send(("failed", RuntimeError("".join(traceback.format_exception(exc)))))
