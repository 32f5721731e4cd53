"""The YAML fast path (libyaml's events made into ruamel's nodes, builder/yamldoc.py) reads every
document exactly as the positional parser does: the same values, the same line and column of
every key and value, the same model of every course, and the same located problem for every
mistake (those always come from the positional parser)."""

from __future__ import annotations

import glob
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import builder.yamldoc as yamldoc
from builder.errors import CourseError
from builder.load import load_course_with_warnings
from builder.yamldoc import split_front_matter
from helpers import COURSES, REPO, ROOTS

EXAMPLES = int(os.environ.get("COURSESMITH_FUZZ_EXAMPLES", "200"))
COURSE_DIRS = sorted({os.path.dirname(p) for p in glob.glob(f"{COURSES}/*/course.yaml") + glob.glob(f"{ROOTS}/*/course.yaml")})


def documents() -> list[tuple[str, str, int]]:
    """Every YAML file and page front matter of the default and test courses: (path, text, line offset)."""
    found = []
    for folder in COURSE_DIRS:
        for path in sorted(glob.glob(f"{folder}/**/*.yaml", recursive=True)):
            found.append((path, open(path, encoding="utf-8").read(), 0))
        for path in sorted(glob.glob(f"{folder}/**/*.md", recursive=True)):
            front, _body, _line = split_front_matter(open(path, encoding="utf-8").read())
            if front is not None:
                found.append((path, front, 1))
    return found


def read_both(text: str, path: str = "course.yaml", offset: int = 0):
    """What the positional parser and the whole parse (fast path first) make of `text`: the
    document's values and positions, or the problems it is refused with."""
    def outcome(fast: bool):
        yamldoc.FAST_PATH = fast
        try:
            doc = yamldoc.parse_yaml(text, path, offset)
            return ("read", doc.data, doc.values, doc.keys)
        except CourseError as exc:
            return ("refused", exc.problems)
        finally:
            yamldoc.FAST_PATH = True
    return outcome(False), outcome(True)


def fast_alone(text: str, path: str = "course.yaml", offset: int = 0):
    return yamldoc._build(yamldoc._compose_fast(text), text, path, offset)


def test_every_course_document_reads_the_same_and_the_fast_path_takes_them():
    taken = 0
    for path, text, offset in documents():
        positional, whole = read_both(text, path, offset)
        assert whole == positional, path
        try:
            fast = fast_alone(text, path, offset)
        except (yamldoc._NotPlain, CourseError):
            continue
        assert ("read", fast.data, fast.values, fast.keys) == positional, path
        taken += 1
    # All but the hostile ones: a refused document, a line separator (U+2028) in a prompt.
    assert taken >= len(documents()) - 12


@pytest.mark.parametrize("folder", COURSE_DIRS, ids=os.path.basename)
def test_every_course_loads_to_the_same_model(folder):
    def load(fast: bool):
        yamldoc.FAST_PATH = fast
        try:
            course, warnings = load_course_with_warnings(folder)
            return repr(course), warnings
        except CourseError as exc:
            return "refused", exc.problems
        finally:
            yamldoc.FAST_PATH = True
    assert load(True) == load(False)


SCALARS = ["1_000", "+1", "-0", "00", "01", "1.", "1.5", ".5", "1e5", "1E+5", "-.5e3", "+.5", "0x1F", "0o17",
           "1:30", ".inf", "-.inf", ".nan", "1e", "1.2.3", "9" * 30, "yes", "No", "on", "OFF", "y", "~", "null",
           "Null", "NULL", "true", "True", "TRUE", "false", "2020-01-01", "2020-01-01 10:00:00", "=", "<<",
           "''", '""', "'it''s'", '"a\\/b"', '"tab\\there"', '"\\u00e9"', "é", "😀 wide", "a # comment",
           "a#b", "'quoted # not a comment'", "|\n  literal\n  block\n", ">\n  folded\n  text\n\n  para\n",
           "|-\n  kept\n", ">+\n  folded\n\n", "plain\n  continued\n  more", '"double\n  continued"',
           "[a, b, {c: d}]", "{a: 1, b: [2, 3]}", "", "- x", "[]", "{}"]


@pytest.mark.parametrize("scalar", SCALARS)
def test_a_value_reads_the_same(scalar):
    for text in (f"key: {scalar}\n", f"list:\n  - {scalar}\n  - after\nnext: 😀 {scalar[:3]!r}\n"):
        positional, whole = read_both(text)
        assert whole == positional


REFUSED = {
    "an anchor and an alias": "a: &x [1]\nb: *x\n",
    "an anchor on text": "title: &Important news\n",
    "a tag": "title: !!python/object:os.system x\n",
    "a local tag": "title: !Important news\n",
    "a core tag": "minutes: !!str 5\n",
    "a merge key": "base: {a: 1}\nother:\n  <<: {b: 2}\n",
    "a duplicate key": "title: a\ntitle: b\n",
    "two documents": "title: a\n---\ntitle: b\n",
    "deep nesting": "a: " + "[" * 30 + "]" * 30 + "\n",
    "very deep nesting": "a: " + "[" * 3000 + "]" * 3000 + "\n",
    "a control character": 'title: "bell \\a"\n',
    "a colon in text": "title: Roles: who does what\n",
    "an unclosed quote": 'title: "Welcome\nnext: 1\n',
    "a tab": "a:\n\tb: 1\n",
    "keys not lined up": "a:\n    b: 1\n  c: 2\n",
    "a complex key": "? [a, b]\n: c\n",
    "a line separator": "title: one\u2028two\nnext: 1\n",
    "a next line": "title: one\x85two\n",
}


@pytest.mark.parametrize("text", REFUSED.values(), ids=REFUSED.keys())
def test_a_mistake_or_refused_feature_is_reported_as_by_the_positional_parser(text):
    positional, whole = read_both(text)
    assert whole == positional


YAML_PIECES = st.sampled_from([
    ":", ": ", "- ", "  ", "    ", "\n", "\t", "{", "}", "[", "]", ",", "&a ", "*a", "!t ", "!!str ", "? ",
    "|", ">", "|-", "'", '"', "#", " #", "---\n", "...\n", "~", "null", "yes", "1.5", "0x10", "-.5e3",
    "é", "😀", "\\", "\\n", "title", "id", "a", "b", "1", "%", "@", "`", "\u2028", "\ufeff", "\x85",
])


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pieces=st.lists(st.one_of(YAML_PIECES, st.text(max_size=4)), max_size=40))
def test_any_text_reads_the_same(pieces):
    text = "".join(pieces).replace("\r", "\n")     # as the loader hands files over: \n line ends only
    positional, whole = read_both(text, "page.md", 1)
    assert whole == positional


def test_the_fast_path_is_libyaml_in_c():
    import yaml

    assert yaml.__with_libyaml__, f"PyYAML without libyaml in {REPO / '.venv'}: install the binary wheel"


DOCUMENTS = documents()


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(index=st.integers(0, len(DOCUMENTS) - 1), data=st.data())
def test_any_edit_of_a_course_document_reads_the_same(index, data):
    path, text, offset = DOCUMENTS[index]
    for _ in range(data.draw(st.integers(1, 3))):
        at = data.draw(st.integers(0, len(text)))
        if data.draw(st.booleans()):
            text = text[:at] + data.draw(st.one_of(YAML_PIECES, st.text(max_size=3))) + text[at:]
        else:
            text = text[:at] + text[at + data.draw(st.integers(1, 20)):]
    text = text.replace("\r", "\n")
    positional, whole = read_both(text, path, offset)
    assert whole == positional
