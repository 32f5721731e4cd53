"""The facilitator's session plan, read back from the printed guide: every page, activity and quiz
has its row, and the total is the sum of the rows (and, in the default courses, the course's
duration)."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path

import pytest

from builder.handout import write_handouts
from builder.load import load_course
from helpers import Built, course_path, load_refusal

SOURCE_DATE = datetime(2024, 3, 1, tzinfo=timezone.utc)
MODULE = "modules/01-getting-started"
ROW = re.compile(r"^\s*(\d+:\d\d)\s+(.+?)\s+(\d+|–)\s*$")
MODULE_ROW = re.compile(r"^\s*(\d+)\.\s+(.+?)\s+(\d+)\s*$")
TOTAL = re.compile(r"^\s*Total\s+(\d+)\s*$")


def plan_of(guide: Built) -> dict:
    """The plan's modules (title, minutes, rows of (start, part, minutes)) and its printed total."""
    text = "\n".join(page for page in guide.pages if "Session plan" in page and "Starts" in page)
    modules, total = [], None
    for line in text.splitlines():
        if (row := ROW.match(line)) and modules:
            modules[-1]["rows"].append((row.group(1), row.group(2), None if row.group(3) == "–" else int(row.group(3))))
        elif module := MODULE_ROW.match(line):
            modules.append({"title": module.group(2), "minutes": int(module.group(3)), "rows": []})
        elif found := TOTAL.match(line):
            total = int(found.group(1))
    return {"modules": modules, "total": total}


def facilitator_guide(course_dir: Path, out: Path) -> Built:
    out.mkdir(parents=True, exist_ok=True)
    paths = write_handouts(load_course(course_dir), out, source_date=SOURCE_DATE)
    return Built(next(p for p in paths if p.stem.endswith("facilitator")))


def assert_adds_up(plan: dict) -> None:
    assert plan["modules"] and plan["total"] is not None, plan
    for module in plan["modules"]:
        assert module["rows"], module
        assert sum(m or 0 for _, _, m in module["rows"]) == module["minutes"], module
    assert sum(m["minutes"] for m in plan["modules"]) == plan["total"]


def test_activities_and_quizzes_have_rows_and_count(tmp_path, course_root):
    course = course_root("minimal", to=tmp_path / "course")
    quiz = course / MODULE / "quiz.yaml"
    quiz.write_text(quiz.read_text().replace("attempts: 3", "attempts: 3\nminutes: 4"))

    plan = plan_of(facilitator_guide(course, tmp_path / "out"))

    assert_adds_up(plan)
    assert plan["modules"][0]["rows"] == [
        ("0:00", "Welcome", 3),
        ("0:03", "Try it yourself", 5),
        ("0:08", "Activity: Plan your own course", 1),
        ("0:09", "Quiz: Check your understanding", 4),
    ]
    assert plan["total"] == 13


def test_a_quiz_without_minutes_takes_half_a_minute_a_question(tmp_path, course_root):
    course = course_root("minimal", to=tmp_path / "course")
    plan = plan_of(facilitator_guide(course, tmp_path / "out"))
    assert plan["modules"][0]["rows"][-1] == ("0:09", "Quiz: Check your understanding", 1)   # 2 questions
    assert plan["total"] == 10 == load_course(course).duration_minutes


@pytest.mark.parametrize("name", ["leadership-everyones-business", "leading-in-social-care"])
def test_default_course_plan_adds_up_to_its_duration(name, tmp_path):
    course = course_path(name)
    plan = plan_of(facilitator_guide(course, tmp_path))
    assert_adds_up(plan)
    assert plan["total"] == load_course(course).duration_minutes
    quizzes = [row for module in plan["modules"] for row in module["rows"] if row[1].startswith("Quiz: ")]
    assert len(quizzes) == len([m for m in load_course(course).modules if m.quiz]) and all(q[2] for q in quizzes)


def test_a_plan_short_of_a_page_that_failed_to_load_is_not_reported(tmp_path, course_root):
    """The plan's sum is only wrong because of the error: one message, the one that explains it."""
    course = course_root("minimal", to=tmp_path / "course")
    quiz = course / MODULE / "quiz.yaml"
    quiz.write_text(quiz.read_text().replace("title: Check your understanding", "title: Roles: who does what"))
    refusal = load_refusal(course)
    assert "quiz.yaml" in refusal and "put the whole text in quotes" in refusal
    assert "duration_minutes" not in refusal
