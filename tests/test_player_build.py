"""The player step without a browser: what write_scos stages, the JSON the JavaScript reads,
and the suspend_data budget that refuses a course too big for SCORM 1.2."""

from __future__ import annotations

import dataclasses
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from builder import suspend_data
from builder.errors import CourseError
from builder.load import load_course
from builder.model import Module, Page, Question, Quiz, ScormSettings, Theme
from builder.player import SCRIPTS, embedded_json, player_data, scos_for, worst_case_suspend_data_length, write_scos
from builder.questions import QUESTION_TYPES
from builder.sco import Sco

ROOTS = Path(__file__).resolve().parent / "roots"
PLAYER_FILES = ("lms.js", "state.js", "quiz.js", "completion.js", "quiz-view.js", "player.js", "style.css")


@pytest.fixture(scope="module")
def basic():
    return load_course(ROOTS / "player-basic")


def per_module(course):
    return dataclasses.replace(course, scorm=ScormSettings(course.scorm.versions, "sco-per-module"))


class _Page(HTMLParser):
    """The facts of a staged HTML page a test needs: attributes, references, the JSON."""

    def __init__(self, text: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.json_text = ""
        self._in_json = False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        self._in_json = tag == "script" and attributes.get("type") == "application/json"

    def handle_endtag(self, tag):
        self._in_json = False

    def handle_data(self, data):
        if self._in_json:
            self.json_text += data

    def first(self, tag):
        return next(attributes for name, attributes in self.tags if name == tag)

    def references(self):
        return [a.get("src") or a.get("href") for t, a in self.tags
                if (t in ("script", "img") and a.get("src")) or (t == "link" and a.get("href"))]


def read_page(path: Path) -> tuple[_Page, dict]:
    page = _Page(path.read_text(encoding="utf-8"))
    return page, json.loads(page.json_text)


# --------------------------------------------------------------------------- single SCO


def test_single_sco_stages_one_page_with_every_file_it_references(basic, tmp_path):
    scos = write_scos(basic, tmp_path, "1.2")
    assert scos == (Sco("player-basic", "Safe care basics", "index.html", ("01-first-steps", "02-next-steps"), None),)
    page, data = read_page(tmp_path / "index.html")
    assert page.first("html")["lang"] == "en-GB"
    assert page.first("meta") == {"charset": "utf-8"}
    for name in PLAYER_FILES:
        assert (tmp_path / "player" / name).is_file()
    # SVGs are staged as the checked, picture-only rewrite (builder/svg.py), never the original bytes.
    from builder.svg import safe_svg_bytes
    assert (tmp_path / "assets" / "hands.svg").read_bytes() == safe_svg_bytes(ROOTS / "player-basic/assets/hands.svg",
                                                                              "assets/hands.svg")
    references = page.references()
    assert "assets/hands.svg" in references
    for reference in references:
        if reference.startswith("data:"):
            continue
        assert not re.match(r"^[a-z]+:|^/|\.\.", reference), reference      # inside the package
        assert (tmp_path / reference).is_file(), reference
    css = (tmp_path / "index.html").read_text(encoding="utf-8")
    for face in re.findall(r'url\("([^"]+)"\)', css):
        assert (tmp_path / face).is_file()
    assert "--cs-primary: #005eb8" in css and "--cs-accent: #ffb81c" in css


def test_the_json_holds_structure_rules_and_answers(basic, tmp_path):
    write_scos(basic, tmp_path, "2004-4th")
    _, data = read_page(tmp_path / "index.html")
    assert data["version"] == "2004"
    assert data["rules"] == {"pagesViewed": 100, "minSeconds": 0}
    assert [s["id"] for s in data["steps"]] == [
        "01-first-steps/01-welcome", "01-first-steps/02-hand-hygiene", "01-first-steps/quiz",
        "02-next-steps/01-consent", "02-next-steps/quiz"]
    assert [s["kind"] for s in data["steps"]] == ["page", "page", "quiz", "page", "quiz"]
    assert data["modules"] == [
        {"id": "01-first-steps", "pages": [0, 1], "quiz": 0},
        {"id": "02-next-steps", "pages": [2], "quiz": 1}]
    first, second = data["quizzes"]
    assert (first["passMark"], first["attempts"], first["shuffle"], first["asked"], first["required"]) == (60, 2, False, 8, True)
    assert (second["passMark"], second["shuffle"]) == (80, True)
    assert (first["track"], second["track"]) == ("first-steps", "next-steps")
    assert [p["track"] for p in data["pages"]] == ["first-steps/welcome", "first-steps/hand-hygiene", "next-steps/consent"]
    questions = {q.pop("id"): q for q in first["questions"]}
    assert all(re.fullmatch(r"[0-9a-f]{8}", q.pop("key")) for q in questions.values())
    for q in questions.values():             # each type's properties, from the one vocabulary
        facts = QUESTION_TYPES[q["type"]].player_facts()
        assert {name: q.pop(name) for name in facts} == facts
    assert questions["q-single"] == {"type": "single", "size": 3, "correct": [0]}
    assert questions["q-multiple"]["correct"] == [0, 1]
    assert questions["q-true-false"]["answer"] is False
    assert questions["q-fill-in"] == {"type": "fill-in", "size": 0, "answers": ["five"], "caseSensitive": False}
    assert questions["q-numeric"] == {"type": "numeric", "size": 0, "answer": 20.0, "tolerance": 2.0}
    assert questions["q-matching"]["size"] == 3 and questions["q-ordering"]["size"] == 4
    assert questions["q-likert"]["size"] == 3
    codec = data["codec"]
    assert codec["limit"] == 64000 and codec["textBytes"] == suspend_data.MAX_TEXT_BYTES
    assert codec["worstCase"] == worst_case_suspend_data_length(basic, scos_for(basic)[0], "2004-4th")
    assert 0 <= codec["fingerprint"] < 2 ** 20 and 0 <= codec["legacyFingerprint"] < 2 ** 12
    assert codec["earlier"] == []                                   # no releases.lock in the course


def test_every_page_and_question_is_rendered_with_labels(basic, tmp_path):
    write_scos(basic, tmp_path, "1.2")
    page, _ = read_page(tmp_path / "index.html")
    sections = [a for t, a in page.tags if t == "section" and "step" in a.get("class", "")]
    assert len(sections) == 6            # 3 pages, 2 quizzes, the end-of-session panel
    labelled = {a["for"] for t, a in page.tags if t == "label"}
    controls = [a for t, a in page.tags if t in ("input", "select")]
    assert len(controls) == 3 + 3 + 2 + 1 + 1 + 3 + 3 + 3 + 2
    assert all(control["id"] in labelled for control in controls)
    assert sum(1 for t, _ in page.tags if t == "fieldset") == 10
    assert sum(1 for t, _ in page.tags if t == "h1") == 6


# --------------------------------------------------------------------------- one SCO per module


def test_sco_per_module_stages_a_page_and_json_per_module(basic, tmp_path):
    course = per_module(basic)
    scos = write_scos(course, tmp_path, "2004-3rd")
    assert scos == (
        Sco("01-first-steps", "First steps", "01-first-steps.html", ("01-first-steps",), 60),
        Sco("02-next-steps", "Next steps", "02-next-steps.html", ("02-next-steps",), 80),
    )
    assert not (tmp_path / "index.html").exists()
    _, first = read_page(tmp_path / "01-first-steps.html")
    _, second = read_page(tmp_path / "02-next-steps.html")
    assert [s["id"] for s in second["steps"]] == ["02-next-steps/01-consent", "02-next-steps/quiz"]
    assert second["modules"] == [{"id": "02-next-steps", "pages": [0], "quiz": 0}]
    assert len(first["pages"]) == 2 and len(first["quizzes"]) == 1
    assert first["storageKey"] != second["storageKey"]


def test_min_minutes_is_shared_out_by_pages_between_module_scos(basic, tmp_path):
    rules = dataclasses.replace(basic.completion, min_minutes=30)
    course = per_module(dataclasses.replace(basic, completion=rules))
    write_scos(course, tmp_path, "1.2")
    seconds = [read_page(tmp_path / f"{m.id}.html")[1]["rules"]["minSeconds"] for m in course.modules]
    assert seconds == [1200, 600]       # 2 and 1 of the 3 pages
    write_scos(dataclasses.replace(basic, completion=rules), tmp_path / "single", "1.2")
    assert read_page(tmp_path / "single" / "index.html")[1]["rules"]["minSeconds"] == 1800


def test_one_required_quiz_gives_the_lms_its_pass_mark(tmp_path):
    course = load_course(ROOTS / "minimal")
    (sco,) = write_scos(course, tmp_path, "1.2")
    assert sco.mastery_percent == course.modules[0].quiz.pass_mark


def test_standalone_build_runs_without_an_lms(basic, tmp_path):
    (sco,) = write_scos(basic, tmp_path, "none")
    _, data = read_page(tmp_path / sco.launch)
    assert data["version"] == "none"


# --------------------------------------------------------------------------- safety


def test_author_text_cannot_break_out_of_the_page(basic, tmp_path):
    hostile = "</script><script>alert(1)</script> & <!-- x"
    module = basic.modules[1]
    question = dataclasses.replace(module.quiz.questions[0], prompt=hostile)
    fill_in = Question(id="hostile", type="fill-in", prompt="Type it", location=question.location, answers=(hostile,))
    quiz = dataclasses.replace(module.quiz, questions=(question, fill_in))
    page = dataclasses.replace(module.pages[0], title=hostile)
    course = dataclasses.replace(basic, modules=(basic.modules[0], dataclasses.replace(module, quiz=quiz, pages=(page,))))
    write_scos(course, tmp_path, "1.2")
    text = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)" not in text
    assert text.count("</script>") == 1 + len(SCRIPTS)   # the JSON's closing tag + the player's scripts
    parsed, data = read_page(tmp_path / "index.html")
    assert data["steps"][3]["title"] == hostile
    assert data["quizzes"][1]["questions"][1]["answers"] == [hostile]


def test_embedded_json_escapes_markup_characters():
    text = str(embedded_json({"a": "</script>&<!--\u2028"}))
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"a": "</script>&<!--\u2028"}


def test_a_colour_that_is_not_a_colour_is_refused(basic, tmp_path):
    course = dataclasses.replace(basic, theme=Theme(primary_colour="red; } body { display: none"))
    with pytest.raises(CourseError, match="primary_colour"):
        write_scos(course, tmp_path, "1.2")


def test_unknown_version_is_refused(basic, tmp_path):
    with pytest.raises(CourseError, match="unknown player version"):
        write_scos(basic, tmp_path, "2004-2nd")


def test_output_is_reproducible(basic, tmp_path):
    write_scos(basic, tmp_path / "a", "2004-4th")
    write_scos(basic, tmp_path / "b", "2004-4th")
    first = {p.relative_to(tmp_path / "a"): p.read_bytes() for p in (tmp_path / "a").rglob("*") if p.is_file()}
    second = {p.relative_to(tmp_path / "b"): p.read_bytes() for p in (tmp_path / "b").rglob("*") if p.is_file()}
    assert first == second


# --------------------------------------------------------------------------- suspend_data budget


def many_modules(course, count: int, template_index: int = 1):
    """`count` copies of one of the course's modules, ids made unique. Module 2 has a page and a
    two-question quiz; module 1 two pages and a quiz of every type, typed answers included."""
    template = course.modules[template_index]
    modules = []
    for n in range(count):
        module_id = f"{n:04d}-module"
        pages = tuple(dataclasses.replace(p, id=f"{module_id}/{p.slug}") for p in template.pages)
        questions = tuple(dataclasses.replace(q, id=f"{q.id}-{n}") for q in template.quiz.questions)
        modules.append(Module(module_id, f"modules/{module_id}", f"Module {n}", (), pages,
                              dataclasses.replace(template.quiz, questions=questions), template.location))
    completion = dataclasses.replace(course.completion, required_quizzes=tuple(m.id for m in modules))
    return dataclasses.replace(course, modules=tuple(modules), completion=completion)


def test_a_course_too_big_for_scorm_12_suspend_data_is_refused(basic, tmp_path):
    course = many_modules(basic, 2000)
    with pytest.raises(CourseError, match=r"suspend_data, more than SCORM 1.2 allows \(4096\)") as refused:
        write_scos(course, tmp_path / "12", "1.2")
    assert "sco-per-module" in refused.value.problems[0].hint
    assert not (tmp_path / "12" / "index.html").exists()
    (sco,) = write_scos(course, tmp_path / "2004", "2004-4th")          # 64000 is room enough
    assert 4096 < worst_case_suspend_data_length(course, sco, "2004-4th") <= 64000
    split = per_module(course)                                          # and so is one SCO a module
    assert all(worst_case_suspend_data_length(split, s, "1.2") < 100 for s in scos_for(split))


def test_typed_answers_are_kept_as_long_as_the_budget_allows(basic):
    def codec(count):
        course = many_modules(basic, count, template_index=0)
        sco = scos_for(course)[0]
        return player_data(course, sco, "1.2")["codec"], worst_case_suspend_data_length(course, sco, "1.2")
    small, small_worst = codec(1)
    assert small["textBytes"] == suspend_data.MAX_TEXT_BYTES and small_worst == small["worstCase"]
    # Many quizzes leave less room: typed text is kept shorter so that the worst case still fits.
    big, big_worst = codec(100)
    assert 0 < big["textBytes"] < suspend_data.MAX_TEXT_BYTES
    assert big_worst == big["worstCase"] <= 4096


def test_worst_case_counts_every_field_of_the_layout():
    quizzes = [{
        "attempts": 3, "asked": 2, "shuffle": True,
        "questions": [
            {"id": "a", "type": "single", "size": 4},          # 3 bits
            {"id": "b", "type": "multiple", "size": 5},        # 6 bits
            {"id": "c", "type": "ordering", "size": 4},        # 1 + 4 * 2 = 9 bits
        ],
    }, {
        "attempts": 0, "asked": 1, "shuffle": False,
        "questions": [{"id": "d", "type": "fill-in", "size": 0}],   # 2 + bits(10) + 80 = 86 bits
    }]
    header = 24 + 10                                           # version, fingerprint, 10 pages
    first = 2 + 7 + 7 + 2 + 16 + (9 + 6)                       # the two widest of three asked
    second = 8 + 7 + 7 + 2 + 16 + 86
    assert suspend_data.worst_case_bits(10, quizzes, 10) == header + first + second
    assert suspend_data.worst_case_length(10, quizzes, 10) == -(-(header + first + second) // 6)
    assert suspend_data.text_budget(10, quizzes, 4096) == suspend_data.MAX_TEXT_BYTES
    # Without typed text: 34 + 49 + 42 = 125 bits, 21 characters; each byte of text adds 8 bits.
    assert suspend_data.text_budget(10, quizzes, 30) == 6            # 176 bits, 30 characters
    assert suspend_data.text_budget(10, quizzes, 21) == 0
    assert suspend_data.text_budget(10, quizzes, 20) is None
