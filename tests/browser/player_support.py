"""Building packages of test courses and answering the player's questions like a learner.

Used by the tests/browser/test_player_*.py files:

- ``build_package(course, version, folder)``: the player's files and the SCORM packaging step,
  zipped and extracted again, so a test launches exactly what an LMS would import.
- ``PlayerDriver``: clicks through the player in a Playwright frame. Answers come from the
  model (``Question``), right or wrong on request, through the real controls.
"""

from __future__ import annotations

import dataclasses
import re
import zipfile
from pathlib import Path

from playwright.sync_api import Frame, expect

from builder.load import load_course
from builder.model import Course, Question, ScormSettings
from builder.player import PlayerFiles, write_scos
from builder.scorm import package_name, write_package

TESTS_DIR = Path(__file__).resolve().parents[1]
ROOTS = TESTS_DIR / "roots"


def load_root(name: str, packaging: str | None = None) -> Course:
    course = load_course(ROOTS / name)
    if packaging and packaging != course.scorm.packaging:
        course = dataclasses.replace(course, scorm=ScormSettings(course.scorm.versions, packaging))
    return course


def build_package(course: Course, version: str, folder: Path) -> Path:
    """Build `course`'s `version` package into `folder` and return the extracted package."""
    player = PlayerFiles(course)
    folder.mkdir(parents=True, exist_ok=True)
    archive = folder / package_name(course, version)
    write_package(course, version, player.files(version), player.scos, archive)
    extracted = folder / "package"
    with zipfile.ZipFile(archive) as zipped:
        zipped.extractall(extracted)
    return extracted


def build_preview(course: Course, folder: Path) -> Path:
    """The standalone build (no LMS): the player's files only."""
    write_scos(course, folder, "none")
    return folder


class PlayerDriver:
    """A learner in front of the player, inside `frame`."""

    def __init__(self, frame: Frame, course: Course):
        self.frame = frame
        self.course = course
        self.questions = {q.id: q for q in course.questions}

    # ---- waiting and reading

    def ready(self) -> PlayerDriver:
        self.frame.wait_for_function("() => window.Coursesmith && window.Coursesmith.player")
        return self

    def problems(self) -> list[str]:
        return self.frame.evaluate("() => window.Coursesmith.problems.slice()")

    def current_title(self) -> str:
        return self.frame.locator("section.step:not([hidden]) h1").inner_text()

    def progress_text(self) -> str:
        return self.frame.locator('[data-role="progress-text"]').inner_text()

    def status_text(self) -> str:
        return self.frame.locator('[data-role="status-text"]').inner_text()

    def wait_saved(self) -> None:
        """Wait until the player has handed everything to the LMS and committed it: saves run just
        after the browser shows a change, never inside the click."""
        self.frame.wait_for_function("() => Coursesmith.player.settled()")

    def suspend_data_now(self) -> str:
        """What the player would store now, straight from its codec."""
        return self.frame.evaluate("() => Coursesmith.state.encode(Coursesmith.player.structure, Coursesmith.player.state)")

    # ---- navigation

    def next(self) -> None:
        self.frame.get_by_role("button", name="Next", exact=True).click()

    def previous(self) -> None:
        self.frame.get_by_role("button", name="Previous", exact=True).click()

    def open_step(self, title: str) -> None:
        name = re.compile(rf"^{re.escape(title)}( \(.*\))?$")   # the link may end in "(viewed)"
        self.frame.get_by_role("navigation", name="Course contents").get_by_role("link", name=name).click()
        expect(self.frame.locator("section.step:not([hidden]) h1")).to_have_text(title)

    def read_all_pages(self) -> None:
        for page in self.course.pages:
            self.open_step(page.title)

    def finish(self) -> None:
        self.frame.get_by_role("button", name="Save and finish").click()
        expect(self.frame.get_by_role("heading", name="Your session has finished")).to_be_visible()

    # ---- quizzes

    def quiz_section(self):
        return self.frame.locator("section.step:not([hidden])")

    def start_quiz(self) -> None:
        section = self.quiz_section()
        button = section.locator('[data-action="start"]')     # "Start the quiz", "Start the survey"
        if not button.is_visible():
            button = section.get_by_role("button", name="Try again")
        button.click()
        expect(section.locator('[data-view="questions"]')).to_be_visible()

    def asked_ids(self) -> list[str]:
        """The question ids of the current attempt, in the order shown."""
        return self.frame.evaluate(
            """() => Array.from(document.querySelectorAll('section.step:not([hidden]) .question:not([hidden])'))
                     .map(q => q.id.replace(/^q-/, ''))"""
        )

    def block(self, question_id: str):
        return self.frame.locator(f"#q-{question_id}")

    def answer(self, question_id: str, correct: bool = True, check: bool = True) -> None:
        """Answer through the controls: right when `correct`, otherwise wrong (likert: first label)."""
        question = self.questions[question_id]
        block = self.block(question_id)
        getattr(self, "_answer_" + question.type.replace("-", "_"))(block, question, correct)
        if check:
            block.locator('[data-action="check"]').click()      # "Check answer", "Submit" (likert)
            expect(block.locator('[data-role="feedback"] [data-verdict]:not([hidden])')).to_have_count(1)

    def answer_attempt(self, wrong: tuple[str, ...] = ()) -> None:
        for question_id in self.asked_ids():
            self.answer(question_id, correct=question_id not in wrong)

    def see_result(self) -> None:
        section = self.quiz_section()
        section.get_by_role("button", name="See your result").click()
        expect(section.get_by_role("heading", name="Your result")).to_be_visible()

    def take_quiz(self, title: str, wrong: tuple[str, ...] = ()) -> None:
        self.open_step(title)
        self.start_quiz()
        self.answer_attempt(wrong)
        self.see_result()

    def _answer_single(self, block, question: Question, correct: bool) -> None:
        option = next(o for o in question.options if o.correct == correct)
        block.get_by_label(option.text, exact=True).check()

    def _answer_multiple(self, block, question: Question, correct: bool) -> None:
        chosen = [o for o in question.options if o.correct] if correct else [question.options[-1]]
        for option in chosen:
            block.get_by_label(option.text, exact=True).check()

    def _answer_true_false(self, block, question: Question, correct: bool) -> None:
        value = question.answer if correct else not question.answer
        block.get_by_label("True" if value else "False", exact=True).check()

    def _answer_fill_in(self, block, question: Question, correct: bool) -> None:
        block.get_by_label("Your answer").fill(question.answers[0].upper() if correct else "not this")

    def _answer_numeric(self, block, question: Question, correct: bool) -> None:
        value = question.answer + question.tolerance if correct else question.answer + question.tolerance + 10
        block.get_by_label("Your answer (a number)").fill(f"{value:g}")

    def _answer_matching(self, block, question: Question, correct: bool) -> None:
        rights = [pair.right for pair in question.pairs]
        if not correct:
            rights = rights[1:] + rights[:1]
            if rights == [pair.right for pair in question.pairs]:    # right items that repeat may
                raise ValueError(f"rotating {question.id!r}'s right items does not make it wrong")
        for pair, right in zip(question.pairs, rights):
            block.get_by_label(pair.left, exact=True).select_option(label=right)

    def _answer_ordering(self, block, question: Question, correct: bool) -> None:
        if not correct:
            return  # every attempt starts out of order
        for position, text in enumerate(question.items):
            while True:
                shown = block.locator(".order-text").all_inner_texts()
                at = shown.index(text)
                if at == position:
                    break
                block.locator(".order-item").nth(at).get_by_role("button", name="Move up").click()

    def _answer_likert(self, block, question: Question, correct: bool) -> None:
        block.get_by_label(question.scale[0], exact=True).check()
