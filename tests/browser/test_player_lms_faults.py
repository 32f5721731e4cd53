"""The player against a faulty LMS (scorm-again with injected faults, harness/lms.js): reads that
fail or come back empty on a resume, refused SetValue, failing Commit and Terminate, an API that
vanishes, and a Commit that takes five seconds. In every case the learner is told, nothing stored
is overwritten (byte for byte), and navigation never waits for the LMS.

The course is tests/roots/player-basic (3 pages, 2 quizzes).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from player_support import PlayerDriver, build_package, load_root

VERSIONS = ("1.2", "2004-4th")
NOT_RECORDED = "Your progress is not being recorded: don't close this window."
NOT_SAVED = "Your learning management system did not confirm that your progress was saved."
SUSPEND = "cmi.suspend_data"


@pytest.fixture(scope="module")
def packages(tmp_path_factory):
    built = {}

    def get(version: str):
        if version not in built:
            course = load_root("player-basic")
            built[version] = (course, build_package(course, version, tmp_path_factory.mktemp("package")))
        return built[version]

    return get


def start(lms, page, package, course, **options):
    launch = lms.launch(page, package, **options)
    return launch, PlayerDriver(launch.frame, course).ready()


def location_element(version: str) -> str:
    return "cmi.core.lesson_location" if version == "1.2" else "cmi.location"


def learner_half_way(lms, page, package, course):
    """A first session: two pages read, the first quiz begun with one answer. Returns the record."""
    launch, player = start(lms, page, package, course)
    player.next()
    player.open_step("Check your understanding")
    player.start_quiz()
    player.answer("q-single")
    record = launch.close_like_tab()
    assert record.suspend_data and record.terminated
    return record


def suspend_writes(launch) -> list:
    return [c for c in launch.calls("SetValue") if c.element == SUSPEND]


def save_status(player):
    return player.frame.locator("#cs-save-status")


# --------------------------------------------------------------------------- reading on resume


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("glitch", [{"error": "101"}, {"value": ""}], ids=["failing", "empty"])
def test_a_read_that_fails_once_on_resume_is_tried_again(page, lms, packages, version, glitch):
    course, package = packages(version)
    record = learner_half_way(lms, page, package, course)
    again, player = start(lms, page, package, course, previous=record,
                          faults=[{"kind": "GetValue", "element": SUSPEND, "times": 1, **glitch}])
    reads = [c for c in again.calls("GetValue") if c.element == SUSPEND]
    assert len(reads) == 2 and reads[0].fault and not reads[1].fault
    assert player.current_title() == "Check your understanding"
    assert player.progress_text() == "2 of 3 pages viewed"
    expect(player.block("q-single").locator('[data-verdict="correct"]')).to_be_visible()
    assert player.suspend_data_now() == record.suspend_data
    kept = again.close_like_tab()
    assert kept.suspend_data == record.suspend_data                # byte for byte
    assert again.page_errors == []


@pytest.mark.parametrize("version", VERSIONS)
def test_a_read_that_keeps_failing_never_overwrites_the_stored_progress(page, lms, packages, version):
    course, package = packages(version)
    record = learner_half_way(lms, page, package, course)
    again, player = start(lms, page, package, course, previous=record,
                          faults=[{"kind": "GetValue", "element": SUSPEND, "error": "101"}])
    status = save_status(player)
    expect(status).to_contain_text(NOT_RECORDED)
    expect(status).to_contain_text("did not give back your earlier progress")
    expect(status).to_have_attribute("role", "status")
    player.next()
    player.next()                                                  # the learner carries on
    player.wait_saved()
    kept = again.close_like_tab()
    assert suspend_writes(again) == []
    assert not [c for c in again.calls("SetValue") if c.element == location_element(version)]
    assert kept.suspend_data == record.suspend_data                # byte for byte
    assert kept.location == record.location
    assert again.page_errors == []


@pytest.mark.parametrize("version", VERSIONS)
def test_a_read_that_succeeds_later_takes_the_stored_progress_up(page, lms, packages, version):
    course, package = packages(version)
    record = learner_half_way(lms, page, package, course)
    again, player = start(lms, page, package, course, previous=record,
                          faults=[{"kind": "GetValue", "element": SUSPEND, "error": "101"}])
    expect(save_status(player)).to_contain_text(NOT_RECORDED)
    assert player.progress_text() == "1 of 3 pages viewed"
    page.evaluate("() => { window.__lms.faults.length = 0; }")        # the LMS recovers
    player.next()                                                     # every save tries to read again
    expect(player.frame.locator('[data-role="progress-text"]')).to_have_text("2 of 3 pages viewed")
    expect(save_status(player)).to_have_text("")
    player.open_step("Check your understanding")
    expect(player.block("q-single").locator('[data-verdict="correct"]')).to_be_visible()
    player.wait_saved()
    now = player.suspend_data_now()
    kept = again.close_like_tab()
    assert kept.suspend_data == now == record.suspend_data
    assert suspend_writes(again)[0].index > max(c.index for c in again.calls("GetValue") if c.element == SUSPEND)
    assert again.page_errors == []


@pytest.mark.parametrize("version", VERSIONS)
def test_when_the_lms_returns_nothing_the_copy_in_this_browser_is_offered(page, lms, packages, version):
    course, package = packages(version)
    record = learner_half_way(lms, page, package, course)
    again, player = start(lms, page, package, course, previous=record,
                          faults=[{"kind": "GetValue", "element": SUSPEND, "value": ""}])
    offer = player.frame.get_by_role("region", name="Progress saved in this browser")
    expect(offer).to_be_visible()
    assert player.progress_text() == "1 of 3 pages viewed"
    assert suspend_writes(again) == []                             # nothing written before the answer
    offer.get_by_role("button", name="Carry on from there").click()
    expect(offer).to_be_hidden()
    assert player.current_title() == "Check your understanding"
    assert player.progress_text() == "2 of 3 pages viewed"
    player.wait_saved()
    kept = again.close_like_tab()
    assert kept.suspend_data == record.suspend_data
    assert again.page_errors == []


# --------------------------------------------------------------------------- while learning


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("refused", [SUSPEND, None], ids=["suspend-data", "every-value"])
def test_refused_data_is_told_and_the_finish_panel_does_not_say_saved(page, lms, packages, version, refused):
    course, package = packages(version)
    record = learner_half_way(lms, page, package, course)
    fault = {"kind": "SetValue", "error": "351" if version == "2004-4th" else "405"}
    if refused:
        fault["element"] = refused
    again, player = start(lms, page, package, course, previous=record, faults=[fault])
    player.open_step("Consent")
    status = save_status(player)
    expect(status).to_contain_text(NOT_RECORDED)
    expect(status).to_have_attribute("role", "status")
    player.finish()
    panel = player.frame.locator("#cs-finished")
    expect(panel.get_by_text(NOT_SAVED)).to_be_visible()
    expect(panel.get_by_text("Your progress has been saved.")).to_be_hidden()
    kept = again.finish_state()
    assert kept.suspend_data == record.suspend_data                # nothing stored is overwritten
    assert again.page_errors == []


@pytest.mark.parametrize("version", VERSIONS)
def test_failing_commit_and_terminate_are_told(page, lms, packages, version):
    course, package = packages(version)
    record = learner_half_way(lms, page, package, course)
    again, player = start(lms, page, package, course, previous=record,
                          faults=[{"kind": "Commit", "error": "391"}, {"kind": "Terminate", "error": "391"}])
    player.open_step("Consent")
    expect(save_status(player)).to_contain_text("Your progress could not be saved: don't close this window.")
    player.finish()
    expect(player.frame.locator("#cs-finished").get_by_text(NOT_SAVED)).to_be_visible()
    kept = again.finish_state()
    assert kept.commits == 0 and not kept.terminated
    assert kept.suspend_data == record.suspend_data
    assert again.page_errors == []


@pytest.mark.parametrize("version", VERSIONS)
def test_an_api_that_vanishes_is_told_and_nothing_throws(page, lms, packages, version):
    course, package = packages(version)
    launch, player = start(lms, page, package, course, faults=[{"kind": "Commit", "vanish": True, "after": 1}])
    player.wait_saved()
    player.open_step("Consent")
    status = save_status(player)
    expect(status).to_contain_text(NOT_RECORDED)
    expect(status).to_contain_text("The connection to your learning management system was lost.")
    player.next()                                                  # navigation still works
    assert player.current_title() == "Consent quiz"
    player.finish()
    expect(player.frame.locator("#cs-finished").get_by_text(NOT_SAVED)).to_be_visible()
    assert launch.page_errors == [] and launch.console_errors() == []
    assert any("threw" in p for p in player.problems())


# --------------------------------------------------------------------------- a slow LMS

OBSERVE_STEPS = """() => {
    const events = window.parent.__lms.events;
    document.getElementById("cs-next").addEventListener("click", () => {
        events.push({what: "click", time: performance.timeOrigin + performance.now()});
    }, true);
    new MutationObserver(records => {
        records.forEach(r => {
            if (r.target.matches("section.step") && !r.target.hidden) {
                const title = r.target.querySelector("h1").textContent;
                // The frame after this one is painted with the new step on screen.
                requestAnimationFrame(() => events.push(
                    {what: "shown", title: title, time: performance.timeOrigin + performance.now()}));
            }
        });
    }).observe(document.getElementById("main"), {subtree: true, attributes: true, attributeFilter: ["hidden"]});
}"""


@pytest.mark.parametrize("version", VERSIONS)
def test_a_five_second_commit_never_holds_up_next(page, lms, packages, version):
    course, package = packages(version)
    # The launch's own commit is quick; every later one takes five seconds.
    launch, player = start(lms, page, package, course, faults=[{"kind": "Commit", "delayMs": 5000, "after": 1}])
    player.wait_saved()
    player.frame.evaluate(OBSERVE_STEPS)
    start_at = len(launch.events())
    player.next()
    page.wait_for_function("n => window.__lms.events.slice(n).some(e => e.what === 'commit-end')", arg=start_at,
                           timeout=20000)
    events = launch.events()[start_at:]
    order = [e["what"] for e in events]
    # The page was on screen before the LMS was even asked to commit it.
    assert order.index("shown") < order.index("commit-start")
    assert events[order.index("shown")]["title"] == "Hand hygiene"
    # After a slow commit the next ones are spaced out: three more steps, no commit in between.
    before = len(launch.events())
    for title in ("Check your understanding", "Consent", "Consent quiz"):
        player.next()
        assert player.current_title() == title
    # "shown" is recorded in the frame after the paint, so it can trail the title by a frame.
    page.wait_for_function("n => window.__lms.events.slice(n).filter(e => e.what === 'shown').length >= 3",
                           arg=before, timeout=20000)
    shown = [e for e in launch.events()[before:] if e["what"] == "shown"]
    assert [e["title"] for e in shown] == ["Check your understanding", "Consent", "Consent quiz"]
    assert not [e for e in launch.events()[before:] if e["what"] == "commit-start"]
    clicks = [e["time"] for e in launch.events() if e["what"] == "click"]
    steps = [e["time"] for e in launch.events() if e["what"] == "shown"]
    print(f"\nSCORM {version}, 5 s Commit: Next click to the next step painted: "
          + ", ".join(f"{shown - click:.0f} ms" for click, shown in zip(clicks, steps[-len(clicks):])))
    # Leaving commits everything at once, slow or not.
    record = launch.close_like_tab()
    assert record.location == "02-next-steps/quiz"
    assert launch.uncommitted() == []
