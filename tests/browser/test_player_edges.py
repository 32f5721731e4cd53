"""The player off the happy path: what real courses, real browsers and real LMSs do that the
basic course does not.

The course is tests/roots/player-edge: module 1 (a page linking a .docx and a .pdf from the
course's assets, with a footnote; a quiz with a matching question whose right-hand items repeat
and two numeric questions, pass mark 100%) and module 2 (a drawn quiz of one true-false question
among three likert ones).
"""

from __future__ import annotations

import dataclasses
import re

import pytest
from playwright.sync_api import expect

from builder.errors import CourseError
from builder.player import player_data, scos_for, worst_case_suspend_data_length, write_scos
from player_support import PlayerDriver, build_package, load_root

VERSIONS = ("1.2", "2004-4th")
SORTING = "Sorting quiz"


@pytest.fixture(scope="module")
def edge(tmp_path_factory):
    """(course, extracted package) per version, built once for this module."""
    built = {}

    def get(version: str):
        if version not in built:
            course = load_root("player-edge")
            built[version] = (course, build_package(course, version, tmp_path_factory.mktemp("edge")))
        return built[version]

    return get


def start(lms, page, package, course, **options):
    launch = lms.launch(page, package, **options)
    return launch, PlayerDriver(launch.frame, course).ready()


def kinds(launch) -> list[str]:
    return [c.kind for c in launch.log()]


def interactions(launch) -> dict[str, dict[str, str]]:
    """Question id -> the fields the player set on its (last) interaction."""
    values = launch.values_set()
    found: dict[str, dict[str, str]] = {}
    for key, value in values.items():
        match = re.fullmatch(r"cmi\.interactions\.(\d+)\.id", key)
        if match:
            prefix = f"cmi.interactions.{match[1]}."
            found[value] = {k[len(prefix):]: v for k, v in values.items() if k.startswith(prefix)}
    return found


# --------------------------------------------------------------------------- the session


def test_a_download_link_does_not_end_the_session(page, lms, edge):
    """Chromium fires beforeunload for a link that turns out to be a download, and the page stays:
    a player that terminated there would record nothing more of the learner's visit."""
    course, package = edge("1.2")
    launch, player = start(lms, page, package, course)
    form = player.frame.get_by_role("link", name="the incident form")
    # Course files open beside the course, never in place of it.
    expect(form).to_have_attribute("target", "_blank")
    expect(player.frame.get_by_role("link", name="the short guide")).to_have_attribute("target", "_blank")

    form.evaluate("link => link.removeAttribute('target')")      # as a link in the frame itself
    with page.expect_download():
        form.click()
    player.frame.evaluate("() => window.dispatchEvent(new Event('beforeunload'))")
    page.wait_for_timeout(300)
    assert "Terminate" not in kinds(launch)

    player.next()
    assert player.current_title() == "Sorting food"
    player.wait_saved()
    assert launch.uncommitted() == []
    assert launch.finish_state().location == "01-sorting/02-sorting"
    assert player.problems() == []
    record = launch.close_like_tab()
    assert record.terminated and kinds(launch).count("Terminate") == 1
    launch.assert_no_api_errors()
    # A download is a navigation the browser abandons for the file: the only "failed" request.
    assert launch.problems() == [f"failed request: {launch.package_url}assets/incident-form.docx (net::ERR_ABORTED)"]


def test_a_footnote_link_keeps_the_place_and_the_address(page, lms, edge):
    course, package = edge("2004-4th")
    launch, player = start(lms, page, package, course)
    player.frame.wait_for_function("() => location.hash === '#01-sorting/01-forms'")
    history = page.evaluate("() => history.length")
    player.frame.locator(".footnote-ref a").click()
    note = player.frame.get_by_text("Your manager has printed copies too.")
    expect(note).to_be_in_viewport()
    expect(player.frame.locator(".footnote-item")).to_be_focused()
    player.frame.locator(".footnote-backref").click()                  # and back to the text
    expect(player.frame.locator(".footnote-ref a")).to_be_focused()
    assert player.frame.locator(".footnote-ref a").get_attribute("tabindex") is None
    # The address still names the page (it is the bookmark) and no history entry was added.
    assert player.frame.evaluate("() => location.hash") == "#01-sorting/01-forms"
    assert page.evaluate("() => history.length") == history
    assert player.current_title() == "Forms to fill in"
    assert player.problems() == []
    launch.close_like_tab()
    launch.assert_clean()


def test_a_reloaded_frame_says_the_lms_no_longer_records(page, lms, edge):
    """A reload ends the LMS session (pagehide); the new page cannot start another one and must not
    pretend to be a preview."""
    course, package = edge("2004-4th")
    launch, player = start(lms, page, package, course)
    player.next()
    player.frame.evaluate("() => location.reload()")
    frame = page.frame(name="sco")
    again = PlayerDriver(frame, course)
    frame.wait_for_function("() => window.Coursesmith && window.Coursesmith.player")
    expect(frame.get_by_text("Your learning management system is not recording this visit")).to_be_visible()
    expect(frame.get_by_text("Preview: no learning management system is recording this visit.", exact=False)).to_be_hidden()
    failed = launch.api_errors()
    assert [c.kind for c in failed] == ["Initialize"]           # the LMS's answer, not ours to avoid
    assert kinds(launch).count("Terminate") == 1
    assert again.problems() == [f"Initialize failed with error {failed[0].error}"]


@pytest.mark.parametrize("version", VERSIONS)
def test_a_resume_whose_data_cannot_be_read_keeps_the_recorded_result(page, lms, edge, version):
    """The LMS says resume but the suspend_data is not this course's (damaged, or the course was
    republished with another shape): the learner starts again, the recorded pass stays."""
    course, package = edge(version)
    if version == "1.2":
        data = {"cmi.core.entry": "resume", "cmi.suspend_data": "AAAA", "cmi.core.lesson_location": "gone",
                "cmi.core.lesson_status": "passed", "cmi.core.score.raw": "100"}
    else:
        data = {"cmi.entry": "resume", "cmi.suspend_data": "AAAA", "cmi.location": "gone",
                "cmi.completion_status": "completed", "cmi.success_status": "passed",
                "cmi.score.scaled": "1", "cmi.score.raw": "100"}
    launch, player = start(lms, page, package, course, data=data)
    assert player.current_title() == "Forms to fill in"
    assert player.progress_text() == "1 of 3 pages viewed"
    assert player.status_text() == "Passed"
    player.next()
    record = launch.close_like_tab()
    launch.assert_clean()
    if version == "1.2":
        assert (record.get("cmi.core.lesson_status"), record.get("cmi.core.score.raw")) == ("passed", "100")
    else:
        assert (record.get("cmi.completion_status"), record.get("cmi.success_status"),
                record.get("cmi.score.scaled")) == ("completed", "passed", "1")
    assert record.exit == "suspend"


@pytest.mark.parametrize("version", VERSIONS)
def test_a_required_quiz_not_yet_passed_is_not_reported_done(page, lms, edge, version):
    """Every page read, every quiz taken, one below its pass mark with attempts left. LMSs take
    "completed" as done (Moodle and Totara count it in SCORM 2004 too, whatever the success
    status says), so both versions say "incomplete" until the course is passed, and the player's
    badge says what the LMS is told."""
    course, package = edge(version)
    launch, player = start(lms, page, package, course)
    player.read_all_pages()
    player.take_quiz(SORTING, wrong=("litre",))                         # 67%, pass mark 100%
    player.take_quiz("Views and one question")
    # The badge shows the status the LMS holds.
    assert player.status_text() == "In progress"
    record = launch.close_like_tab()
    launch.assert_clean()
    if version == "1.2":
        assert (record.get("cmi.core.lesson_status"), record.get("cmi.core.score.raw")) == ("incomplete", "83.5")
    else:
        assert (record.get("cmi.completion_status"), record.get("cmi.success_status"),
                record.get("cmi.score.raw")) == ("incomplete", "unknown", "83.5")


def test_a_completion_the_lms_recorded_is_not_taken_back_in_scorm_12(page, lms, edge):
    """E.g. an administrator marked the learner completed: the next visit leaves it so."""
    course, package = edge("1.2")
    launch, player = start(lms, page, package, course,
                           data={"cmi.core.entry": "resume", "cmi.core.lesson_status": "completed"})
    assert player.status_text() == "Completed"
    player.next()
    record = launch.close_like_tab()
    launch.assert_clean()
    assert (record.get("cmi.core.lesson_status"), record.get("cmi.core.score.raw")) == ("completed", "")


# --------------------------------------------------------------------------- answers


def test_repeated_matches_and_written_numbers_are_marked_right(page, lms, edge):
    course, package = edge("2004-4th")
    launch, player = start(lms, page, package, course)
    player.open_step(SORTING)
    player.start_quiz()
    sorting = player.block("sort-food")
    # Each box is offered once, and either "Fruit box" is the right match for a fruit.
    options = sorting.get_by_label("Apple", exact=True).locator("option").all_inner_texts()
    assert sorted(options) == ["Choose a match", "Fruit box", "Vegetable box"]
    player.answer("sort-food")
    expect(sorting.locator('[data-verdict="correct"]')).to_be_visible()

    for question_id, typed in (("litre", "1,000"), ("freezer", "\u22122.5")):   # a real minus sign
        block = player.block(question_id)
        block.get_by_label("Your answer (a number)").fill(typed)
        block.get_by_role("button", name="Check answer").click()
        expect(block.locator('[data-verdict="correct"]')).to_be_visible()
    player.see_result()
    expect(player.quiz_section().locator('[data-slot="last"]')).to_have_text("100")

    # Module 2, not begun, is a "not attempted" objective (progress 0); module 1 is passed.
    player.wait_saved()
    cmi = launch.cmi()
    objectives = {cmi[f"cmi.objectives.{i}.id"]: f"cmi.objectives.{i}." for i in range(2)}
    survey, sorting_objective = objectives["02-survey"], objectives["01-sorting"]
    assert (cmi[survey + "completion_status"], cmi[survey + "progress_measure"], cmi[survey + "success_status"]) == \
        ("not attempted", "0", "unknown")
    assert (cmi[sorting_objective + "completion_status"], cmi[sorting_objective + "success_status"]) == \
        ("incomplete", "passed")

    recorded = interactions(launch)
    assert recorded["sort-food"]["learner_response"] == "a[.]a[,]b[.]b[,]c[.]a"
    assert recorded["sort-food"]["correct_responses.0.pattern"] == "a[.]a[,]b[.]b[,]c[.]a"
    assert recorded["sort-food"]["result"] == "correct"
    assert recorded["litre"]["learner_response"] == "1000"
    assert recorded["freezer"]["learner_response"] == "-2.5"
    assert {recorded[q]["result"] for q in ("litre", "freezer")} == {"correct"}
    launch.close_like_tab()
    launch.assert_clean()


def test_a_wrong_match_is_still_wrong(page, lms, edge):
    course, package = edge("1.2")
    launch, player = start(lms, page, package, course)
    player.open_step(SORTING)
    player.start_quiz()
    sorting = player.block("sort-food")
    for left, right in (("Apple", "Fruit box"), ("Carrot", "Fruit box"), ("Banana", "Vegetable box")):
        sorting.get_by_label(left, exact=True).select_option(label=right)
    sorting.get_by_role("button", name="Check answer").click()
    expect(sorting.locator('[data-verdict="incorrect"]')).to_be_visible()
    recorded = interactions(launch)["sort-food"]
    assert (recorded["student_response"], recorded["correct_responses.0.pattern"], recorded["result"]) == \
        ("a.a,b.a,c.b", "a.a,b.b,c.a", "wrong")
    launch.close_like_tab()
    launch.assert_clean()


def test_a_survey_is_thanked_not_scored(page, lms, tmp_path):
    """An optional quiz of likert questions only: no score, no pass mark, no "passed"."""
    course = load_root("player-edge")
    sorting, views = course.modules
    likert = tuple(q for q in views.quiz.questions if q.type == "likert")
    survey = dataclasses.replace(views.quiz, title="Your views on the course", questions=likert, draw=None)
    course = dataclasses.replace(course, modules=(sorting, dataclasses.replace(views, quiz=survey)),
                                 completion=dataclasses.replace(course.completion, required_quizzes=(sorting.id,)))
    launch, player = start(lms, page, build_package(course, "2004-4th", tmp_path), course)
    player.open_step("Your views on the course")
    section = player.quiz_section()
    expect(section.locator('[data-view="intro"]')).to_contain_text("This survey asks 3 questions. Your answers are not scored.")
    expect(section.locator('[data-view="intro"]')).not_to_contain_text("pass mark")
    player.start_quiz()
    player.answer_attempt()
    player.see_result()
    results = section.locator('[data-view="results"]')
    expect(results.get_by_text("Thank you: your answers are recorded.")).to_be_visible()
    assert "%" not in results.inner_text() and "passed" not in results.inner_text()
    link = player.frame.get_by_role("navigation", name="Course contents").get_by_role("link", name=re.compile("^Your views on the course"))
    expect(link).to_have_accessible_name("Your views on the course (taken)")
    player.wait_saved()
    cmi = launch.cmi()
    survey_objective = next(k[: -len("id")] for k, v in cmi.items() if re.fullmatch(r"cmi\.objectives\.\d+\.id", k) and v == views.id)
    assert survey_objective + "score.scaled" not in cmi
    launch.close_like_tab()
    launch.assert_clean()


# --------------------------------------------------------------------------- structure


def test_step_ids_stay_unique_when_pages_are_named_like_the_quiz():
    course = load_root("player-edge")
    module = course.modules[0]
    renamed = tuple(dataclasses.replace(page, id=f"{module.id}/{slug}", slug=slug)
                    for page, slug in zip(module.pages, ("quiz", "quiz-assessment")))
    course = dataclasses.replace(course, modules=(dataclasses.replace(module, pages=renamed),) + course.modules[1:])
    steps = player_data(course, scos_for(course)[0], "1.2")["steps"]
    ids = [step["id"] for step in steps]
    assert len(set(ids)) == len(ids)
    assert ids[:2] == ["01-sorting/quiz", "01-sorting/quiz-assessment"]


def test_scorm_2004_3rd_edition_keeps_suspend_data_within_its_4000_characters(tmp_path):
    """The 3rd Edition promises 4000 characters of suspend_data (the 4th, 64000): a package for it
    must not count on more."""
    course = load_root("player-basic")
    sco = scos_for(course)[0]
    third, fourth = (player_data(course, sco, version)["codec"] for version in ("2004-3rd", "2004-4th"))
    assert (third["limit"], fourth["limit"]) == (4000, 64000)
    assert worst_case_suspend_data_length(course, sco, "2004-3rd") <= 4000

    module = course.modules[0]
    many = dataclasses.replace(module, pages=module.pages * 12500)           # 25,000 pages: 4,200 characters
    big = dataclasses.replace(course, modules=(many,) + course.modules[1:])
    sco = scos_for(big)[0]
    assert 4000 < worst_case_suspend_data_length(big, sco, "2004-4th") <= 64000
    assert player_data(big, sco, "2004-4th")["codec"]["limit"] == 64000
    with pytest.raises(CourseError, match="2004-3rd"):
        write_scos(big, tmp_path, "2004-3rd")
