"""The player against a strict LMS runtime (scorm-again): statuses, scores, exit, resume,
interactions and the session's life cycle, for SCORM 1.2 and 2004, one SCO and one per module.

The course is tests/roots/player-basic: module 1 (2 pages, a quiz of every question type, pass
mark 60%, 2 attempts) and module 2 (1 page, 2 questions, pass mark 80%, 2 attempts).
"""

from __future__ import annotations

import dataclasses
import re

import pytest
from playwright.sync_api import expect

from player_support import PlayerDriver, build_package, load_root

VERSIONS = ("1.2", "2004-4th")
QUIZ_1 = "Check your understanding"
QUIZ_2 = "Consent quiz"
TIMESPAN_12 = re.compile(r"^\d{4}:\d{2}:\d{2}\.\d{2}$")
CLOCK_12 = re.compile(r"^\d{2}:\d{2}:\d{2}$")
DURATION_2004 = re.compile(r"^PT(\d+H)?(\d+M)?(\d+(\.\d{1,2})?S)?$")
TIMESTAMP_2004 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$")


@pytest.fixture(scope="module")
def packages(tmp_path_factory):
    """(course, extracted package) per (version, packaging), built once for this module."""
    built = {}

    def get(version: str, packaging: str = "single-sco"):
        if (version, packaging) not in built:
            course = load_root("player-basic", packaging)
            built[version, packaging] = (course, build_package(course, version, tmp_path_factory.mktemp("package")))
        return built[version, packaging]

    return get


def start(lms, page, package, course, **options):
    launch = lms.launch(page, package, **options)
    return launch, PlayerDriver(launch.frame, course).ready()


def assert_clean(launch, player=None):
    launch.assert_clean()
    if player is not None and not launch.frame.is_detached():
        assert player.problems() == []
    kinds = [c.kind for c in launch.log()]
    assert kinds.count("Initialize") == 1
    assert kinds.count("Terminate") <= 1


def status_of(record) -> dict:
    """The statuses and score of an LMS record, in one shape for both versions."""
    if record.version == "1.2":
        return {"status": record.get("cmi.core.lesson_status"), "score": record.get("cmi.core.score.raw"),
                "exit": record.exit}
    return {"completion": record.get("cmi.completion_status"), "success": record.get("cmi.success_status"),
            "score": record.get("cmi.score.raw"), "scaled": record.get("cmi.score.scaled"), "exit": record.exit}


def last_set_index(launch, element: str) -> int:
    return max(c.index for c in launch.calls("SetValue") if c.element == element and c.error == "0")


# --------------------------------------------------------------------------- outcomes


@pytest.mark.parametrize("version", VERSIONS)
def test_reading_everything_and_passing_ends_passed_and_completed(page, lms, packages, version):
    course, package = packages(version)
    launch, player = start(lms, page, package, course)
    player.read_all_pages()
    player.take_quiz(QUIZ_1, wrong=("q-single",))      # 6 of 7 scored questions: 86% (half up)
    expect(player.quiz_section().get_by_text("You have passed this quiz.")).to_be_visible()
    player.take_quiz(QUIZ_2)                           # 100%
    player.finish()
    record = launch.finish_state()
    assert record.terminated
    assert_clean(launch, player)

    if version == "1.2":
        assert status_of(record) == {"status": "passed", "score": "93", "exit": "suspend"}
        assert (record.get("cmi.core.score.min"), record.get("cmi.core.score.max")) == ("0", "100")
        assert last_set_index(launch, "cmi.core.score.raw") < last_set_index(launch, "cmi.core.lesson_status")
        assert TIMESPAN_12.match(launch.values_set()["cmi.core.session_time"])
    else:
        assert status_of(record) == {"completion": "completed", "success": "passed", "score": "93",
                                     "scaled": "0.93", "exit": "suspend"}
        assert record.get("cmi.progress_measure") == "1"
        assert last_set_index(launch, "cmi.score.scaled") < last_set_index(launch, "cmi.success_status")
        assert DURATION_2004.match(launch.values_set()["cmi.session_time"])
        objectives = {record.get(f"cmi.objectives.{i}.id"): i for i in range(2)}
        assert set(objectives) == {"01-first-steps", "02-next-steps"}
        first = objectives["01-first-steps"]
        assert record.get(f"cmi.objectives.{first}.success_status") == "passed"
        assert record.get(f"cmi.objectives.{first}.completion_status") == "completed"
        assert record.get(f"cmi.objectives.{first}.score.scaled") == "0.86"


@pytest.mark.parametrize("version", VERSIONS)
def test_running_out_of_attempts_below_the_pass_mark_ends_failed(page, lms, packages, version):
    course, package = packages(version)
    launch, player = start(lms, page, package, course)
    player.read_all_pages()
    player.take_quiz(QUIZ_1)                                   # 100%
    player.take_quiz(QUIZ_2, wrong=("consent-ask",))           # 50%, pass mark 80%
    expect(player.quiz_section().get_by_text("You have not reached the pass mark yet.")).to_be_visible()
    expect(player.quiz_section().get_by_text("Attempts left: 1.")).to_be_visible()
    player.start_quiz()
    player.answer_attempt(wrong=("consent-change",))
    player.see_result()
    expect(player.quiz_section().get_by_text("You have used all your attempts without reaching the pass mark.")).to_be_visible()
    expect(player.quiz_section().get_by_role("button", name="Try again")).to_be_hidden()
    assert player.status_text() == "Not passed"
    player.finish()
    record = launch.finish_state()
    assert_clean(launch, player)

    if version == "1.2":
        assert status_of(record) == {"status": "failed", "score": "75", "exit": ""}
    else:
        # Completed and failed: the attempt is over (Moodle reopens it in review mode).
        assert status_of(record) == {"completion": "completed", "success": "failed", "score": "75",
                                     "scaled": "0.75", "exit": "normal"}
    # Each answer is a new interaction: module 2's two questions were answered twice.
    ids = [v for k, v in sorted(record.data.items()) if re.fullmatch(r"cmi\.interactions\.\d+\.id", k)]
    assert ids.count("consent-ask") == 2 and ids.count("consent-change") == 2
    assert len(ids) == 8 + 4

    # A failed course ends its attempt: the next launch is a fresh try at the whole course.
    again, player = start(lms, page, package, course, previous=record)
    assert player.current_title() == "Welcome"
    assert player.progress_text() == "1 of 3 pages viewed"
    assert_clean(again, player)


@pytest.mark.parametrize("version", VERSIONS)
def test_stopping_halfway_leaves_the_course_incomplete_and_resumable(page, lms, packages, version):
    course, package = packages(version)
    launch, player = start(lms, page, package, course)
    player.next()
    assert player.progress_text() == "2 of 3 pages viewed"
    record = launch.close_like_tab()
    assert record.terminated
    assert_clean(launch)
    assert launch.uncommitted() == []
    assert record.location == "01-first-steps/02-hand-hygiene"
    if version == "1.2":
        assert status_of(record) == {"status": "incomplete", "score": "", "exit": "suspend"}
    else:
        assert status_of(record) == {"completion": "incomplete", "success": "unknown", "score": "", "scaled": "",
                                     "exit": "suspend"}
        assert 0 < float(record.get("cmi.progress_measure")) < 1


@pytest.mark.parametrize("version", VERSIONS)
def test_one_sco_per_module_applies_the_rules_to_each_module(page, lms, packages, version):
    course, package = packages(version, "sco-per-module")
    first, second = course.modules

    launch, player = start(lms, page, package, course, launch_href=f"{first.id}.html")
    assert player.progress_text() == "1 of 2 pages viewed"
    player.open_step("Hand hygiene")
    player.take_quiz(QUIZ_1, wrong=("q-single",))               # 86%, pass mark 60%
    player.finish()
    record = launch.finish_state()
    assert_clean(launch, player)
    if version == "1.2":
        assert status_of(record) == {"status": "passed", "score": "86", "exit": "suspend"}
    else:
        assert status_of(record) == {"completion": "completed", "success": "passed", "score": "86",
                                     "scaled": "0.86", "exit": "suspend"}

    launch, player = start(lms, page, package, course, launch_href=f"{second.id}.html")
    assert player.progress_text() == "1 of 1 pages viewed"
    player.take_quiz(QUIZ_2, wrong=("consent-ask",))
    player.start_quiz()
    player.answer_attempt(wrong=("consent-ask",))
    player.see_result()
    player.finish()
    record = launch.finish_state()
    assert_clean(launch, player)
    if version == "1.2":
        assert status_of(record) == {"status": "failed", "score": "50", "exit": ""}
    else:
        assert status_of(record) == {"completion": "completed", "success": "failed", "score": "50",
                                     "scaled": "0.5", "exit": "normal"}


@pytest.mark.parametrize("version", VERSIONS)
def test_an_lms_judging_by_the_pass_mark_agrees_with_the_player(page, lms, packages, version):
    """An LMS may turn the score into passed/failed by the manifest's pass mark: scorm-again does
    by default in SCORM 1.2 (mastery_override), and SCORM 2004 asks it to whenever there is a
    cmi.scaled_passing_score. So the score goes out only once the player's verdict is in: the LMS
    never calls failed a learner with attempts left, nor passed one who has pages to read."""
    course, package = packages(version, "sco-per-module")
    first = course.modules[0]                                  # one quiz: pass mark 60%, 2 attempts
    launch, player = start(lms, page, package, course, launch_href=f"{first.id}.html",
                           settings={"mastery_override": True})
    player.take_quiz(QUIZ_1, wrong=("q-single", "q-multiple", "q-true-false", "q-fill-in"))   # 42%
    record = launch.close_like_tab()
    assert_clean(launch)
    if version == "1.2":
        assert status_of(record) == {"status": "incomplete", "score": "", "exit": "suspend"}
    else:
        assert status_of(record) == {"completion": "incomplete", "success": "unknown", "score": "", "scaled": "",
                                     "exit": "suspend"}

    again, player = start(lms, page, package, course, launch_href=f"{first.id}.html", previous=record,
                          settings={"mastery_override": True})
    player.start_quiz()
    player.answer_attempt(wrong=("q-single",))                 # 86%: passed, but a page is unread
    player.see_result()
    assert player.status_text() == "In progress"
    player.wait_saved()
    status = "cmi.core.lesson_status" if version == "1.2" else "cmi.success_status"
    assert again.cmi_value(status) == ("incomplete" if version == "1.2" else "unknown")
    player.open_step("Hand hygiene")
    assert player.status_text() == "Passed"
    player.finish()
    record = again.finish_state()
    assert_clean(again, player)
    if version == "1.2":
        assert status_of(record) == {"status": "passed", "score": "86", "exit": "suspend"}
    else:
        assert status_of(record) == {"completion": "completed", "success": "passed", "score": "86",
                                     "scaled": "0.86", "exit": "suspend"}


def test_a_fresh_try_after_failing_clears_the_old_score_in_scorm_12(page, lms, packages):
    """SCORM 1.2 keeps the failed session's data for the next launch (entry ""), which the player
    starts afresh: the old score must go, or an LMS judging by the pass mark fails the new try."""
    course, package = packages("1.2", "sco-per-module")
    second = course.modules[1]                                 # pass mark 80%, 2 attempts
    launch, player = start(lms, page, package, course, launch_href=f"{second.id}.html")
    for _ in range(2):
        player.take_quiz(QUIZ_2, wrong=("consent-ask",))       # 50%
    player.finish()
    record = launch.finish_state()
    assert status_of(record) == {"status": "failed", "score": "50", "exit": ""}

    again, player = start(lms, page, package, course, launch_href=f"{second.id}.html", previous=record,
                          settings={"mastery_override": True})
    assert again.cmi_value("cmi.core.entry") == "" and again.launch_data["cmi.core.score.raw"] == "50"
    assert player.status_text() == "In progress"
    record = again.close_like_tab()
    assert_clean(again)
    assert status_of(record) == {"status": "incomplete", "score": "", "exit": "suspend"}


# --------------------------------------------------------------------------- resume


@pytest.mark.parametrize("version", VERSIONS)
def test_resume_restores_place_answers_progress_and_adds_up_time(page, lms, packages, version):
    course, package = packages(version)
    launch, player = start(lms, page, package, course)
    player.read_all_pages()
    player.open_step(QUIZ_1)
    player.start_quiz()
    player.answer("q-single")
    player.answer("q-multiple", correct=False)
    player.answer("q-fill-in")
    player.answer("q-ordering")
    player.answer("q-numeric", check=False)           # typed, not checked: not an answer yet
    player.open_step("Consent")
    player.open_step(QUIZ_1)                           # leaving and coming back keeps the typing
    expect(player.block("q-numeric").get_by_label("Your answer (a number)")).to_have_value("22")
    page.wait_for_timeout(1100)
    before = player.suspend_data_now()
    nav_states = player.frame.eval_on_selector_all("[data-step-item]", "items => items.map(i => i.dataset.state)")
    record = launch.close_like_tab()
    assert_clean(launch)
    assert record.suspend_data == before
    first_total = record.total_time

    again, player = start(lms, page, package, course, previous=record)
    assert again.launch_data[record.element("entry")] == "resume"
    assert player.current_title() == QUIZ_1
    assert player.progress_text() == "3 of 3 pages viewed"
    assert player.frame.eval_on_selector_all("[data-step-item]", "items => items.map(i => i.dataset.state)") == nav_states
    assert player.suspend_data_now() == before
    single = player.block("q-single")
    expect(single.get_by_label("Before touching a person")).to_be_checked()
    expect(single.get_by_label("Before touching a person")).to_be_disabled()
    expect(single.get_by_text("Yes, this is one of the five moments.")).to_be_visible()
    expect(player.block("q-multiple").get_by_label("Before a tea break")).to_be_checked()
    expect(player.block("q-multiple").locator('[data-verdict="incorrect"]')).to_be_visible()
    expect(player.block("q-fill-in").get_by_label("Your answer")).to_have_value("FIVE")
    items = player.block("q-ordering").locator(".order-text").all_inner_texts()
    assert items == list(course.module("01-first-steps").quiz.questions[6].items)
    numeric = player.block("q-numeric").get_by_label("Your answer (a number)")
    expect(numeric).to_be_enabled()
    expect(numeric).to_have_value("")

    for question_id in ("q-true-false", "q-numeric", "q-matching", "q-likert"):
        player.answer(question_id)
    player.see_result()
    expect(player.quiz_section().locator('[data-slot="last"]')).to_have_text("86")   # 6 of 7
    page.wait_for_timeout(600)
    player.finish()
    second = again.finish_state()
    assert_clean(again, player)

    from lms import time_to_centiseconds
    first = time_to_centiseconds(first_total, record.version)
    assert first >= 100
    session = time_to_centiseconds(second.session_time, record.version)
    assert time_to_centiseconds(second.total_time, record.version) == first + session
    assert session >= 60


@pytest.mark.parametrize("version", VERSIONS)
def test_the_address_hash_is_a_bookmark(page, lms, packages, version):
    course, package = packages(version)
    launch, player = start(lms, page, package, course, launch_href="index.html#02-next-steps/01-consent")
    assert player.current_title() == "Consent"
    player.next()
    player.frame.wait_for_function("() => location.hash === '#02-next-steps/quiz'")
    player.wait_saved()
    assert launch.cmi_value("cmi.core.lesson_location" if launch.version == "1.2" else "cmi.location") == \
        "02-next-steps/quiz"
    launch.close_like_tab()
    assert_clean(launch)


# --------------------------------------------------------------------------- interactions

EXPECTED_RESPONSES = {
    # id: (type, 1.2 response, 1.2 pattern, 2004 response, 2004 pattern, result)
    "q-single": ("choice", "a", "a", "a", "a", "correct"),
    "q-multiple": ("choice", "c", "a,b", "c", "a[,]b", "incorrect"),
    "q-true-false": ("true-false", "f", "f", "false", "false", "correct"),
    "q-fill-in": ("fill-in", "FIVE", "five", "FIVE", "five", "correct"),
    "q-numeric": ("numeric", "32", "20", "32", "18[:]22", "incorrect"),
    "q-matching": ("matching", "a.b,b.c,c.a", "a.a,b.b,c.c", "a[.]b[,]b[.]c[,]c[.]a", "a[.]a[,]b[.]b[,]c[.]c", "incorrect"),
    "q-ordering": ("sequencing", "a,b,c,d", "a,b,c,d", "a[,]b[,]c[,]d", "a[,]b[,]c[,]d", "correct"),
    "q-likert": ("likert", "a", None, "a", None, "neutral"),
}


@pytest.mark.parametrize("version", VERSIONS)
def test_every_question_type_is_recorded_as_an_interaction(page, lms, packages, version):
    course, package = packages(version)
    launch, player = start(lms, page, package, course)
    player.open_step(QUIZ_1)
    player.start_quiz()
    for question_id, expected in EXPECTED_RESPONSES.items():
        player.answer(question_id, correct=expected[-1] != "incorrect")
    record = launch.close_like_tab()
    assert_clean(launch)
    data = launch.values_set()            # exactly what the player sent (the LMS may reformat times)
    v12 = version == "1.2"
    stored = [k for k in record.data if re.fullmatch(r"cmi\.interactions\.\d+\.id", k)]
    assert len(stored) == len(EXPECTED_RESPONSES)
    for n, (question_id, (kind, r12, p12, r04, p04, result)) in enumerate(EXPECTED_RESPONSES.items()):
        base = f"cmi.interactions.{n}."
        assert data[base + "id"] == question_id
        assert data[base + "type"] == kind
        assert data.get(base + ("student_response" if v12 else "learner_response")) == (r12 if v12 else r04)
        assert data.get(base + "correct_responses.0.pattern") == (p12 if v12 else p04)
        assert data[base + "result"] == ("wrong" if v12 and result == "incorrect" else result)
        assert data[base + "weighting"] == ("0" if kind == "likert" else "1")
        if v12:
            assert TIMESPAN_12.match(data[base + "latency"]), data[base + "latency"]
            assert CLOCK_12.match(data[base + "time"])
        else:
            assert DURATION_2004.match(data[base + "latency"]), data[base + "latency"]
            assert TIMESTAMP_2004.match(data[base + "timestamp"])
            assert data[base + "description"].startswith("{lang=en-GB}")
        # id first, then type, before anything else of the interaction.
        fields = [c.element[len(base):] for c in launch.calls("SetValue") if c.element.startswith(base)]
        assert fields[:2] == ["id", "type"]
    # fill-in's accepted answers all go to the LMS in 2004 (1.2 has room for one pattern).
    assert not any(k.startswith("cmi.interactions.3.correct_responses.1") for k in data)


# --------------------------------------------------------------------------- life cycle


@pytest.mark.parametrize("version", VERSIONS)
def test_terminates_once_from_the_finish_button_and_pagehide(page, lms, packages, version):
    course, package = packages(version)
    launch, player = start(lms, page, package, course)
    player.finish()
    expect(player.frame.get_by_text("Your progress has been saved. You can close this window.")).to_be_visible()
    record = launch.close_like_tab()
    assert [c.kind for c in launch.log()].count("Terminate") == 1
    assert record.terminated
    names = [c.element for c in launch.calls("SetValue")]
    terminate = next(c.index for c in launch.log() if c.kind == "Terminate")
    # SCORM 2004: the navigation request of "Save and finish" comes last (scorm.reporting).
    expected = [record.element("session_time"), record.element("exit")] + (["adl.nav.request"] if version != "1.2" else [])
    last = [c.element for c in launch.calls("SetValue") if c.index < terminate][-len(expected):]
    assert last == expected
    assert names  # something was reported
    assert_clean(launch)


def test_a_refused_commit_is_retried_and_the_learner_is_told(page, lms, packages):
    course, package = packages("1.2")
    launch, player = start(lms, page, package, course)
    page.evaluate("""() => {
        const api = window.API, original = api.LMSCommit;
        let refusals = 1;
        api.LMSCommit = function () {
            if (refusals > 0) { refusals -= 1; return "false"; }
            return original.apply(api, arguments);
        };
    }""")
    player.next()
    status = player.frame.locator("#cs-save-status")
    expect(status).to_have_text("Your progress could not be saved: don't close this window. Trying again…")
    expect(status).to_have_attribute("role", "status")
    expect(status).to_have_text("Your progress is saved again.")
    assert launch.finish_state().location == "01-first-steps/02-hand-hygiene"
    launch.close_like_tab()
    assert_clean(launch, None)


def test_commits_after_each_meaningful_change(page, lms, packages):
    course, package = packages("2004-4th")
    launch, player = start(lms, page, package, course)
    commits = lambda: sum(1 for c in launch.log() if c.kind == "Commit")
    player.wait_saved()
    before = commits()
    player.next()
    player.wait_saved()
    assert commits() == before + 1 and launch.uncommitted() == []
    player.open_step(QUIZ_1)
    player.wait_saved()
    player.start_quiz()
    player.wait_saved()
    player.answer("q-single")
    player.wait_saved()
    assert commits() == before + 4 and launch.uncommitted() == []
    page.evaluate("""() => {
        const frame = document.querySelector('iframe').contentWindow;
        Object.defineProperty(frame.document, 'visibilityState', {value: 'hidden', configurable: true});
        frame.document.dispatchEvent(new Event('visibilitychange'));
    }""")
    assert commits() == before + 5
    cmi = launch.cmi()
    assert cmi["cmi.exit"] == "suspend"
    assert DURATION_2004.match(cmi["cmi.session_time"])
    launch.close_like_tab()
    assert_clean(launch)


# --------------------------------------------------------------------------- rules in the browser


def test_draw_asks_a_subset_and_the_best_attempt_counts(page, lms, tmp_path):
    course = load_root("player-basic")
    first = course.modules[0]
    quiz = dataclasses.replace(first.quiz, draw=4, shuffle=True, attempts=0)
    course = dataclasses.replace(course, modules=(dataclasses.replace(first, quiz=quiz),) + course.modules[1:])
    package = build_package(course, "1.2", tmp_path)
    launch, player = start(lms, page, package, course)
    player.open_step(QUIZ_1)
    expect(player.quiz_section().get_by_text("This quiz asks 4 questions.", exact=False)).to_be_visible()
    player.start_quiz()
    asked = player.asked_ids()
    assert len(asked) == 4 and len(set(asked)) == 4
    expect(player.quiz_section().locator(".question:not([hidden]) .question-number").first).to_have_text("Question 1 of 4:")
    player.answer_attempt()
    player.see_result()
    expect(player.quiz_section().locator('[data-slot="best"]')).to_have_text("100")
    expect(player.quiz_section().get_by_text("You can try again as many times as you like.")).to_be_visible()
    player.start_quiz()
    second = player.asked_ids()
    scored = [q for q in second if player.questions[q].type != "likert"]
    player.answer_attempt(wrong=tuple(second))
    player.see_result()
    expect(player.quiz_section().locator('[data-slot="last"]')).to_have_text("0" if scored else "100")
    expect(player.quiz_section().locator('[data-slot="best"]')).to_have_text("100")
    player.take_quiz(QUIZ_2)
    player.wait_saved()
    assert launch.cmi_value("cmi.core.score.raw") == "100"
    ids = [c.value for c in launch.calls("SetValue") if re.fullmatch(r"cmi\.interactions\.\d+\.id", c.element)]
    assert ids[:8] == asked + second and len(ids) == 10
    launch.close_like_tab()
    assert_clean(launch, None)


def test_min_minutes_holds_completion_until_the_time_is_in(page, lms, tmp_path):
    course = load_root("player-basic")
    course = dataclasses.replace(course, completion=dataclasses.replace(course.completion, min_minutes=1))
    package = build_package(course, "1.2", tmp_path)
    page.clock.install()
    launch, player = start(lms, page, package, course)
    player.read_all_pages()
    player.take_quiz(QUIZ_1)
    player.take_quiz(QUIZ_2)
    player.wait_saved()
    assert launch.cmi_value("cmi.core.lesson_status") == "incomplete"
    assert player.status_text() == "In progress"
    page.clock.fast_forward("01:05")
    expect(player.frame.locator('[data-role="status-text"]')).to_have_text("Passed")
    player.wait_saved()
    assert launch.cmi_value("cmi.core.lesson_status") == "passed"
    assert launch.uncommitted() == []
    launch.close_like_tab()
    assert_clean(launch, None)


def test_a_decimal_comma_is_read_as_a_decimal_point(page, lms, packages):
    course, package = packages("2004-4th")
    launch, player = start(lms, page, package, course)
    player.open_step(QUIZ_1)
    player.start_quiz()
    block = player.block("q-numeric")
    block.get_by_label("Your answer (a number)").fill("twenty")
    block.get_by_role("button", name="Check answer").click()
    expect(block.get_by_text("Type a number, for example 12 or 2.5.")).to_be_visible()
    block.get_by_label("Your answer (a number)").fill("21,5")
    block.get_by_role("button", name="Check answer").click()
    expect(block.locator('[data-verdict="correct"]')).to_be_visible()
    assert launch.values_set()["cmi.interactions.0.learner_response"] == "21.5"
    launch.close_like_tab()
    assert_clean(launch, None)
