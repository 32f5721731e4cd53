"""CI-grade output of `check` and `build`: --format json against the schema shipped in the repo,
--format github annotations, and --strict (warnings fail the run)."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import jsonschema
import pytest

from helpers import Ran
from helpers import coursesmith as run_coursesmith

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
MINIMAL = TESTS / "roots" / "minimal"
SCHEMA = json.loads((REPO / "templates" / "schemas" / "cli-output.schema.json").read_text(encoding="utf-8"))


def coursesmith(*args: str) -> Ran:
    return run_coursesmith(*args, cwd=REPO, env={"SOURCE_DATE_EPOCH": "1700000000"})


def as_json(result: Ran) -> dict:
    document = json.loads(result.stdout)
    jsonschema.validate(document, SCHEMA)
    return document


@pytest.fixture
def warned(tmp_path) -> Path:
    """The minimal course with one warning: a comment that looks like a mistyped facilitator note."""
    course = tmp_path / "warned"
    shutil.copytree(MINIMAL, course)
    page = next((course / "modules").glob("*/*.md"))
    page.write_text(page.read_text(encoding="utf-8") + "\n<!-- Facilitator note - allow five minutes -->\n",
                    encoding="utf-8")
    return course


@pytest.fixture
def broken(tmp_path) -> Path:
    course = tmp_path / "broken"
    shutil.copytree(MINIMAL, course)
    quiz = next((course / "modules").glob("*/quiz.yaml"))
    quiz.write_text(quiz.read_text(encoding="utf-8").replace("type: single", "type: singel", 1), encoding="utf-8")
    (course / "course.yaml").write_text((course / "course.yaml").read_text(encoding="utf-8")
                                        .replace("pass_mark: 80%", "pass_mark: 80.5%"), encoding="utf-8")
    return course


def test_the_schema_is_itself_valid():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_check_json_lists_every_problem_with_its_code(broken, warned):
    result = coursesmith("check", str(broken), str(warned), "--format", "json")
    assert result.returncode == 1
    document = as_json(result)
    assert document["command"] == "check" and document["ok"] is False and document["strict"] is False
    first, second = document["courses"]
    assert first["path"] == str(broken) and first["ok"] is False
    assert {p["severity"] for p in first["problems"]} == {"error"} and len(first["problems"]) >= 2
    for problem in first["problems"]:
        assert problem["path"].startswith(str(broken)) and problem["line"] >= 1 and problem["code"].startswith("CS")
    assert any("singel" in p["message"] for p in first["problems"])
    assert second["ok"] is True and [p["severity"] for p in second["problems"]] == ["warning"]
    assert second["problems"][0]["fixed"] == "<!-- facilitator: allow five minutes -->"
    assert document["summary"] == {"courses": 2, "failed": 1,
                                   "errors": len(first["problems"]), "warnings": 1}


def test_problem_codes_are_stable_and_listed_in_the_readme(broken, warned):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    codes = set()
    for course in (broken, warned):
        for problem in as_json(coursesmith("check", str(course), "--format", "json"))["courses"][0]["problems"]:
            codes.add(problem["code"])
    for code in codes:
        assert f"`{code}`" in readme, code
    again = {p["code"] for p in as_json(coursesmith("check", str(broken), "--format", "json"))["courses"][0]["problems"]}
    assert again <= codes


def test_build_json_gives_the_outputs_with_sizes_and_hashes(tmp_path):
    out = tmp_path / "dist"
    result = coursesmith("build", str(MINIMAL), "--out", str(out), "--no-pdf", "--format", "json")
    assert result.returncode == 0, result.stderr
    document = as_json(result)
    (course,) = document["courses"]
    assert course["ok"] and course["id"] == "minimal-course" and course["problems"] == []
    written = sorted(p.name for p in (out / "minimal-course").iterdir())
    assert sorted(o["path"] for o in course["outputs"]) == written
    for output in course["outputs"]:
        data = (out / "minimal-course" / output["path"]).read_bytes()
        assert output["size"] == len(data) and output["sha256"] == hashlib.sha256(data).hexdigest()
    assert "minimal-course: SCORM 1.2 package (" in result.stderr      # progress stays on stderr


def test_strict_fails_check_and_build_on_a_warning(warned, tmp_path):
    assert coursesmith("check", str(warned)).returncode == 0
    strict = coursesmith("check", str(warned), "--strict")
    assert strict.returncode == 1
    assert "warning:" in strict.stderr
    github = coursesmith("check", str(warned), "--strict", "--format", "github")
    assert github.returncode == 1 and github.stdout.startswith(f"::warning file={warned}/modules/")

    out = tmp_path / "dist"
    built = coursesmith("build", str(warned), "--out", str(out), "--no-pdf", "--strict", "--format", "json")
    assert built.returncode == 1
    document = as_json(built)
    assert document["strict"] is True and document["ok"] is False
    assert document["courses"][0]["ok"] is False and "outputs" not in document["courses"][0]
    assert not (out / "minimal-course").exists()                     # nothing built
    assert coursesmith("build", str(warned), "--out", str(out), "--no-pdf", "--quiet").returncode == 0


def test_build_github_format_prints_annotations(broken, tmp_path):
    result = coursesmith("build", str(broken), "--out", str(tmp_path / "dist"), "--format", "github")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines and all(line.startswith("::error file=") for line in lines)
