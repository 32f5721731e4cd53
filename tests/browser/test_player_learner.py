"""The learner's experience under a strict LMS (scorm-again in the page, the course in its frame):
feedback that teaches, answers shown per `show_answers`, review of a finished attempt, rounding,
what to do next, ordering by keys, mouse and touch, likert, video and sound, print, and axe on
every one of these views.

The course is tests/roots/player-media: module 1 (a video page; single, true-false, ordering and
likert, pass mark 60%, 3 attempts, answers after each), module 2 (a sound page; 2 questions, any
number of attempts, answers at the end) and module 3 (1 page; 1 multiple-choice question, answers
never shown, 2 attempts).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from lms import format_axe_violations
from player_support import PlayerDriver, build_package, build_preview, load_root

STEPS = "Check the steps"
CONSENT = "Consent check"
FINAL = "Final check"


@pytest.fixture(scope="module")
def packages(tmp_path_factory):
    built = {}

    def get(version: str = "2004-4th", packaging: str = "single-sco"):
        if (version, packaging) not in built:
            course = load_root("player-media", packaging)
            built[version, packaging] = (course, build_package(course, version, tmp_path_factory.mktemp("media")))
        return built[version, packaging]

    return get


def start(lms, page, packages, version="2004-4th", packaging="single-sco", **options):
    course, package = packages(version, packaging)
    launch = lms.launch(page, package, **options)
    return launch, PlayerDriver(launch.frame, course).ready()


def assert_accessible(launch, where: str) -> None:
    violations = launch.axe_violations()
    assert not violations, f"{where}:\n{format_axe_violations(violations)}"


def open_on_phone(player, title: str) -> None:
    """On a narrow screen the contents open from their button first."""
    player.frame.get_by_role("button", name="Contents").click()
    player.open_step(title)


def finish_clean(launch, player) -> None:
    assert player.problems() == []                      # no exception caught inside the player
    launch.close_like_tab()
    launch.assert_clean()


def mark_of(block, label: str) -> str:
    """The words beside the option labelled `label` ("Your answer, correct", ...), or ""."""
    return block.evaluate(
        """(block, label) => Array.from(block.querySelectorAll('.option'))
               .find(o => o.querySelector('label').textContent.trim() === label)
               .querySelector('[data-role="mark"]').textContent""", label)


def interactions(launch) -> dict[str, dict[str, str]]:
    values = launch.values_set()
    found: dict[str, dict[str, str]] = {}
    for key, value in values.items():
        match = re.fullmatch(r"cmi\.interactions\.(\d+)\.id", key)
        if match:
            prefix = f"cmi.interactions.{match[1]}."
            found[value] = {k[len(prefix):]: v for k, v in values.items() if k.startswith(prefix)}
    return found


def answer_first_module(player, order_right: bool = False) -> None:
    """Single and true-false right, the ordering as given (wrong) unless `order_right`, likert."""
    player.start_quiz()
    player.answer("m-first")
    player.answer("m-rub")
    player.answer("m-order", correct=order_right)       # every attempt starts out of order
    player.answer("m-feel")


# --------------------------------------------------------------------------- feedback


def test_feedback_marks_the_choice_and_the_right_answer_in_words(page, lms, packages):
    launch, player = start(lms, page, packages)
    player.open_step(STEPS)
    player.start_quiz()
    block = player.block("m-first")
    block.get_by_label("Dry your hands", exact=True).check()
    block.get_by_role("button", name="Check answer").click()
    feedback = block.locator('[data-role="feedback"]')
    expect(feedback).to_be_focused()                                    # read out at once
    assert feedback.get_attribute("aria-live") == "polite"
    expect(feedback.locator('[data-verdict="incorrect"]')).to_be_visible()
    expect(block.get_by_label("Dry your hands", exact=True)).to_be_checked()     # the choice stays
    assert mark_of(block, "Dry your hands") == "Your answer, not correct"
    assert mark_of(block, "Wet your hands") == "Correct answer"
    assert mark_of(block, "Apply hand rub") == ""
    expect(block.get_by_text("Drying comes last.")).to_be_visible()     # the chosen option's feedback
    # Not by colour alone: a symbol goes with each mark.
    symbol = launch.frame.evaluate(
        """() => getComputedStyle(document.querySelector('#q-m-first [data-mark="chosen-incorrect"] .option-mark'),
                                  '::before').content""")
    assert symbol == '"\u2717"'
    assert_accessible(launch, "feedback with marks")
    finish_clean(launch, player)


def test_the_right_order_is_spelled_out_after_a_wrong_ordering(page, lms, packages):
    launch, player = start(lms, page, packages)
    player.open_step(STEPS)
    player.start_quiz()
    block = player.block("m-order")
    block.locator('[data-action="check"]').click()                     # every attempt starts out of order
    expect(block.locator('[data-role="right-answer"]')).to_have_text(
        "The right order: 1. Wet your hands with clean running water; 2. Apply enough soap to cover all "
        "the surfaces of both hands; 3. Rub all surfaces, including the backs of the hands and between the "
        "fingers; 4. Rinse and dry thoroughly with a single-use towel")
    finish_clean(launch, player)


def test_at_end_saves_each_answer_and_the_review_shows_them(page, lms, packages):
    launch, player = start(lms, page, packages)
    player.open_step(CONSENT)
    expect(player.quiz_section().get_by_text("You will see which answers were right when you finish.")).to_be_visible()
    player.start_quiz()
    block = player.block("t-ask")
    block.get_by_label("The nurse in charge", exact=True).check()
    block.get_by_role("button", name="Save answer").click()
    expect(block.locator('[data-verdict="saved"]')).to_be_visible()
    expect(block.locator('[data-verdict="incorrect"]')).to_be_hidden()
    assert mark_of(block, "The nurse in charge") == "Your answer"
    assert mark_of(block, "The person receiving care") == ""
    assert interactions(launch)["t-ask"]["result"] == "incorrect"      # the LMS still gets the result
    player.answer("t-change", check=False)
    player.block("t-change").get_by_role("button", name="Save answer").click()
    player.see_result()
    section = player.quiz_section()
    expect(section.locator('[data-slot="last"]')).to_have_text("50")
    section.get_by_role("button", name="Review your answers").click()
    expect(section.get_by_role("heading", name="Review: question 1 of 2")).to_be_focused()
    expect(block.locator('[data-verdict="incorrect"]')).to_be_visible()
    assert mark_of(block, "The nurse in charge") == "Your answer, not correct"
    assert mark_of(block, "The person receiving care") == "Correct answer"
    assert_accessible(launch, "review")
    finish_clean(launch, player)


def test_never_judges_but_does_not_give_the_answer_away(page, lms, packages):
    launch, player = start(lms, page, packages)
    player.open_step(FINAL)
    player.start_quiz()
    block = player.block("p-habit")
    assert block.locator(".hint").count() == 0              # the prompt already says "Choose all that apply."
    block.get_by_label("Wearing gloves all day", exact=True).check()
    block.get_by_role("button", name="Check answer").click()
    expect(block.locator('[data-verdict="incorrect"]')).to_be_visible()
    assert mark_of(block, "Wearing gloves all day") == "Your answer, not correct"
    assert mark_of(block, "Clean hands") == ""
    player.see_result()
    player.quiz_section().get_by_role("button", name="Review your answers").click()
    assert mark_of(block, "Clean hands") == ""
    expect(block.locator('[data-role="right-answer"]')).to_be_hidden()
    finish_clean(launch, player)


# --------------------------------------------------------------------------- results


@pytest.mark.parametrize("version", ("1.2", "2004-4th"))
def test_two_of_three_is_67_percent_here_and_in_the_lms(page, lms, packages, version):
    launch, player = start(lms, page, packages, version)
    player.open_step(STEPS)
    answer_first_module(player)
    player.see_result()
    section = player.quiz_section()
    expect(section.locator('[data-slot="last"]')).to_have_text("67")
    expect(section.get_by_text("You answered 2 of 3 scored questions correctly.")).to_be_visible()
    expect(section.get_by_text("You have passed this quiz.")).to_be_visible()
    assert interactions(launch)["m-feel"]["result"] == "neutral"
    player.read_all_pages()
    player.take_quiz(CONSENT)
    player.take_quiz(FINAL)
    record = launch.close_like_tab()
    launch.assert_clean()
    # The mean of 67, 100 and 100, as the LMS receives it.
    if version == "1.2":
        assert record.get("cmi.core.score.raw") == "89"
    else:
        assert (record.get("cmi.score.raw"), record.get("cmi.score.scaled")) == ("89", "0.89")


def test_results_say_what_to_do_next_and_review_goes_question_by_question(page, lms, packages):
    launch, player = start(lms, page, packages)
    player.open_step(STEPS)
    answer_first_module(player)
    player.see_result()
    section = player.quiz_section()
    expect(section.locator('[data-role="next-step"]')).to_have_text("Next: Listen to a nurse.")
    continue_button = section.get_by_role("button", name="Continue")
    expect(continue_button).to_have_class(re.compile(r"\bprimary\b"))
    assert_accessible(launch, "results with the next step")

    section.get_by_role("button", name="Review your answers").click()
    heading = section.get_by_role("heading", name="Review: question 1 of 4")
    expect(heading).to_be_focused()
    expect(section.get_by_role("button", name="Previous question")).to_be_disabled()
    visible = section.locator(".question:not([hidden])")
    expect(visible).to_have_count(1)
    expect(visible).to_have_id("q-m-first")
    for number, qid in ((2, "m-rub"), (3, "m-order"), (4, "m-feel")):
        section.get_by_role("button", name="Next question").click()
        expect(section.get_by_role("heading", name=f"Review: question {number} of 4")).to_be_focused()
        expect(visible).to_have_id(f"q-{qid}")
        if qid == "m-order":                        # wrong, so the review spells out the right order
            expect(player.block(qid).locator('[data-role="right-answer"]')).to_be_visible()
    expect(section.get_by_role("button", name="Next question")).to_be_disabled()
    section.get_by_role("button", name="Back to your result").click()
    expect(section.get_by_role("heading", name="Your result")).to_be_focused()

    continue_button.click()
    expect(launch.frame.locator("section.step:not([hidden]) h1")).to_have_text("Listen to a nurse")
    finish_clean(launch, player)


def looking_back(version: str, mode: str) -> dict[str, str]:
    """An LMS reopening the attempt to look back at it, without credit: Moodle's review, or the
    browse (preview) mode an LMS may offer instead."""
    if version == "1.2":
        return {"cmi.core.lesson_mode": mode, "cmi.core.credit": "no-credit"}
    return {"cmi.mode": mode, "cmi.credit": "no-credit"}


def assert_review_of_the_first_module(launch, player) -> None:
    """The results of "Check the steps" as answered by answer_first_module, then each question
    read-only with the learner's answer, its mark, and (after_each) the right answer."""
    section = player.quiz_section()
    expect(section.locator('[data-slot="last"]')).to_have_text("67")
    expect(section.get_by_text("You answered 2 of 3 scored questions correctly.")).to_be_visible()
    section.get_by_role("button", name="Review your answers").click()
    expect(section.get_by_role("heading", name="Review: question 1 of 4")).to_be_focused()
    first = player.block("m-first")
    expect(first.get_by_label("Wet your hands", exact=True)).to_be_checked()
    expect(first.get_by_label("Wet your hands", exact=True)).to_be_disabled()
    assert mark_of(first, "Wet your hands") == "Your answer, correct"
    expect(first.locator('[data-verdict="correct"]')).to_be_visible()
    expect(first.get_by_role("button", name="Check answer")).to_be_hidden()
    assert_accessible(launch, "review after a relaunch")
    section.get_by_role("button", name="Next question").click()
    assert mark_of(player.block("m-rub"), "False") == "Your answer, correct"
    section.get_by_role("button", name="Next question").click()
    order = player.block("m-order")
    expect(order.locator('[data-verdict="incorrect"]')).to_be_visible()
    expect(order.locator('[data-role="right-answer"]')).to_contain_text("The right order: 1. Wet your hands")
    expect(order.locator('[data-move]:not([disabled])')).to_have_count(0)
    expect(order.locator(".order-buttons").first).to_be_hidden()      # read, not rearranged
    expect(order.locator('[data-role="how-to-order"]')).to_be_hidden()
    section.get_by_role("button", name="Next question").click()
    assert mark_of(player.block("m-feel"), "Not at all") == "Your answer"
    section.get_by_role("button", name="Back to your result").click()
    expect(section.get_by_role("heading", name="Your result")).to_be_focused()


@pytest.mark.parametrize("version, mode", (("1.2", "review"), ("2004-4th", "review"), ("2004-4th", "browse")))
def test_a_finished_quiz_can_be_reviewed_after_a_relaunch_and_in_the_lms_review_or_browse_mode(page, lms, packages, version, mode):
    course, package = packages(version)
    launch, player = start(lms, page, packages, version)
    player.open_step(STEPS)
    answer_first_module(player)
    player.see_result()
    assert player.problems() == []
    finished = launch.close_like_tab()
    launch.assert_clean()

    again = lms.launch(page, package, previous=finished)
    player = PlayerDriver(again.frame, course).ready()
    assert player.current_title() == STEPS                       # back where the learner left
    assert_review_of_the_first_module(again, player)
    assert player.problems() == []
    relaunched = again.close_like_tab()
    again.assert_clean()
    assert relaunched.suspend_data == finished.suspend_data      # looking back changes nothing

    data = relaunched.next_launch_data()
    data.update(looking_back(version, mode))
    reopened = lms.launch(page, package, data=data)
    player = PlayerDriver(reopened.frame, course).ready()
    expect(player.quiz_section().get_by_role("button", name="Try again")).to_be_disabled()
    assert_review_of_the_first_module(reopened, player)
    assert player.problems() == []
    reopened.close_like_tab()
    reopened.assert_clean()
    assert [c.kind for c in reopened.calls("SetValue", "Commit")] == []


def test_a_miss_says_which_questions_are_left(page, lms, packages):
    launch, player = start(lms, page, packages)
    player.open_step(STEPS)
    player.start_quiz()
    player.answer("m-first")
    player.answer("m-feel")
    player.quiz_section().get_by_role("button", name="See your result").click()
    expect(player.quiz_section().locator('[data-role="quiz-status"]')).to_have_text(
        "Answer every question to see your result. Still to answer: question 2; question 3.")
    finish_clean(launch, player)


def test_the_last_quiz_sends_the_learner_back_to_the_lms(page, lms, packages):
    launch, player = start(lms, page, packages, "1.2")
    player.read_all_pages()
    player.take_quiz(STEPS)
    player.take_quiz(CONSENT)
    player.take_quiz(FINAL)
    section = player.quiz_section()
    expect(section.locator('[data-role="next-step"]')).to_have_text(
        "You have finished everything in this course. Select “Finish now”, then return to your "
        "learning management system.")
    assert player.status_text() == "Passed"
    section.locator('[data-action="finish"]').click()
    expect(player.frame.get_by_role("heading", name="Your session has finished")).to_be_focused()
    expect(player.frame.get_by_text("Your course status: Passed.")).to_be_visible()
    expect(player.frame.get_by_text("Return to your learning management system to continue.")).to_be_visible()
    assert_accessible(launch, "finished")
    record = launch.finish_state()
    assert record.get("cmi.core.lesson_status") == "passed"
    launch.assert_clean()


def test_a_module_sco_names_the_next_module_to_open_in_the_lms(page, lms, packages):
    launch, player = start(lms, page, packages, "2004-4th", "sco-per-module")
    player.open_step("Watch hand washing")       # this SCO's only page
    player.take_quiz(STEPS)
    section = player.quiz_section()
    expect(section.locator('[data-role="next-step"]')).to_have_text(
        "You have finished this module. Select “Finish now”, then return to your learning management "
        "system to continue with the next module: Talking it through.")
    expect(section.locator('[data-action="finish"]')).to_have_class(re.compile(r"\bprimary\b"))
    section.locator('[data-action="finish"]').click()
    expect(player.frame.locator("#cs-finished")).to_contain_text(
        "Return to your learning management system to continue with the next module: Talking it through.")
    launch.finish_state()
    launch.assert_clean()


@pytest.mark.parametrize("version, shown", (("1.2", "In progress"), ("2004-4th", "In progress")))
def test_the_status_badge_is_the_status_the_lms_holds(page, lms, packages, version, shown):
    """Every page read, every quiz taken, one below its pass mark with attempts left."""
    launch, player = start(lms, page, packages, version)
    player.read_all_pages()
    player.take_quiz(STEPS)
    player.take_quiz(CONSENT)
    player.take_quiz(FINAL, wrong=("p-habit",))
    assert player.status_text() == shown
    expect(player.quiz_section().locator('[data-role="next-step"]')).to_have_text(
        "Look again at the pages of this module, then try again.")
    expect(player.quiz_section().get_by_role("button", name="Try again")).to_have_class(re.compile(r"\bprimary\b"))
    record = launch.close_like_tab()
    launch.assert_clean()
    if version == "1.2":
        assert record.get("cmi.core.lesson_status") == "incomplete"
    else:
        # Not "completed" yet: Moodle and Totara count any "completed" as done (README, tracking).
        assert (record.get("cmi.completion_status"), record.get("cmi.success_status")) == ("incomplete", "unknown")


def test_the_finished_screen_uses_the_whole_width(page, lms, packages):
    page.set_viewport_size({"width": 1280, "height": 800})
    launch, player = start(lms, page, packages)
    player.finish()
    box = player.frame.locator("#cs-finished").bounding_box()
    middle = box["x"] + box["width"] / 2
    assert abs(middle - 640) < 20, box                 # centred in the window, not in the sidebar column
    launch.assert_clean()


def test_read_only_mode_shows_a_quiz_without_changing_it(page, lms, packages):
    launch, player = start(lms, page, packages)
    player.take_quiz(STEPS)
    player.frame.evaluate("() => Coursesmith.player.setReadOnly(true)")
    section = player.quiz_section()
    for name in ("Try again", "Continue"):
        expect(section.get_by_role("button", name=name)).to_be_hidden()
    player.open_step(CONSENT)
    expect(section.get_by_role("button", name="Start the quiz")).to_be_hidden()
    finish_clean(launch, player)


# --------------------------------------------------------------------------- ordering and likert


def order_texts(block) -> list[str]:
    return block.locator(".order-text").all_inner_texts()


def test_ordering_by_keyboard_announces_each_move(page, lms, packages):
    course, _ = packages()
    items = list(next(q for q in course.questions if q.id == "m-order").items)
    launch, player = start(lms, page, packages)
    player.open_step(STEPS)
    player.start_quiz()
    block = player.block("m-order")
    expect(block.locator('[data-role="order-number"]')).to_have_text(["1", "2", "3", "4"])
    last = order_texts(block)[-1]
    top = block.locator(".order-item", has_text=last).get_by_role("button", name="Move to top")
    top.focus()
    page.keyboard.press("Enter")
    assert order_texts(block)[0] == last
    expect(top).to_be_focused()                        # the focus moves with the item
    message = block.locator('[data-role="message"]')
    assert message.get_attribute("aria-live") == "polite"
    expect(message).to_have_text(f"{last}: now number 1 of 4.")
    down = block.locator(".order-item", has_text=last).get_by_role("button", name="Move down")
    down.focus()
    page.keyboard.press("Space")
    assert order_texts(block)[1] == last
    expect(message).to_have_text(f"{last}: now number 2 of 4.")
    for position, text in enumerate(items):              # then put it right with the keys alone
        while (at := order_texts(block).index(text)) != position:
            block.locator(".order-item").nth(at).get_by_role("button", name="Move up").focus()
            page.keyboard.press("Enter")
    block.get_by_role("button", name="Check answer").click()
    expect(block.locator('[data-verdict="correct"]')).to_be_visible()
    assert_accessible(launch, "ordering")
    finish_clean(launch, player)


def drag(page, source_box, target_y) -> None:
    page.mouse.move(source_box["x"] + 10, source_box["y"] + source_box["height"] / 2)
    page.mouse.down()
    steps = 8
    start_y = source_box["y"] + source_box["height"] / 2
    for i in range(1, steps + 1):
        page.mouse.move(source_box["x"] + 10, start_y + (target_y - start_y) * i / steps)
    page.mouse.up()


def frame_offset(launch) -> tuple[float, float]:
    box = launch.page.locator("#content").bounding_box()
    return box["x"], box["y"]


def test_ordering_by_dragging_with_a_mouse(page, lms, packages):
    launch, player = start(lms, page, packages)
    player.open_step(STEPS)
    player.start_quiz()
    block = player.block("m-order")
    block.locator('[data-role="items"]').evaluate("list => list.scrollIntoView({block: 'center', behavior: 'instant'})")
    before = order_texts(block)
    handle = block.locator(".order-item").nth(3).locator('[data-role="handle"]').bounding_box()
    first = block.locator(".order-item").nth(0).bounding_box()
    drag(page, handle, first["y"] + 2)                  # Playwright boxes are in the page's coordinates
    after = order_texts(block)
    assert after == [before[3]] + before[:3]
    expect(block.locator('[data-role="message"]')).to_have_text(f"{before[3]}: now number 1 of 4.")
    expect(block.locator('[data-role="order-number"]')).to_have_text(["1", "2", "3", "4"])
    finish_clean(launch, player)


def test_ordering_by_dragging_with_a_finger(browser, lms, packages):
    context = browser.new_context(has_touch=True, viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        launch, player = start(lms, page, packages)
        open_on_phone(player, STEPS)
        player.start_quiz()
        block = player.block("m-order")
        block.locator('[data-role="items"]').evaluate("list => list.scrollIntoView({block: 'center', behavior: 'instant'})")
        before = order_texts(block)
        handle = block.locator(".order-item").nth(3).locator('[data-role="handle"]').bounding_box()
        first = block.locator(".order-item").nth(0).bounding_box()
        touch = context.new_cdp_session(page)
        x, y = handle["x"] + handle["width"] / 2, handle["y"] + handle["height"] / 2
        touch.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
        for i in range(1, 9):
            step_y = y + (first["y"] + 2 - y) * i / 8
            touch.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": step_y}]})
        touch.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
        expect(block.locator('[data-role="message"]')).to_have_text(f"{before[3]}: now number 1 of 4.")
        assert order_texts(block) == [before[3]] + before[:3]
        finish_clean(launch, player)
    finally:
        context.close()


def test_likert_is_submitted_never_judged_and_stands_in_a_column_on_a_phone(page, lms, packages):
    page.set_viewport_size({"width": 390, "height": 844})
    launch, player = start(lms, page, packages)
    open_on_phone(player, STEPS)
    player.start_quiz()
    block = player.block("m-feel")
    tops = [box["y"] for box in (o.bounding_box() for o in block.locator(".option").all())]
    assert tops == sorted(tops) and len(set(tops)) == 5         # one label per line, in scale order
    expect(block.get_by_role("button", name="Check answer")).to_have_count(0)
    block.get_by_label("Fairly", exact=True).check()
    block.get_by_role("button", name="Submit").click()
    expect(block.locator('[data-verdict="neutral"]')).to_be_visible()
    expect(block.locator('[data-verdict="correct"]:not([hidden]), [data-verdict="incorrect"]:not([hidden])')).to_have_count(0)
    assert mark_of(block, "Fairly") == "Your answer"
    assert block.locator('[data-mark="chosen-correct"], [data-mark="chosen-incorrect"], [data-mark="correct"]').count() == 0
    assert interactions(launch)["m-feel"]["result"] == "neutral"
    assert_accessible(launch, "likert on a phone")
    finish_clean(launch, player)


# --------------------------------------------------------------------------- media


PLAY = """async () => {
    // Played (at half speed, so that it stops well inside the second cue) to past 1.2 s: the test
    // LMS serves no byte ranges, so a seek could not go there.
    const video = document.querySelector('section.step:not([hidden]) video');
    const tracks = Array.from(video.textTracks);
    const track = tracks[0];
    video.muted = true;
    video.playbackRate = 0.5;
    await video.play();
    await new Promise(done => video.addEventListener('timeupdate', function once() {
        if (video.currentTime > 1.2) { video.removeEventListener('timeupdate', once); done(); }
    }));
    video.pause();
    const at = video.currentTime;
    // Chromium updates activeCues in a task of its own: wait for the cue change (it may have come
    // already). The timer only stops a test that would otherwise hang.
    await new Promise(done => {
        const check = () => { if (Array.from(track.activeCues).some(c => c.startTime <= at && at < c.endTime)) done(); };
        track.addEventListener('cuechange', check);
        setTimeout(done, 60000);
        check();
    });
    return {tracks: tracks.map(t => [t.kind, t.label, t.language, t.mode]),
            cues: Array.from(track.cues).map(c => [c.startTime, c.endTime, c.text, c.line, c.align]),
            active: at < 2 ? Array.from(track.activeCues).map(c => c.text) : "played to the end",
            autoplay: video.autoplay, controls: video.controls, poster: video.getAttribute('poster')};
}"""

CUES = [[0, 1, "Wet your hands with clean running water.", "auto", "center"],
        [1, 2, "Apply soap and rub every surface.", 0, "start"]]         # the file's line:0 align:start
PLAYED = {"tracks": [["captions", "Captions", "en-GB", "showing"]],       # one track: no doubled captions
          "cues": CUES, "active": ["Apply soap and rub every surface."],
          "autoplay": False, "controls": True, "poster": "assets/clip.jpg"}


def test_a_captioned_video_plays_from_the_package_in_the_lms_frame(page, lms, packages):
    launch, player = start(lms, page, packages)
    section = player.frame.locator("section.step:not([hidden])")
    video = section.locator("video")
    expect(video).to_have_attribute("title", "Hand washing in six steps")
    assert player.frame.evaluate(PLAY) == PLAYED
    transcript = section.get_by_role("link", name="Transcript: Hand washing in six steps")
    expect(transcript).to_have_attribute("href", "assets/clip-transcript.txt")
    expect(transcript).to_have_attribute("target", "_blank")
    assert_accessible(launch, "video page")
    player.open_step("Listen to a nurse")
    audio = player.frame.locator("section.step:not([hidden]) audio")
    expect(audio).to_have_attribute("controls", "")
    assert player.frame.evaluate("() => document.querySelector('video').paused")
    assert_accessible(launch, "audio page")
    finish_clean(launch, player)


def test_a_captioned_video_plays_with_its_captions_from_files_opened_on_disk(page, packages, tmp_path):
    """Chromium gives a file: page an opaque origin and would refuse a <track>'s .vtt as
    cross-origin: the cues come from the page's own data instead, so captions show here too."""
    course, _ = packages()
    folder = build_preview(course, tmp_path / "preview")
    page.goto((folder / "index.html").as_uri())
    page.wait_for_function("() => window.Coursesmith && window.Coursesmith.player")
    assert page.evaluate(PLAY) == PLAYED
    assert page.evaluate("() => Coursesmith.problems") == []


def test_print_shows_the_poster_and_hides_the_controls(page, lms, packages):
    launch, player = start(lms, page, packages)
    page.emulate_media(media="print")
    section = player.frame.locator("section.step:not([hidden])")
    expect(section.locator("video")).to_be_hidden()
    expect(section.locator(".media-print img")).to_be_visible()
    expect(player.frame.locator(".site-header")).to_be_hidden()
    expect(player.frame.locator(".pager")).to_be_hidden()
    expect(section.get_by_role("link", name="Transcript: Hand washing in six steps")).to_be_visible()
    page.emulate_media(media="screen")
    finish_clean(launch, player)
