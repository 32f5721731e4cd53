"""Shared helpers for the SCORM packaging tests (and a check that the helpers themselves work).

`official_schema` compiles the schemas in ../shared/scorm-schemas following that folder's README,
independently of builder.scorm, so the end-to-end tests do not mark the packager's homework with
the packager's own validator.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from lxml import etree

from builder.model import (
    CompletionRules, Course, HandoutSettings, Location, Module, Option, Page, Question, Quiz,
    ScormSettings, SCORM_VERSIONS, Theme,
)
from builder.sco import Sco

TESTS = Path(__file__).resolve().parent
ROOTS = TESTS / "roots"
SHARED_SCHEMAS = TESTS.parents[1] / "shared" / "scorm-schemas"
STAGING = ROOTS / "scorm-staging"

OFFICIAL_IMPORTS = {
    "1.2": ("scorm12", {
        "http://www.imsproject.org/xsd/imscp_rootv1p1p2": "imscp_rootv1p1p2.xsd",
        "http://www.adlnet.org/xsd/adlcp_rootv1p2": "adlcp_rootv1p2.xsd",
        "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1": "imsmd_rootv1p2p1.xsd",
    }),
    "2004-3rd": ("scorm2004-3rd", None),
    "2004-4th": ("scorm2004-4th", None),
}
_2004_IMPORTS = {
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
    imports = imports or _2004_IMPORTS
    folder = SHARED_SCHEMAS / folder_name

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

HERE = Location("tests/roots/scorm-three-modules/course.yaml")


def _quiz(pass_mark: int, question_id: str) -> Quiz:
    question = Question(question_id, "single", "Pick one", HERE,
                        options=(Option("Right", correct=True), Option("Wrong")))
    return Quiz("Check", pass_mark, 0, False, None, (question,), HERE)


def _module(module_id: str, title: str, quiz: Quiz | None) -> Module:
    page = Page(f"{module_id}/01-page", "01-page", title, 5, True, "<p>Text</p>", "<p>Text</p>", (), HERE)
    return Module(module_id, f"modules/{module_id}", title, (), (page,), quiz, HERE)


def make_course(packaging: str = "single-sco", required: tuple[str, ...] = ("01-safe-moving", "03-hand-hygiene"),
                **changes) -> Course:
    """The scorm-three-modules course as a model: quizzes in modules 1 (75%) and 3 (80%)."""
    modules = (
        _module("01-safe-moving", "Moving people safely", _quiz(75, "plan-first")),
        _module("02-reading-only", "Why it matters", None),
        _module("03-hand-hygiene", "Hand hygiene", _quiz(80, "hands-before")),
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


def make_scos(course: Course) -> tuple[Sco, ...]:
    """What the player hands over for the stub staging folder (tests/roots/scorm-staging)."""
    def mastery(modules):
        marks = [m.quiz.pass_mark for m in modules if m.quiz and m.id in course.completion.required_quizzes]
        return max(marks) if marks else None

    if course.scorm.packaging == "single-sco":
        return (Sco(course.id, course.title, "index.html", tuple(m.id for m in course.modules),
                    mastery(course.modules)),)
    return tuple(Sco(m.id, m.title, f"sco/{m.id}.html", (m.id,), mastery([m])) for m in course.modules)


def copy_staging(tmp_path: Path) -> Path:
    target = tmp_path / "staging"
    shutil.copytree(STAGING, target)
    return target


# --- the helpers check themselves ------------------------------------------------------------

@pytest.mark.parametrize("version", SCORM_VERSIONS)
def test_official_schema_refuses_a_manifest_without_resources(version):
    namespace = next(iter((OFFICIAL_IMPORTS[version][1] or _2004_IMPORTS)))
    broken = f'<manifest xmlns="{namespace}" identifier="m"><organizations/></manifest>'.encode()
    root = etree.fromstring(broken)
    assert not official_schema(version).validate(root)
    assert "resources" in str(official_schema(version).error_log)


def test_shared_schemas_are_present():
    # The acceptance criteria validate against these files: without them the suite proves nothing.
    assert (SHARED_SCHEMAS / "README.md").is_file()
    for folder in ("scorm12", "scorm2004-3rd", "scorm2004-4th"):
        assert any((SHARED_SCHEMAS / folder).glob("*.xsd"))
