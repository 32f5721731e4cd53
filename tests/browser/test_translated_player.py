"""The translated course in the real player: tests/roots/player-basic extracted, translated by
reversing each word, applied and built with `languages: [en-GB, cy]`; the Welsh package, launched
under the test LMS, shows the translated pages and questions and scores the translated quiz as the
source's would be scored.

The learner is driven by the page's own hooks (data-action, data-role, input values) and the
translated texts from the model, never by the player's UI words, which are Welsh here too.
"""

from __future__ import annotations


import pytest
from playwright.sync_api import expect

from translation_support import reversed_words, welsh_package


@pytest.fixture(scope="module")
def welsh(tmp_path_factory):
    return welsh_package(tmp_path_factory.mktemp("welsh"))


def _open(frame, title: str) -> None:
    frame.locator("a[data-step-link]").filter(has_text=title).first.click()
    expect(frame.locator("section.step:not([hidden]) h1")).to_have_text(title)


def _answer(frame, question) -> None:
    block = frame.locator(f"#q-{question.id}")
    if question.type in ("single", "multiple"):
        for option in question.options:
            if option.correct:
                block.get_by_label(option.text, exact=True).check()
    elif question.type == "true-false":
        block.locator(f'input[value="{str(question.answer).lower()}"]').check()
    elif question.type == "fill-in":
        block.locator('[data-role="text"]').fill(question.answers[0])
    elif question.type == "numeric":
        block.locator('[data-role="text"]').fill(f"{question.answer:g}")
    elif question.type == "matching":
        for pair in question.pairs:
            block.get_by_label(pair.left, exact=True).select_option(label=pair.right)
    elif question.type == "ordering":
        for position, text in enumerate(question.items):
            while (at := block.locator(".order-text").all_inner_texts().index(text)) != position:
                block.locator(".order-item").nth(at).locator('[data-move="up"]').click()
    elif question.type == "likert":
        block.get_by_label(question.scale[0], exact=True).check()
    block.locator('[data-action="check"]').click()
    expect(block.locator('[data-role="feedback"] [data-verdict]:not([hidden])')).to_have_count(1)


def test_the_welsh_package_shows_the_translation_and_scores_the_translated_quiz(page, lms, welsh):
    course, package = welsh
    launch = lms.launch(page, package)
    frame = launch.frame
    frame.wait_for_function("() => window.Coursesmith && window.Coursesmith.player")
    assert frame.evaluate("document.documentElement.lang") == "cy"
    for page_ in course.pages:
        _open(frame, page_.title)
    _open(frame, course.pages[0].title)
    shown = frame.locator("section.step:not([hidden])")
    expect(shown).to_contain_text(reversed_words("This course covers a few"))
    expect(shown.locator('a[href="https://www.example.org/hands"]')).to_have_text(reversed_words("hand hygiene guide"))
    expect(shown.get_by_role("img", name=reversed_words("Two hands under running water"))).to_be_visible()
    for module in course.modules:
        _open(frame, module.quiz.title)
        section = frame.locator("section.step:not([hidden])")
        section.locator('[data-action="start"]').click()
        asked = frame.evaluate("""() => Array.from(document.querySelectorAll(
            'section.step:not([hidden]) .question:not([hidden])')).map(q => q.id.replace(/^q-/, ''))""")
        for question_id in asked:
            question = next(q for q in module.quiz.questions if q.id == question_id)
            expect(frame.locator(f"#q-{question_id}")).to_contain_text(question.prompt)
            _answer(frame, question)
        section.locator('[data-action="results"]').click()
        expect(section.locator('[data-slot="last"]')).to_have_text("100")
    assert frame.evaluate("() => window.Coursesmith.problems.slice()") == []
    record = launch.close_like_tab()
    launch.assert_clean()
    assert (record.get("cmi.score.raw"), record.get("cmi.success_status"),
            record.get("cmi.completion_status")) == ("100", "passed", "completed")
