"""Hostile text that the builder accepts (it is plain text) must stay plain text in the package.

tests/roots/hostile-text puts a payload in every text field: titles, description, authors,
objectives, prompts, options, feedback, answers, pairs, items, scale labels, code spans and
template syntax. Each payload tries to set `window.__pwned`, open a dialog or load something. In a
strict LMS runtime in Chromium we walk every page, answer every question and see every feedback,
and prove: no script ran, no dialog opened, no request left the package, and the text shows
literally.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from player_support import PlayerDriver, build_package, build_preview, load_root

PAYLOAD_COUNT = 25   # the payloads in tests/roots/hostile-text (see its files)


@pytest.fixture(scope="module")
def course():
    return load_root("hostile-text")


def _pwned(frame) -> list:
    return frame.evaluate("() => [window.__pwned, window.parent && window.parent.__pwned].filter(Boolean)")


def _walk_everything(player: PlayerDriver, course) -> None:
    # Next, not the menu: the titles hold "/" which Playwright's name regex cannot carry.
    start = player.quiz_section().get_by_role("button", name="Start the quiz")
    for _ in range(len(course.pages) + 2):
        if start.is_visible():
            break
        player.next()
    player.start_quiz()
    for question_id in player.asked_ids():
        player.answer(question_id, correct=False)
    player.see_result()
    player.start_quiz()
    player.answer_attempt()
    player.see_result()


@pytest.mark.parametrize("version", ["1.2", "2004-4th"])
def test_hostile_text_is_harmless_in_the_lms(lms, page, tmp_path, course, version):
    package = build_package(course, version, tmp_path)
    launch = lms.launch(page, package)
    player = PlayerDriver(launch.frame, course).ready()
    _walk_everything(player, course)

    assert _pwned(launch.frame) == []
    assert launch.dialogs == []
    assert launch.outside_requests() == []
    launch.assert_clean()
    body = launch.frame.locator("body").text_content()
    for literal in ("</title><script>window.__pwned='course-title'</script>",
                    "<script>window.__pwned='code'</script>", "{{ 7*7 }}",
                    "<script>window.__pwned='quiz-title'</script>"):
        assert literal in body, literal
    assert launch.frame.locator("script:not([src]):not([type='application/json'])").count() <= 1
    player.finish()
    assert _pwned(page.main_frame) == []


def test_hostile_text_is_harmless_in_the_standalone_preview(page, tmp_path, course):
    folder = build_preview(course, tmp_path / "preview")
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto((folder / "index.html").as_uri())
    player = PlayerDriver(page.main_frame, course).ready()
    _walk_everything(player, course)
    assert _pwned(page.main_frame) == []
    assert dialogs == []
    assert all(url.startswith(folder.as_uri()) for url in requests), requests


def test_embedded_course_data_cannot_close_its_script(tmp_path, course):
    folder = build_preview(course, tmp_path / "preview")
    html = (folder / "index.html").read_text(encoding="utf-8")
    data = re.findall(r'<script type="application/json"[^>]*>(.*?)</script>', html, re.S)
    assert data, "the course data is embedded as JSON"
    for block in data:
        assert "</" not in block and "<script" not in block.lower()
        assert "\u2028" not in block and "\u2029" not in block


def test_payload_count():
    text = "".join(p.read_text(encoding="utf-8") for p in
                   (load_root("hostile-text").source_dir).rglob("*") if p.is_file())
    assert text.count("__pwned") + text.count("alert") >= PAYLOAD_COUNT
