"""WCAG 2.1 A/AA in the player: axe-core on every page, every question type, feedback, results
and the end panel; reflow at 320 CSS pixels; focus management; theme colours; reduced motion;
and a whole course completed with the keyboard alone."""

from __future__ import annotations

import dataclasses

import pytest
from playwright.sync_api import expect

from builder.model import Theme
from lms import format_axe_violations
from player_support import PlayerDriver, build_package, load_root

QUIZ_1 = "Check your understanding"


@pytest.fixture(scope="module")
def basic(tmp_path_factory):
    course = load_root("player-basic")
    return course, build_package(course, "2004-4th", tmp_path_factory.mktemp("a11y"))


def start(lms, page, package, course):
    launch = lms.launch(page, package)
    return launch, PlayerDriver(launch.frame, course).ready()


def assert_accessible(launch, where: str) -> None:
    violations = launch.axe_violations()
    assert not violations, f"{where}:\n{format_axe_violations(violations)}"


def no_horizontal_scroll(frame) -> bool:
    return frame.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_every_view_passes_axe(page, lms, basic):
    course, package = basic
    launch, player = start(lms, page, package, course)
    for step in ("Welcome", "Hand hygiene", QUIZ_1, "Consent", "Consent quiz"):
        player.open_step(step)
        assert_accessible(launch, step)
    player.open_step(QUIZ_1)
    player.start_quiz()
    assert_accessible(launch, "every question type, unanswered")
    player.answer("q-single", check=False)
    player.block("q-multiple").get_by_role("button", name="Check answer").click()   # nothing chosen yet
    expect(player.block("q-multiple").get_by_text("Choose an answer first.")).to_be_visible()
    assert_accessible(launch, "a question asking for an answer")
    for question_id in player.asked_ids():
        player.answer(question_id, correct=question_id not in ("q-multiple", "q-matching"))
    assert_accessible(launch, "feedback on every question type")
    player.see_result()
    assert_accessible(launch, "results")
    player.finish()
    assert_accessible(launch, "session finished")
    launch.assert_clean()


def test_the_player_reflows_at_320_pixels(page, lms, basic):
    course, package = basic
    page.set_viewport_size({"width": 320, "height": 640})
    launch, player = start(lms, page, package, course)
    contents = player.frame.get_by_role("navigation", name="Course contents")
    toggle = player.frame.get_by_role("button", name="Contents")
    expect(contents).to_be_hidden()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    assert no_horizontal_scroll(player.frame)
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(contents).to_be_visible()
    player.open_step(QUIZ_1)
    expect(contents).to_be_hidden()                 # choosing a page closes the contents again
    player.start_quiz()
    for question_id in player.asked_ids():
        player.answer(question_id)
    assert no_horizontal_scroll(player.frame)
    assert_accessible(launch, "quiz at 320 pixels")
    for step in ("Hand hygiene", "Consent"):
        toggle.click()
        player.open_step(step)
        assert no_horizontal_scroll(player.frame), step
    launch.close_like_tab()
    launch.assert_clean()


def test_navigation_moves_focus_to_the_new_heading_and_marks_the_place(page, lms, basic):
    course, package = basic
    launch, player = start(lms, page, package, course)
    player.next()
    focused = player.frame.evaluate("() => [document.activeElement.tagName, document.activeElement.textContent]")
    assert focused == ["H1", "Hand hygiene"]
    current = player.frame.locator('[aria-current="page"]')
    expect(current).to_have_count(1)
    expect(current).to_contain_text("Hand hygiene")
    expect(player.frame.locator('[data-step-link="0"]')).to_contain_text("(viewed)")
    expect(player.frame.locator('[data-role="position"]')).to_have_text("Page 2 of 3")
    assert player.frame.evaluate("() => document.title") == "Hand hygiene – Safe care basics"
    launch.close_like_tab()
    launch.assert_clean()


def test_theme_colours_and_reduced_motion_reach_the_page(page, lms, basic, tmp_path):
    course, _ = basic
    themed = dataclasses.replace(course, theme=Theme(primary_colour="#8a1538", accent_colour="#ffdd00"))
    package = build_package(themed, "1.2", tmp_path)
    page.emulate_media(reduced_motion="reduce")
    launch, player = start(lms, page, package, themed)
    styles = player.frame.evaluate("""() => ({
        heading: getComputedStyle(document.querySelector('section.step:not([hidden]) h1')).color,
        next: getComputedStyle(document.getElementById('cs-next')).backgroundColor,
        transition: getComputedStyle(document.querySelector('.progress-fill')).transitionDuration,
        font: getComputedStyle(document.body).fontFamily,
    })""")
    assert styles["heading"] == "rgb(138, 21, 56)"
    assert styles["next"] == "rgb(138, 21, 56)"
    assert styles["transition"] == "0s"
    assert styles["font"].startswith("atkinson-hyperlegible")
    loaded = player.frame.evaluate("async () => (await document.fonts.load('16px atkinson-hyperlegible')).length")
    assert loaded >= 1                                # the shipped font, from inside the package
    launch.close_like_tab()
    launch.assert_clean()


def test_every_face_of_the_theme_font_loads_from_the_package(page, lms, basic):
    course, package = basic
    launch, player = start(lms, page, package, course)
    faces = player.frame.evaluate("""async () => {
        const faces = [...document.fonts].filter(face => face.family.replace(/"/g, "") === "atkinson-hyperlegible");
        await Promise.allSettled(faces.map(face => face.load()));     // the faces no view has used yet too
        return faces.map(face => [face.weight, face.style, face.status]);
    }""")
    assert sorted(faces) == [["400", "italic", "loaded"], ["400", "normal", "loaded"],
                             ["700", "italic", "loaded"], ["700", "normal", "loaded"]]
    heading = player.frame.evaluate("""() => {
        const heading = document.querySelector('section.step:not([hidden]) h1');
        return [getComputedStyle(heading).fontFamily, document.fonts.check('700 16px atkinson-hyperlegible', heading.textContent)];
    }""")
    assert heading[0].startswith("atkinson-hyperlegible")
    assert heading[1]                                 # its text is drawn with the face already loaded
    launch.close_like_tab()
    launch.assert_clean()


# --------------------------------------------------------------------------- keyboard only


class Keyboard:
    """Only keys: Tab/Shift+Tab to move, Enter/Space to act, arrows in radio groups."""

    def __init__(self, page, frame):
        self.page, self.frame = page, frame

    def press(self, key: str, times: int = 1) -> None:
        for _ in range(times):
            self.page.keyboard.press(key)

    def active(self, script: str):
        return self.frame.evaluate(f"() => {{ const el = document.activeElement; return ({script}); }}")

    def tab_to(self, script: str, backwards: bool = False, limit: int = 80) -> None:
        """Tab until the focused element satisfies `script` (a JS expression of `el`)."""
        for _ in range(limit):
            self.press("Shift+Tab" if backwards else "Tab")
            if self.active(f"!!el && el !== document.body && ({script})"):
                return
        raise AssertionError(f"Tab never reached an element where {script}")

    def tab_to_button(self, name: str, backwards: bool = False) -> None:
        self.tab_to(f"el.tagName === 'BUTTON' && el.textContent.trim() === {name!r}", backwards)

    def button(self, name: str, backwards: bool = False) -> None:
        self.tab_to_button(name, backwards)
        self.press("Enter")

    def into_question(self, question_id: str) -> None:
        self.tab_to(f"el.closest('.question') && el.closest('.question').id === 'q-{question_id}' "
                    "&& el.tagName !== 'BUTTON'")

    def choose_radio(self, question_id: str, label: str) -> None:
        """Enter the group, then arrows until `label` is checked (Space checks the first)."""
        self.into_question(question_id)
        self.press("Space")
        for _ in range(10):
            if self.active(f"el.labels[0].textContent.trim() === {label!r} && el.checked"):
                return
            self.press("ArrowDown")
        raise AssertionError(f"no radio labelled {label!r}")

    def check(self, question_id: str) -> None:
        self.tab_to(f"el.dataset.action === 'check' && el.closest('.question').id === 'q-{question_id}'")
        self.press("Enter")
        assert self.active("el.getAttribute('data-role') === 'feedback'")


def answer_by_keyboard(keys: Keyboard, player: PlayerDriver, question) -> None:
    qid = question.id
    if question.type == "single":
        keys.choose_radio(qid, next(o.text for o in question.options if o.correct))
    elif question.type == "multiple":
        for option in question.options:
            keys.tab_to(f"el.type === 'checkbox' && el.labels[0].textContent.trim() === {option.text!r}")
            if option.correct:
                keys.press("Space")
    elif question.type == "true-false":
        keys.choose_radio(qid, "True" if question.answer else "False")
    elif question.type == "likert":
        keys.choose_radio(qid, question.scale[-1])
    elif question.type in ("fill-in", "numeric"):
        keys.into_question(qid)
        keys.page.keyboard.type(question.answers[0] if question.type == "fill-in" else f"{question.answer:g}")
    elif question.type == "matching":
        for pair in question.pairs:
            keys.tab_to(f"el.tagName === 'SELECT' && el.labels[0].textContent.trim() === {pair.left!r}")
            keys.page.keyboard.type(pair.right)          # a closed select picks by typing
    elif question.type == "ordering":
        for position, text in enumerate(question.items):
            current = player.block(qid).locator(".order-text").all_inner_texts().index(text)
            if current == position:
                continue
            keys.tab_to(f"el.dataset.move === 'up' && el.closest('li').querySelector('.order-text').textContent === {text!r}")
            keys.press("Enter", current - position)
        assert player.block(qid).locator(".order-text").all_inner_texts() == list(question.items)
    keys.check(qid)


def test_a_whole_course_with_the_keyboard_only(page, lms, basic):
    course, package = basic
    launch = lms.launch(page, package)
    player = PlayerDriver(launch.frame, course).ready()
    keys = Keyboard(page, launch.frame)

    keys.press("Tab")
    assert keys.active("el.classList.contains('skip-link')")
    outline = launch.frame.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"                         # focus is visible
    keys.press("Enter")
    assert keys.active("el.id === 'main'")
    assert launch.frame.evaluate("() => location.hash") != "#main"     # the bookmark stays the page's

    for module in course.modules:
        while player.current_title() != module.quiz.title:
            keys.button("Next")
        keys.button("Start the quiz")
        for question_id in player.asked_ids():
            answer_by_keyboard(keys, player, player.questions[question_id])
        keys.button("See your result")
        assert keys.active("el.textContent === 'Your result'")
        expect(player.quiz_section().get_by_text("You have passed this quiz.")).to_be_visible()
    assert player.progress_text() == "3 of 3 pages viewed"
    assert player.status_text() == "Passed"
    keys.button("Save and finish", backwards=True)
    assert keys.active("el.id === 'cs-finished-title'")
    record = launch.finish_state()
    assert record.get("cmi.success_status") == "passed" and record.get("cmi.completion_status") == "completed"
    assert record.get("cmi.score.raw") == "100"
    launch.assert_clean()
