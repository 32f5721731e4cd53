"""A build spread over worker processes (`--jobs`): the same bytes as one process, and a stop
(SIGINT, SIGTERM) while the workers render the PDFs ends them, removes staging and leaves dist/
as it was. The stop is judged by events seen from outside (the workers exist, then are gone),
never by a number of seconds."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import HANG_GUARD_SECONDS, alive, course_path, snapshot
from helpers import coursesmith as _coursesmith

ROOT = course_path("handout-full")
DEFAULT_COURSE = course_path("leading-in-social-care")


def coursesmith(*args):
    return _coursesmith(*args, env={"SOURCE_DATE_EPOCH": "1700000000"})


def test_a_parallel_build_writes_the_same_bytes_as_a_serial_one(tmp_path):
    serial, parallel = tmp_path / "serial", tmp_path / "parallel"
    for out, jobs in ((serial, "1"), (parallel, "3")):
        result = coursesmith("build", ROOT, "--out", out, "--jobs", jobs, "--scorm", "1.2,2004-3rd,2004-4th")
        assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in (serial / "handout-full").iterdir())
    assert sum(name.endswith(".pdf") for name in names) == 2 and sum(name.endswith(".zip") for name in names) == 3
    assert snapshot(parallel) == snapshot(serial)


def test_a_course_error_raised_in_a_worker_is_reported_as_in_one_process(tmp_path, monkeypatch):
    import builder.handout
    from builder.errors import refuse

    def unprintable(sources, _part):
        raise refuse("CS801", f"the handout cannot be printed completely: {sources.edition}", "a hint",
                     path="assets/x.png")
    monkeypatch.setattr(builder.handout, "print_part", unprintable)   # the forked workers inherit it
    reports = []
    for jobs in ("1", "2"):
        out = tmp_path / f"dist-{jobs}"
        result = coursesmith("build", ROOT, "--out", out, "--jobs", jobs, "--no-cache")
        assert result.returncode == 1
        assert "not built" in result.stderr and not out.joinpath("handout-full").exists()
        reports.append([line for line in result.stderr.splitlines() if "CS801" in line or "cannot be printed" in line])
    assert reports[0] == reports[1] and reports[0]


def _workers(pid: int) -> list[int]:
    children = []
    for task in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{task}/children") as found:
            children += [int(child) for child in found.read().split()]
    return children


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_stop_during_pdf_rendering_ends_the_workers_and_leaves_dist_as_it_was(tmp_path, signum):
    out = tmp_path / "dist"
    (out / "other-course").mkdir(parents=True)
    (out / "other-course" / "keep.txt").write_text("untouched")
    before = snapshot(out)
    process = subprocess.Popen([sys.executable, "-m", "builder", "build", str(DEFAULT_COURSE), "--out", str(out),
                                "--jobs", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "NO_COLOR": "1"})
    workers: list[int] = []
    while len(workers) < 2:                  # both PDF editions are being rendered
        assert process.poll() is None, f"the build ended before its workers started: {process.stderr.read()}"
        workers = _workers(process.pid)
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=HANG_GUARD_SECONDS)
    assert process.returncode == 130, stderr
    assert "interrupted" in stderr and "Traceback" not in stderr
    assert ": built " not in stderr
    assert not any(alive(pid) for pid in workers), "a worker outlived the build"
    assert snapshot(out) == before
    assert not list(tmp_path.glob(".coursesmith-staging-*"))
