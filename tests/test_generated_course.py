"""The course scripts/generate_course.py writes for the benchmark is a valid course of the size asked for."""

import sys
from pathlib import Path

from builder.limits import MAX_PAGES
from builder.load import load_course
from helpers import load_refusal

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
from generate_course import generate  # noqa: E402


def test_a_generated_course_loads_with_the_pages_and_modules_asked_for(tmp_path):
    course = load_course(generate(tmp_path / "course", 45))
    assert len(course.pages) == 45
    assert [len(m.pages) for m in course.modules] == [20, 20, 5]
    assert all(m.quiz and len(m.quiz.questions) == 5 for m in course.modules)
    assert course.handout.editions == ("participant", "facilitator")


def test_a_course_one_page_over_the_documented_limit_is_refused_at_its_modules(tmp_path):
    """README "Limits": 1000 pages per course, the largest whose state fits SCORM 1.2 in one SCO."""
    assert MAX_PAGES == 1000
    message = load_refusal(generate(tmp_path / "course", MAX_PAGES + 1))
    assert f"the course has {MAX_PAGES + 1} pages; coursesmith supports up to {MAX_PAGES}" in message
    assert "course.yaml:" in message
