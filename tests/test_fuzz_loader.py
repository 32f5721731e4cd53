"""Property-based fuzzing of the loader on mutated valid courses.

Whatever an author's editor does to a course file, the outcome is a loaded course or CourseError
with located problems, never another exception. CI runs a bounded number of examples; for a
longer run locally:

    COURSESMITH_FUZZ_EXAMPLES=5000 .venv/bin/python -m pytest tests/test_fuzz_loader.py
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.errors import CourseError
from builder.load import load_course

MINIMAL = Path(__file__).parent / "roots" / "minimal"
FILES = sorted(str(p.relative_to(MINIMAL)) for p in MINIMAL.rglob("*") if p.suffix in (".yaml", ".md"))
EXAMPLES = int(os.environ.get("COURSESMITH_FUZZ_EXAMPLES", "150"))

YAML_SNIPPETS = st.sampled_from([
    ":", "- ", "  ", "\t", "{", "}", "[", "]", "&a ", "*a", "!!python/object:os.system ", "!tag ", "? ",
    "|", ">", "'", '"', "#", "%YAML 1.1\n", "---\n", "...\n", "~", "null", "yes", "1.2", "0x10", "1e999",
    "\x00", "\ufeff", "\u202e", "é", "<script>", "{{ 7*7 }}", "](javascript:x)", "![](", "<!--", "-->",
    "!!! ", "    ", "\n", "\r\n", "id: ", "type: ", "correct: ", "title: ", "questions:\n  - ",
])


@st.composite
def mutations(draw):
    name = draw(st.sampled_from(FILES))
    text = (MINIMAL / name).read_text(encoding="utf-8")
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["insert", "delete", "replace", "bytes"]))
        position = draw(st.integers(0, max(len(text) - 1, 0)))
        if kind == "insert":
            snippet = draw(st.one_of(YAML_SNIPPETS, st.text(max_size=12)))
            text = text[:position] + snippet + text[position:]
        elif kind == "delete":
            text = text[:position] + text[position + draw(st.integers(1, 40)):]
        elif kind == "replace":
            lines = text.split("\n")
            index = draw(st.integers(0, len(lines) - 1))
            lines[index] = draw(st.one_of(YAML_SNIPPETS, st.text(max_size=30)))
            text = "\n".join(lines)
        else:
            return name, text.encode("utf-8", "surrogatepass")[:position] + draw(st.binary(max_size=8))
    return name, text.encode("utf-8", "surrogatepass")


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutation=mutations())
def test_mutated_course_loads_or_reports_located_problems(mutation):
    name, content = mutation
    with tempfile.TemporaryDirectory() as folder:
        course = Path(folder) / "course"
        shutil.copytree(MINIMAL, course)
        (course / name).write_bytes(content)
        try:
            load_course(course)
        except CourseError as exc:
            assert exc.problems
            lines = _line_count(content)
            for problem in exc.problems:
                assert problem.path.startswith(str(course))
                assert problem.line >= 1 and problem.column >= 1
                assert problem.message
                if problem.path == str(course / name):
                    # A message must point at a line the file has (the end counts, for "missing" keys).
                    assert problem.line <= lines + 1, (problem.format(), lines)


def _line_count(content: bytes) -> int:
    text = content.decode("utf-8", "replace")
    return text.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1
