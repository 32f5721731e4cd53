"""The largest course we claim to support in one SCORM 1.2 SCO: 100 modules x 10 pages x 10
questions. Every question answered, every quiz left mid-attempt (the longest state there is),
the suspend_data the LMS really received stays within 4096 characters and is exactly the worst
case builder/suspend_data.py computed at build time.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from builder.load import load_course
from builder.player import scos_for, worst_case_suspend_data_length
from player_support import PlayerDriver, build_package

MODULES, PAGES, QUESTIONS = 100, 10, 10

QUESTION_YAML = [
    """  - id: m{m}-single
    type: single
    prompt: Which is right in module {m}?
    options:
      - {{text: Right, correct: true}}
      - {{text: Wrong one}}
      - {{text: Wrong two}}
      - {{text: Wrong three}}""",
    """  - id: m{m}-multiple
    type: multiple
    prompt: Which two are right?
    options:
      - {{text: First, correct: true}}
      - {{text: Second, correct: true}}
      - {{text: Third}}
      - {{text: Fourth}}
      - {{text: Fifth}}""",
    """  - id: m{m}-true-false
    type: true-false
    prompt: Is this true?
    answer: true""",
    """  - id: m{m}-fill-in
    type: fill-in
    prompt: Type the word.
    answers: [word]""",
    """  - id: m{m}-numeric
    type: numeric
    prompt: How many?
    answer: 12
    tolerance: 1""",
    """  - id: m{m}-matching
    type: matching
    prompt: Match them.
    pairs:
      - {{left: One, right: Uno}}
      - {{left: Two, right: Dos}}
      - {{left: Three, right: Tres}}
      - {{left: Four, right: Cuatro}}""",
    """  - id: m{m}-ordering
    type: ordering
    prompt: Order them.
    items: [First, Second, Third, Fourth]""",
    """  - id: m{m}-likert
    type: likert
    prompt: How sure are you?
    scale: [Not at all, A little, Quite, Very, Completely]""",
    """  - id: m{m}-single-b
    type: single
    prompt: And which is right here?
    options:
      - {{text: Yes, correct: true}}
      - {{text: No}}
      - {{text: Maybe}}""",
    """  - id: m{m}-true-false-b
    type: true-false
    prompt: Is this false?
    answer: false""",
]


def write_big_course(root: Path) -> Path:
    modules = []
    for m in range(1, MODULES + 1):
        folder = root / "modules" / f"{m:03d}-module"
        folder.mkdir(parents=True)
        modules.append(f"modules/{m:03d}-module")
        for p in range(1, PAGES + 1):
            (folder / f"{p:02d}-page.md").write_text(f"---\ntitle: Module {m} page {p}\n---\nText of page {p}.\n")
        attempts = (0, 3, 1)[m % 3]              # unlimited attempts take the widest counter
        questions = "\n".join(q.format(m=m) for q in QUESTION_YAML)
        (folder / "quiz.yaml").write_text(
            f"title: Quiz {m}\nattempts: {attempts}\nshuffle: {'true' if m % 2 else 'false'}\n"
            f"questions:\n{questions}\n")
    (root / "course.yaml").write_text(
        "id: capacity-course\ntitle: The largest course\nversion: 1.0.0\nlanguage: en-GB\n"
        "description: One hundred modules.\nauthors: [tests]\nduration_minutes: 600\nmodules:\n"
        + "".join(f"  - {m}\n" for m in modules)
        + "completion:\n  pages_viewed: 100%\n  quizzes: all\n  pass_mark: 50%\n"
        "scorm:\n  versions: [1.2]\n  packaging: single-sco\n")
    return root


# Driving 1000 answers and 1000 page views through the controls takes minutes (every one is a
# commit the test LMS snapshots), so after a sample through the real controls the rest of the
# state is set in the player directly: every page seen, every quiz mid-attempt with every question
# answered with its widest value and typed answers as long as the codec keeps. The player then
# saves as it always does, and the test reads what the runtime received.
FILL_THE_REST = """() => {
    const P = Coursesmith.player, data = P.data;
    const text = "x".repeat(data.codec.textBytes);
    const widest = q => {
        const all = Array.from({length: q.size}, (_, i) => i);
        switch (q.type) {
            case "single": case "likert": return q.size - 1;
            case "true-false": return true;
            case "multiple": return all;
            case "matching": case "ordering": return all.reverse();
            case "fill-in": return {text: text, correct: false};
            case "numeric": return {text: "9".repeat(data.codec.textBytes), correct: false};
        }
    };
    P.state.pagesSeen = P.state.pagesSeen.map(() => true);
    data.quizzes.forEach((quiz, index) => {
        const qs = P.state.quizzes[index];
        if (qs.attempt && Object.keys(qs.attempt.answers).length === quiz.asked) return;
        qs.used = 1;
        qs.attempt = {seed: Coursesmith.quiz.newSeed(), answers: {}};
        quiz.questions.forEach((q, i) => { qs.attempt.answers[i] = widest(q); });
    });
    P.save();
    P.flush(true);
}"""

FINISH_EVERY_QUIZ = """() => {
    const data = Coursesmith.player.data;
    const links = Array.from(document.querySelectorAll("[data-step-link]"));
    data.steps.forEach((step, index) => {
        if (step.kind !== "quiz") return;
        links[index].click();
        document.getElementById(step.dom).querySelector('[data-action="results"]').click();
    });
}"""


@pytest.fixture(scope="module")
def big_package(tmp_path_factory):
    course = load_course(write_big_course(tmp_path_factory.mktemp("capacity-course")))
    return course, build_package(course, "1.2", tmp_path_factory.mktemp("capacity-package"))


def test_the_largest_course_fits_scorm_12_suspend_data(page, lms, big_package):
    course, package = big_package
    assert (len(course.modules), len(course.pages), len(course.questions)) == (100, 1000, 1000)
    worst = worst_case_suspend_data_length(course, scos_for(course)[0], "1.2")
    assert worst <= 4096

    launch = lms.launch(page, package)
    player = PlayerDriver(launch.frame, course).ready()
    text_bytes = player.frame.evaluate("() => Coursesmith.player.data.codec.textBytes")
    assert text_bytes > 0
    # The sample: quiz 1 through the real controls, typed answers as long as they are kept.
    player.open_step("Quiz 1")
    player.start_quiz()
    for question_id in player.asked_ids():
        block = player.block(question_id)
        if question_id.endswith("fill-in"):
            block.get_by_label("Your answer").fill("w" * text_bytes)
            block.get_by_role("button", name="Check answer").click()
        elif question_id.endswith("numeric"):
            block.get_by_label("Your answer (a number)").fill("1" * text_bytes)
            block.get_by_role("button", name="Check answer").click()
        else:
            player.answer(question_id)
    player.frame.evaluate(FILL_THE_REST)
    assert player.problems() == []
    assert player.progress_text() == "1000 of 1000 pages viewed"

    received = launch.cmi_value("cmi.suspend_data")
    assert received == player.suspend_data_now()
    assert len(received) <= 4096
    # Every field has its widest value now (typed text included): the worst case is reached exactly,
    # and the JavaScript's own reckoning agrees with the build's.
    assert len(received) == worst
    assert player.frame.evaluate("() => Coursesmith.state.worstCaseLength(Coursesmith.player.structure)") == worst
    record = launch.close_like_tab()
    launch.assert_clean()
    assert record.suspend_data == received

    # Resumed, the whole state comes back; finishing every attempt keeps each one for its review,
    # in as many characters as it took in progress.
    again = lms.launch(page, package, previous=record)
    player = PlayerDriver(again.frame, course).ready()
    assert player.suspend_data_now() == received
    assert player.progress_text() == "1000 of 1000 pages viewed"
    player.open_step("Quiz 1")
    fill_in = player.block("m1-fill-in").get_by_label("Your answer")
    assert fill_in.input_value() == "w" * text_bytes and fill_in.is_disabled()
    player.frame.evaluate(FINISH_EVERY_QUIZ)
    player.wait_saved()
    finished = again.cmi_value("cmi.suspend_data")
    assert len(finished) == len(received) and finished != received
    expect(player.quiz_section().get_by_role("button", name="Review your answers")).to_be_visible()
    quiz_marks = player.frame.eval_on_selector_all("[data-step-item]", "items => items.map(i => i.dataset.state)")
    assert sum(1 for mark in quiz_marks if mark.startswith("quiz-")) == 100
    again.close_like_tab()
    again.assert_clean()
