"""The facilitator guide read back from the PDF: pages are filled (only a section's last page may be
half empty), each question shares its page with its answer, facilitator notes never start a page,
answers are not hyphenated, and options print in the same fixed shuffle in every build."""

from __future__ import annotations

import re
import subprocess
from datetime import datetime, timezone
from pathlib import Path

import pytest
from PIL import Image

from builder.handout import render_handout
from builder.handout.view import question_view
from builder.load import load_course
from helpers import Built, course_path

SOURCE_DATE = datetime(2024, 3, 1, tzinfo=timezone.utc)
DPI = 30
INK = 128
# The page area between the running header and the footer, as fractions of the page height.
CONTENT_TOP, CONTENT_BOTTOM = 0.08, 0.90


def facilitator_pdf(name: str, folder: Path) -> Built:
    path = folder / f"{name}-facilitator.pdf"
    path.write_bytes(render_handout(load_course(course_path(name)), "facilitator", source_date=SOURCE_DATE))
    return Built(path)


@pytest.fixture(scope="module")
def course():
    return load_course(course_path("leading-in-social-care"))


@pytest.fixture(scope="module")
def guide(tmp_path_factory) -> Built:
    return facilitator_pdf("leading-in-social-care", tmp_path_factory.mktemp("guide"))


def filled(path: Path, folder: Path) -> list[float]:
    """For each page, how far down its content area the ink reaches (0: empty, 1: full)."""
    subprocess.run(["pdftoppm", "-png", "-gray", "-r", str(DPI), str(path), str(folder / "page")], check=True)
    shares = []
    for png in sorted(folder.glob("page-*.png"), key=lambda p: int(p.stem.split("-")[1])):
        image = Image.open(png).convert("L")
        width, height = image.size
        top, bottom = int(height * CONTENT_TOP), int(height * CONTENT_BOTTOM)
        inked = [y for y in range(top, bottom) if image.crop((0, y, width, y + 1)).getextrema()[0] < INK]
        shares.append((max(inked) - top) / (bottom - top) if inked else 0.0)
    return shares


def section_starts(guide: Built, course) -> set[int]:
    """Pages a section starts on: a part of the guide, a module, or a quiz (each starts a new page)."""
    quizzes = {m.quiz.title for m in course.modules if m.quiz}
    return {page for depth, title, page in guide.outline() if depth == 0 or title in quizzes}


def test_no_page_is_more_than_half_empty_except_the_last_of_a_section(guide, course, tmp_path):
    shares = filled(guide.path, tmp_path)
    starts = section_starts(guide, course)
    assert len(shares) == len(guide.pages) and len(starts) > 10
    half_empty = [i for i, share in enumerate(shares) if share < 0.5]
    assert half_empty, "the measure finds no section's last page: it measures nothing"
    for index in half_empty:
        assert index + 1 in starts or index + 1 == len(shares), (
            f"page {index + 1} is {shares[index]:.0%} full and the next page starts no section")


def test_no_page_but_the_last_holds_only_the_tail_of_the_page_before(guide, tmp_path):
    """A line or two spilt onto a page of its own (the contents' last entry, a closing sentence)."""
    shares = filled(guide.path, tmp_path)
    nearly_empty = [i + 1 for i, share in enumerate(shares[:-1]) if share < 0.1]
    assert nearly_empty == [], f"pages holding only a line or two: {nearly_empty}"
    assert shares[-1] < 0.1, "the last page is short in this course: the measure can see a short page"


def test_every_question_shares_its_page_with_its_answer(guide, course):
    questions = 0
    for page in guide.pages:
        numbers = re.findall(r"QUESTION (\d+)\n(?:.*\n){0,6}?.*?(?:Answer:|Survey question:)", page)
        asked = re.findall(r"QUESTION (\d+)", page)
        assert numbers == asked, f"a question without its answer on its page:\n{page}"
        questions += len(asked)
    assert questions == len(course.questions)


def test_a_facilitator_note_never_starts_a_page(guide):
    notes = 0
    for page in guide.pages:
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        body = lines[1:] if lines and lines[0].startswith("Leading and managing") else lines
        notes += sum("FACILITATOR NOTE" in line for line in lines)
        assert not (body and body[0] == "FACILITATOR NOTE"), page
    assert notes > 10


def test_questions_and_answers_are_not_hyphenated(guide, course):
    """A line of a quiz or the answer key may end in a hyphen only where the author wrote one."""
    written = "\n".join([q.prompt for q in course.questions] + [o.text + o.feedback for q in course.questions for o in q.options]
                        + [q.feedback.correct + q.feedback.incorrect for q in course.questions]
                        + [question_view(q, 1).answer for q in course.questions])
    pages = [page for page in guide.pages if "QUESTION " in page or "Answer key" in page]
    assert len(pages) > 6
    for line in (line for page in pages for line in page.splitlines()):
        broken = re.search(r"(\w+)-$", line.rstrip())
        assert not broken or f"{broken.group(1)}-" in written, f"hyphenated: {line.strip()!r}"


def test_options_print_in_the_same_shuffle_in_two_builds(tmp_path, course):
    first = facilitator_pdf("leadership-everyones-business", tmp_path)
    (tmp_path / "again").mkdir()
    second = facilitator_pdf("leadership-everyones-business", tmp_path / "again")
    quiz_pages = [i for i, page in enumerate(first.pages) if "QUESTION 1" in page]
    assert quiz_pages
    assert [first.pages[i] for i in quiz_pages] == [second.pages[i] for i in quiz_pages]
    letters = [question_view(q, 1).answer[0] for q in course.questions if q.type == "single"]
    assert len(set(letters)) > 2, f"the right answer is nearly always the same letter: {letters}"
