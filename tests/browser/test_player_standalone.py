"""The player without an LMS: opened straight from file://, it works, says that nothing is
tracked, keeps progress in the browser and requests nothing outside its own folder. An LMS API
in a cross-origin parent is not reachable and must not break it either."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from player_support import PlayerDriver, build_package, build_preview, load_root

NOTICE = "Preview: no learning management system is recording this visit."


class Watched:
    """A page's console errors, uncaught exceptions, dialogs and requests."""

    def __init__(self, page):
        self.errors, self.requests = [], []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("dialog", lambda d: (self.errors.append("dialog: " + d.message), d.dismiss()))
        page.on("request", lambda r: self.requests.append(r.url))


@pytest.fixture(scope="module")
def course():
    return load_root("player-basic")


def test_the_preview_build_runs_from_file(page, course, tmp_path):
    folder = build_preview(course, tmp_path / "preview")
    watched = Watched(page)
    page.goto((folder / "index.html").as_uri())
    player = PlayerDriver(page.main_frame, course).ready()
    expect(page.get_by_text(NOTICE)).to_be_visible()
    player.next()
    assert player.current_title() == "Hand hygiene"
    player.take_quiz("Check your understanding")
    expect(player.quiz_section().get_by_text("You have passed this quiz.")).to_be_visible()
    assert player.progress_text() == "2 of 3 pages viewed"

    page.reload()                                      # progress stays in this browser
    player = PlayerDriver(page.main_frame, course).ready()
    assert player.current_title() == "Check your understanding"
    assert player.progress_text() == "2 of 3 pages viewed"
    expect(player.quiz_section().get_by_text("You have passed this quiz.")).to_be_visible()
    player.finish()
    expect(page.get_by_text("Your progress is kept in this browser. You can close this window.")).to_be_visible()

    assert watched.errors == [] and player.problems() == []
    assert all(url.startswith(folder.as_uri() + "/") or url.startswith("data:") for url in watched.requests), \
        watched.requests


def test_a_scorm_package_opened_without_an_lms_falls_back_to_preview(page, course, tmp_path):
    package = build_package(course, "1.2", tmp_path)
    watched = Watched(page)
    page.goto((package / "index.html").as_uri())
    player = PlayerDriver(page.main_frame, course).ready()
    expect(page.get_by_text(NOTICE)).to_be_visible()
    player.next()
    player.open_step("Consent quiz")
    player.start_quiz()
    player.answer_attempt()
    assert watched.errors == [] and player.problems() == []
    assert all(url.startswith(package.as_uri() + "/") or url.startswith("data:") for url in watched.requests)


def test_storage_that_refuses_does_not_stop_the_course(page, course, tmp_path):
    folder = build_preview(course, tmp_path / "preview")
    page.add_init_script("""Object.defineProperty(window, 'localStorage', {
        get() { throw new DOMException('denied', 'SecurityError'); }})""")
    watched = Watched(page)
    page.goto((folder / "index.html").as_uri())
    player = PlayerDriver(page.main_frame, course).ready()
    player.next()
    player.finish()
    assert watched.errors == [] and player.problems() == []


def test_an_api_in_a_cross_origin_parent_is_skipped_safely(page, lms_server, course, tmp_path):
    package = build_package(course, "2004-4th", tmp_path)
    url = lms_server.mount(package) + "index.html"
    watched = Watched(page)
    # The parent is about:blank on another origin: reading its properties throws SecurityError.
    page.set_content(
        "<script>window.calls = 0; window.API_1484_11 = {Initialize() { window.calls += 1; return 'true'; }};</script>"
        f'<iframe name="sco" title="Course" src="{url}"></iframe>')
    frame = page.frame(name="sco")
    frame.wait_for_load_state()
    player = PlayerDriver(frame, course).ready()
    assert frame.evaluate("() => { try { return String(parent.API_1484_11); } catch (e) { return e.name; } }") \
        == "SecurityError"
    expect(frame.get_by_text(NOTICE)).to_be_visible()
    player.next()
    assert page.evaluate("() => window.calls") == 0
    assert watched.errors == [] and player.problems() == []
