"""Several courses built at once (`build A B C` with more than one job): each course in a process
of its own, forked from the command, so that both cores work while one course loads or packages.

What the user sees is what a serial build shows, byte for byte, and in the same order:
- A course process writes nothing itself: what it prints (stdout and stderr, progress lines,
  problems) is sent here as bytes and passed on in course order. The first course not yet
  finished prints as it goes; the later ones wait here until every course before them is done.
- The course ids: a serial build refuses a course whose id an earlier course already built
  (CS903). A course process asks here, and is answered once every course before it has said
  which id it built or has ended without one, from the ids of those courses only.
- dist/: a course process swaps its output into place only once the courses before it are done,
  so dist/ changes in course order and a stop leaves it as a serial build stopped there would.
- A stop (SIGINT, SIGTERM, or a failure here): every course process runs in a process group of
  its own, with its workers, and each group is killed at once, PDF rendering or not; their
  staging folders are then removed here, as a later build would remove them
  (output.remove_stale_staging: their processes no longer run).

The cores: the course processes and their workers share one count of them (workers.share_cores),
so two courses on two cores run their PDF editions one after the other each, and a course left
alone once the others are done gets the free core for its next step.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import signal
import sys
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Callable

from .workers import share_cores, signals_held

# build_one(course_dir, ids, before_publish) -> the course's JSON entries (cli._RunOutput.courses)
BuildOne = Callable[[str, "CourseIds", Callable[[], None]], list]


@dataclass
class _Course:
    index: int
    course_dir: str
    process: multiprocessing.process.BaseProcess | None = None
    connection: Connection | None = None
    printed: list[tuple[int, bytes]] = field(default_factory=list)   # output not passed on yet
    questions: list[tuple] = field(default_factory=list)             # waiting for the courses before
    claimed: str | None = None
    finished: bool = False
    entries: list | None = None       # None: the process ended without a result


def build_courses(course_dirs: list[str], jobs: int, out_dir: Path, build_one: BuildOne,
                  done: Callable[[str, list | None], None]) -> None:
    """Build each course in its own process, up to `jobs` at once; `done(course_dir, entries)`
    is called in course order, after that course's output was passed on."""
    context = multiprocessing.get_context("fork")
    # The cores no course process has: a course process has one of its own, and takes more for
    # its workers only from here. Its core comes here when it ends and no course is left to start
    # in its place (from here, not from the process: one killed still gives its core back).
    cores = context.Semaphore(jobs - min(jobs, len(course_dirs)))
    courses = [_Course(index, course_dir) for index, course_dir in enumerate(course_dirs)]
    running: dict[Connection, _Course] = {}
    started = shown = 0
    try:
        while shown < len(courses):
            while started < len(courses) and len(running) < jobs:
                _start(context, courses[started], build_one, cores, running)
                started += 1
            for connection in wait(list(running)):
                _receive(running, running[connection])
                if running.get(connection) is None and started == len(courses):
                    cores.release()
            _answer(courses)
            while shown < len(courses) and courses[shown].process is not None:
                course = courses[shown]
                _pass_on(course)
                if not course.finished:
                    break
                done(course.course_dir, course.entries)
                shown += 1
    finally:
        _stop(running.values(), out_dir)


def _start(context, course: _Course, build_one: BuildOne, cores, running: dict) -> None:
    parent_end, child_end = context.Pipe(duplex=True)
    process = context.Process(target=_course_process, args=(course, child_end, build_one, cores),
                              name=f"coursesmith: {course.course_dir}", daemon=False)   # it has workers of its own
    with signals_held():
        process.start()
        course.process, course.connection = process, parent_end
        running[parent_end] = course
        child_end.close()
    try:
        os.setpgid(process.pid, process.pid)   # also done in the child: whichever comes first
    except OSError:
        pass                                   # it did so, and may already have ended


def _receive(running: dict, course: _Course) -> None:
    try:
        message = course.connection.recv()
    except (EOFError, OSError):
        message = ("ended",)
    kind, *rest = message
    if kind == "print":
        course.printed.append(tuple(rest))
    elif kind in ("taken", "turn"):
        course.questions.append(message)
    elif kind == "claim":
        course.claimed = rest[0]
    else:                                  # "done", or the process ended without saying so
        course.entries = rest[0] if kind == "done" else None
        course.finished = True
        del running[course.connection]
        course.connection.close()
        course.process.join()


def _answer(courses: list[_Course]) -> None:
    """Answer each question whose answer the courses before it now settle."""
    for course in courses:
        if not course.questions or course.finished:
            continue
        before = courses[:course.index]
        settled = all(c.finished or c.claimed is not None for c in before)
        kind, *rest = course.questions[0]
        if kind == "taken" and settled:
            answer = rest[0] in {c.claimed for c in before}
        elif kind == "turn" and all(c.finished for c in before):
            answer = True
        else:
            continue
        course.questions.pop(0)
        course.connection.send(answer)


def _pass_on(course: _Course) -> None:
    for stream, data in course.printed:
        target = sys.stdout if stream == 1 else sys.stderr
        target.flush()
        if hasattr(target, "buffer"):
            target.buffer.write(data)
            target.buffer.flush()
        else:
            target.write(data.decode(target.encoding or "utf-8", "replace"))
            target.flush()
    course.printed.clear()


def _stop(courses, out_dir: Path) -> None:
    """Kill every course process still running, with its workers, and remove their staging."""
    from .output import remove_stale_staging

    courses = list(courses)
    for course in courses:
        try:
            os.killpg(course.process.pid, signal.SIGKILL)
        except OSError:
            course.process.kill()
    for course in courses:
        course.process.join()
        course.connection.close()
    if courses:
        final = Path(out_dir).resolve()
        for folder in (final.parent, final):      # where output.staged_directory puts staging
            if folder.is_dir():
                remove_stale_staging(folder)


class CourseIds:
    """In a course process: the ids of the courses before it, asked of the command
    (`course_id in ids`, as of a set), and its own id told to it (`ids.add(course_id)`)."""

    def __init__(self, connection: Connection):
        self.connection = connection

    def __contains__(self, course_id: str) -> bool:
        self.connection.send(("taken", course_id))
        return self.connection.recv()

    def add(self, course_id: str) -> None:
        self.connection.send(("claim", course_id))

    def wait_for_turn(self) -> None:
        """Return once every course before this one is done."""
        self.connection.send(("turn",))
        self.connection.recv()


class _Sent(io.RawIOBase):
    """A course process's stdout or stderr: bytes sent to the command, which prints them in turn.
    It is a terminal when the command's stream is, so that rich and click write the same bytes."""

    def __init__(self, connection: Connection, stream: int, terminal: bool):
        self.connection, self.stream, self.terminal = connection, stream, terminal

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return self.terminal

    def write(self, data) -> int:
        self.connection.send(("print", self.stream, bytes(data)))
        return len(data)


def _sent_stream(connection: Connection, stream: int, original) -> io.TextIOWrapper:
    terminal = bool(getattr(original, "isatty", lambda: False)())
    return io.TextIOWrapper(_Sent(connection, stream, terminal), encoding=getattr(original, "encoding", None) or "utf-8",
                            errors=getattr(original, "errors", None) or "strict", write_through=True)


def _course_process(course: _Course, connection: Connection, build_one: BuildOne, cores) -> None:
    """In the course process: build the course and send back its JSON entries."""
    os.setpgid(0, 0)       # its workers join this group, so that one kill ends them all
    # The command decides when to stop and kills this group; a Ctrl-C is the command's to handle.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})
    share_cores(cores)     # its workers take more cores than its own while they are free
    sys.stdout, sys.stderr = _sent_stream(connection, 1, sys.stdout), _sent_stream(connection, 2, sys.stderr)
    ids = CourseIds(connection)
    entries = build_one(course.course_dir, ids, ids.wait_for_turn)
    sys.stdout.flush()
    sys.stderr.flush()
    connection.send(("done", entries))
