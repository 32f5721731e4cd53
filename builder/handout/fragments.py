"""Fit one page's sanitised HTML into a handout, where every page of the course shares one document.

In the player each page is its own document; in a handout they sit side by side under module
headings. So ids get a per-page prefix (two pages' footnotes must not share `#fn1`), author headings
move one level down (the module is <h1>, the page title <h2>), and an image standing alone in a
paragraph becomes a figure captioned with its title, or else its alt text. Links to files in
the course lose their target: on paper they lead nowhere, and in the PDF they would carry the build
machine's path.
"""

from __future__ import annotations

import re
from html import escape
from urllib.parse import urlsplit

import lxml.html
from lxml import etree

_HEADING = re.compile(r"^h([1-6])$")


def fit_page_html(html: str, anchor: str) -> str:
    if not html.strip():
        return ""
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    _prefix_ids(root, f"{anchor}-")
    _unlink_local_files(root)
    _shift_headings(root)
    _figures_from_lone_images(root)
    return "".join(_serialise(child) for child in _children_with_text(root))


def _prefix_ids(root, prefix: str) -> None:
    for element in root.iter(etree.Element):
        if element.get("id"):
            element.set("id", prefix + element.get("id"))
        href = element.get("href", "")
        if href.startswith("#") and len(href) > 1:
            element.set("href", "#" + prefix + href[1:])


def _unlink_local_files(root) -> None:
    for link in root.iter("a"):
        href = link.get("href", "")
        if href and not href.startswith("#") and not urlsplit(href).scheme:
            del link.attrib["href"]


def _shift_headings(root) -> None:
    for element in root.iter(etree.Element):
        match = _HEADING.match(str(element.tag))
        if match:
            element.tag = f"h{min(int(match[1]) + 1, 6)}"


def _figures_from_lone_images(root) -> None:
    for paragraph in list(root.iter("p")):
        children = list(paragraph)
        if len(children) != 1 or children[0].tag != "img":
            continue
        image = children[0]
        if (paragraph.text or "").strip() or (image.tail or "").strip():
            continue
        caption_text = (image.get("title") or image.get("alt") or "").strip()
        paragraph.tag = "figure"
        paragraph.attrib.clear()
        image.tail = None
        if caption_text:
            caption = etree.SubElement(paragraph, "figcaption")
            caption.text = caption_text


def _children_with_text(root):
    """The wrapper's leading text (as a bare string) followed by its child elements."""
    if root.text:
        yield root.text
    yield from root


def _serialise(node) -> str:
    if isinstance(node, str):
        return escape(node, quote=False)
    return lxml.html.tostring(node, encoding="unicode")
