"""Checks on the files a course ships: only harmless types, and SVGs that cannot run anything.

A package is served from the LMS's own origin, so an SVG with a script or an HTML "download" would
run inside the learner's session: both are refused with the line that makes them unsafe.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from .errors import Problem

ALLOWED_SUFFIXES = {
    ".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg",           # pictures
    ".mp3", ".m4a", ".ogg", ".wav", ".mp4", ".webm", ".vtt",     # sound, video, captions
    ".pdf", ".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp", ".txt", ".csv",  # downloads
}
ALLOWED_SUFFIXES_HINT = ("use pictures (png, jpg, svg, ...), sound or video, or documents (pdf, docx, ...); "
                         "HTML and scripts are refused because they would run inside the LMS")
MAX_ASSET_BYTES = 50 * 1024 * 1024
SVG_NS = "{http://www.w3.org/2000/svg}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
_REFUSED_ELEMENTS = {"script", "foreignObject", "iframe", "embed", "object", "handler", "listener"}
_URL_IN_CSS = re.compile(r"(url\s*\(\s*['\"]?\s*(?!#)|@import|expression\s*\()", re.I)


def check_asset(path: Path, shown: str) -> list[Problem]:
    """Problems with one course file that pages or the theme refer to."""
    suffix = path.suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        return [Problem(shown, 1, 1, f"files of type {suffix or '(none)'!r} cannot go into a package",
                        ALLOWED_SUFFIXES_HINT)]
    if path.stat().st_size > MAX_ASSET_BYTES:
        return [Problem(shown, 1, 1, f"file is larger than {MAX_ASSET_BYTES // (1024 * 1024)} MiB",
                        "compress it or link to it on a web page instead")]
    return check_svg(path, shown) if suffix == ".svg" else []


def check_svg(path: Path, shown: str) -> list[Problem]:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.parse(str(path), parser).getroot()
    except etree.XMLSyntaxError as exc:
        line = exc.position[0] if exc.position else 1
        return [Problem(shown, line, 1, f"the SVG file is not well-formed XML: {exc.msg}",
                        "open it in a drawing program and save it again as plain SVG")]
    if root.getroottree().docinfo.internalDTD is not None or root.getroottree().docinfo.doctype:
        return [Problem(shown, 1, 1, "the SVG file has a DOCTYPE",
                        "remove the <!DOCTYPE ...> line; entity declarations are refused")]
    problems = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        problems.extend(_element_problems(element, shown))
    return problems


def _element_problems(element, shown: str) -> list[Problem]:
    name = etree.QName(element).localname
    line = element.sourceline or 1
    found = []
    if name in _REFUSED_ELEMENTS:
        found.append((f"SVG element <{name}> is not allowed", "remove it; SVGs in a course must be pictures only"))
    if name == "style" and _URL_IN_CSS.search(element.text or ""):
        found.append(("SVG <style> loads another file", "remove url(...) and @import from the style"))
    for attribute, value in element.attrib.items():
        local = etree.QName(attribute).localname
        if local.lower().startswith("on"):
            found.append((f"SVG event handler {local!r} is not allowed", "remove the attribute"))
        elif local == "href" and not _internal(value):
            found.append((f"SVG reference {value!r} points outside the picture",
                          "embed the picture's parts in the SVG itself (references like #id are fine)"))
        elif local == "style" and _URL_IN_CSS.search(value):
            found.append(("SVG style attribute loads another file", "remove url(...) from the style"))
    return [Problem(shown, line, 1, message, hint) for message, hint in found]


def _internal(value: str) -> bool:
    value = value.strip()
    return value.startswith("#") or bool(re.match(r"data:image/(png|jpeg|gif|webp);base64,", value, re.I))
