"""What the LMS receives, by its launch mode and credit and by the course's reporting profile.

- review and browse (SCORM 2004 cmi.mode, 1.2 cmi.core.lesson_mode): the recorded attempt is
  shown, nothing can be answered, nothing is set, the learner is told how to start anew;
- no-credit in normal mode: the place and progress are kept, no status, score or interaction;
- scorm.reporting: each status pair, the score of 100 for a course without a required quiz,
  and the adl.nav.request sent on "Save and finish";
- a runtime that stays terminated within its page (Moodle's SCORM 2004 API): a second SCO loaded
  into the same page is refused, which is why a course is one SCO by default, and one SCO records
  every module however the learner moves through it.

The course is tests/roots/minimal (one module, two pages, a quiz of two questions, pass mark 50%,
3 attempts) unless a test says otherwise.
"""

from __future__ import annotations

import dataclasses
import xml.etree.ElementTree as ElementTree

import pytest
from playwright.sync_api import expect

from player_support import PlayerDriver, build_package, load_root

VERSIONS = ("1.2", "2004-4th")
QUIZ = "Check your understanding"
REVIEW_NOTICE = "Review: your learning management system has opened this course"
NO_CREDIT_NOTICE = "keeps your place in this visit but no result"
RESULT_ELEMENTS = ("status", "score", "interactions", "objectives", "progress_measure")


def course_with(root: str, packaging: str | None = None, **reporting):
    course = load_root(root, packaging)
    if reporting:
        scorm = course.scorm
        course = dataclasses.replace(
            course, scorm=dataclasses.replace(scorm, reporting=dataclasses.replace(scorm.reporting, **reporting)))
    return course


@pytest.fixture(scope="module")
def packages(tmp_path_factory):
    """(course, extracted package), built once per (root, version, packaging, reporting)."""
    built = {}

    def get(version: str, root: str = "minimal", packaging: str | None = None, **reporting):
        key = (root, version, packaging, tuple(sorted(reporting.items())))
        if key not in built:
            course = course_with(root, packaging, **reporting)
            built[key] = (course, build_package(course, version, tmp_path_factory.mktemp("package")))
        return built[key]

    return get


def start(lms, page, package, course, **options):
    launch = lms.launch(page, package, **options)
    return launch, PlayerDriver(launch.frame, course).ready()


def mode_data(version: str, mode: str, credit: str) -> dict[str, str]:
    if version == "1.2":
        return {"cmi.core.lesson_mode": mode, "cmi.core.credit": credit}
    return {"cmi.mode": mode, "cmi.credit": credit}


def status_of(record) -> dict:
    if record.version == "1.2":
        return {"status": record.get("cmi.core.lesson_status"), "score": record.get("cmi.core.score.raw")}
    return {"completion": record.get("cmi.completion_status"), "success": record.get("cmi.success_status"),
            "score": record.get("cmi.score.raw")}


def result_elements_set(launch) -> list[str]:
    return sorted(e for e in launch.values_set() if any(word in e for word in RESULT_ELEMENTS))


def fail_the_course(player) -> None:
    player.read_all_pages()
    for _ in range(3):
        player.take_quiz(QUIZ, wrong=("getting-started-check", "getting-started-pages"))
    expect(player.quiz_section().get_by_text(
        "You have used all your attempts without reaching the pass mark.")).to_be_visible()


def pass_the_course(player) -> None:
    player.read_all_pages()
    player.take_quiz(QUIZ)


# --------------------------------------------------------------------------- review and browse


@pytest.mark.parametrize("version", VERSIONS)
def test_review_after_a_failed_attempt_shows_it_and_changes_nothing(page, lms, packages, version):
    """Moodle reopens an attempt whose SCOs all hold a status in review mode unless the learner
    asks for a new attempt. The failed attempt must stay failed whatever the learner clicks."""
    course, package = packages(version)
    launch, player = start(lms, page, package, course)
    fail_the_course(player)
    player.finish()
    failed = launch.finish_state()
    launch.assert_clean()
    assert status_of(failed) == ({"status": "failed", "score": "0"} if version == "1.2"
                                 else {"completion": "completed", "success": "failed", "score": "0"})

    # SCORM 1.2 hands a review the attempt's data; 2004 (as Moodle does after exit "normal") none.
    data = failed.next_launch_data() if version == "1.2" else {}
    data.update(mode_data(version, "review", "no-credit"))
    again, player = start(lms, page, package, course, data=data)
    expect(player.frame.get_by_text(REVIEW_NOTICE)).to_be_visible()
    expect(player.frame.get_by_text("start a new attempt", exact=False)).to_be_visible()
    if version == "1.2":
        assert player.status_text() == "Not passed"            # the recorded attempt, as recorded
        assert player.progress_text() == "2 of 2 pages viewed"
    else:                                                       # no record handed over: no status of its own
        assert player.status_text() == "Review only"
    player.open_step(QUIZ)
    for name in ("Start the quiz", "Try again"):
        button = player.quiz_section().get_by_role("button", name=name)
        if button.is_visible():
            expect(button).to_be_disabled()
    player.open_step("Try it yourself")
    player.finish()
    record = again.finish_state()
    again.assert_clean()
    assert player.problems() == []
    assert [c.kind for c in again.calls("SetValue", "Commit")] == []
    assert [c.kind for c in again.calls("Terminate")] == ["Terminate"]
    if version == "1.2":
        assert status_of(record) == status_of(failed)
        assert record.suspend_data == failed.suspend_data


@pytest.mark.parametrize("version", VERSIONS)
def test_review_of_a_suspended_attempt_shows_where_the_learner_was(page, lms, packages, version):
    course, package = packages(version)
    launch, player = start(lms, page, package, course)
    pass_the_course(player)
    player.finish()
    passed = launch.finish_state()
    data = passed.next_launch_data()
    data.update(mode_data(version, "review", "no-credit"))
    again, player = start(lms, page, package, course, data=data)
    assert player.status_text() == "Passed"
    assert player.current_title() == QUIZ
    expect(player.quiz_section().get_by_text("You have passed this quiz.")).to_be_visible()
    record = again.close_like_tab()
    again.assert_clean()
    assert [c.kind for c in again.calls("SetValue", "Commit")] == []
    assert status_of(record) == status_of(passed)


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("credit", ("credit", "no-credit"))
def test_browse_records_nothing(page, lms, packages, version, credit):
    """Moodle's "Preview" launches in browse mode."""
    course, package = packages(version)
    launch, player = start(lms, page, package, course, data=mode_data(version, "browse", credit))
    expect(player.frame.get_by_text(REVIEW_NOTICE)).to_be_visible()
    player.read_all_pages()
    player.open_step(QUIZ)
    expect(player.quiz_section().get_by_role("button", name="Start the quiz")).to_be_disabled()
    player.finish()
    launch.assert_clean()
    assert [c.kind for c in launch.calls("SetValue", "Commit")] == []
    assert [c.kind for c in launch.calls("Terminate")] == ["Terminate"]


@pytest.mark.parametrize("version", VERSIONS)
def test_no_credit_keeps_the_place_but_sends_no_result(page, lms, packages, version):
    course, package = packages(version)
    launch, player = start(lms, page, package, course, data=mode_data(version, "normal", "no-credit"))
    expect(player.frame.get_by_text(NO_CREDIT_NOTICE)).to_be_visible()
    expect(player.frame.get_by_text(REVIEW_NOTICE)).to_be_hidden()
    pass_the_course(player)
    assert player.status_text() == "Passed"                    # the learner still sees the result
    player.finish()
    record = launch.finish_state()
    launch.assert_clean()
    assert player.problems() == []
    assert result_elements_set(launch) == []
    sent = launch.values_set()
    prefix = "cmi.core." if version == "1.2" else "cmi."
    assert sent[prefix + "exit"] == "suspend"
    assert sent["cmi.suspend_data"] and sent[prefix + ("lesson_location" if version == "1.2" else "location")]
    assert status_of(record) == ({"status": "not attempted", "score": ""} if version == "1.2"
                                 else {"completion": "unknown", "success": "unknown", "score": ""})


@pytest.mark.parametrize("version", VERSIONS)
def test_normal_mode_with_credit_sends_everything(page, lms, packages, version):
    course, package = packages(version)
    launch, player = start(lms, page, package, course, data=mode_data(version, "normal", "credit"))
    expect(player.frame.get_by_text(NO_CREDIT_NOTICE)).to_be_hidden()
    expect(player.frame.get_by_text(REVIEW_NOTICE)).to_be_hidden()
    pass_the_course(player)
    player.finish()
    record = launch.finish_state()
    launch.assert_clean()
    assert status_of(record) == ({"status": "passed", "score": "100"} if version == "1.2"
                                 else {"completion": "completed", "success": "passed", "score": "100"})
    assert record.get("cmi.interactions.0.id") == "getting-started-check"


# --------------------------------------------------------------------------- status pairs

# (pair, version) -> (what a passed course sends, what a failed one sends)
PAIRS = {
    "passed/failed": {"1.2": ("passed", "failed"),
                      "2004": (("completed", "passed"), ("completed", "failed"))},
    "passed/incomplete": {"1.2": ("passed", "incomplete"),
                          "2004": (("completed", "passed"), ("incomplete", "unknown"))},
    "completed/failed": {"1.2": ("completed", "failed"),
                         "2004": (("completed", "passed"), ("completed", "failed"))},
    "completed/incomplete": {"1.2": ("completed", "incomplete"),
                             "2004": (("completed", "passed"), ("incomplete", "unknown"))},
}
BADGES = {"passed": "Passed", "completed": "Completed"}


def sent_status(record):
    if record.version == "1.2":
        return record.get("cmi.core.lesson_status")
    return record.get("cmi.completion_status"), record.get("cmi.success_status")


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("pair", PAIRS)
def test_each_status_pair_reports_what_it_names(page, lms, packages, version, pair):
    course, package = packages(version, status=pair)
    expected_pass, expected_fail = PAIRS[pair]["1.2" if version == "1.2" else "2004"]

    launch, player = start(lms, page, package, course)
    pass_the_course(player)
    assert player.status_text() == BADGES[pair.split("/")[0]]
    player.finish()
    record = launch.finish_state()
    launch.assert_clean()
    assert sent_status(record) == expected_pass
    assert status_of(record)["score"] == "100"

    launch, player = start(lms, page, package, course)
    player.read_all_pages()
    player.take_quiz(QUIZ, wrong=("getting-started-check", "getting-started-pages"))
    # A quiz taken but not passed, attempts left: "incomplete" everywhere, so no LMS counts it done.
    open_record = launch.finish_state()
    assert sent_status(open_record) == ("incomplete" if version == "1.2" else ("incomplete", "unknown"))
    assert player.status_text() == "In progress"
    for _ in range(2):
        player.take_quiz(QUIZ, wrong=("getting-started-check", "getting-started-pages"))
    assert player.status_text() == "Not passed"
    player.finish()
    record = launch.finish_state()
    launch.assert_clean()
    assert sent_status(record) == expected_fail
    assert status_of(record)["score"] == "0"
    assert record.exit == ("" if version == "1.2" else "normal")


# --------------------------------------------------------------------------- score on completion


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("score_on_completion", (True, False))
def test_a_course_without_a_required_quiz_scores_100_on_completion(page, lms, packages, version,
                                                                   score_on_completion):
    """Moodle grades "highest attempt" by the score: without one a learner who did everything
    gets 0.00. The score goes only with completion, never before."""
    course, package = packages(version, root="scorm-no-quizzes", packaging="single-sco",
                               score_on_completion=score_on_completion)
    launch, player = start(lms, page, package, course)
    before = launch.finish_state()
    assert status_of(before)["score"] == ""
    player.read_all_pages()
    player.finish()
    record = launch.finish_state()
    launch.assert_clean()
    expected = "100" if score_on_completion else ""
    if version == "1.2":
        assert status_of(record) == {"status": "passed", "score": expected}
    else:
        assert status_of(record) == {"completion": "completed", "success": "passed", "score": expected}
        assert record.get("cmi.score.scaled") == ("1" if score_on_completion else "")


def test_a_quiz_less_module_of_a_course_with_quizzes_sends_no_score(page, lms, packages):
    """sco-per-module: a module without a required quiz reporting 100 would be the grade under
    Moodle's "highest attempt" whatever the quizzes said."""
    course, package = packages("2004-4th", root="scorm-three-modules", packaging="sco-per-module")
    quizless = [m for m in course.modules if m.id not in course.completion.required_quizzes]
    assert course.completion.required_quizzes and quizless
    module = quizless[0]
    launch, player = start(lms, page, package, course, launch_href=f"{module.id}.html")
    for p in module.pages:
        player.open_step(p.title)
    player.finish()
    record = launch.finish_state()
    launch.assert_clean()
    assert record.get("cmi.completion_status") == "completed"
    assert record.get("cmi.score.raw") == ""


# --------------------------------------------------------------------------- navigation request


def nav_requests(launch) -> list[str]:
    return [c.args[1] for c in launch.calls("SetValue") if c.element == "adl.nav.request" and c.error == "0"]


@pytest.mark.parametrize("request_setting,outcome,expected", [
    ("suspendAll", "pass", ["suspendAll"]),
    ("suspendAll", "fail", []),                 # the attempt is over (exit normal): nothing to suspend
    ("exitAll", "pass", ["exitAll"]),
    ("none", "pass", []),
])
def test_save_and_finish_sends_the_navigation_request(page, lms, packages, request_setting, outcome, expected):
    course, package = packages("2004-4th", finish_request=request_setting)
    launch, player = start(lms, page, package, course)
    pass_the_course(player) if outcome == "pass" else fail_the_course(player)
    player.finish()
    launch.assert_clean()
    assert nav_requests(launch) == expected
    if expected:
        request_at = max(c.index for c in launch.calls("SetValue") if c.element == "adl.nav.request")
        assert request_at < launch.calls("Terminate")[0].index


def test_leaving_without_the_finish_button_sends_no_navigation_request(page, lms, packages):
    course, package = packages("2004-4th")
    launch, player = start(lms, page, package, course)
    player.next()
    launch.close_like_tab()
    launch.assert_clean()
    assert nav_requests(launch) == []


def test_scorm_12_has_no_navigation_request(page, lms, packages):
    course, package = packages("1.2", finish_request="exitAll")
    launch, player = start(lms, page, package, course)
    pass_the_course(player)
    player.finish()
    launch.assert_clean()
    assert not any("nav" in c.element for c in launch.calls("SetValue"))


# --------------------------------------------------------------------------- one page, one session


def load_in_same_page(page, launch, href: str):
    """Moodle's player moves to another SCO by replacing the content frame in the same page,
    keeping the API object, which stays terminated once a SCO has called Terminate."""
    url = launch.package_url + href
    page.evaluate("""url => new Promise(resolve => {
        const old = document.getElementById('content');
        const frame = document.createElement('iframe');
        frame.id = 'content'; frame.name = 'sco'; frame.title = 'Course content';
        frame.addEventListener('load', () => resolve(true), {once: true});
        old.remove();
        frame.src = url;
        document.body.appendChild(frame);
    })""", url)
    return page.frame(name="sco")


def test_a_second_sco_in_a_terminated_page_is_refused_and_the_learner_told(page, lms, packages):
    course, package = packages("2004-4th", root="player-basic", packaging="sco-per-module")
    first, second = course.modules
    launch, player = start(lms, page, package, course, launch_href=f"{first.id}.html")
    player.next()
    frame = load_in_same_page(page, launch, f"{second.id}.html")    # pagehide ends module 1's session
    player = PlayerDriver(frame, course).ready()
    initializes = launch.calls("Initialize")
    assert [(c.result, c.error) for c in initializes] == [("true", "0"), ("false", "104")]
    expect(frame.locator("#cs-lms-refused")).to_be_visible()
    assert [c.kind for c in launch.log() if c.index > initializes[1].index and c.kind != "GetLastError"] == []


@pytest.mark.parametrize("version", VERSIONS)
def test_one_sco_records_every_module_in_any_order(page, lms, packages, version):
    """The default packaging: however the learner moves (contents, Next, back), every module is
    recorded as an objective of the one SCO, and the SCO carries the whole course's rule."""
    course, package = packages(version, root="player-basic")
    launch, player = start(lms, page, package, course)
    player.take_quiz("Consent quiz")                           # module 2 first, from the contents
    player.open_step("Hand hygiene")
    player.previous()
    mid = launch.finish_state()
    assert sent_status(mid) == ("incomplete" if version == "1.2" else ("incomplete", "unknown"))
    player.take_quiz("Check your understanding", wrong=("q-single",))   # 6 of 7: 86%
    player.open_step(course.modules[1].pages[0].title)
    player.finish()
    record = launch.finish_state()
    launch.assert_clean()
    assert player.problems() == []
    ids = {record.get(f"cmi.objectives.{i}.id"): i for i in range(2)}
    assert set(ids) == {"01-first-steps", "02-next-steps"}
    first, second = ids["01-first-steps"], ids["02-next-steps"]
    if version == "1.2":
        assert sent_status(record) == "passed" and record.get("cmi.core.score.raw") == "93"
        assert record.get(f"cmi.objectives.{first}.status") == "passed"
        assert record.get(f"cmi.objectives.{first}.score.raw") == "86"
        assert record.get(f"cmi.objectives.{second}.status") == "passed"
        assert record.get(f"cmi.objectives.{second}.score.raw") == "100"
    else:
        assert sent_status(record) == ("completed", "passed") and record.get("cmi.score.raw") == "93"
        assert record.get(f"cmi.objectives.{first}.success_status") == "passed"
        assert record.get(f"cmi.objectives.{second}.score.raw") == "100"


# --------------------------------------------------------------------------- Moodle's SCORM 2004 runtime


def refused_as_moodle_does(launch) -> list[str]:
    """The calls the faults below answered with 403, as Moodle does; its API log counts each one
    as failed (scorm-again answers other reads of unset elements with 403 where Moodle does not)."""
    return [str(c) for c in launch.log() if c.fault]


def test_the_manifests_primary_objective_is_never_read(page, lms, packages):
    """Moodle 5.0 lists the manifest's primary objective as cmi.objectives.0, with its id only, and
    answers a read of its status with error 403. The player reads its modules' objectives only, on
    a first launch and on a resume, so that no call fails."""
    course, package = packages("2004-4th")
    primary = ElementTree.parse(package / "imsmanifest.xml").find(".//{*}primaryObjective").get("objectiveID")
    moodle = {"data": {"cmi.objectives.0.id": primary},
              "faults": [{"kind": "GetValue", "element": f"cmi.objectives.0.{field}", "error": "403"}
                         for field in ("completion_status", "success_status")]}
    launch, player = start(lms, page, package, course, **moodle)
    player.read_all_pages()
    kept = launch.close_like_tab()
    assert refused_as_moodle_does(launch) == []
    assert kept.get("cmi.objectives.0.id") == primary
    assert kept.get("cmi.objectives.1.id") == course.modules[0].id

    again, player = start(lms, page, package, course, previous=kept, **moodle)
    player.take_quiz(QUIZ)
    player.finish()
    record = again.finish_state()
    assert refused_as_moodle_does(again) == []
    assert player.problems() == []
    assert record.get("cmi.objectives.1.success_status") == "passed"
    assert sent_status(record) == ("completed", "passed")
