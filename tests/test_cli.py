"""The command line as a user meets it: help, version, new, check, and the installed wheel."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import builder

REPO = Path(__file__).resolve().parent.parent


def run(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "builder", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=300, env={**os.environ, "NO_COLOR": "1", **(env or {})})


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
    assert "ok (1 modules, 2 pages, 2 questions)" in check.stderr
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
                           capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr[-2000:]
    wheel = next((tmp_path / "wheel").glob("coursesmith-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for required in ("builder/_templates/new-course/course.yaml", "builder/_templates/partials/facilitator-note.html.j2",
                     "builder/_templates/player/", "builder/_templates/handout/", "builder/_templates/scorm/"):
        assert any(name.startswith(required) for name in names), f"{required} missing from the wheel"
    target = tmp_path / "installed"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)],
                   check=True, capture_output=True, timeout=300)
    env = {"PYTHONPATH": str(target)}
    where = subprocess.run([sys.executable, "-c", "import builder.paths as p; print(p.templates_dir())"],
                           capture_output=True, text=True, env={**os.environ, **env}, cwd=tmp_path)
    assert where.stdout.strip() == str(target / "builder" / "_templates")
    assert run("new", str(tmp_path / "from-wheel"), cwd=tmp_path, env=env).returncode == 0
    assert run("check", str(tmp_path / "from-wheel"), cwd=tmp_path, env=env).returncode == 0
