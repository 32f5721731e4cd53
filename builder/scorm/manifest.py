"""imsmanifest.xml for one SCORM edition, built as an lxml tree (never by pasting strings).

Identifiers are derived from the course and module ids only, so a new release of a course keeps
the identifiers an LMS already knows it by; the release itself is the manifest's `version`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from urllib.parse import urlsplit

from lxml import etree

from builder.errors import refuse
from builder.model import Course
from builder.sco import Sco
from builder.editions import ADLNAV, IMSSS, XSI, Edition, Metadata, edition
from builder.scorm.schemas import schema_files

# The dot keeps these apart from the identifiers made from course and module names, which never
# have one: a module folder called `shared-files` is allowed and becomes `res-shared-files`.
SHARED_RESOURCE = "res.shared-files"
SCHEMA_RESOURCE = "res.schema-files"
# SCORM 1.2's schema refuses a longer <title>, and 2004 only requires an LMS to store this many.
TITLE_LIMIT = 200
MANIFEST_NAME = "imsmanifest.xml"
XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'


def xs_id(text: str) -> str:
    """A valid xs:ID (NCName) from any text: a letter or `_` first, then letters, digits, `.-_`."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]", "_", text)
    return cleaned if re.match(r"[A-Za-z_]", cleaned) else "_" + cleaned


def item_id(sco: Sco) -> str:
    return xs_id("item-" + sco.identifier_stem)


def resource_id(sco: Sco) -> str:
    return xs_id("res-" + sco.identifier_stem)


def short_title(text: str, limit: int = TITLE_LIMIT) -> str:
    """`text` cut at a word to fit `limit` characters, ending in an ellipsis when it was cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    kept = text[:limit]
    cut = kept.rfind(" ")
    kept = kept[:cut] if cut > limit // 2 else kept[:limit - 1]
    return kept.rstrip(" ,;:.-\u2013\u2014") + "\u2026"


def iso_duration(minutes: int) -> str:
    """ISO 8601 duration as LOM wants it: 90 -> PT1H30M, 0 -> PT0M."""
    hours, rest = divmod(max(minutes, 0), 60)
    return "PT" + (f"{hours}H" if hours else "") + (f"{rest}M" if rest or not hours else "")


def normalized(percent: int) -> str:
    """A pass mark in percent as a SCORM 2004 normalized measure: 80 -> 0.8, 100 -> 1."""
    return format(Decimal(percent) / 100, "f")


def manifest_xml(
    course: Course,
    version: str,
    scos: Sequence[Sco],
    files: Sequence[str],
    schema_names: Sequence[str] | None = None,
) -> bytes:
    """The manifest for `course` in SCORM `version`, listing every content file in `files`.

    `files` are package-relative paths of what the player wrote (launch files included);
    `schema_names` the schema files shipped at the zip root (default: the edition's set).
    """
    ed = edition(version)
    _check_scos(course, scos)
    if schema_names is None:
        schema_names = list(schema_files(ed))
    root = etree.Element(_cp(ed, "manifest"), nsmap=dict(ed.namespaces))
    root.set("identifier", xs_id(course.id))
    root.set("version", course.version)
    root.set(f"{{{XSI}}}schemaLocation", ed.schema_location_attribute)
    root.append(_metadata(course, ed))
    root.append(_organizations(course, ed, scos))
    root.append(_resources(ed, scos, files, schema_names))
    return XML_DECLARATION + etree.tostring(root, encoding="UTF-8", xml_declaration=False, pretty_print=True)


def _check_scos(course: Course, scos: Sequence[Sco]) -> None:
    if not scos:
        raise refuse("CS703", f"course {course.id} has no SCO to package")
    if course.scorm.packaging == "single-sco" and len(scos) != 1:
        raise refuse("CS703", f"single-sco packaging needs exactly one SCO, the player wrote {len(scos)}")
    for sco in scos:
        mastery = sco.mastery_percent
        if mastery is not None and not (isinstance(mastery, int) and 0 <= mastery <= 100):
            raise refuse("CS703", f"SCO {sco.identifier_stem}: pass mark {mastery!r} is not a whole percent 0-100")


def _cp(ed: Edition, tag: str) -> str:
    return f"{{{ed.cp}}}{tag}"


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, tag, **attributes)
    if text is not None:
        try:
            element.text = text
        except ValueError:
            raise refuse(
                "CS104", f"the text {text[:60]!r}... for <{etree.QName(tag).localname}> holds control characters "
                "that XML cannot carry",
                hint="remove the control characters from the course file this text comes from",
            ) from None
    return element


# --- metadata --------------------------------------------------------------------------------

def _metadata(course: Course, ed: Edition) -> etree._Element:
    metadata = etree.Element(_cp(ed, "metadata"))
    _sub(metadata, _cp(ed, "schema"), "ADL SCORM")
    _sub(metadata, _cp(ed, "schemaversion"), ed.schemaversion)
    metadata.append(_lom(course, ed.metadata))
    return metadata


def _lom(course: Course, vocabulary: Metadata) -> etree._Element:
    """The course's metadata inline: IMS Meta-data 1.2.1 (SCORM 1.2) or IEEE LOM 1484.12.3 XML
    (SCORM 2004), which differ only in names (editions.Metadata)."""
    def tag(name: str) -> str:
        return f"{{{vocabulary.namespace}}}{name}"

    def langstring(parent, name, text, language=course.language):
        holder = _sub(parent, tag(name))
        string = _sub(holder, tag(vocabulary.string), text)
        if language:
            string.set(vocabulary.language_attribute, language)

    lom = etree.Element(tag("lom"))
    general = _sub(lom, tag("general"))
    if vocabulary.identifier_catalog:
        identifier = _sub(general, tag("identifier"))
        _sub(identifier, tag("catalog"), "coursesmith")
        _sub(identifier, tag("entry"), course.id)
    else:
        _sub(general, tag("identifier"), course.id)
    langstring(general, "title", course.title)
    _sub(general, tag("language"), course.language)
    if course.description:
        langstring(general, "description", course.description)
    lifecycle = _sub(lom, tag(vocabulary.lifecycle))
    langstring(lifecycle, "version", course.version, language=None)
    educational = _sub(lom, tag("educational"))
    learning_time = _sub(educational, tag(vocabulary.learning_time))
    _sub(learning_time, tag(vocabulary.learning_time_value), iso_duration(course.duration_minutes))
    return lom


# --- organization and sequencing -------------------------------------------------------------

def _organizations(course: Course, ed: Edition, scos: Sequence[Sco]) -> etree._Element:
    organization_id = xs_id("org-" + course.id)
    organizations = etree.Element(_cp(ed, "organizations"), default=organization_id)
    organization = _sub(organizations, _cp(ed, "organization"), identifier=organization_id)
    _sub(organization, _cp(ed, "title"), short_title(course.title))
    per_module = course.scorm.packaging == "sco-per-module"
    any_mastery = any(sco.mastery_percent is not None for sco in scos)
    for sco in scos:
        organization.append(_item(ed, sco, per_module, any_mastery))
    if ed.is_2004:
        organization.append(_organization_sequencing(per_module, any_mastery))
    return organizations


def _launch_parts(sco: Sco) -> tuple[str, str]:
    """Split a launch like `index.html?module=02` into the resource href and the item parameters."""
    parts = urlsplit(sco.launch)
    parameters = (f"?{parts.query}" if parts.query else "") + (f"#{parts.fragment}" if parts.fragment else "")
    return parts.path, parameters


def _item(ed: Edition, sco: Sco, per_module: bool, any_mastery: bool) -> etree._Element:
    item = etree.Element(_cp(ed, "item"), identifier=item_id(sco), identifierref=resource_id(sco))
    _, parameters = _launch_parts(sco)
    if parameters:
        item.set("parameters", parameters)
    _sub(item, _cp(ed, "title"), short_title(sco.title))
    if not ed.is_2004:
        # SCORM 1.2: masteryscore comes right after <title>; the LMS judges passed/failed by it.
        if sco.mastery_percent is not None:
            _sub(item, f"{{{ed.adlcp}}}masteryscore", str(sco.mastery_percent))
        return item
    item.append(_item_sequencing(sco, per_module, any_mastery))
    if not per_module:
        item.append(_player_navigates())
    return item


def _player_navigates() -> etree._Element:
    """Hide the LMS's Previous/Continue for a single SCO: the player has its own, and the LMS's
    would only end the attempt (there is no other activity to go to)."""
    presentation = etree.Element(f"{{{ADLNAV}}}presentation")
    interface = _sub(presentation, f"{{{ADLNAV}}}navigationInterface")
    for request in ("previous", "continue"):
        _sub(interface, f"{{{ADLNAV}}}hideLMSUI", request)
    return presentation


def _ss(tag: str) -> str:
    return f"{{{IMSSS}}}{tag}"


def _item_sequencing(sco: Sco, per_module: bool, any_mastery: bool) -> etree._Element:
    """A leaf's sequencing: its primary objective, how it rolls up, and that the SCO reports itself."""
    sequencing = etree.Element(_ss("sequencing"))
    if per_module and any_mastery and sco.mastery_percent is None:
        # A module without a required quiz has no pass/fail of its own: if it took part in
        # satisfaction rollup its unknown status would keep the course from ever being passed,
        # and its (absent) score must not dilute the course score.
        _sub(sequencing, _ss("rollupRules"), rollupObjectiveSatisfied="false", objectiveMeasureWeight="0")
    elif per_module and not any_mastery:
        # No module weighs in a course score when no quiz is required.
        _sub(sequencing, _ss("rollupRules"), objectiveMeasureWeight="0")
    objectives = _sub(sequencing, _ss("objectives"))
    primary = _sub(objectives, _ss("primaryObjective"), objectiveID=xs_id("obj-" + sco.identifier_stem))
    if sco.mastery_percent is not None:
        primary.set("satisfiedByMeasure", "true")
        _sub(primary, _ss("minNormalizedMeasure"), normalized(sco.mastery_percent))
    # The player reports completion and success itself; without these the LMS may mark the
    # activity completed/satisfied on exit whatever the learner did.
    _sub(sequencing, _ss("deliveryControls"), completionSetByContent="true", objectiveSetByContent="true")
    return sequencing


def _organization_sequencing(per_module: bool, any_mastery: bool) -> etree._Element:
    """The course's own sequencing: LMS navigation, and rollup from the modules."""
    sequencing = etree.Element(_ss("sequencing"))
    # flow lets the LMS start the first SCO by itself and offer Continue/Previous;
    # choice lets the learner open any module from the LMS's menu.
    _sub(sequencing, _ss("controlMode"), choice="true", flow="true")
    if per_module and not any_mastery:
        # Nothing is assessed, so "passed" means "every module completed" (the course format's
        # rule); the default rollup would wait forever for module satisfaction nobody reports.
        rules = _sub(sequencing, _ss("rollupRules"))
        rule = _sub(rules, _ss("rollupRule"), childActivitySet="all")
        conditions = _sub(rule, _ss("rollupConditions"))
        _sub(conditions, _ss("rollupCondition"), condition="completed")
        _sub(rule, _ss("rollupAction"), action="satisfied")
    return sequencing


# --- resources -------------------------------------------------------------------------------

def _resources(ed: Edition, scos: Sequence[Sco], files: Sequence[str], schema_names: Sequence[str]) -> etree._Element:
    resources = etree.Element(_cp(ed, "resources"))
    launches = [_launch_parts(sco)[0] for sco in scos]
    single = len(scos) == 1
    shared = sorted(set(files) - set(launches))
    for sco, launch in zip(scos, launches):
        own_files = [launch] + (shared if single else [])
        resource = _resource(ed, resource_id(sco), "sco", own_files, href=launch)
        if shared and not single:
            _sub(resource, _cp(ed, "dependency"), identifierref=SHARED_RESOURCE)
        resources.append(resource)
    if shared and not single:
        resources.append(_resource(ed, SHARED_RESOURCE, "asset", shared))
    # Strict importers expect every file in the zip to be declared, the schemas included.
    resources.append(_resource(ed, SCHEMA_RESOURCE, "asset", sorted(schema_names)))
    return resources


def _resource(ed: Edition, identifier: str, scorm_type: str, files: Sequence[str], href: str | None = None):
    resource = etree.Element(_cp(ed, "resource"), identifier=identifier, type="webcontent")
    resource.set(f"{{{ed.adlcp}}}{ed.scorm_type}", scorm_type)
    if href is not None:
        resource.set("href", href)
    for name in dict.fromkeys(files):
        _sub(resource, _cp(ed, "file"), href=name)
    return resource
