"""The hidden-string test: the Welsh package of a translated course (tests/roots/player-basic,
extracted, translated by reversing each word, applied, `languages: [en-GB, cy]`), launched under
the test LMS, shows no English UI string on any view: every page, the quiz's start, questions
unanswered and checked, feedback right and wrong, the list of questions still to answer, results
after a miss, after a pass and after the last attempt, the review, the finished panel, the notices
of a failing, refusing, vanishing or forgetful LMS, the copy kept in the browser, the review and
no-credit modes, the LMS that refuses the session and the package opened with no LMS at all.

The needles are the msgids of builder/locale/messages.pot (translation_support.english_ui_strings);
what a view shows is its visible text, the title and every accessible name, label and
placeholder in the document. The learner is driven by the page's own hooks and the Welsh words.
"""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from builder import ui_text
from player_support import PlayerDriver
from translation_support import english_left, english_ui_strings, welsh_package, without_slots

CY = ui_text.words("cy").table
NEEDLES = english_ui_strings("cy")
SUSPEND = "cmi.suspend_data"

SHOWN = """() => {
    const parts = [document.title, document.body.innerText];
    for (const el of document.querySelectorAll('*')) {
        for (const name of ['aria-label', 'title', 'alt', 'placeholder', 'aria-roledescription', 'aria-valuetext']) {
            const value = el.getAttribute(name);
            if (value) parts.push(value);
        }
        if (el.labels) parts.push(...Array.from(el.labels, label => label.textContent));
    }
    return parts.join('\\n');
}"""


@pytest.fixture(scope="module")
def welsh(tmp_path_factory):
    return welsh_package(tmp_path_factory.mktemp("welsh"))


class WelshLearner(PlayerDriver):
    """The driver's learner, reading the Welsh words: the buttons and labels are Welsh here."""

    def next(self) -> None:
        self.frame.get_by_role("button", name=CY["next"], exact=True).click()

    def open_step(self, title: str) -> None:
        self.frame.get_by_role("navigation", name=CY["contents-label"]).locator("a[data-step-link]").filter(
            has_text=title).first.click()
        expect(self.frame.locator("section.step:not([hidden]) h1")).to_have_text(title)

    def finish(self) -> None:
        self.frame.get_by_role("button", name=CY["finish"]).click()
        expect(self.frame.get_by_role("heading", name=CY["finished-title"])).to_be_visible()

    def start_quiz(self) -> None:
        section = self.quiz_section()
        button = section.locator('[data-action="start"]')
        if not button.is_visible():
            button = section.locator('[data-action="retry"]')
        button.click()
        expect(section.locator('[data-view="questions"]')).to_be_visible()

    def see_result(self) -> None:
        section = self.quiz_section()
        section.locator('[data-action="results"]').click()
        expect(section.get_by_role("heading", name=CY["results-title"])).to_be_visible()

    def _answer_true_false(self, block, question, correct: bool) -> None:
        value = question.answer if correct else not question.answer
        block.locator(f'input[value="{str(value).lower()}"]').check()

    def _answer_fill_in(self, block, question, correct: bool) -> None:
        block.locator('[data-role="text"]').fill(question.answers[0] if correct else "dim hwn")

    def _answer_numeric(self, block, question, correct: bool) -> None:
        value = question.answer + question.tolerance + (0 if correct else 10)
        block.locator('[data-role="text"]').fill(f"{value:g}")

    def _answer_ordering(self, block, question, correct: bool) -> None:
        for position, text in enumerate(question.items):
            while (at := block.locator(".order-text").all_inner_texts().index(text)) != position:
                block.locator(".order-item").nth(at).locator('[data-move="up"]').click()
        if not correct:        # the right order with the first two swapped
            block.locator(".order-item").nth(1).locator('[data-move="up"]').click()


class Views:
    """Where the test looked, and the English it found there."""

    def __init__(self):
        self.seen: list[str] = []
        self.english: dict[str, list[str]] = {}

    def look(self, frame, where: str) -> None:
        self.seen.append(where)
        left = english_left(frame.evaluate(SHOWN), NEEDLES)
        if left:
            self.english[where] = left

    def assert_clean(self, at_least: int) -> None:
        assert len(self.seen) >= at_least, self.seen
        assert self.english == {}, "English UI strings in the Welsh player:\n" + "\n".join(
            f"  {where}: {found}" for where, found in self.english.items())


def start(lms, page, package, course, **options):
    launch = lms.launch(page, package, **options)
    return launch, WelshLearner(launch.frame, course).ready()


def test_no_view_of_a_whole_session_shows_an_english_ui_string(page, lms, welsh):
    course, package = welsh
    views = Views()
    launch, learner = start(lms, page, package, course)
    frame = learner.frame
    assert frame.evaluate("document.documentElement.lang") == "cy"
    # Everything the page holds, shown or not yet: every view's markup and the noscript notice.
    views.look(frame, "first page")
    everything = frame.evaluate("""() => {
        const copy = document.documentElement.cloneNode(true);
        copy.querySelectorAll('script, style').forEach(el => el.remove());     // data and code, not words
        return copy.textContent;
    }""")
    assert english_left(everything, NEEDLES) == [], everything
    # The words the scripts say (release notices, LMS notices) are the table the page carries.
    table = json.loads(frame.locator("#cs-course-data").text_content())["text"]
    left = {key: english_left(without_slots(text), NEEDLES) for key, text in table.items()}
    assert {key: found for key, found in left.items() if found} == {}

    for page_ in course.pages:
        learner.open_step(page_.title)
        views.look(frame, f"page {page_.title}")
    first, second = course.modules
    learner.open_step(first.quiz.title)
    views.look(frame, "quiz start")
    learner.start_quiz()
    views.look(frame, "questions unanswered")
    for question_id in learner.asked_ids():
        if learner.questions[question_id].type != "ordering":      # an order is always an answer
            learner.block(question_id).locator('[data-action="check"]').click()        # nothing given yet
    views.look(frame, "asked for an answer")
    learner.quiz_section().locator('[data-action="results"]').click()
    views.look(frame, "questions still to answer")
    learner.answer_attempt(wrong=tuple(learner.asked_ids()))
    views.look(frame, "feedback, wrong answers")
    learner.see_result()
    views.look(frame, "results, not passed, attempts left")
    learner.quiz_section().locator('[data-action="review"]').click()
    for number in range(len(first.quiz.questions)):
        views.look(frame, f"review, question {number + 1}")
        following = learner.quiz_section().locator('[data-action="review-next"]:visible')
        if following.count() == 0 or following.is_disabled():
            break
        following.click()
    learner.quiz_section().locator('[data-action="review-back"]:visible').click()
    learner.start_quiz()
    learner.answer_attempt()
    views.look(frame, "feedback, right answers")
    learner.see_result()
    views.look(frame, "results, passed")

    learner.open_step(second.quiz.title)
    for attempt in range(second.quiz.attempts):
        learner.start_quiz()
        learner.answer_attempt(wrong=tuple(learner.asked_ids()))
        learner.see_result()
    views.look(frame, "results, every attempt used")
    learner.finish()
    views.look(frame, "session finished")
    launch.assert_clean()
    views.assert_clean(at_least=14)


def _half_way(lms, page, package, course):
    launch, learner = start(lms, page, package, course)
    learner.next()
    learner.open_step(course.modules[0].quiz.title)
    learner.start_quiz()
    learner.answer(learner.asked_ids()[0])
    record = launch.close_like_tab()
    assert record.suspend_data
    return record


FAULTS = {
    "commit fails": [{"kind": "Commit", "error": "391"}, {"kind": "Terminate", "error": "391"}],
    "values refused": [{"kind": "SetValue", "error": "351"}],
    "connection lost": [{"kind": "Commit", "vanish": True, "after": 1}],
}


@pytest.mark.parametrize("fault", FAULTS, ids=list(FAULTS))
def test_the_notices_of_a_faulty_lms_are_welsh(page, lms, welsh, fault):
    course, package = welsh
    views = Views()
    record = _half_way(lms, page, package, course)
    launch, learner = start(lms, page, package, course, previous=record, faults=FAULTS[fault])
    learner.open_step(course.pages[-1].title)
    expect(learner.frame.locator("#cs-save-status")).not_to_have_text("")
    views.look(learner.frame, f"{fault}: the notice")
    learner.finish()
    expect(learner.frame.locator("#cs-finished")).to_contain_text(CY["finished-not-saved"].split(":")[0])
    views.look(learner.frame, f"{fault}: finished, not saved")
    views.assert_clean(at_least=2)


def test_a_forgetful_lms_and_the_copy_in_this_browser_are_welsh(page, lms, welsh):
    course, package = welsh
    views = Views()
    record = _half_way(lms, page, package, course)
    launch, learner = start(lms, page, package, course, previous=record,
                            faults=[{"kind": "GetValue", "element": SUSPEND, "error": "101"}])
    expect(learner.frame.locator("#cs-save-status")).to_contain_text(CY["not-read"].split(":")[0])
    views.look(learner.frame, "progress not read")
    launch, learner = start(lms, page, package, course, previous=record,
                            faults=[{"kind": "GetValue", "element": SUSPEND, "value": ""}])
    expect(learner.frame.locator("#cs-local-copy")).to_be_visible()
    views.look(learner.frame, "the copy kept in this browser offered")
    views.assert_clean(at_least=2)


@pytest.mark.parametrize("data,notice", [({"cmi.mode": "review", "cmi.credit": "credit"}, "#cs-review"),
                                         ({"cmi.mode": "normal", "cmi.credit": "no-credit"}, "#cs-no-credit"),
                                         ({"cmi.mode": "browse", "cmi.credit": "credit"}, "#cs-review")],
                         ids=["review", "no-credit", "browse"])
def test_the_lms_modes_notices_are_welsh(page, lms, welsh, data, notice):
    course, package = welsh
    views = Views()
    record = _half_way(lms, page, package, course)
    launch, learner = start(lms, page, package, course, previous=record, data=data)
    expect(learner.frame.locator(notice)).to_be_visible()
    views.look(learner.frame, f"{data['cmi.mode']}/{data['cmi.credit']}")
    learner.open_step(course.modules[0].quiz.title)
    views.look(learner.frame, f"{data['cmi.mode']}/{data['cmi.credit']}: the quiz")
    views.assert_clean(at_least=2)


def test_the_lms_not_recording_notice_is_welsh(page, lms, welsh):
    course, package = welsh
    views = Views()
    launch, learner = start(lms, page, package, course, faults=[{"kind": "Initialize", "error": "104"}])
    expect(learner.frame.locator("#cs-lms-refused")).to_be_visible()
    expect(learner.frame.locator("#cs-lms-refused")).to_contain_text(CY["lms-refused"].split(".")[0])
    views.look(learner.frame, "the LMS refused the session")
    views.assert_clean(at_least=1)


def test_the_package_opened_without_an_lms_is_welsh(page, welsh):
    course, package = welsh
    views = Views()
    page.goto((package / "index.html").as_uri())
    learner = WelshLearner(page.main_frame, course).ready()
    expect(page.locator("#cs-not-tracking")).to_be_visible()
    views.look(page.main_frame, "no LMS: preview notice")
    learner.open_step(course.modules[1].quiz.title)
    learner.start_quiz()
    learner.answer_attempt()
    learner.see_result()
    views.look(page.main_frame, "no LMS: results")
    learner.finish()
    views.look(page.main_frame, "no LMS: finished")
    views.assert_clean(at_least=3)


def test_the_needles_find_english_where_it_is():
    """The test's own check: the English player's words are found, the Welsh ones are not."""
    english = " ".join(ui_text.words("en-GB").table.values())
    assert len(english_left(english, NEEDLES)) > 150
    assert english_left(without_slots(" ".join(CY.values())), NEEDLES) == []
    assert re.search("Next", "Nesaf") is None
