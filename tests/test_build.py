"""The whole build as a user runs it: outputs, report, reproducibility, and dist/ that never breaks.

The command runs in this process (click's runner); the tests about signals start the real process,
and stop it at moments they observe (the staging folder appears, an output is being written), never
after a guessed number of seconds.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from helpers import HANG_GUARD_SECONDS, course_path, snapshot
from helpers import coursesmith as _coursesmith

ROOT = course_path("minimal")
DEFAULT_COURSE = course_path("leading-in-social-care")


def coursesmith(*args):
    return _coursesmith(*args, env={"SOURCE_DATE_EPOCH": "1700000000"})


@pytest.fixture
def built(built_course) -> tuple[Path, object]:
    out, result = built_course("minimal")
    return out / "minimal-course", result


def test_build_writes_every_output(built):
    folder, result = built
    assert sorted(p.name for p in folder.iterdir()) == [
        "build-report.json",
        "minimal-course-0.1.0-facilitator.pdf",
        "minimal-course-0.1.0-participant.pdf",
        "minimal-course-0.1.0-scorm12.zip",
        "minimal-course-0.1.0-scorm2004-4th.zip",
    ]
    for name in ("minimal-course-0.1.0-scorm12.zip", "minimal-course-0.1.0-scorm2004-4th.zip"):
        assert zipfile.ZipFile(folder / name).namelist()[0] == "imsmanifest.xml"


def test_progress_lines_name_each_step_with_timings(built):
    _, result = built
    for step in ("loaded and checked 2 pages, 2 questions", "SCORM 1.2 package (", "SCORM 2004-4th package (", "PDF handouts ("):
        assert step in result.stderr, result.stderr
    assert "minimal-course: built" in result.stderr


def test_build_report_describes_inputs_and_outputs(built):
    folder, _ = built
    report = json.loads((folder / "build-report.json").read_text())
    inputs = {entry["path"]: entry["sha256"] for entry in report["inputs"]}
    assert inputs["course.yaml"] == hashlib.sha256((ROOT / "course.yaml").read_bytes()).hexdigest()
    assert "assets/pipeline.svg" in inputs
    outputs = {entry["path"]: entry for entry in report["outputs"]}
    for name, entry in outputs.items():
        data = (folder / name).read_bytes()
        assert entry["size"] == len(data) and entry["sha256"] == hashlib.sha256(data).hexdigest()
    assert len(outputs) == 4
    assert report["tool"]["dependencies"]["weasyprint"] != "not installed"
    assert "timings_seconds" not in report             # they differ per run: only with --timings
    assert [entry["version"] for entry in report["tracking"]] == ["1.2", "2004-4th"]
    # What an LMS administrator sets so that the LMS records the course's own rules.
    settings = report["lms_settings"]
    assert settings["packaging"] == "single-sco"
    assert settings["reporting"] == {"status": "passed/failed", "score_on_completion": True,
                                     "finish_request": "suspendAll"}
    assert settings["moodle"]["completion"].startswith("Require status: Passed")
    assert settings["moodle"]["grading_method"].startswith("Highest grade")


def test_timings_go_into_the_report_only_when_asked(tmp_path):
    result = coursesmith("build", str(ROOT), "--out", str(tmp_path), "--no-pdf", "--timings", "--quiet")
    assert result.returncode == 0, result.stderr
    report = json.loads((tmp_path / "minimal-course" / "build-report.json").read_text())
    assert set(report["timings_seconds"]) >= {"load and validate", "SCORM 1.2 package"}


def test_rebuild_is_byte_identical(built, tmp_path):
    folder, _ = built
    result = coursesmith("build", ROOT, "--out", tmp_path, "--no-cache")      # made afresh, not copied
    assert result.returncode == 0, result.stderr
    again = tmp_path / "minimal-course"
    for path in folder.iterdir():
        assert path.read_bytes() == (again / path.name).read_bytes(), path.name


def test_scorm_option_and_no_pdf(tmp_path):
    result = coursesmith("build", str(ROOT), "--out", str(tmp_path), "--scorm", "2004-3rd", "--no-pdf", "--quiet")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (tmp_path / "minimal-course").iterdir()) == [
        "build-report.json", "minimal-course-0.1.0-scorm2004-3rd.zip"]
    assert result.stderr == ""


def _previous_build(out: Path) -> dict[str, str]:
    previous = out / "leading-in-social-care"
    previous.mkdir(parents=True)
    release = b"the previous release"
    (previous / "leading-in-social-care-0.9.0-scorm12.zip").write_bytes(release)
    # A build replaces only what its report says it wrote (tests/test_out_dir_safety.py).
    (previous / "build-report.json").write_text(json.dumps({
        "course": {"id": "leading-in-social-care"},
        "outputs": [{"path": "leading-in-social-care-0.9.0-scorm12.zip", "size": len(release),
                     "sha256": hashlib.sha256(release).hexdigest()}]}))
    (out / "other-course").mkdir()
    (out / "other-course" / "keep.txt").write_text("untouched")
    return snapshot(out)


def _start_build(out: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "builder", "build", str(DEFAULT_COURSE), "--out", str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "NO_COLOR": "1"})


def _staging(parent: Path) -> list[Path]:
    return list(parent.glob(".coursesmith-staging-*"))


def _written(parent: Path) -> list[Path]:
    """The outputs (packages, handouts) the build has begun to write into its staging folder."""
    return [p for folder in _staging(parent) if folder.is_dir() for p in folder.iterdir()
            if p.is_file() and p.name.startswith(f"{DEFAULT_COURSE.name}-")]


# The moments a build can be stopped at, each a thing seen from outside the process.
MOMENTS = {
    "staging-created": lambda parent: bool(_staging(parent)),
    "first-output-being-written": lambda parent: len(_written(parent)) >= 1,
    "first-output-done-next-under-way": lambda parent: len(_written(parent)) >= 2,
}


def _wait_for(moment: str, parent: Path, process: subprocess.Popen) -> None:
    """Return once `moment` is seen; fail if the build ends first (then it cannot be stopped there)."""
    seen = MOMENTS[moment]
    while not seen(parent):
        if process.poll() is not None:
            raise AssertionError(f"the build ended (status {process.returncode}) before {moment}: "
                                 f"{process.stderr.read()}")
        time.sleep(0.01)


def _ended(process: subprocess.Popen) -> str:
    """Wait for the process to end; return what it printed on stderr."""
    _, stderr = process.communicate(timeout=HANG_GUARD_SECONDS)
    return stderr


@pytest.mark.parametrize("moment", list(MOMENTS))
def test_sigkill_midway_leaves_dist_unchanged(tmp_path, moment):
    out = tmp_path / "dist"
    before = _previous_build(out)
    process = _start_build(out)
    _wait_for(moment, tmp_path, process)
    process.send_signal(signal.SIGKILL)
    _ended(process)
    assert process.returncode == -signal.SIGKILL, "the build finished before it could be killed"
    assert snapshot(out) == before
    # The next build clears what the killed one left beside dist/, and succeeds.
    result = coursesmith("build", ROOT, "--out", out, "--no-pdf", "--quiet")
    assert result.returncode == 0, result.stderr
    assert not _staging(tmp_path)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_interrupt_stops_the_build_and_cleans_up(tmp_path, signum):
    """Stopped while writing its first output, the build exits at once with status 130 (it does not
    finish the other outputs first), removes its staging folder and leaves dist/ as it was."""
    out = tmp_path / "dist"
    before = _previous_build(out)
    process = _start_build(out)
    _wait_for("first-output-being-written", tmp_path, process)
    process.send_signal(signum)
    stderr = _ended(process)
    assert process.returncode == 130, stderr
    assert "interrupted" in stderr and "Traceback" not in stderr
    assert ": built " not in stderr
    assert snapshot(out) == before
    assert not _staging(tmp_path)


def test_failed_course_does_not_stop_the_others(tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(ROOT, broken)
    (broken / "course.yaml").write_text((broken / "course.yaml").read_text().replace("id: minimal-course", "id: Broken!"))
    result = coursesmith("build", str(broken), str(ROOT), "--out", str(tmp_path / "dist"), "--no-pdf")
    assert result.returncode == 1
    assert (tmp_path / "dist" / "minimal-course").is_dir()
    assert "broken: not built (1 error, 0 warnings)" in result.stderr


def test_default_courses_build_in_every_version_and_print(tmp_path):
    from pypdf import PdfReader

    from builder.load import load_course

    courses = sorted((DEFAULT_COURSE.parent).glob("*/course.yaml"))
    assert len(courses) == 2
    result = coursesmith("build", *(str(c.parent) for c in courses), "--out", str(tmp_path),
                         "--scorm", "1.2,2004-3rd,2004-4th")
    assert result.returncode == 0, result.stderr
    for course_file in courses:
        folder = tmp_path / course_file.parent.name
        names = sorted(p.name for p in folder.iterdir())
        assert sum(name.endswith(("-scorm12.zip", "-scorm2004-3rd.zip", "-scorm2004-4th.zip")) for name in names) == 3
        for edition in ("participant", "facilitator"):
            pdf = next(folder.glob(f"*-{edition}.pdf"))
            reader = PdfReader(pdf)
            assert len(reader.pages) > 3
            title = load_course(course_file.parent).title
            assert reader.metadata.title.startswith(title)
            assert title in reader.pages[0].extract_text().replace("\n", " ")


def test_two_courses_with_one_id_are_refused(tmp_path):
    twin = tmp_path / "twin"
    shutil.copytree(ROOT, twin)
    result = coursesmith("build", str(ROOT), str(twin), "--out", str(tmp_path / "dist"), "--no-pdf")
    assert result.returncode == 1
    assert f"{twin}/course.yaml:1:1: error: another course in this build already has the id 'minimal-course'" in result.stderr


def test_warnings_show_even_when_quiet(tmp_path):
    course = tmp_path / "course"
    shutil.copytree(ROOT, course)
    (course / "modules/01-getting-started/03-forgotten.md").write_text("---\ntitle: Forgotten\n---\nText\n")
    result = coursesmith("build", str(course), "--out", str(tmp_path / "dist"), "--no-pdf", "--quiet")
    assert result.returncode == 0, result.stderr
    assert "warning: page '03-forgotten.md' is in the folder but not listed" in result.stderr


def test_course_with_nothing_to_print_says_so(tmp_path):
    course = tmp_path / "course"
    shutil.copytree(ROOT, course)
    for page in (course / "modules/01-getting-started").glob("*.md"):
        page.write_text(page.read_text().replace("---\n", "---\nhandout: false\n", 1))
    checked = coursesmith("check", str(course))
    assert checked.returncode == 0, checked.stderr
    assert "course.yaml:21:1: warning: every page has `handout: false`" in checked.stderr
    (course / "course.yaml").write_text((course / "course.yaml").read_text().replace(
        "editions: [participant, facilitator]", "editions: []"))
    result = coursesmith("build", str(course), "--out", str(tmp_path / "dist"))
    assert result.returncode == 0, result.stderr
    assert "no PDF handouts: `handout: editions:` in course.yaml lists none" in result.stderr
    assert not list((tmp_path / "dist" / "minimal-course").glob("*.pdf"))


def test_the_facilitator_handout_prints_the_tracking_table(built):
    from pypdf import PdfReader

    folder, _ = built
    report = json.loads((folder / "build-report.json").read_text())
    text = "\n".join(page.extract_text() for page in PdfReader(folder / "minimal-course-0.1.0-facilitator.pdf").pages)
    participant = "\n".join(page.extract_text() for page in PdfReader(folder / "minimal-course-0.1.0-participant.pdf").pages)
    assert "What the LMS records" in text and "What the LMS records" not in participant
    scorm12 = report["tracking"][0]["scos"][0]
    passed = next(row for row in scorm12["outcomes"] if row["outcome"] == "quiz-passed")
    assert passed["lms"]["cmi.core.lesson_status"] == "passed"
    assert "quiz passed" in text and "lesson_status" in text and "completion_status" in text
