"""Limits hold before memory runs out: each is an error at the line where it is crossed.

The pages here are the sizes that exhausted the build (a 2 MiB page of 700k paragraphs, 524k table
rows, 60k footnotes): they are refused by a line scan before Markdown parses them.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from builder import limits
from builder.build import BuildOptions, build_course
from builder.errors import CourseError
from builder.load import load_course

MINIMAL = Path(__file__).parent / "roots" / "minimal"
PAGE = "modules/01-getting-started/01-welcome.md"
BODY_LINE = 5       # the page's first body line


def _course_with_body(tmp_path: Path, body: str) -> Path:
    course = tmp_path / "course"
    shutil.copytree(MINIMAL, course)
    (course / PAGE).write_text("---\ntitle: Welcome\nminutes: 3\n---\n" + body)
    return course


def _refusal(course: Path) -> str:
    with pytest.raises(CourseError) as raised:
        load_course(course)
    return "\n".join(p.format() for p in raised.value.problems)


CASES = [
    ("paragraphs", "Para.\n\n" * (limits.MAX_BLOCKS_PER_PAGE + 1), 2 * limits.MAX_BLOCKS_PER_PAGE, "paragraphs"),
    ("list-items", "- item\n" * (limits.MAX_BLOCKS_PER_PAGE + 1), limits.MAX_BLOCKS_PER_PAGE, "paragraphs, list items"),
    ("table-rows", "| a | b |\n|---|---|\n" + "| 1 | 2 |\n" * limits.MAX_TABLE_ROWS_PER_PAGE, limits.MAX_TABLE_ROWS_PER_PAGE, "table rows"),
    ("footnotes", "".join(f"Text[^{n}]\n" for n in range(limits.MAX_FOOTNOTES_PER_PAGE + 1)),
     limits.MAX_FOOTNOTES_PER_PAGE, "footnotes"),
    ("lines", "word\n" * (limits.MAX_ELEMENTS_PER_PAGE + 1), limits.MAX_ELEMENTS_PER_PAGE, "lines and formatting marks"),
    ("emphasis", ("*a* " * 1000 + "\n") * 30, 24, "formatting marks"),     # 2,001 per line
]


@pytest.mark.parametrize("body,line,expected", [(b, l, x) for _, b, l, x in CASES], ids=[n for n, *_ in CASES])
def test_page_limit_is_located_where_it_is_crossed(tmp_path, body, line, expected):
    message = _refusal(_course_with_body(tmp_path, body))
    assert f"{PAGE}:{BODY_LINE + line}:1: error: the page has more than" in message, message
    assert expected in message


@pytest.mark.parametrize("body", [
    "a\n\n" * 690_000,                                  # 2 MiB of paragraphs: build died with MemoryError
    "|a|\n|-|\n" + "|1|\n" * 524_000,                   # 2 MiB of table rows: SystemError after 180 s
    "".join(f"x[^{n}]\n" for n in range(60_000)) + "".join(f"[^{n}]: n\n" for n in range(60_000)),
], ids=["690k-paragraphs", "524k-table-rows", "60k-footnotes"])
def test_the_pages_that_exhausted_the_build_are_refused(tmp_path, body):
    message = _refusal(_course_with_body(tmp_path, body))
    assert "the page has more than" in message


def test_a_page_just_inside_the_limits_builds(tmp_path):
    body = "| a | b |\n|---|---|\n" + "| 1 | 2 |\n" * (limits.MAX_TABLE_ROWS_PER_PAGE - 10)
    course = load_course(_course_with_body(tmp_path, body))
    assert course.pages[0].html.count("<tr>") == limits.MAX_TABLE_ROWS_PER_PAGE - 9


def test_a_package_of_mostly_empty_files_is_a_warning(tmp_path):
    course = tmp_path / "course"
    shutil.copytree(MINIMAL, course)
    page = course / PAGE
    for n in range(3):
        (course / "assets" / f"padding-{n}.txt").write_text(" " * (2 * 1024 * 1024))
        page.write_text(page.read_text() + f"\n[Data {n}](../../assets/padding-{n}.txt)\n")
    warnings = []
    build_course(course, BuildOptions(out_dir=tmp_path / "out", scorm_versions=("1.2",), pdf=False),
                 warn=warnings.extend)
    messages = [p.format() for p in warnings]
    assert sum("times smaller zipped" in m and ": warning: " in m for m in messages) == 3, messages
    assert any(m.startswith(str(course.resolve() / "assets" / "padding-0.txt") + ":1:1:") for m in messages), messages
    assert any("the package unpacks to" in m for m in messages), messages


def test_the_readme_limits_table_is_the_one_in_the_code():
    from helpers import REPO

    table = dict(re.findall(r"^\| ([^|]+?) \| ([\d /]+) \|$", (REPO / "README.md").read_text(), re.M))
    assert table["pages per course"] == str(limits.MAX_PAGES)
    assert table["paragraphs, list items and headings per page"] == str(limits.MAX_BLOCKS_PER_PAGE)
    assert table["table rows per page"] == str(limits.MAX_TABLE_ROWS_PER_PAGE)
    assert table["footnotes per page"] == str(limits.MAX_FOOTNOTES_PER_PAGE)
    assert table["lines plus formatting marks (emphasis, links, code, HTML tags) per page"] == str(
        limits.MAX_ELEMENTS_PER_PAGE)
