"""A course file is parsed once: the event scan that locates too-deep nesting runs only when the
composed document is too deep, and every page shares one Markdown parser."""

from __future__ import annotations

import pytest

import builder.yamldoc as yamldoc
from builder.errors import CourseError
from builder.load import load_course
from builder.markdown import _parser
from helpers import course_path


@pytest.fixture
def event_scans(monkeypatch) -> list[str]:
    scans: list[str] = []
    scan = yamldoc._check_nesting

    def counted(text, path, line_offset):
        scans.append(path)
        return scan(text, path, line_offset)
    monkeypatch.setattr(yamldoc, "_check_nesting", counted)
    return scans


def test_a_course_loads_without_scanning_its_files_twice(event_scans):
    course = load_course(course_path("leading-in-social-care"))
    assert len(course.pages) > 10
    assert event_scans == []


@pytest.mark.parametrize("levels", [21, 5000])
def test_too_deep_nesting_is_located_by_the_event_scan(event_scans, levels):
    with pytest.raises(CourseError) as refused:
        yamldoc.parse_yaml("a: " + "[" * (levels - 1) + "]" * (levels - 1), "quiz.yaml")
    problem, = refused.value.problems
    assert (problem.code, problem.line, problem.column) == ("CS204", 1, 23)
    assert event_scans == ["quiz.yaml"]


def test_twenty_levels_are_allowed(event_scans):
    assert yamldoc.parse_yaml("a: " + "[" * 19 + "]" * 19, "quiz.yaml").data["a"] is not None
    assert event_scans == []


def test_every_page_is_parsed_by_the_same_markdown_parser():
    assert _parser() is _parser()
