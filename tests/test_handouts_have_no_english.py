"""The hidden-string test in print: both handouts of the Welsh course (tests/roots/player-basic
translated by reversing each word, `languages: [en-GB, cy]`, participant and facilitator
editions) hold no English UI string of builder/locale/messages.pot in their text, as poppler
reads it; the English handouts, built beside them, do (so the check can find one)."""

from __future__ import annotations

import re

import pytest

from helpers import coursesmith, pdftotext
from translation_support import english_left, english_ui_strings, two_language_course

NEEDLES = english_ui_strings("cy")
# The facilitator's tracking table gives the values the LMS stores as SCORM spells them
# (lesson_status "passed", exit "suspend"): data the facilitator looks up in the LMS, not words.
SCORM_VALUES = re.compile(r"\b(passed|failed|completed|incomplete|unknown|suspend|normal)\b")


@pytest.fixture(scope="module")
def handouts(tmp_path_factory):
    folder = tmp_path_factory.mktemp("handouts")
    course = two_language_course(folder)
    yaml = course / "course.yaml"
    yaml.write_text(yaml.read_text().replace("editions: [participant]", "editions: [participant, facilitator]"))
    ran = coursesmith("build", str(course), "--out", str(folder / "dist"), "--scorm", "1.2")
    assert ran.returncode == 0, ran.output
    return folder / "dist/player-basic"


def _text(path) -> str:
    # Whitespace as one space: a message may break over lines (hyphenation is off for Welsh).
    return re.sub(r"\s+", " ", " ".join(pdftotext(path, "-raw")))


def _words_of(text: str) -> str:
    return SCORM_VALUES.sub("", text)


@pytest.mark.parametrize("edition", ["participant", "facilitator"])
def test_the_welsh_handout_has_no_english_ui_string(handouts, edition):
    text = _text(handouts / f"player-basic-cy-1.0.0-{edition}.pdf")
    assert len(text) > 1000                                # a real handout was read
    assert english_left(_words_of(text), NEEDLES) == []


@pytest.mark.parametrize("edition", ["participant", "facilitator"])
def test_the_english_handout_is_found_out(handouts, edition):
    found = english_left(_words_of(_text(handouts / f"player-basic-1.0.0-{edition}.pdf")), NEEDLES)
    if edition == "participant":
        assert {"Participant handout", "Write your name here", "Tick one answer"} <= set(found)
    else:
        assert {"Facilitator guide", "Facilitator note", "Answer key", "Session plan", "Outcome"} <= set(found)
