"""Loading real course folders into the frozen model."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from builder.errors import CourseError
from builder.load import load_course
from builder.model import Course

REPO = Path(__file__).resolve().parent.parent
MINIMAL = REPO / "tests" / "roots" / "minimal"


@pytest.fixture(scope="module")
def course() -> Course:
    return load_course(MINIMAL)


def test_minimal_course_loads(course):
    assert course.id == "minimal-course"
    assert course.scorm.versions == ("1.2", "2004-4th")
    assert [m.id for m in course.modules] == ["01-getting-started"]
    assert [p.title for p in course.pages] == ["Welcome", "Try it yourself"]
    assert course.completion.required_quizzes == ("01-getting-started",)
    quiz = course.modules[0].quiz
    assert quiz.pass_mark == 50 and quiz.attempts == 3
    assert [q.type for q in quiz.questions] == ["single", "true-false"]
    assert course.assets == ("assets/pipeline.svg",)


def test_model_is_immutable(course):
    with pytest.raises(dataclasses.FrozenInstanceError):
        course.title = "changed"
    with pytest.raises(dataclasses.FrozenInstanceError):
        course.modules[0].pages[0].html = "<script></script>"
    with pytest.raises(dataclasses.FrozenInstanceError):
        course.completion.pass_mark = 0
    assert isinstance(course.modules, tuple)
    assert isinstance(course.modules[0].quiz.questions[0].options, tuple)
    with pytest.raises(AttributeError):
        course.modules.append(None)  # tuples, not lists


def test_every_collection_in_the_model_is_a_tuple(course):
    def walk(value):
        if dataclasses.is_dataclass(value):
            for field in dataclasses.fields(value):
                walk(getattr(value, field.name))
        assert not isinstance(value, (list, dict, set)), f"mutable {type(value).__name__} in the model"
        if isinstance(value, tuple):
            for item in value:
                walk(item)
    walk(course)


def test_page_html_follows_the_conventions(course):
    welcome, try_it = course.pages
    assert '<img src="assets/pipeline.svg" alt="A simple diagram' in welcome.html
    assert '<div class="admonition tip">' in welcome.html
    assert "Facilitator note" not in welcome.html
    assert '<aside class="facilitator-note">' in welcome.facilitator_html
    assert welcome.facilitator_notes == ("Allow 3 minutes. Ask the group what they expect from the session.",)
    assert "<table>" in try_it.html and '<div class="admonition activity">' in try_it.html


def test_headings_shift_and_external_links_open_safely(tmp_path):
    course_dir = _copy(tmp_path)
    page = course_dir / "modules/01-getting-started/01-welcome.md"
    page.write_text(page.read_text() + "\n# Section\n\nSee [the guide](https://example.org/guide).\n")
    html = load_course(course_dir).pages[0].html
    assert "<h2>Section</h2>" in html and "<h1>" not in html
    assert 'href="https://example.org/guide" target="_blank" rel="noopener noreferrer"' in html


def test_template_syntax_in_author_text_stays_literal(tmp_path):
    course_dir = _copy(tmp_path)
    page = course_dir / "modules/01-getting-started/01-welcome.md"
    page.write_text(page.read_text() + "\nTotal: {{ 7*7 }} and {% raw %}\n")
    assert "{{ 7*7 }}" in load_course(course_dir).pages[0].html


def test_yes_stays_text_in_yaml_1_2(tmp_path):
    course_dir = _copy(tmp_path)
    course_file = course_dir / "course.yaml"
    course_file.write_text(course_file.read_text().replace("title: My first course", "title: yes"))
    assert load_course(course_dir).title == "yes"


def test_default_courses_load():
    for course_dir in sorted((REPO / "courses").iterdir()):
        course = load_course(course_dir)
        assert course.pages and course.id == course_dir.name


def test_billion_laughs_is_refused_without_expanding(tmp_path, monkeypatch):
    from builder import yamldoc

    course_dir = _copy(tmp_path)
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(12))
    (course_dir / "theme.yaml").write_text(bomb)
    built = []                                   # every value the loader builds of theme.yaml
    build = yamldoc._Builder.build

    def counted(self, node, loc, depth):
        if Path(self.doc.path).name == "theme.yaml":
            built.append(loc)
        return build(self, node, loc, depth)
    monkeypatch.setattr(yamldoc._Builder, "build", counted)
    with pytest.raises(CourseError) as raised:
        load_course(course_dir)
    refused = [p for p in raised.value.problems if p.code == "CS202"]
    # Refused at the first alias (`b: &b [*a, ...]`, pointing at the value `&a` it repeats), with only
    # the values written before it built: the top mapping, `a` and its nine items, `b`, and the alias.
    assert [(Path(p.path).name, p.line, p.column) for p in refused] == [("theme.yaml", 1, 4)]
    assert built == [(), ("a",), *[("a", i) for i in range(9)], ("b",), ("b", 0)]


def _copy(tmp_path: Path) -> Path:
    import shutil
    target = tmp_path / "course"
    shutil.copytree(MINIMAL, target)
    return target


def test_folded_text_has_no_control_characters():
    course = load_course(MINIMAL)
    assert course.description.startswith("A short course made with coursesmith. Replace")
    assert all(ch >= " " for ch in course.description)


def test_links_to_course_files_open_in_a_new_tab(tmp_path):
    course_dir = _copy(tmp_path)
    page = course_dir / "modules/01-getting-started/01-welcome.md"
    page.write_text(page.read_text() + "\n[The diagram](../../assets/pipeline.svg) and [a footnote](#fn-x).\n")
    html = load_course(course_dir).pages[0].html
    assert '<a href="assets/pipeline.svg" target="_blank" rel="noopener noreferrer">' in html
    assert '<a href="#fn-x">' in html


def test_github_annotation_escapes_the_file_property():
    from builder.errors import Problem, format_github
    line = format_github(Problem("gh/a,b:c/course.yaml", 17, 3, "pass mark 180% out of range", "use 0%-100%"))
    assert line == "::error file=gh/a%2Cb%3Ac/course.yaml,line=17,col=3::pass mark 180%25 out of range (use 0%25-100%25)"
