"""The `objective:` key on a question: which of its module's objectives the question tests.

It lets a course (and its tests) prove that a quiz checks every objective the module promises.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from builder.errors import CourseError
from builder.load import load_course

MINIMAL = Path(__file__).resolve().parent / "roots" / "minimal"
QUIZ = "modules/01-getting-started/quiz.yaml"


def _course_with(tmp_path: Path, first: str, second: str | None = None) -> Path:
    """The minimal course (one objective) with `objective:` lines added to its two questions."""
    target = tmp_path / "course"
    shutil.copytree(MINIMAL, target)
    quiz = target / QUIZ
    text = quiz.read_text(encoding="utf-8")
    text = text.replace("    type: single\n", f"    type: single\n    objective: {first}\n", 1)
    if second is not None:
        text = text.replace("    type: true-false\n", f"    type: true-false\n    objective: {second}\n", 1)
    quiz.write_text(text, encoding="utf-8")
    return target


def test_objective_is_carried_into_the_model(tmp_path):
    course = load_course(_course_with(tmp_path, "1"))
    first, second = course.modules[0].quiz.questions
    assert (first.objective, second.objective) == (1, None)


def test_objective_past_the_module_list_is_located(tmp_path):
    with pytest.raises(CourseError) as raised:
        load_course(_course_with(tmp_path, "1", "2"))
    (problem,) = raised.value.errors
    assert problem.path.endswith(QUIZ)
    quiz_lines = (tmp_path / "course" / QUIZ).read_text(encoding="utf-8").splitlines()
    assert quiz_lines[problem.line - 1].strip() == "objective: 2"
    assert "getting-started-pages" in problem.message and "1 objective" in problem.message
    assert "from 1 to 1" in problem.hint


@pytest.mark.parametrize("value", ["0", "first", "1.5"])
def test_objective_must_be_a_whole_number_from_one(tmp_path, value):
    with pytest.raises(CourseError) as raised:
        load_course(_course_with(tmp_path, value))
    assert any(p.path.endswith(QUIZ) and "objective" in p.format() for p in raised.value.errors)


def test_objective_without_module_objectives_says_so(tmp_path):
    course_dir = _course_with(tmp_path, "1")
    module_yaml = course_dir / "modules/01-getting-started/module.yaml"
    text = module_yaml.read_text(encoding="utf-8")
    module_yaml.write_text(text.replace("objectives:\n  - Find your way around a coursesmith course\n", ""),
                           encoding="utf-8")
    with pytest.raises(CourseError) as raised:
        load_course(course_dir)
    (problem,) = raised.value.errors
    assert "no `objectives:`" in problem.message
