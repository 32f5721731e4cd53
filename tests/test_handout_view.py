"""The decisions a handout makes before layout: print order, answer lines, timings, page fitting."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

from hypothesis import given
from hypothesis import strategies as st

from builder.handout.fragments import fit_page_html
from builder.handout.view import (
    HandoutView,
    format_clock,
    format_number,
    printed_order,
    question_view,
)
from builder import ui_text
from builder.model import Location, Option, Pair, Question

HERE = Location("quiz.yaml", 1, 1)


@given(st.lists(st.text(min_size=1, max_size=12), min_size=2, max_size=8, unique=True))
def test_printed_order_is_fixed_and_never_the_authored_order(texts):
    shown = printed_order(texts)
    assert sorted(shown) == sorted(texts)
    assert shown != texts
    assert printed_order(list(texts)) == shown


def test_matching_letters_follow_the_printed_order():
    question = Question("m", "matching", "Match them", HERE, pairs=(
        Pair("Slide sheet", "up the bed"), Pair("Hoist", "bed to chair"), Pair("Belt", "walking")))
    view = question_view(question, 1)
    assert [c.text for c in view.match_choices] == ["bed to chair", "up the bed", "walking"]
    assert [row.answer_letter for row in view.match_rows] == ["B", "A", "C"]
    assert view.answer == "1\u2013B, 2\u2013A, 3\u2013C"


def test_ordering_positions_and_answer():
    question = Question("o", "ordering", "Order them", HERE, items=("Explain", "Check", "Move"))
    view = question_view(question, 2)
    assert [(i.letter, i.text, i.position) for i in view.order_items] == [
        ("A", "Check", 2), ("B", "Explain", 1), ("C", "Move", 3)]
    assert view.answer == "write A 2, B 1, C 3 (in order: B, A, C)"   # what goes in each box, then the order


def test_choice_answers_name_letter_and_text_as_printed():
    options = (Option("first", correct=True), Option("second"), Option("third", correct=True))
    view = question_view(Question("s", "multiple", "Pick", HERE, options=options), 1)
    assert [(c.letter, c.text) for c in view.choices] == [("A", "second"), ("B", "third"), ("C", "first")]
    assert view.answer == "B: third; C: first"
    again = question_view(Question("s", "multiple", "Pick again", HERE, options=options), 4)
    assert again.choices == view.choices                      # seeded by the id: the same every build


def test_options_shuffle_by_question_id_and_an_author_can_pin_them():
    options = tuple(Option(text, correct=text == "B") for text in "ABCDEF")
    orders = {tuple(c.text for c in question_view(Question(f"q{n}", "single", "?", HERE, options=options), 1).choices)
              for n in range(20)}
    assert len(orders) > 10 and ("A", "B", "C", "D", "E", "F") not in orders
    pinned = question_view(Question("q1", "single", "?", HERE, options=options, shuffle=False), 1)
    assert [c.text for c in pinned.choices] == list("ABCDEF")


def test_typed_answers():
    assert question_view(Question("t", "true-false", "?", HERE, answer=False), 1).answer == "False"
    assert question_view(Question("f", "fill-in", "?", HERE, answers=("Operations", "Operation"),
                                  case_sensitive=True), 1).answer == "Operations or Operation (case-sensitive)"
    assert question_view(Question("n", "numeric", "?", HERE, answer=2.5, tolerance=0.25), 1).answer == "2.5 (± 0.25)"
    assert question_view(Question("l", "likert", "?", HERE, scale=("No", "Yes")), 1).answer == ""


def test_number_and_time_formats():
    assert [format_number(v) for v in (6.0, -3.0, 0.1, 1234.5)] == ["6", "\u22123", "0.1", "1234.5"]
    assert [ui_text.words("en-GB").minutes(m) for m in (1, 45, 60, 90, 120)] == [
        "1 minute", "45 minutes", "1 hour", "1 hour 30 minutes", "2 hours"]
    assert [format_clock(m) for m in (0, 5, 65)] == ["0:00", "0:05", "1:05"]


def test_source_date_is_printed_in_utc():
    late_evening_in_new_york = datetime(2025, 3, 11, 22, 30, tzinfo=timezone(timedelta(hours=-5)))
    course = SimpleNamespace(language="en-GB", strings=())
    view = HandoutView(course=course, edition="participant", modules=(), source_date=late_evening_in_new_york)
    assert view.date_text == "12 March 2025"
    assert view.date_w3c == "2025-03-12T03:30:00Z"


def test_page_html_is_fitted_into_the_shared_document():
    html = ('<h2 id="steps">Steps</h2><p>See<sup><a href="#fn1" id="fnref1">1</a></sup></p>'
            '<p><img src="assets/a.svg" alt="A hoist"></p>'
            '<p><img src="assets/b.svg" alt="A sling" title="Figure 2: the sling"></p>'
            '<p>Inline <img src="assets/c.svg" alt="icon"> image</p>'
            '<p><a href="assets/form.docx">the form</a> and <a href="https://example.org/">a site</a></p>')
    fitted = fit_page_html(html, "page-m1-p1")
    assert '<h3 id="page-m1-p1-steps">Steps</h3>' in fitted
    assert 'href="#page-m1-p1-fn1" id="page-m1-p1-fnref1"' in fitted
    assert '<figure><img src="assets/a.svg" alt="A hoist"><figcaption>A hoist</figcaption></figure>' in fitted
    assert '<figcaption>Figure 2: the sling</figcaption>' in fitted
    assert '<p>Inline <img src="assets/c.svg" alt="icon"> image</p>' in fitted
    assert '<a>the form</a> and <a href="https://example.org/">a site</a>' in fitted
