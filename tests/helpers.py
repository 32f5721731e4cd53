"""What many test files need, in one place (test files never import each other).

- Where things are: REPO, ROOTS (tests/roots), COURSES (the default courses), OFFICIAL_SCHEMAS.
- `coursesmith(...)`: the command line run in this process with click's CliRunner, the way most
  tests should meet it; `coursesmith_process(...)`: the real `python -m builder` process, only for
  what needs one (signals, the process's own exit status and terminal, the installed wheel).
- `snapshot(folder)`: every file's sha256, to prove a folder was left exactly as it was.
- `official_schema(version)`: the SCORM schemas compiled by the recipe in their README, independently
  of builder.scorm, so packaging tests do not mark the packager's homework with its own validator.
- `make_course()`, `make_scos()`, STAGING: a course model and a stand-in player hand-over for the
  packaging tests that change the model or break the files.
- `Built`, `pdftotext`, `squash`: a PDF read back the way a reader (and poppler) sees it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass, replace
from pathlib import Path

from click.testing import CliRunner
from lxml import etree

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
ROOTS = TESTS / "roots"
COURSES = REPO / "courses"
DATA = TESTS / "data"
# The vendored copy of the official schemas: tests/data/scorm-schemas.sha256 holds the checksums of
# the official files, and test_scorm_schemas proves every vendored file matches them byte for byte.
OFFICIAL_SCHEMAS = REPO / "templates" / "scorm" / "schemas"
SCHEMA_CHECKSUMS = DATA / "scorm-schemas.sha256"

# Not a speed claim: a process that hangs must end its test, not the whole CI job. Nothing normal
# comes near it (a full build of both default courses takes well under a minute on one idle core).
HANG_GUARD_SECONDS = 900


def course_path(name: str) -> Path:
    """A test course (tests/roots/NAME) or a default course (courses/NAME), to read only."""
    for folder in (ROOTS / name, COURSES / name):
        if (folder / "course.yaml").is_file():
            return folder
    raise LookupError(f"no test course or default course is called {name!r}")


# --- the command line ---------------------------------------------------------------------

@dataclass(frozen=True)
class Ran:
    """What a run of the command line left: its exit status and what it printed."""
    returncode: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def coursesmith(*args: str, cwd: Path | str | None = None, env: dict | None = None) -> Ran:
    """`coursesmith ARGS` in this process: the real command, its real exit status and output.

    An exception escaping the command (which a user would see as a traceback) is re-raised, so the
    test fails on it with the traceback instead of comparing output that never came."""
    from builder.cli import main

    runner = CliRunner()
    with contextlib.chdir(cwd) if cwd is not None else contextlib.nullcontext():
        result = runner.invoke(main, [str(a) for a in args], env={"NO_COLOR": "1", **(env or {})},
                               catch_exceptions=False)
    return Ran(result.exit_code, result.stdout, result.stderr)


def coursesmith_process(*args: str, cwd: Path | str | None = None, env: dict | None = None,
                        **options) -> subprocess.CompletedProcess:
    """`python -m builder ARGS` as its own process, for tests about the process itself."""
    return subprocess.run([sys.executable, "-m", "builder", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, timeout=HANG_GUARD_SECONDS,
                          env={**os.environ, "NO_COLOR": "1", **(env or {})}, **options)


_LIST_MODULES = """
import json, sys
from builder.cli import main
try:
    main(sys.argv[1:], prog_name="coursesmith")
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


def modules_loaded(*args: str, env: dict | None = None) -> tuple[list[str], str]:
    """`coursesmith ARGS` in a fresh interpreter: the modules it loaded, and what it printed on stderr."""
    ran = subprocess.run([sys.executable, "-c", _LIST_MODULES, *map(str, args)], capture_output=True, text=True,
                         timeout=HANG_GUARD_SECONDS, env={**os.environ, **(env or {})})
    return json.loads(ran.stderr.strip().splitlines()[-1]), ran.stderr


def load_refusal(course: Path) -> str:
    """The text of the problems loading `course` is refused with (fails the test if it loads)."""
    import pytest

    from builder.errors import CourseError
    from builder.load import load_course

    with pytest.raises(CourseError) as raised:
        load_course(course)
    return "\n".join(p.format() for p in raised.value.problems)


def messages_at(output: str, prefix: str) -> list[str]:
    """Each message starting with `prefix`, joined with the indented lines under it (the line as
    written with its caret, the hint, the line as it should read)."""
    lines = output.splitlines()
    found = []
    for i, line in enumerate(lines):
        if line.startswith(prefix):
            end = i + 1
            while end < len(lines) and lines[end].startswith("    "):
                end += 1
            found.append("\n".join(lines[i:end]))
    return found


# --- folders ------------------------------------------------------------------------------

def alive(pid: int) -> bool:
    """The process runs (it exists and is not a zombie waiting for its parent)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def snapshot(folder: Path) -> dict[str, str]:
    """Every entry under `folder`: a file's sha256, or "dir"."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
            for p in sorted(folder.rglob("*"))}


def read_checksums(path: Path) -> dict[str, str]:
    """A `sha256sum` listing as {relative path: digest}."""
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            digest, name = line.split("  ", 1)
            found[name] = digest
    return found


# --- the official SCORM schemas, compiled as their README says ----------------------------

OFFICIAL_IMPORTS = {
    "1.2": ("scorm12", {
        "http://www.imsproject.org/xsd/imscp_rootv1p1p2": "imscp_rootv1p1p2.xsd",
        "http://www.adlnet.org/xsd/adlcp_rootv1p2": "adlcp_rootv1p2.xsd",
        "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1": "imsmd_rootv1p2p1.xsd",
    }),
    "2004-3rd": ("scorm2004-3rd", None),
    "2004-4th": ("scorm2004-4th", None),
}
IMPORTS_2004 = {
    "http://www.imsglobal.org/xsd/imscp_v1p1": "imscp_v1p1.xsd",
    "http://www.adlnet.org/xsd/adlcp_v1p3": "adlcp_v1p3.xsd",
    "http://www.adlnet.org/xsd/adlseq_v1p3": "adlseq_v1p3.xsd",
    "http://www.adlnet.org/xsd/adlnav_v1p3": "adlnav_v1p3.xsd",
    "http://www.imsglobal.org/xsd/imsss": "imsss_v1p0.xsd",
    "http://ltsc.ieee.org/xsd/LOM": "lom.xsd",
}

_compiled: dict[str, etree.XMLSchema] = {}


def official_schema(version: str) -> etree.XMLSchema:
    """The README's recipe: a wrapper importing each namespace, a resolver that stays offline."""
    if version in _compiled:
        return _compiled[version]
    folder_name, imports = OFFICIAL_IMPORTS[version]
    imports = imports or IMPORTS_2004
    folder = OFFICIAL_SCHEMAS / folder_name

    class Local(etree.Resolver):
        def resolve(self, url, pubid, context):
            if url in ("http://www.w3.org/2001/xml.xsd", "http://www.w3.org/2001/03/xml.xsd"):
                return self.resolve_filename(str(folder / "xml.xsd"), context)
            if url.startswith(("http:", "https:")):
                raise ValueError(f"unexpected remote schema {url}")
            if url.endswith("imsmd_rootv1p2p1.xsd"):
                data = Path(url).read_bytes().replace(b'namespace="##any"', b'namespace="##other"')
                return self.resolve_string(data, context, base_url=url)
            return None

    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    parser.resolvers.add(Local())
    wrapper = '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">' + "".join(
        f'<xs:import namespace="{ns}" schemaLocation="{loc}"/>' for ns, loc in imports.items()) + "</xs:schema>"
    schema = etree.XMLSchema(etree.fromstring(wrapper, parser, base_url=str(folder / "wrapper.xsd")))
    _compiled[version] = schema
    return schema


def assert_officially_valid(manifest: bytes, version: str) -> etree._Element:
    root = etree.fromstring(manifest, etree.XMLParser(no_network=True, resolve_entities=False))
    schema = official_schema(version)
    assert schema.validate(root), f"{version}: {schema.error_log}"
    return root


# --- model objects for tests that mutate the model ------------------------------------------

STAGING = ROOTS / "scorm-staging"       # what the player hands over, as small files a test can break


def make_course(packaging: str = "single-sco", required: tuple[str, ...] = ("01-safe-moving", "03-hand-hygiene"),
                **changes):
    """The scorm-three-modules course as a model: quizzes in modules 1 (75%) and 3 (80%)."""
    from builder.model import (
        CompletionRules, Course, HandoutSettings, Location, Module, Option, Page, Question, Quiz,
        ScormSettings, SCORM_VERSIONS, Theme,
    )

    here = Location("tests/roots/scorm-three-modules/course.yaml")

    def quiz(pass_mark: int, question_id: str) -> Quiz:
        question = Question(question_id, "single", "Pick one", here,
                            options=(Option("Right", correct=True), Option("Wrong")))
        return Quiz("Check", pass_mark, 0, False, None, (question,), here)

    def module(module_id: str, title: str, its_quiz: Quiz | None) -> Module:
        page = Page(f"{module_id}/01-page", "01-page", title, 5, True, "<p>Text</p>", "<p>Text</p>", (), here)
        return Module(module_id, f"modules/{module_id}", title, (), (page,), its_quiz, here)

    modules = (
        module("01-safe-moving", "Moving people safely", quiz(75, "plan-first")),
        module("02-reading-only", "Why it matters", None),
        module("03-hand-hygiene", "Hand hygiene", quiz(80, "hands-before")),
    )
    course = Course(
        id="3-module-course", title="Moving & handling <basics>", version="2.1.0", language="en-GB",
        description='Three short modules, with "quotes" & ampersands.', authors=("L&D",),
        duration_minutes=95, modules=modules,
        completion=CompletionRules(required_quizzes=required),
        scorm=ScormSettings(versions=SCORM_VERSIONS, packaging=packaging),
        handout=HandoutSettings(), theme=Theme(), source_dir=ROOTS / "scorm-three-modules",
    )
    return replace(course, **changes)


def make_scos(course) -> tuple:
    """What the player hands over for the stand-in staging folder (tests/roots/scorm-staging)."""
    from builder.sco import Sco

    def mastery(modules):
        marks = [m.quiz.pass_mark for m in modules if m.quiz and m.id in course.completion.required_quizzes]
        return max(marks) if marks else None

    if course.scorm.packaging == "single-sco":
        return (Sco(course.id, course.title, "index.html", tuple(m.id for m in course.modules),
                    mastery(course.modules)),)
    return tuple(Sco(m.id, m.title, f"sco/{m.id}.html", (m.id,), mastery([m])) for m in course.modules)


# --- PDFs read back -----------------------------------------------------------------------

def pdftotext(path: Path, mode: str) -> list[str]:
    """Each page's text, read by poppler (it decodes WeasyPrint's font encodings fully)."""
    output = subprocess.run(["pdftotext", mode, str(path), "-"], capture_output=True, text=True,
                            check=True).stdout
    return output.split("\f")[:-1]


def squash(text: str) -> str:
    """Text without case, whitespace or hyphens, so line breaks and hyphenation cannot hide a match."""
    return re.sub(r"[\s\-\u00ad]+", "", text).casefold()


class Built:
    """One handout edition as written to disk, with its text split by page."""

    def __init__(self, path: Path):
        from pypdf import PdfReader

        self.path = path
        self.reader = PdfReader(path)
        self.pages = pdftotext(path, "-layout")     # as laid out, for lines and pages
        self.text = "\n".join(self.pages)
        # In drawing order, where a table cell's wrapped lines stay together.
        self.flow = "\n".join(pdftotext(path, "-raw"))

    def squashed(self) -> str:
        return squash(self.flow)

    def outline(self) -> list[tuple[int, str, int]]:
        """(depth, title, zero-based page index) for every bookmark, in order."""
        found = []

        def walk(items, depth):
            for item in items:
                if isinstance(item, list):
                    walk(item, depth + 1)
                else:
                    found.append((depth, item.title, self.reader.get_destination_page_number(item)))

        walk(self.reader.outline, 0)
        return found
