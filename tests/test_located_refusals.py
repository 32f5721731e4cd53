"""Every refusal points at the line to change, not at `course:1:1` or the zip.

The cases an attack found reported late (in the manifest or PDF step) or at the wrong place.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from PIL import Image

from builder.errors import CourseError
from builder.load import load_course, load_course_with_warnings

from helpers import load_refusal  # noqa: E402

MINIMAL = Path(__file__).parent / "roots" / "minimal"
PAGE = "modules/01-getting-started/01-welcome.md"
QUIZ = "modules/01-getting-started/quiz.yaml"


@pytest.fixture
def course(tmp_path) -> Path:
    target = tmp_path / "course"
    shutil.copytree(MINIMAL, target)
    return target




def _append(path: Path, text: str) -> int:
    """Append `text` to `path`; return the line number where it starts."""
    before = path.read_text()
    if not before.endswith("\n"):
        before += "\n"
    path.write_text(before + text)
    return before.count("\n") + 1


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), "white").save(buffer, "PNG")
    return buffer.getvalue()


def test_noncharacter_in_the_description(course):
    path = course / "course.yaml"
    path.write_text(path.read_text().replace("A short course", "A short\ufffe course"))
    assert "course.yaml:8:1: error: file contains an invisible control character (U+FFFE)" in load_refusal(course)


def test_colour_and_version_lose_a_trailing_newline(course):
    (course / "theme.yaml").write_text('accent_colour: "#ffb81c"\nprimary_colour: "#005eb8\\n"\n')
    path = course / "course.yaml"
    path.write_text(path.read_text().replace("version: 0.1.0", 'version: "0.1.0\\n"'))
    loaded = load_course(course)
    assert loaded.version == "0.1.0" and loaded.theme.primary_colour == "#005eb8"


def test_a_newline_inside_a_pattern_is_refused_at_its_line(course):
    path = course / "course.yaml"
    path.write_text(path.read_text().replace("version: 0.1.0", 'version: "0.1.0\\n1"'))
    message = load_refusal(course)
    assert "course.yaml:5:" in message and "is not a semantic version" in message


def test_raw_local_image(course):
    line = _append(course / PAGE, '\n<img src="../../assets/pipeline.svg" alt="x">\n') + 1
    assert f"{PAGE}:{line}:1: error: URL '../../assets/pipeline.svg' is not allowed in <img src>" in load_refusal(course)


def test_gif_that_cannot_be_read(course):
    (course / "assets" / "broken.gif").write_bytes(b"GIF89a\x02\x00\x02\x00\x80\x00\x00garbage")
    _append(course / PAGE, "\n![A broken picture](../../assets/broken.gif)\n")
    assert "assets/broken.gif:1:1: error: the file cannot be read as a GIF picture" in load_refusal(course)


def test_link_reference_definition(course):
    line = _append(course / PAGE, "\nSee [the form][form].\n\n[form]: javascript:alert(1)\n") + 3
    assert f"{PAGE}:{line}:1: error: unsafe link 'javascript:alert(1)'" in load_refusal(course)


def test_assets_differing_only_in_case(course):
    (course / "assets" / "Photo.png").write_bytes(_png())
    (course / "assets" / "photo.png").write_bytes(_png())
    _append(course / PAGE, "\n![One](../../assets/Photo.png)\n\n![Two](../../assets/photo.png)\n")
    message = load_refusal(course)
    assert "assets/photo.png:1:1: error: assets/photo.png and assets/Photo.png differ only in upper and lower case" in message


def test_asset_under_the_player_folder(course):
    (course / "player").mkdir()
    (course / "player" / "logo.png").write_bytes(_png())
    _append(course / PAGE, "\n![Logo](../../player/logo.png)\n")
    assert "player/logo.png:1:1: error: course files cannot be in a folder named player/" in load_refusal(course)


NUMERIC = """  - id: big-number
    type: numeric
    prompt: How many?
    answer: {answer}
    tolerance: {tolerance}
"""


@pytest.mark.parametrize("answer,tolerance,expected", [
    ("1.0e+21", "0", "too large for an LMS"),
    ("12345678901", "0", "too large for an LMS"),
    ("9999999999.5", "1", "too large for an LMS"),
    ("0.1234567", "0", "more than 6 decimal places"),
    ("1.5", "1.0e-9", "more than 6 decimal places"),
])
def test_numeric_answer_the_lms_cannot_be_told(course, answer, tolerance, expected):
    line = _append(course / QUIZ, NUMERIC.format(answer=answer, tolerance=tolerance))
    key_line = line + (3 if expected == "too large for an LMS" or tolerance == "0" else 4)
    message = load_refusal(course)
    assert f"{QUIZ}:{key_line}:" in message and expected in message, message


def test_numeric_answer_in_exponent_form_within_range_builds(course):
    _append(course / QUIZ, NUMERIC.format(answer="2.5e+3", tolerance="1e-1"))
    question = load_course(course).questions[-1]
    assert question.answer == 2500 and question.tolerance == 0.1


@pytest.mark.parametrize("character", ["\u200b", "\ufeff", "\u202e", "\u2066", "\u00ad"],
                         ids=["zero-width-space", "byte-order-mark", "right-to-left-override", "isolate", "soft-hyphen"])
def test_invisible_character_in_an_answer_is_a_warning_with_its_position(course, character):
    line = _append(course / QUIZ, f"""  - id: fill
    type: fill-in
    prompt: Which word?
    answers:
      - safe{character}guarding
""")
    _, warnings = load_course_with_warnings(course)
    messages = [p.format() for p in warnings]
    assert any(m.startswith(f"{course / QUIZ}:{line + 4}:") and ": warning: " in m and f"U+{ord(character):04X}" in m
               and "at character 5" in m for m in messages), messages
