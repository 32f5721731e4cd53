"""The command line as a user meets it: help, version, new, check, and the installed wheel.

Commands run in this process (click's runner, `run`); the real process (`run_process`) only where the
test is about the process itself: its exit status, its terminal's encoding, the installed wheel.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import builder
from helpers import HANG_GUARD_SECONDS, REPO, Ran, course_path
from helpers import coursesmith as run
from helpers import coursesmith_process as run_process


MINIMAL = course_path("minimal")


def test_the_real_process_exits_with_the_commands_status(tmp_path):
    """What click's runner reports in every other test is what the shell sees."""
    good = run_process("check", MINIMAL)
    assert good.returncode == 0, good.stderr
    assert ": ok (1 module" in good.stderr
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "course.yaml").write_text("id: [\n")
    refused = run_process("check", broken)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert f"{broken}/course.yaml:" in refused.stderr
    usage = run_process("build", MINIMAL, "--scorm", "1.3")
    assert usage.returncode == 2 and "Traceback" not in usage.stderr


def test_version():
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"coursesmith, version {builder.__version__}"


def test_each_command_explains_itself_with_an_example():
    for command, example in (("build", "coursesmith build courses/my-course"),
                             ("check", "coursesmith check courses/my-course"),
                             ("new", "coursesmith new courses/")):
        result = run(command, "--help")
        assert result.returncode == 0
        assert "Example" in result.stdout and example in result.stdout, result.stdout


def test_new_course_passes_check(tmp_path):
    target = tmp_path / "fire-safety"
    result = run("new", str(target), "--title", "Fire safety: the basics")
    assert result.returncode == 0, result.stderr
    check = run("check", str(target))
    assert check.returncode == 0, check.stderr
    assert "ok (1 module, 2 pages, 2 questions)" in check.stderr
    # Nothing to warn about either, once the course has a date (a folder outside git has none).
    strict = run("check", "--strict", str(target), env={"SOURCE_DATE_EPOCH": "1700000000"})
    assert strict.returncode == 0, strict.stderr
    assert "warning" not in strict.stderr
    assert 'title: "Fire safety: the basics"' in (target / "course.yaml").read_text()
    assert "id: fire-safety" in (target / "course.yaml").read_text()


def test_new_refuses_an_existing_folder(tmp_path):
    result = run("new", str(tmp_path))
    assert result.returncode == 2
    assert "already exists" in result.stderr


def test_check_default_courses():
    result = run("check", cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert "courses/leading-in-social-care: ok" in result.stderr


def test_check_writes_nothing(tmp_path):
    import shutil
    course = tmp_path / "course"
    shutil.copytree(REPO / "tests/roots/minimal", course)
    before = sorted(p for p in tmp_path.rglob("*"))
    assert run("check", str(course), cwd=tmp_path).returncode == 0
    assert sorted(p for p in tmp_path.rglob("*")) == before


def test_wheel_ships_the_templates_and_works_installed(tmp_path):
    built = subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(tmp_path / "wheel"), str(REPO)],
                           capture_output=True, text=True, timeout=HANG_GUARD_SECONDS)
    assert built.returncode == 0, built.stderr[-2000:]
    wheel = next((tmp_path / "wheel").glob("coursesmith-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for required in ("builder/_templates/new-course/course.yaml", "builder/_templates/partials/facilitator-note.html.j2",
                     "builder/_templates/player/", "builder/_templates/handout/", "builder/_templates/scorm/"):
        assert any(name.startswith(required) for name in names), f"{required} missing from the wheel"
    target = tmp_path / "installed"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)],
                   check=True, capture_output=True, timeout=HANG_GUARD_SECONDS)
    env = {"PYTHONPATH": str(target)}
    where = subprocess.run([sys.executable, "-c", "import builder.paths as p; print(p.templates_dir())"],
                           capture_output=True, text=True, env={**os.environ, **env}, cwd=tmp_path)
    assert where.stdout.strip() == str(target / "builder" / "_templates")
    assert run_process("new", str(tmp_path / "from-wheel"), cwd=tmp_path, env=env).returncode == 0
    assert run_process("check", str(tmp_path / "from-wheel"), cwd=tmp_path, env=env).returncode == 0


def _no_traceback(result: Ran | subprocess.CompletedProcess) -> str:
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output
    return output


def test_build_into_a_place_that_cannot_be_written(tmp_path):
    blocker = tmp_path / "blocker"
    blocker.write_text("a file, not a folder")
    for out in (blocker / "dist", Path("/proc/coursesmith-dist")):
        result = run("build", str(MINIMAL), "--out", str(out), "--no-pdf")
        output = _no_traceback(result)
        assert result.returncode == 1, output
        assert f"{out}:1:1: error: cannot write the build output" in output
        assert "hint: choose a folder you can write to with --out" in output
    assert blocker.read_text() == "a file, not a folder"


def test_build_never_replaces_a_file_standing_where_the_output_goes(tmp_path):
    out = tmp_path / "dist"
    out.mkdir()
    (out / "minimal-course").write_text("notes the user keeps here")
    result = run("build", str(MINIMAL), "--out", str(out), "--no-pdf")
    output = _no_traceback(result)
    assert result.returncode == 1, output
    assert "a file is in the way" in output
    assert (out / "minimal-course").read_text() == "notes the user keeps here"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist"]      # no staging left behind


def test_built_output_is_readable_by_others(tmp_path):
    result = run("build", str(MINIMAL), "--out", str(tmp_path / "dist"), "--no-pdf", "--scorm", "1.2")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "dist/minimal-course").stat().st_mode & 0o755 == 0o755


def test_scorm_option_needs_a_version_and_builds_each_once(tmp_path):
    for empty in ("", ",", " , "):
        result = run("build", str(MINIMAL), "--out", str(tmp_path / "dist"), "--scorm", empty)
        assert result.returncode == 2, result.stderr
        assert "name at least one version" in _no_traceback(result)
    result = run("build", str(MINIMAL), "--out", str(tmp_path / "dist"), "--no-pdf", "--scorm", "1.2, 1.2")
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("SCORM 1.2 package") == 1
    assert sorted(p.name for p in (tmp_path / "dist/minimal-course").iterdir()) == [
        "build-report.json", "minimal-course-0.1.0-scorm12.zip"]


def test_new_with_accents_spaces_and_bad_names(tmp_path):
    result = run("new", "Sécurité incendie", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "id: securite-incendie\n" in (tmp_path / "Sécurité incendie/course.yaml").read_text(encoding="utf-8")
    assert "coursesmith check 'Sécurité incendie'" in result.stderr
    assert run("check", "Sécurité incendie", cwd=tmp_path).returncode == 0
    for name, message in (("", "name the folder"), ("日本語", "cannot make a course id"),
                          ("Sécurité incendie/modules/02-more", "would be inside the course")):
        result = run("new", name, cwd=tmp_path)
        assert result.returncode == 2, result.stderr
        assert message in _no_traceback(result)
    assert not (tmp_path / "Sécurité incendie/modules/02-more").exists()


def test_new_where_nothing_can_be_written(tmp_path):
    result = run("new", "/proc/coursesmith-new-course")
    output = _no_traceback(result)
    assert result.returncode == 1
    assert "/proc/coursesmith-new-course:1:1: error: cannot create the course" in output


def test_new_with_a_blank_title_uses_the_folder_name(tmp_path):
    assert run("new", str(tmp_path / "fire-safety"), "--title", "   ").returncode == 0
    assert 'title: "Fire safety"' in (tmp_path / "fire-safety/course.yaml").read_text()


def test_non_utf8_terminal(tmp_path):
    import shutil
    course = tmp_path / "cöurse"
    shutil.copytree(MINIMAL, course)
    (course / "course.yaml").write_text((course / "course.yaml").read_text().replace("pass_mark: 80%", "pass_mark: 180%"))
    for env in ({"LANG": "C", "LC_ALL": "C"}, {"LANG": "C", "LC_ALL": "C", "PYTHONIOENCODING": "ascii"}):
        result = run_process("check", str(course), env=env)     # the process's own terminal encoding
        output = _no_traceback(result)
        assert result.returncode == 1
        assert "urse/course.yaml:17:14: error: `completion.pass_mark`: 180% is out of range" in output
        assert "\x1b[" not in output


def test_an_interrupt_swallowed_by_library_code_still_stops_the_build(tmp_path, monkeypatch):
    """WeasyPrint logs exceptions raised inside it and carries on; Ctrl-C there must still win."""
    import signal

    import pytest

    import builder.output
    from builder.output import Interrupted, interrupts_raise, staged_directory

    # The process remembers signals it received; this one is sent to the test process itself and
    # must not make the commands later tests run in this process look interrupted.
    monkeypatch.setattr(builder.output, "_received", [], raising=False)

    final = tmp_path / "dist" / "course-id"
    with pytest.raises(Interrupted), interrupts_raise():   # as the `coursesmith` command runs
        with staged_directory(final) as staging:
            (staging / "half-written.zip").write_bytes(b"partial")
            try:
                os.kill(os.getpid(), signal.SIGINT)
            except Exception:  # noqa: BLE001 - what a library that swallows errors does
                pass
            (staging / "the-rest.pdf").write_bytes(b"written after the interrupt")
    assert not final.exists()
    assert not list(tmp_path.iterdir())       # the staging folder is gone too


def test_check_names_files_among_course_folders(tmp_path):
    """`coursesmith check courses/*` may catch a README; the courses are still checked."""
    import shutil
    shutil.copytree(MINIMAL, tmp_path / "a-course")
    (tmp_path / "README.md").write_text("About these courses\n")
    result = run("check", "README.md", "a-course", "a-course/course.yaml", cwd=tmp_path)
    output = _no_traceback(result)
    assert result.returncode == 1
    assert "README.md:1:1: error: this is a file, not a course folder" in output
    assert "a-course: ok (1 module, 2 pages, 2 questions)" in output
    assert output.count(": ok (") == 2        # the course.yaml named stands for its folder


def test_build_never_deletes_the_course_or_other_folders(tmp_path):
    import shutil
    course = tmp_path / "courses" / "minimal-course"          # the folder is named like the course id
    shutil.copytree(MINIMAL, course)
    before = sorted(str(p.relative_to(course)) for p in course.rglob("*"))
    result = run("build", str(course), "--out", str(tmp_path / "courses"), "--no-pdf")
    assert result.returncode == 1
    assert "is the course folder or holds it" in _no_traceback(result)
    assert sorted(str(p.relative_to(course)) for p in course.rglob("*")) == before

    home = tmp_path / "home"
    (home / "minimal-course").mkdir(parents=True)
    (home / "minimal-course" / "letter.txt").write_text("not a build")
    result = run("build", str(course), "--out", str(home), "--no-pdf")
    assert result.returncode == 1
    assert f"{home / 'minimal-course'}:1:1: error: " in result.stderr
    assert "is not a previous build of this course" in _no_traceback(result)
    assert (home / "minimal-course" / "letter.txt").read_text() == "not a build"

    out = tmp_path / "dist"                                   # a previous build is replaced as before
    for _ in range(2):
        result = run("build", str(course), "--out", str(out), "--no-pdf", "--scorm", "1.2")
        assert result.returncode == 0, result.stderr
    assert (out / "minimal-course" / "build-report.json").is_file()
