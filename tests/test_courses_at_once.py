"""Several courses in one build with more than one job: each course in a process of its own
(builder/courses_at_once.py). What the user sees is a serial build's: the same output in the
same order, the same refusal of two courses with one id, the same bytes in dist/; a stop ends
every course process and its workers, removes staging and leaves dist/ as it was. Judged by
events (processes seen, then gone), never by a number of seconds."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from helpers import HANG_GUARD_SECONDS, alive, coursesmith, snapshot

EPOCH = {"SOURCE_DATE_EPOCH": "1700000000"}


def _seconds_masked(text: str, out: Path) -> str:
    """Output with the step timings and the output folder left out: all else must be the same."""
    return re.sub(r"\(\d+\.\d+s\)", "(Ns)", text).replace(str(out), "OUT")


@pytest.fixture
def three_courses(tmp_path, course_root):
    """A course with warnings, a course with an error, a course that builds cleanly."""
    warned = course_root("handout-full", to=tmp_path / "src" / "warned")
    broken = course_root("minimal", to=tmp_path / "src" / "broken")
    (broken / "course.yaml").write_text((broken / "course.yaml").read_text().replace("title:", "title: [", 1))
    clean = course_root("scorm-three-modules", to=tmp_path / "src" / "clean")
    return [warned, broken, clean]


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_courses_at_once_print_and_write_what_one_after_the_other_does(tmp_path, three_courses, fmt):
    runs = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"dist-{jobs}"
        for course in three_courses:                   # each run records the same releases afresh
            (course / "releases.lock").unlink(missing_ok=True)
        ran = coursesmith("build", *three_courses, "--out", out, "--jobs", jobs, "--no-pdf", "--no-cache",
                          "--format", fmt, env=EPOCH)
        assert ran.returncode == 1                     # the broken course fails the run
        runs[jobs] = (_seconds_masked(ran.stdout, out), _seconds_masked(ran.stderr, out), snapshot(out))
    assert runs["2"] == runs["1"]
    stdout, stderr, written = runs["2"]
    assert "handout-full: built" in stderr and "warning" in stderr + stdout
    assert "broken: not built" in stderr
    assert sum(name.endswith(".zip") for name in written) >= 2
    if fmt == "json":
        assert [course["ok"] for course in json.loads(stdout)["courses"]] == [True, False, True]


def test_two_courses_with_one_id_are_refused_as_one_after_the_other(tmp_path, course_root):
    first = course_root("minimal", to=tmp_path / "first")
    other = course_root("scorm-three-modules", to=tmp_path / "other")
    twin = course_root("minimal", to=tmp_path / "twin")
    outputs = {}
    for jobs in ("1", "2", "3"):
        out = tmp_path / f"dist-{jobs}"
        for course in (first, other, twin):            # each run records the same releases afresh
            (course / "releases.lock").unlink(missing_ok=True)
        for cached in ("--no-cache", None):            # afresh, then answered from the last build
            ran = coursesmith("build", first, other, twin, "--out", out, "--jobs", jobs, "--no-pdf",
                              *([cached] if cached else []), env={**EPOCH, "XDG_CACHE_HOME": str(tmp_path / jobs)})
            assert ran.returncode == 1
            assert f"{twin}/course.yaml:1:1: error: another course in this build already has the id" in ran.stderr
            outputs.setdefault(cached, set()).add(_seconds_masked(ran.stderr, out).replace("nothing changed", "?"))
    assert all(len(seen) == 1 for seen in outputs.values()), outputs


def test_the_courses_share_the_cores_with_their_workers(tmp_path):
    """A course process takes a second worker only while a core is free: with none free, its
    steps run one after the other (each step sees no other running)."""
    import multiprocessing

    from builder import workers

    marks = tmp_path / "marks"
    marks.mkdir()

    def step(name):
        def run():
            overlapping = list(marks.iterdir())
            (marks / name).touch()
            threading.Event().wait(0.2)         # long enough for a second worker to start, if one could
            (marks / name).unlink()
            return [path.name for path in overlapping]
        return run

    cores = multiprocessing.get_context("fork").BoundedSemaphore(2)
    cores.acquire()
    cores.acquire()                             # both cores are taken by course processes
    workers.share_cores(cores)
    try:
        seen = []
        with workers.Workers(2) as pool:
            for name in ("a", "b", "c"):
                pool.add(name, step(name))
            pool.finish(lambda _name, overlapping, _seconds: seen.append(overlapping))
        assert seen == [[], [], []]
        cores.release()                         # one course process ended: a second worker may start
        overlaps = []
        with workers.Workers(2) as pool:
            for name in ("d", "e"):
                pool.add(name, step(name))
            pool.finish(lambda _name, overlapping, _seconds: overlaps.append(overlapping))
        assert overlaps == [[], ["d"]]
        assert cores.acquire(block=False)       # the core was given back
    finally:
        workers.share_cores(None)


def _descendants(pid: int) -> list[int]:
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as children:
                found += [int(child) for child in children.read().split()]
    except FileNotFoundError:
        return []
    return found + [grandchild for child in found for grandchild in _descendants(child)]


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_stop_while_courses_render_ends_every_process_and_leaves_dist_as_it_was(tmp_path, course_root, signum):
    courses = [course_root("handout-full", to=tmp_path / "one"), course_root("handout-letter", to=tmp_path / "two")]
    out = tmp_path / "dist"
    (out / "other-course").mkdir(parents=True)
    (out / "other-course" / "keep.txt").write_text("untouched")
    before = snapshot(out)
    process = subprocess.Popen([sys.executable, "-m", "builder", "build", *map(str, courses), "--out", str(out),
                                "--jobs", "2", "--no-cache"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, env={**os.environ, **EPOCH, "NO_COLOR": "1"})
    seen: set[int] = set()
    while not _courses_render(process.pid):     # both course processes, and a PDF worker under one
        assert process.poll() is None, f"the build ended before its courses rendered: {process.stderr.read()}"
        seen.update(_descendants(process.pid))
    seen.update(_descendants(process.pid))
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=HANG_GUARD_SECONDS)
    assert process.returncode == 130, stderr
    assert "interrupted" in stderr and "Traceback" not in stderr
    assert not any(alive(pid) for pid in seen), "a course process or worker outlived the build"
    assert snapshot(out) == before
    assert not list(tmp_path.glob(".coursesmith-staging-*")) and not list(out.glob(".coursesmith-staging-*"))


def _children(pid: int) -> list[int]:
    return [child for child in _descendants(pid) if _parent(child) == pid]


def _courses_render(pid: int) -> bool:
    courses = _children(pid)
    return len(courses) >= 2 and any(_children(course) for course in courses)


def _parent(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return int(stat.read().rsplit(")", 1)[1].split()[1])
    except FileNotFoundError:
        return None
