"""The GitHub Actions workflow the README documents (docs/ci/github-actions.yml), run for real:
each step's shell commands in a checkout of this project whose courses/ holds a test course, as
a release event. `uses:` steps (checkout, artifact upload) are GitHub's own and are skipped; the
`gh` command is replaced by one that records its arguments, since the test must not reach GitHub.

The checkout gets a virtual environment of its own that is already installed (its `python` is
this one's, its stamp matches its pyproject.toml), so the install step runs for real and finds
nothing to do: it must never reinstall into the environment running the tests.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

from ruamel.yaml import YAML

REPO = Path(__file__).resolve().parent.parent
WORKFLOW = REPO / "docs" / "ci" / "github-actions.yml"
SKIPPED = shutil.ignore_patterns(".git", ".venv", "node_modules", "dist", "__pycache__", ".pytest_cache",
                                 ".hypothesis", "tests", "courses", "*.egg-info")


def checkout(target: Path, course: Path) -> Path:
    shutil.copytree(REPO, target, ignore=SKIPPED)
    venv_bin = target / ".venv" / "bin"
    venv_bin.mkdir(parents=True)
    python = venv_bin / "python"
    python.write_text(f'#!/bin/sh\nexec "{REPO / ".venv" / "bin" / "python"}" "$@"\n')
    python.chmod(0o755)
    coursesmith = venv_bin / "coursesmith"              # runs the checkout's own code (-m, from its folder)
    coursesmith.write_text(f'#!/bin/sh\ncd "{target}" && exec "{venv_bin / "python"}" -m builder "$@"\n')
    coursesmith.chmod(0o755)
    stamp = hashlib.sha256((target / "pyproject.toml").read_bytes()).hexdigest()
    (target / ".venv" / ".coursesmith-installed").write_text(stamp + "\n")
    node_modules = target / "js" / "node_modules"
    shutil.copytree(REPO / "js" / "node_modules", node_modules, symlinks=True)   # and its lock stamp
    shutil.copytree(course, target / "courses" / course.name)
    return target


def fake_gh(folder: Path) -> Path:
    folder.mkdir()
    gh = folder / "gh"
    gh.write_text('#!/bin/sh\nprintf "%s\\n" "$@" > "$GH_RECORD"\n')
    gh.chmod(0o755)
    return folder


def run_steps(workdir: Path, env: dict[str, str], event: str) -> list[tuple[str, subprocess.CompletedProcess]]:
    workflow = YAML(typ="safe").load(WORKFLOW.read_text(encoding="utf-8"))
    results = []
    for step in workflow["jobs"]["courses"]["steps"]:
        if "run" not in step:
            continue
        condition = step.get("if")
        if condition is not None:
            assert condition == "github.event_name == 'release'", f"the test cannot evaluate {condition!r}"
            if event != "release":
                continue
        step_env = {**env, **{k: str(v) for k, v in step.get("env", {}).items() if "${{" not in str(v)}}
        result = subprocess.run(["bash", "-eo", "pipefail", "-c", step["run"]], cwd=workdir, env=step_env,
                                capture_output=True, text=True, timeout=900)
        results.append((step["name"], result))
        if result.returncode != 0:
            break
    return results


def test_the_workflow_checks_builds_and_attaches_zips_and_pdfs_to_the_release(tmp_path):
    work = checkout(tmp_path / "checkout", REPO / "tests" / "roots" / "minimal")
    bin_dir = fake_gh(tmp_path / "bin")
    record = tmp_path / "gh-arguments.txt"
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}", "GH_RECORD": str(record), "CI": "true",
           "GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": "release", "GITHUB_REF_NAME": "v0.1.0",
           "SOURCE_DATE_EPOCH": "1700000000"}
    results = run_steps(work, env, "release")
    for name, result in results:
        assert result.returncode == 0, f"{name}:\n{result.stdout}\n{result.stderr}"
    assert [name for name, _ in results] == ["Install coursesmith", "Check the courses", "Build the courses",
                                             "Attach the packages and handouts to the release"]
    assert "installing" not in results[0][1].stderr          # nothing left to install
    arguments = record.read_text().splitlines()
    assert arguments[:3] == ["release", "upload", "v0.1.0"] and arguments[-1] == "--clobber"
    attached = sorted(Path(a).name for a in arguments[3:-1])
    assert attached == ["minimal-course-0.1.0-facilitator.pdf", "minimal-course-0.1.0-participant.pdf",
                        "minimal-course-0.1.0-scorm12.zip", "minimal-course-0.1.0-scorm2004-4th.zip"]
    assert all((work / a).is_file() for a in arguments[3:-1])


def test_a_course_with_a_warning_fails_the_workflow_at_the_check(tmp_path):
    course = tmp_path / "warned"
    shutil.copytree(REPO / "tests" / "roots" / "minimal", course)
    page = next((course / "modules").glob("*/*.md"))
    page.write_text(page.read_text(encoding="utf-8") + "\n<!-- Facilitator note - allow five minutes -->\n",
                    encoding="utf-8")
    work = checkout(tmp_path / "checkout", course)
    env = {**os.environ, "CI": "true", "GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": "push"}
    results = run_steps(work, env, "push")
    assert [name for name, _ in results] == ["Install coursesmith", "Check the courses"]
    check = results[-1][1]
    assert check.returncode == 1
    assert check.stdout.startswith("::warning file=courses/warned/modules/")


def test_the_readme_shows_the_same_workflow():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    start = readme.index("```yaml\nname: courses\n") + len("```yaml\n")
    shown = readme[start:readme.index("```", start)]
    assert YAML(typ="safe").load(shown) == YAML(typ="safe").load(WORKFLOW.read_text(encoding="utf-8"))
