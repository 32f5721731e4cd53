"""imsmanifest.xml: what each edition requires, and refusal of every broken rule."""

from __future__ import annotations

from dataclasses import replace

import pytest
from lxml import etree

from builder.errors import CourseError
from builder.model import SCORM_VERSIONS
from builder.sco import Sco
from builder.scorm import edition, manifest_xml, validate_manifest
from builder.scorm.manifest import iso_duration, normalized, xs_id
from helpers import OFFICIAL_SCHEMAS, assert_officially_valid, make_course, make_scos

FILES = ["index.html", "player/player.js", "player/style.css", "assets/bed-edge.svg", "course.json",
         "sco/01-safe-moving.html", "sco/02-reading-only.html", "sco/03-hand-hygiene.html"]
SS = "{http://www.imsglobal.org/xsd/imsss}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def build(scorm_version: str, packaging: str = "single-sco", **course_changes) -> bytes:
    course = make_course(packaging, **course_changes)
    return manifest_xml(course, scorm_version, make_scos(course), FILES)


def ns(version: str) -> dict[str, str]:
    ed = edition(version)
    return {"cp": ed.cp, "adlcp": ed.adlcp, "ss": SS[1:-1], "lom": "http://ltsc.ieee.org/xsd/LOM",
            "md": "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"}


def refuse(manifest: bytes, version: str, match: str) -> None:
    with pytest.raises(CourseError, match=match):
        validate_manifest(manifest, version, OFFICIAL_SCHEMAS)


# --- what every manifest carries -------------------------------------------------------------

@pytest.mark.parametrize("packaging", ["single-sco", "sco-per-module"])
@pytest.mark.parametrize("version", SCORM_VERSIONS)
def test_manifest_is_valid_in_every_version_and_packaging(version, packaging):
    manifest = build(version, packaging)
    assert_officially_valid(manifest, version)
    validate_manifest(manifest, version, OFFICIAL_SCHEMAS)
    assert manifest.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<manifest ')


@pytest.mark.parametrize("version, expected", [
    ("1.2", "1.2"), ("2004-3rd", "2004 3rd Edition"), ("2004-4th", "2004 4th Edition")])
def test_schema_and_schemaversion_are_exactly_what_each_edition_requires(version, expected):
    root = etree.fromstring(build(version))
    n = ns(version)
    assert root.tag == f"{{{edition(version).cp}}}manifest"
    assert root.findtext("cp:metadata/cp:schema", namespaces=n) == "ADL SCORM"
    assert root.findtext("cp:metadata/cp:schemaversion", namespaces=n) == expected


@pytest.mark.parametrize("version", SCORM_VERSIONS)
def test_scorm_type_attribute_has_the_editions_spelling_on_every_resource(version):
    root = etree.fromstring(build(version, "sco-per-module"))
    ed = edition(version)
    resources = root.findall(".//cp:resource", namespaces=ns(version))
    assert len(resources) == 5          # three module SCOs, shared files, schemas
    spelling = "scormtype" if version == "1.2" else "scormType"
    assert all(r.get(f"{{{ed.adlcp}}}{spelling}") in ("sco", "asset") for r in resources)


def test_identifiers_are_valid_unique_and_stable_across_releases():
    manifests = [build(v, "sco-per-module", version=release) for v in SCORM_VERSIONS for release in ("2.1.0", "3.0.0")]
    for manifest in manifests:
        root = etree.fromstring(manifest)
        identifiers = [e.get("identifier") for e in root.iter() if e.get("identifier")]
        assert len(identifiers) == len(set(identifiers))
        assert root.get("identifier") == "_3-module-course"        # the course id starts with a digit
        assert "item-01-safe-moving" in identifiers and "res-03-hand-hygiene" in identifiers
    first, second = (etree.fromstring(m) for m in manifests[:2])
    assert [e.get("identifier") for e in first.iter()] == [e.get("identifier") for e in second.iter()]
    assert (first.get("version"), second.get("version")) == ("2.1.0", "3.0.0")
    assert build("2004-4th") == build("2004-4th")


def test_xs_id_sanitises_anything_into_an_ncname():
    assert xs_id("01-intro") == "_01-intro"
    assert xs_id("module one:two") == "module_one_two"
    assert xs_id("café") == "caf_"
    assert xs_id("-x") == "_-x"


@pytest.mark.parametrize("version", SCORM_VERSIONS)
def test_metadata_holds_title_description_language_version_and_learning_time(version):
    root = etree.fromstring(build(version))
    n = ns(version)
    if version == "1.2":
        lom = root.find("cp:metadata/md:lom", namespaces=n)
        title = lom.find("md:general/md:title/md:langstring", namespaces=n)
        assert (title.text, title.get(XML_LANG)) == ("Moving & handling <basics>", "en-GB")
        assert lom.findtext("md:general/md:language", namespaces=n) == "en-GB"
        assert "quotes" in lom.findtext("md:general/md:description/md:langstring", namespaces=n)
        assert lom.findtext("md:lifecycle/md:version/md:langstring", namespaces=n) == "2.1.0"
        assert lom.findtext("md:educational/md:typicallearningtime/md:datetime", namespaces=n) == "PT1H35M"
    else:
        lom = root.find("cp:metadata/lom:lom", namespaces=n)
        title = lom.find("lom:general/lom:title/lom:string", namespaces=n)
        assert (title.text, title.get("language")) == ("Moving & handling <basics>", "en-GB")
        assert lom.findtext("lom:general/lom:language", namespaces=n) == "en-GB"
        assert "quotes" in lom.findtext("lom:general/lom:description/lom:string", namespaces=n)
        assert lom.findtext("lom:lifeCycle/lom:version/lom:string", namespaces=n) == "2.1.0"
        assert lom.findtext("lom:educational/lom:typicalLearningTime/lom:duration", namespaces=n) == "PT1H35M"


def test_durations_and_measures_are_formatted_for_the_schemas():
    assert [iso_duration(m) for m in (0, 5, 60, 95, 600)] == ["PT0M", "PT5M", "PT1H", "PT1H35M", "PT10H"]
    assert [normalized(p) for p in (0, 50, 75, 80, 100)] == ["0", "0.5", "0.75", "0.8", "1"]


@pytest.mark.parametrize("version", ["2004-3rd", "2004-4th"])
def test_inline_lom_is_validated(version):
    manifest = build(version).replace(b"<lom:duration>PT1H35M<", b"<lom:duration>95 minutes<")
    refuse(manifest, version, "duration")
    manifest = build(version).replace(b"<lom:general>", b"<lom:general><lom:colour>blue</lom:colour>")
    refuse(manifest, version, "colour")


def test_inline_ims_metadata_is_validated_in_scorm12():
    manifest = build("1.2").replace(b"<imsmd:general>", b"<imsmd:general><imsmd:colour>blue</imsmd:colour>")
    refuse(manifest, "1.2", "colour")
    manifest = build("1.2").replace(b"</imsmd:title>", b"</imsmd:title><imsmd:title/>")
    refuse(manifest, "1.2", "title")


# --- the pass mark ---------------------------------------------------------------------------

def test_scorm12_masteryscore_follows_the_item_title():
    root = etree.fromstring(build("1.2"))
    item = root.find(".//cp:item", namespaces=ns("1.2"))
    children = [etree.QName(c).localname for c in item]
    assert children == ["title", "masteryscore"]
    assert item[1].text == "80"


def test_scorm12_sco_per_module_has_one_item_per_module_with_its_own_pass_mark():
    root = etree.fromstring(build("1.2", "sco-per-module"))
    items = root.findall("cp:organizations/cp:organization/cp:item", namespaces=ns("1.2"))
    assert [i.get("identifier") for i in items] == ["item-01-safe-moving", "item-02-reading-only", "item-03-hand-hygiene"]
    marks = [i.findtext("adlcp:masteryscore", namespaces=ns("1.2")) for i in items]
    assert marks == ["75", None, "80"]


@pytest.mark.parametrize("version", ["2004-3rd", "2004-4th"])
def test_scorm2004_pass_mark_is_the_primary_objective_measure(version):
    course = make_course()
    scos = (replace(make_scos(course)[0], mastery_percent=75),)
    root = etree.fromstring(manifest_xml(course, version, scos, FILES))
    primary = root.find(".//cp:item/ss:sequencing/ss:objectives/ss:primaryObjective", namespaces=ns(version))
    assert primary.get("satisfiedByMeasure") == "true"
    assert primary.findtext("ss:minNormalizedMeasure", namespaces=ns(version)) == "0.75"
    controls = root.find(".//cp:item/ss:sequencing/ss:deliveryControls", namespaces=ns(version))
    assert controls.get("completionSetByContent") == controls.get("objectiveSetByContent") == "true"


@pytest.mark.parametrize("version", SCORM_VERSIONS)
def test_no_required_quiz_means_no_pass_mark(version):
    course = make_course(required=())
    manifest = manifest_xml(course, version, make_scos(course), FILES)
    assert_officially_valid(manifest, version)
    assert b"masteryscore" not in manifest and b"satisfiedByMeasure" not in manifest


# --- sequencing for one SCO per module ------------------------------------------------------

@pytest.mark.parametrize("version", ["2004-3rd", "2004-4th"])
def test_sco_per_module_lets_the_lms_navigate_and_roll_up(version):
    root = etree.fromstring(build(version, "sco-per-module"))
    n = ns(version)
    organization = root.find("cp:organizations/cp:organization", namespaces=n)
    control = organization.find("ss:sequencing/ss:controlMode", namespaces=n)
    assert (control.get("choice"), control.get("flow")) == ("true", "true")
    items = organization.findall("cp:item", namespaces=n)
    objectives = [i.find("ss:sequencing/ss:objectives/ss:primaryObjective", namespaces=n) for i in items]
    assert [o.get("objectiveID") for o in objectives] == ["obj-01-safe-moving", "obj-02-reading-only", "obj-03-hand-hygiene"]
    assert [o.findtext("ss:minNormalizedMeasure", namespaces=n) for o in objectives] == ["0.75", None, "0.8"]
    rollups = [i.find("ss:sequencing/ss:rollupRules", namespaces=n) for i in items]
    # Modules with a required quiz take part in satisfaction and the course score with defaults
    # (true, 1.0); the reading-only module must neither block "passed" nor dilute the score.
    assert rollups[0] is None and rollups[2] is None
    assert rollups[1].get("rollupObjectiveSatisfied") == "false"
    assert rollups[1].get("objectiveMeasureWeight") == "0"
    assert rollups[1].get("rollupProgressCompletion") in (None, "true")   # it still counts for completion
    # With some modules assessed, the course's default rollup (all contributing satisfied) applies.
    assert organization.find("ss:sequencing/ss:rollupRules", namespaces=n) is None


@pytest.mark.parametrize("version", ["2004-3rd", "2004-4th"])
def test_a_course_with_no_required_quiz_is_passed_when_every_module_is_completed(version):
    root = etree.fromstring(build(version, "sco-per-module", completion=make_course().completion.__class__()))
    n = ns(version)
    organization = root.find("cp:organizations/cp:organization", namespaces=n)
    rule = organization.find("ss:sequencing/ss:rollupRules/ss:rollupRule", namespaces=n)
    assert rule.get("childActivitySet") == "all"
    assert [c.get("condition") for c in rule.findall("ss:rollupConditions/ss:rollupCondition", namespaces=n)] == ["completed"]
    assert rule.find("ss:rollupAction", namespaces=n).get("action") == "satisfied"
    for item in organization.findall("cp:item", namespaces=n):
        rollup = item.find("ss:sequencing/ss:rollupRules", namespaces=n)
        # every module contributes to satisfaction (via completion) but none to a score
        assert rollup.get("rollupObjectiveSatisfied") in (None, "true")
        assert rollup.get("objectiveMeasureWeight") == "0"
    assert_officially_valid(etree.tostring(root), version)


@pytest.mark.parametrize("version", ["2004-3rd", "2004-4th"])
def test_a_single_sco_hides_the_lms_previous_and_continue_buttons(version):
    nav = "{http://www.adlnet.org/xsd/adlnav_v1p3}"
    single = etree.fromstring(build(version))
    hidden = [e.text for e in single.iter(f"{nav}hideLMSUI")]
    assert hidden == ["previous", "continue"]
    item = single.find(".//cp:item", namespaces=ns(version))
    assert [etree.QName(c).localname for c in item] == ["title", "sequencing", "presentation"]
    # With one SCO per module the LMS's buttons are how learners move between modules.
    assert not list(etree.fromstring(build(version, "sco-per-module")).iter(f"{nav}hideLMSUI"))


def test_launch_parameters_go_on_the_item_not_the_resource():
    course = make_course("sco-per-module")
    scos = tuple(Sco(m.id, m.title, f"index.html?module={m.id}", (m.id,), None) for m in course.modules)
    manifest = manifest_xml(course, "2004-4th", scos, ["index.html"])
    validate_manifest(manifest, "2004-4th", OFFICIAL_SCHEMAS)
    root = etree.fromstring(manifest)
    n = ns("2004-4th")
    assert root.find(".//cp:item", namespaces=n).get("parameters") == "?module=01-safe-moving"
    assert {r.get("href") for r in root.findall(".//cp:resource[@href]", namespaces=n)} == {"index.html"}


@pytest.mark.parametrize("mark", [-1, 101, 80.5])
def test_a_pass_mark_outside_0_to_100_is_refused(mark):
    course = make_course()
    scos = (replace(make_scos(course)[0], mastery_percent=mark),)
    with pytest.raises(CourseError, match="pass mark"):
        manifest_xml(course, "1.2", scos, FILES)


def test_single_sco_packaging_needs_exactly_one_sco():
    course = make_course()
    with pytest.raises(CourseError, match="exactly one SCO"):
        manifest_xml(course, "1.2", make_scos(make_course("sco-per-module")), FILES)
    with pytest.raises(CourseError, match="no SCO"):
        manifest_xml(course, "1.2", (), FILES)


def test_text_xml_cannot_carry_is_refused_clearly():
    with pytest.raises(CourseError, match="control characters"):
        build("2004-4th", description="folded\x07 text")


def test_an_unknown_version_is_refused():
    with pytest.raises(CourseError, match="unknown SCORM version"):
        build("2004")


# --- validate_manifest refuses each broken rule ----------------------------------------------

MUTATIONS = {
    "byte-order mark": (SCORM_VERSIONS, lambda m: b"\xef\xbb\xbf" + m, "byte-order mark"),
    "DOCTYPE": (SCORM_VERSIONS, lambda m: m.replace(b"?>\n", b'?>\n<!DOCTYPE manifest>\n', 1), "DOCTYPE"),
    "not UTF-8": (SCORM_VERSIONS, lambda m: m.replace(b"Moving & handling".replace(b"&", b"&amp;"),
                                                      "Mövïng".encode("latin-1"), 1), "not UTF-8"),
    "other encoding declared": (SCORM_VERSIONS, lambda m: m.replace(b'encoding="UTF-8"', b'encoding="ISO-8859-1"'),
                                "encoding"),
    "schema text": (SCORM_VERSIONS, lambda m: m.replace(b"<schema>ADL SCORM<", b"<schema>ADL  SCORM<"), "schema"),
    "schemaversion 1.2": (["1.2"], lambda m: m.replace(b"<schemaversion>1.2<", b"<schemaversion>1.2 <"), "1.2"),
    "schemaversion 3rd": (["2004-3rd"], lambda m: m.replace(b"2004 3rd Edition", b"2004 4th Edition"), "3rd Edition"),
    "schemaversion 4th": (["2004-4th"], lambda m: m.replace(b"2004 4th Edition", b"2004 4th edition"), "4th Edition"),
    "CAM 1.3 schemaversion": (["2004-4th"], lambda m: m.replace(b"2004 4th Edition", b"CAM 1.3"), "4th Edition"),
    "duplicate identifier": (SCORM_VERSIONS, lambda m: m.replace(b'identifier="res.schema-files"',
                                                                 b'identifier="res-3-module-course"'), "res-3-module-course"),
    "leading digit": (SCORM_VERSIONS, lambda m: m.replace(b'"item-3-module-course"', b'"3-item"'), "3-item"),
    "colon in identifier": (SCORM_VERSIONS, lambda m: m.replace(b'"item-3-module-course"', b'"item:3"'), "item:3"),
    "default names nothing": (SCORM_VERSIONS, lambda m: m.replace(b'default="org-3-module-course"', b'default="org-x"'),
                              "default"),
    "item without title": (SCORM_VERSIONS, lambda m: m.replace(b"<title>Moving &amp; handling &lt;basics&gt;</title>\n"
                                                               b"        <", b"<"), "title"),
    "non-leaf with identifierref": (["2004-3rd", "2004-4th"], lambda m: m.replace(
        b"&lt;basics&gt;</title>\n        <imsss:sequencing>",
        b"&lt;basics&gt;</title><item identifier=\"child\" identifierref=\"res-3-module-course\"><title>Child</title>"
        b"</item><imsss:sequencing>"), "has children"),
    "item refers to no resource": (SCORM_VERSIONS, lambda m: m.replace(b'identifierref="res-3-module-course"',
                                                                       b'identifierref="res-nothing"'), "res-nothing"),
    "dependency refers to no resource": (SCORM_VERSIONS, lambda m: m.replace(
        b"</resource>", b'<dependency identifierref="res-nothing"/></resource>', 1), "depends on the missing"),
    "scormtype missing": (SCORM_VERSIONS, lambda m: m.replace(b' adlcp:scormtype="asset"', b"")
                          .replace(b' adlcp:scormType="asset"', b""), "scorm[tT]ype"),
    "scormtype wrong case": (["1.2"], lambda m: m.replace(b"adlcp:scormtype=", b"adlcp:scormType="), "scormtype"),
    "scormType wrong case": (["2004-3rd", "2004-4th"], lambda m: m.replace(b"adlcp:scormType=", b"adlcp:scormtype="),
                             "scormType"),
    "absolute href": (SCORM_VERSIONS, lambda m: m.replace(b'<file href="course.json"/>', b'<file href="/course.json"/>'),
                      "absolute"),
    "dot-dot href": (SCORM_VERSIONS, lambda m: m.replace(b'<file href="course.json"/>', b'<file href="../course.json"/>'),
                     r"\.\."),
    "backslash href": (SCORM_VERSIONS, lambda m: m.replace(b'href="player/player.js"', b'href="player\\player.js"'),
                       "backslash"),
    "space in href": (SCORM_VERSIONS, lambda m: m.replace(b'href="course.json"', b'href="course data.json"'), "spaces"),
    "non-ASCII href": (SCORM_VERSIONS, lambda m: m.replace(b'href="course.json"', 'href="cöurse.json"'.encode()), "ASCII"),
    "URL href": (SCORM_VERSIONS, lambda m: m.replace(b'<file href="course.json"/>',
                                                     b'<file href="https://cdn.example.org/x.js"/>'), "URL"),
    "launch with no href": (SCORM_VERSIONS, lambda m: m.replace(b' href="index.html"', b""), "launch href"),
    "masteryscore over 100": (["1.2"], lambda m: m.replace(b">80</adlcp:masteryscore>", b">101</adlcp:masteryscore>"),
                              "0-100"),
    "masteryscore before title": (["1.2"], lambda m: m.replace(
        b"<title>Moving &amp; handling &lt;basics&gt;</title>\n        <adlcp:masteryscore>80</adlcp:masteryscore>",
        b"<adlcp:masteryscore>80</adlcp:masteryscore><title>Moving &amp; handling &lt;basics&gt;</title>"), "title"),
    "negative measure": (["2004-3rd", "2004-4th"], lambda m: m.replace(b">0.8</imsss:minNormalizedMeasure>",
                                                                       b">-0.5</imsss:minNormalizedMeasure>"), "pass mark 0..1"),
    "remote schemaLocation": (SCORM_VERSIONS, lambda m: m.replace(b" imscp_", b" http://www.example.org/imscp_", 1),
                              "remote schema"),
    "missing schemaLocation pair": (SCORM_VERSIONS, lambda m: m.replace(b'.xsd">', b'.xsd extra">', 1), "pairs"),
    "unknown element": (SCORM_VERSIONS, lambda m: m.replace(b"<resources>", b"<resources><junk/>"), "junk"),
    "not well-formed": (SCORM_VERSIONS, lambda m: m.replace(b"</manifest>", b"</manifst>"), "well-formed"),
}


@pytest.mark.parametrize("version", SCORM_VERSIONS)
def test_unmutated_manifest_passes(version):
    validate_manifest(build(version), version, OFFICIAL_SCHEMAS)


@pytest.mark.parametrize("name, version", [(name, v) for name, (versions, _, _) in MUTATIONS.items() for v in versions])
def test_validate_manifest_refuses(name, version):
    _, mutate, match = MUTATIONS[name]
    original = build(version)
    mutated = mutate(original)
    assert mutated != original, "the mutation must change the manifest"
    refuse(mutated, version, match)


def test_a_manifest_of_another_edition_is_refused():
    refuse(build("2004-4th"), "1.2", "expected")
    refuse(build("1.2"), "2004-3rd", "expected")
