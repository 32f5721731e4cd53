"""Every course-file example in the README's authoring guide, pasted as an author would, passes
`coursesmith check --strict`; and the error the README shows is the one coursesmith prints."""

from __future__ import annotations

import re
import shutil

from helpers import REPO, ROOTS, coursesmith

FENCE = re.compile(r"^```(\w*)\n(.*?)^```$", re.S | re.M)
DATED = {"SOURCE_DATE_EPOCH": "1700000000"}
PICTURE = ROOTS / "minimal" / "assets" / "pipeline.svg"


def readme_blocks() -> list[tuple[str, str]]:
    return [(m.group(1), m.group(2)) for m in FENCE.finditer((REPO / "README.md").read_text(encoding="utf-8"))]


def course_file_examples() -> dict[str, str]:
    """Each course-file example by the file it is an example of (yaml and markdown blocks only;
    the CI workflow is tested in test_ci_workflow)."""
    found: dict[str, list[str]] = {}
    for info, text in readme_blocks():
        if info == "markdown":
            kind = "page"
        elif info != "yaml" or text.startswith("name: "):
            continue
        elif text.startswith("id: "):
            kind = "course.yaml"
        elif "\nquestions:" in text:
            kind = "quiz.yaml"
        elif text.startswith("primary_colour:"):
            kind = "theme.yaml"
        elif "\npages:" in text or "\nobjectives:" in text:
            kind = "module.yaml"
        else:
            raise AssertionError(f"a yaml example in the README is not a known course file:\n{text}")
        found.setdefault(kind, []).append(text)
    assert all(len(texts) == 1 for texts in found.values()), found
    return {kind: texts[0] for kind, texts in found.items()}


def test_the_authoring_guide_shows_every_course_file():
    assert set(course_file_examples()) == {"course.yaml", "module.yaml", "page", "quiz.yaml", "theme.yaml"}


def test_every_example_passes_check_as_pasted(tmp_path):
    examples = course_file_examples()
    course = tmp_path / "course"
    (course / "assets").mkdir(parents=True)
    (course / "course.yaml").write_text(examples["course.yaml"], encoding="utf-8")
    (course / "theme.yaml").write_text(examples["theme.yaml"], encoding="utf-8")
    [module_path] = re.findall(r"^  - (modules/\S+)", examples["course.yaml"], re.M)
    module = course / module_path
    module.mkdir(parents=True)
    (module / "module.yaml").write_text(examples["module.yaml"], encoding="utf-8")
    [page_name] = re.findall(r"^  - (\S+\.md)", examples["module.yaml"], re.M)
    (module / page_name).write_text(examples["page"], encoding="utf-8")
    (module / "quiz.yaml").write_text(examples["quiz.yaml"], encoding="utf-8")
    for reference in re.findall(r"\]\(([^)]+\.svg)\)", examples["page"]) + ["assets/logo.svg"]:
        target = (module / reference).resolve() if reference.startswith("..") else course / reference
        shutil.copyfile(PICTURE, target)

    result = coursesmith("check", course, "--strict", env=DATED)

    assert result.returncode == 0, result.output
    assert "ok (1 module, 1 page, 2 questions)" in result.stderr
    assert "warning" not in result.output


def test_the_yaml_error_the_readme_shows_is_the_one_printed(tmp_path, course_root):
    shown = next(text for info, text in readme_blocks() if info == "" and "YAML syntax:" in text)
    course = course_root("minimal", to=tmp_path / "course")
    course_yaml = course / "course.yaml"
    course_yaml.write_text(course_yaml.read_text().replace("title: My first course", "title: Roles: who does what"))

    result = coursesmith("check", course, env=DATED)

    assert result.returncode == 1
    printed = result.stderr.replace(f"{course}/", "")
    assert shown.rstrip("\n") in printed, printed


def test_the_compiler_style_problem_the_readme_shows_is_the_one_printed(tmp_path, course_root):
    shown = next(text for info, text in readme_blocks() if info == "" and "unknown question type" in text)
    message, hint = (line.split(": error: ", 1)[-1] for line in shown.strip("\n").split("\n"))
    course = course_root("minimal", to=tmp_path / "course")
    quiz = course / "modules" / "01-getting-started" / "quiz.yaml"
    quiz.write_text(quiz.read_text().replace("    type: single", "    type: multi"))

    result = coursesmith("check", course, env=DATED)

    assert result.returncode == 1
    assert f"{quiz}:6:11: error: {message}\n{hint}\n" in result.stderr, result.stderr
