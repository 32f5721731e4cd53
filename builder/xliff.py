"""XLIFF 2.1 files of a course's units: written and read with lxml, the XML library we already use.

XLIFF rather than PO: it is the exchange format translation tools and agencies (Trados, memoQ,
Phrase, Weblate, OmegaT) read, and it carries the language pair, a note per unit and a state per
segment. One `<file>` per course, one `<unit>` per translatable text (translate.py) with one
`<segment>`; text keeps its line breaks (`xml:space="preserve"`), since Markdown lists and tables
live in them. A target is a unit's translation; a unit without one is not translated yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from .errors import CourseError, Problem
from .schema import LANGUAGE

NS = "urn:oasis:names:tc:xliff:document:2.0"     # XLIFF 2.1 keeps the 2.0 namespace; `version` says 2.1
VERSION = "2.1"
READABLE_VERSIONS = ("2.0", "2.1")
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def _q(name: str) -> str:
    return f"{{{NS}}}{name}"


@dataclass(frozen=True)
class Entry:
    source: str
    target: str | None          # None: not translated
    line: int = 1               # of its <unit> in the file


@dataclass(frozen=True)
class TranslationFile:
    path: str                   # as shown in messages
    source_language: str
    target_language: str
    entries: dict[str, Entry]


def write(units, course_id: str, source_language: str, target_language: str,
          translated: dict[str, str] | None = None) -> bytes:
    """The XLIFF of `units`; `translated` gives targets kept from an earlier translation."""
    translated = translated or {}
    root = etree.Element(_q("xliff"), nsmap={None: NS}, version=VERSION,
                         srcLang=source_language, trgLang=target_language)
    file = etree.SubElement(root, _q("file"), id=course_id, original=course_id)
    for unit in units:
        element = etree.SubElement(file, _q("unit"), id=unit.id)
        notes = etree.SubElement(element, _q("notes"))
        etree.SubElement(notes, _q("note"), category="location").text = unit.where
        target = translated.get(unit.id)
        segment = etree.SubElement(element, _q("segment"), state="translated" if target is not None else "initial")
        source = etree.SubElement(segment, _q("source"))
        source.set(XML_SPACE, "preserve")
        source.text = unit.source
        if target is not None:
            written = etree.SubElement(segment, _q("target"))
            written.set(XML_SPACE, "preserve")
            written.text = target
    return etree.tostring(root, encoding="UTF-8", xml_declaration=True, pretty_print=True)


def read(path: Path, shown: str) -> TranslationFile:
    """The units of an XLIFF 2.0 or 2.1 file; CourseError (CS620) when it is not one."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.parse(str(path), parser).getroot()
    except etree.XMLSyntaxError as exc:
        raise _unreadable(shown, f"the translation file is not well-formed XML: {exc.msg}",
                          "open it in the translation tool again and export it as XLIFF 2.1", exc.lineno or 1) from None
    except OSError as exc:
        raise _unreadable(shown, f"the translation file cannot be read: {exc}", "check that it exists") from None
    if root.tag != _q("xliff") or root.get("version") not in READABLE_VERSIONS:
        raise _unreadable(shown, f"this is not an XLIFF 2 file (root <{etree.QName(root).localname}>, "
                          f"version {root.get('version')!r})",
                          "export the translation as XLIFF 2.1 (`coursesmith translate extract` writes one)", root.sourceline)
    if not LANGUAGE.match(root.get("trgLang") or ""):
        # The tag names the file it is stored as (translations/<tag>.xlf): never a path.
        raise _unreadable(shown, f"the file does not say which language it translates into (trgLang "
                          f"{root.get('trgLang')!r} is not a language tag)",
                          'set trgLang="cy" (the language tag) on the <xliff> element', root.sourceline)
    entries = {}
    for unit in root.iter(_q("unit")):
        segments = unit.findall(_q("segment"))
        targets = [s.find(_q("target")) for s in segments]
        source = "".join(_text(s.find(_q("source"))) for s in segments)
        target = None if not segments or any(t is None for t in targets) else "".join(_text(t) for t in targets)
        entries[unit.get("id", "")] = Entry(source, target, unit.sourceline or 1)
    return TranslationFile(shown, root.get("srcLang", ""), root.get("trgLang"), entries)


def _text(element) -> str:
    return "" if element is None else "".join(element.itertext())


def _unreadable(shown: str, message: str, hint: str, line: int = 1) -> CourseError:
    return CourseError([Problem(shown, line, 1, message, hint, code="CS620")])
