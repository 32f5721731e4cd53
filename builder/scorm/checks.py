"""What the official schemas cannot say: the rules a package must also follow to import cleanly.

Each rule here comes from SCORM-RULES.md ("Manifest and zip") and from field failures: files
listed but missing, names that only match on a case-insensitive disk, identifiers that are not
valid xs:IDs, a pass mark out of range. Every function returns a list of `Problem`s located in
the manifest (its line) or in the package file concerned, with paths relative to the package;
`validate_manifest` and `check_package` raise them together as one CourseError.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import etree, html

from builder.errors import CourseError, Problem
from builder.editions import IMSSS, XSI, Edition, edition
from builder.scorm.schemas import is_remote, safe_parser, schema_errors

MANIFEST_NAME = "imsmanifest.xml"
XS_ID = re.compile(r"[A-Za-z_][A-Za-z0-9._-]*\Z")
SAFE_NAME = re.compile(r"[A-Za-z0-9._~/-]+\Z")   # URL-safe ASCII: no spaces, %, ?, #, colon or backslash
JUNK_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini"}
JUNK_FOLDERS = {"__MACOSX", ".git", ".svn"}
# Elements whose reference the page loads by itself: these must never leave the package.
EMBEDDED = {"script": "src", "link": "href", "img": "src", "source": "src", "audio": "src",
            "video": "src", "track": "src", "iframe": "src", "embed": "src", "object": "data"}


def validate_manifest(xml: bytes, version: str, schema_root: Path | None = None) -> etree._ElementTree:
    """Refuse (CourseError) a manifest that breaks the edition's schemas or SCORM's other rules.

    Schemas load offline only (see schemas.py). Returns the parsed manifest for further checks.
    """
    ed = edition(version)
    problems = _encoding_problems(xml)
    if problems:
        _refuse(problems)
    try:
        document = etree.ElementTree(etree.fromstring(xml, safe_parser()))
    except etree.XMLSyntaxError as error:
        _refuse([_in_manifest(error.lineno or 1, f"not well-formed XML: {error}", "CS702")])
    problems = _namespace_problems(document, ed)
    if problems:   # validating against the wrong edition's schema only produces noise
        _refuse(problems)
    problems = [_in_manifest(line, message, "CS702") for line, message in schema_errors(document, ed, schema_root)]
    problems += manifest_rule_problems(document, ed)
    if problems:
        _refuse(problems)
    return document


def check_package(document: etree._ElementTree, entries: Mapping[str, bytes], version: str) -> None:
    """Refuse a package whose files and manifest disagree, or whose names break import rules."""
    ed = edition(version)
    problems = entry_name_problems(list(entries))
    problems += reference_problems(document, ed, entries)
    problems += html_problems(document, ed, entries)
    if problems:
        _refuse(problems)


_HINT = "rename the file if a course file is named; otherwise this is a coursesmith packaging bug"


def _refuse(problems: list[Problem]) -> None:
    raise CourseError(problems)


def _in_manifest(line: int | None, message: str, code: str = "CS703") -> Problem:
    return Problem(MANIFEST_NAME, line or 1, 1, message, _HINT, code=code)


def _at(element, message: str, code: str = "CS703") -> Problem:
    """A problem at `element`'s line in the manifest."""
    return _in_manifest(element.sourceline, message, code)


def _in_file(name: str, message: str, line: int | None = None) -> Problem:
    """A problem with a file of the package (a zip entry), at its line when one is known."""
    return Problem(name, line or 1, 1, message, _HINT, code="CS704")


# --- the manifest on its own -----------------------------------------------------------------

def _encoding_problems(xml: bytes) -> list[Problem]:
    if xml.startswith(b"\xef\xbb\xbf"):
        return [_in_manifest(1, "the manifest starts with a byte-order mark; LMS importers expect plain UTF-8")]
    try:
        text = xml.decode("utf-8")
    except UnicodeDecodeError as error:
        return [_in_manifest(xml.count(b"\n", 0, error.start) + 1, f"the manifest is not UTF-8: {error}")]
    problems = []
    declaration = re.match(r"<\?xml[^>]*\?>", text)
    if declaration and not re.search(r"encoding=[\"']utf-8[\"']", declaration.group(), re.IGNORECASE):
        problems.append(_in_manifest(1, "XML declaration must say encoding=\"UTF-8\""))
    if "<!DOCTYPE" in text:
        line = text.count("\n", 0, text.index("<!DOCTYPE")) + 1
        problems.append(_in_manifest(line, "the manifest has a DOCTYPE; manifests must not carry one"))
    return problems


def _namespace_problems(document: etree._ElementTree, ed: Edition) -> list[Problem]:
    root = document.getroot()
    problems = []
    if root.tag != f"{{{ed.cp}}}manifest":
        problems.append(_at(root, f"root element is {root.tag}, expected {{{ed.cp}}}manifest for {ed.name}"))
    locations = (root.get(f"{{{XSI}}}schemaLocation") or "").split()
    if len(locations) % 2:
        problems.append(_at(root, "xsi:schemaLocation must hold namespace/location pairs"))
    expected = dict(ed.schema_locations)
    for namespace, location in zip(locations[::2], locations[1::2]):
        if is_remote(location):
            problems.append(_at(root, f"xsi:schemaLocation names the remote schema {location}; "
                                      "schemas must ship in the package"))
        elif expected.get(namespace) != location:
            problems.append(_at(root, f"xsi:schemaLocation maps {namespace} to {location}, "
                                      f"expected {expected.get(namespace)}"))
    return problems


def manifest_rule_problems(document: etree._ElementTree, ed: Edition) -> list[Problem]:
    """Rules the XSDs cannot express, checked on the manifest alone."""
    root = document.getroot()
    cp = f"{{{ed.cp}}}"
    problems = []
    problems += _metadata_problems(root, ed, cp)
    problems += _identifier_problems(root, cp)
    problems += _structure_problems(root, ed, cp)
    problems += _href_syntax_problems(root, cp)
    problems += _pass_mark_problems(root, ed, cp)
    return problems


def _metadata_problems(root, ed: Edition, cp: str) -> list[Problem]:
    schema = root.find(f"{cp}metadata/{cp}schema")
    version = root.find(f"{cp}metadata/{cp}schemaversion")
    problems = []
    if schema is None or schema.text != "ADL SCORM":
        problems.append(_at(root if schema is None else schema,
                            f"<schema> is {_text(schema)!r}, must be exactly 'ADL SCORM'"))
    if version is None or version.text != ed.schemaversion:
        problems.append(_at(root if version is None else version,
                            f"<schemaversion> is {_text(version)!r}, must be exactly {ed.schemaversion!r}"))
    return problems


def _text(element) -> str | None:
    return None if element is None else element.text


def _identifier_problems(root, cp: str) -> list[Problem]:
    problems, seen = [], {}
    for element in root.iter(f"{cp}manifest", f"{cp}organization", f"{cp}item", f"{cp}resource"):
        identifier = element.get("identifier")
        kind = etree.QName(element).localname
        if identifier is None:
            problems.append(_at(element, f"a <{kind}> has no identifier"))
            continue
        if not XS_ID.match(identifier):
            problems.append(_at(element, f"<{kind}> identifier {identifier!r} is not a valid xs:ID "
                                         "(letter or _ first, then letters, digits, . - _)"))
        if identifier in seen:
            problems.append(_at(element, f"identifier {identifier!r} is used twice "
                                         f"(lines {seen[identifier]} and {element.sourceline})"))
        seen.setdefault(identifier, element.sourceline)
    return problems


def _structure_problems(root, ed: Edition, cp: str) -> list[Problem]:
    problems = []
    organizations = root.find(f"{cp}organizations")
    organization_ids = {o.get("identifier") for o in root.iter(f"{cp}organization")}
    default = organizations.get("default") if organizations is not None else None
    if default not in organization_ids:
        problems.append(_at(root if organizations is None else organizations,
                            f"<organizations default={default!r}> names no organization"))
    resource_ids = {r.get("identifier") for r in root.iter(f"{cp}resource")}
    for element in root.iter(f"{cp}organization", f"{cp}item"):
        title = element.findtext(f"{cp}title")
        if not (title or "").strip():
            problems.append(_at(element, f"<{etree.QName(element).localname} identifier={element.get('identifier')!r}> "
                                         "has no <title>"))
    for item in root.iter(f"{cp}item"):
        reference = item.get("identifierref")
        if reference is not None and item.find(f"{cp}item") is not None:
            problems.append(_at(item, f"item {item.get('identifier')!r} has children, so it must not have identifierref"))
        if reference is not None and reference not in resource_ids:
            problems.append(_at(item, f"item {item.get('identifier')!r} refers to the missing resource {reference!r}"))
        if reference is None and item.find(f"{cp}item") is None:
            problems.append(_at(item, f"leaf item {item.get('identifier')!r} launches nothing (no identifierref)"))
    attribute = f"{{{ed.adlcp}}}{ed.scorm_type}"
    for resource in root.iter(f"{cp}resource"):
        if resource.get(attribute) not in ("sco", "asset"):
            problems.append(_at(resource, f"resource {resource.get('identifier')!r} needs "
                                          f"adlcp:{ed.scorm_type}=\"sco\" or \"asset\""))
        for dependency in resource.iter(f"{cp}dependency"):
            if dependency.get("identifierref") not in resource_ids:
                problems.append(_at(dependency, f"resource {resource.get('identifier')!r} depends on the missing "
                                                f"resource {dependency.get('identifierref')!r}"))
        if resource.get(attribute) == "sco" and not resource.get("href"):
            problems.append(_at(resource, f"SCO resource {resource.get('identifier')!r} has no launch href"))
    return problems


def _href_syntax_problems(root, cp: str) -> list[Problem]:
    problems = []
    for element in root.iter(f"{cp}resource", f"{cp}file"):
        href = element.get("href")
        if href is None:
            if etree.QName(element).localname == "file":
                problems.append(_at(element, f"a <file> in resource {element.getparent().get('identifier')!r} has no href"))
            continue
        problem = path_problem(href)
        if problem:
            problems.append(_at(element, f"href {href!r}: {problem}", "CS704"))
    return problems


def path_problem(name: str) -> str | None:
    """Why `name` is not a safe package-relative path, or None when it is."""
    if not name:
        return "is empty"
    if "\\" in name:
        return "uses a backslash; zip paths use forward slashes"
    if name.startswith("/"):
        return "is absolute; it must be relative to the package root"
    if is_remote(name) or ":" in name:
        return "is a URL or has a colon; it must name a file in the package"
    if ".." in name.split("/"):
        return "climbs out with '..'"
    if not name.isascii() or " " in name:
        return "must be ASCII without spaces"
    if not SAFE_NAME.match(name):
        return "has characters LMS importers mishandle (use letters, digits, . _ - ~ /)"
    if any(part in ("", ".") for part in name.split("/")):
        return "has an empty or '.' path segment"
    return None


def _pass_mark_problems(root, ed: Edition, cp: str) -> list[Problem]:
    problems = []
    if not ed.is_2004:
        for score in root.iter(f"{{{ed.adlcp}}}masteryscore"):
            item = score.getparent()
            text = (score.text or "").strip()
            if not re.fullmatch(r"\d{1,3}", text) or int(text) > 100:
                problems.append(_at(score, f"adlcp:masteryscore {text!r} must be a whole number 0-100"))
            previous = score.getprevious()
            if item.tag != f"{cp}item" or previous is None or previous.tag != f"{cp}title":
                problems.append(_at(score, "adlcp:masteryscore must sit in an <item> right after its <title>"))
        return problems
    for primary in root.iter(f"{{{IMSSS}}}primaryObjective"):
        if primary.get("satisfiedByMeasure") in ("true", "1"):
            measure = primary.findtext(f"{{{IMSSS}}}minNormalizedMeasure")
            try:
                value = float(measure)
            except (TypeError, ValueError):
                value = -1.0
            if not 0.0 <= value <= 1.0:
                problems.append(_at(primary, f"primary objective {primary.get('objectiveID')!r} is satisfied by "
                                             f"measure but its minNormalizedMeasure {measure!r} is not a pass mark 0..1"))
    return problems


# --- the manifest against the files ----------------------------------------------------------

def entry_name_problems(names: list[str]) -> list[Problem]:
    problems = []
    if MANIFEST_NAME not in names:
        problems.append(_in_manifest(1, f"{MANIFEST_NAME} is missing from the package root", "CS704"))
    folded: dict[str, str] = {}
    for name in names:
        problem = path_problem(name)
        if problem:
            problems.append(_in_file(name, f"zip entry {name!r} {problem}"))
        parts = name.split("/")
        if JUNK_FOLDERS & set(parts) or parts[-1] in JUNK_NAMES:
            problems.append(_in_file(name, f"zip entry {name!r} is operating-system litter (__MACOSX, .DS_Store, ...)"))
        key = name.casefold()
        if key in folded:
            problems.append(_in_file(name, f"zip entries {folded[key]!r} and {name!r} clash "
                                           "(same name, or differ only in case)"))
        folded.setdefault(key, name)
    return problems


def reference_problems(document: etree._ElementTree, ed: Edition, entries: Mapping[str, bytes]) -> list[Problem]:
    root = document.getroot()
    cp = f"{{{ed.cp}}}"
    names = set(entries)
    by_case = {name.casefold(): name for name in names}
    problems, listed = [], set()
    for element in root.iter(f"{cp}resource", f"{cp}file"):
        href = element.get("href")
        if href is None or path_problem(href):
            continue   # already reported by the manifest rules
        path = href   # path_problem allows no %, ? or #, so the href is the file name itself
        if etree.QName(element).localname == "file":
            listed.add(path)
        if path not in names:
            near = by_case.get(path.casefold())
            hint = f" (the package has {near!r}: case differs)" if near else ""
            problems.append(_at(element, f"href {href!r} names a file that is not in the package{hint}", "CS704"))
    locations = (root.get(f"{{{XSI}}}schemaLocation") or "").split()[1::2]
    for location in locations:
        if location not in names:
            problems.append(_at(root, f"schema {location!r} named in xsi:schemaLocation is not shipped at the zip root",
                                "CS704"))
    for name in sorted(names - listed - {MANIFEST_NAME}):
        problems.append(_in_file(name, f"{name!r} is in the package but no <file> element lists it"))
    return problems


def html_problems(document: etree._ElementTree, ed: Edition, entries: Mapping[str, bytes]) -> list[Problem]:
    """Launch pages declare their language and encoding; no page loads anything from outside."""
    cp = f"{{{ed.cp}}}"
    launches = {r.get("href") for r in document.getroot().iter(f"{cp}resource") if r.get("href")}
    problems = []
    for name in sorted(n for n in entries if n.endswith((".html", ".htm"))):
        if not entries[name].strip():
            problems.append(_in_file(name, f"{name} is empty"))
            continue
        page = html.document_fromstring(entries[name])
        if name in launches:
            if not page.get("lang"):
                problems.append(_in_file(name, f"{name}: <html> has no lang attribute", page.sourceline))
            charsets = [m.get("charset", "").lower() for m in page.iter("meta")]
            if "utf-8" not in charsets:
                problems.append(_in_file(name, f"{name}: no <meta charset=\"utf-8\">"))
        problems += _link_problems(name, page, entries)
    return problems


def _link_problems(name: str, page, entries: Mapping[str, bytes]) -> list[Problem]:
    problems = []
    folder = posixpath.dirname(name)
    for element in page.iter():
        if not isinstance(element.tag, str):
            continue
        attribute = EMBEDDED.get(element.tag, "href" if element.tag == "a" else None)
        target = element.get(attribute) if attribute else None
        if not target or target.startswith(("#", "data:")):
            continue
        if element.tag == "a" and (is_remote(target) or target.startswith(("mailto:", "tel:"))):
            continue   # a link the learner follows, not something the page loads
        if is_remote(target) or target.startswith("//"):
            problems.append(_in_file(name, f"{name}: <{element.tag}> loads {target} from outside the package",
                                     element.sourceline))
            continue
        path = posixpath.normpath(posixpath.join(folder, unquote(urlsplit(target).path)))
        if path not in entries:
            problems.append(_in_file(name, f"{name}: <{element.tag}> refers to {target}, which is not in the package",
                                     element.sourceline))
    return problems
