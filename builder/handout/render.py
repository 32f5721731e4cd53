"""Turn a handout view into PDF bytes with WeasyPrint, refusing to print anything incomplete."""

from __future__ import annotations

import hashlib
import logging
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Callable

import jinja2
import lxml.html
import pydyf
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from builder import __version__
from builder.errors import CourseError, Problem, refuse
from builder.explain import tables_for_print
from builder.handout.fetcher import CourseURLFetcher, FetchFailure
from builder.handout.fragments import fit_page_html
from builder.handout.glyphs import FALLBACK_FONT, covered_characters, printable_document
from builder.handout.merge import merge, page_anchors
from builder.handout.tables import squeeze_wide_tables
from builder.handout.view import ModuleView, build_view, format_clock
from builder.model import COLOUR, Course
from builder.paths import shipped_fonts, templates_dir
from builder.templating import environment

# Tagged PDF (structure tree, /Lang, alt text on figures, PDF/UA identification in XMP).
PDF_VARIANT = "pdf/ua-1"
# WeasyPrint logs, rather than raises, when it cannot use a resource; these messages mean the
# PDF would silently miss something (an image, a stylesheet, a font).
_RESOURCE_WARNINGS = ("cannot be loaded", "Failed to", "Malformed", "Relative URI")


@dataclass(frozen=True)
class Part:
    """A piece of an edition printed as a document of its own (merge.py): a run of modules (a
    module and the modules after it that print nothing, which follow on its last page, as they
    would in one document) or the facilitator's answer key. The front part (cover, contents,
    front matter) is printed last, as the edition's skeleton."""
    kind: str                                   # "front" | "modules" | "answer-key"
    name: str                                   # in progress lines: "module 3", "answer key"
    modules: tuple[ModuleView, ...] = ()


FRONT = Part("front", "front matter")


@dataclass(frozen=True)
class HandoutSources:
    """What WeasyPrint is given for one edition: each part's document and the theme's CSS."""
    course: Course
    edition: str
    theme_css: str
    parts: tuple[Part, ...]                     # the printed parts in page order, after the front
    html: Callable[..., str]                    # (part, compact_cover=False, placeholders=()) -> HTML

    def front_html(self, compact_cover: bool, placeholders: tuple[tuple[str, ...], ...] = ()) -> str:
        """The skeleton: the front matter, then a blank page for each page `placeholders`
        lists the anchors of (every page the parts printed)."""
        return self.html(FRONT, compact_cover, placeholders)


def handout_sources(course: Course, edition: str, *, source_date: datetime,
                    version_note: tuple[str, ...] = ()) -> HandoutSources:
    view = build_view(course, edition, source_date, fit_page_html)
    tracking = tables_for_print(course) if view.facilitator else []
    font = _font(course.theme.font)
    fonts_dir = templates_dir() / "fonts"
    covered = covered_characters(fonts_dir / font, fonts_dir / FALLBACK_FONT)
    theme_css = _environment().get_template("handout/theme.css.j2").render(
        font=font, fallback_font=FALLBACK_FONT, paper=course.handout.paper,
        primary=_colour(course.theme.primary_colour), accent=_colour(course.theme.accent_colour),
        css_text=view.words.css)

    def html(part: Part, compact_cover: bool = False, placeholders: tuple = ()) -> str:
        return squeeze_wide_tables(printable_document(_environment().get_template("handout/handout.html.j2").render(
            view=view, part=part, compact_cover=compact_cover, placeholders=placeholders, tracking=tracking,
            version_note=_note_blocks(version_note), **_word_helpers(view.words)), covered), (fonts_dir / font, fonts_dir / FALLBACK_FONT))
    return HandoutSources(course, edition, theme_css, _parts(view), html)


def _parts(view) -> tuple[Part, ...]:
    runs: list[list] = []
    for module_view in view.modules:
        if runs and module_view.online_only:
            runs[-1].append(module_view)
        else:
            runs.append([module_view])
    parts = [Part("modules", f"module {run[0].number}", tuple(run)) for run in runs]
    if view.facilitator and view.quizzes:
        parts.append(Part("answer-key", "answer key"))
    return tuple(parts)


def render_handout(course: Course, edition: str, *, source_date: datetime,
                   version_note: tuple[str, ...] = ()) -> bytes:
    """The PDF of one edition ("participant" or "facilitator"); CourseError if anything is missing.

    `version_note`: lines saying what this release changes for learners; the facilitator edition
    prints them (a line starting "- " is a list item)."""
    return print_sources(handout_sources(course, edition, source_date=source_date, version_note=version_note))


def print_sources(sources: HandoutSources) -> bytes:
    """The PDF of the edition `sources` describe, its parts printed one after another here."""
    return print_edition(sources, [print_part(sources, part) for part in sources.parts])


def print_part(sources: HandoutSources, part: Part) -> bytes:
    """One part's PDF (without page numbers: the skeleton has them); CourseError if anything is missing."""
    printer = _Printer(sources.course, sources.theme_css)
    with _weasyprint_problems() as problems:
        pdf = printer.layout(sources.html(part)).write_pdf(**printer.options(sources.edition))
    _refuse_incomplete(printer.fetcher.failures, problems)
    return pdf


def print_edition(sources: HandoutSources, parts: list[bytes]) -> bytes:
    """The edition from its printed parts: the skeleton laid out (the one layout that knows the
    page numbers), then everything merged into one PDF."""
    printer = _Printer(sources.course, sources.theme_css)
    placeholders = tuple(tuple(anchors) for part in parts for anchors in page_anchors(part))
    with _weasyprint_problems() as problems:
        document = printer.layout(sources.front_html(_compact_cover(sources, printer), placeholders))
        skeleton = document.write_pdf(finisher=_label_pages, **printer.options(sources.edition))
    _refuse_incomplete(printer.fetcher.failures, problems)
    return merge(skeleton, parts)


def printed_html(sources: HandoutSources) -> list[str]:
    """The HTML documents the edition is printed from, the front (without its blank pages) first."""
    printer = _Printer(sources.course, sources.theme_css)
    return [sources.front_html(_compact_cover(sources, printer))] + [sources.html(part) for part in sources.parts]


def _compact_cover(sources: HandoutSources, printer: "_Printer") -> bool:
    """The short cover when the full cover would spill onto a second page (and shift every page
    label). Decided by laying out the cover alone."""
    return len(printer.layout(_cover_alone(sources.front_html(False))).pages) > 1


def _cover_alone(html: str) -> str:
    """The document with nothing in its body but the cover: what follows starts on a new page,
    so the cover takes as many pages here as in the whole handout."""
    root = lxml.html.document_fromstring(html)
    body = root.find("body")
    cover = body.find("section[@class='cover']")
    for element in list(body):
        if element is not cover:
            body.remove(element)
    return lxml.html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>")


class _Printer:
    """WeasyPrint set up for one course: its stylesheets, fonts and the fetcher that keeps every
    resource inside the course (or the shipped templates)."""

    def __init__(self, course: Course, theme_css: str):
        handout_templates = templates_dir() / "handout"
        self.course = course
        self.fetcher = CourseURLFetcher(course.source_dir, templates_dir())
        self.fonts = FontConfiguration()
        self.stylesheets = [
            CSS(string=theme_css, base_url=_folder_url(handout_templates), url_fetcher=self.fetcher,
                font_config=self.fonts),
            CSS(url=(handout_templates / "print.css").as_uri(), url_fetcher=self.fetcher, font_config=self.fonts),
        ]

    def options(self, edition: str) -> dict:
        return {"pdf_variant": PDF_VARIANT, "pdf_identifier": _identifier(self.course, edition)}

    def layout(self, html: str):
        return HTML(string=html, base_url=_folder_url(self.course.source_dir), url_fetcher=self.fetcher).render(
            stylesheets=self.stylesheets, font_config=self.fonts, pdf_variant=PDF_VARIANT)


def _word_helpers(words) -> dict:
    """What the templates say things with: the course's messages, in its language and direction."""
    return {"t": words.text, "plural": words.plural, "number": words.number, "minutes": words.minutes,
            "direction": words.direction}


def _note_blocks(lines: tuple[str, ...]) -> list[dict]:
    """Lines of the version note as paragraphs and lists, for the template."""
    blocks: list[dict] = []
    for line in lines:
        if line.startswith("- "):
            if not blocks or blocks[-1]["kind"] != "list":
                blocks.append({"kind": "list", "entries": []})
            blocks[-1]["entries"].append(line[2:])
        else:
            blocks.append({"kind": "text", "text": line})
    return blocks


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    """The project's one environment (autoescape on), plus the handout's formatting helpers."""
    env = environment().overlay()
    env.filters["clock"] = format_clock
    env.globals["coursesmith_version"] = __version__
    env.globals["zip"] = zip
    return env


available_fonts = shipped_fonts


def _font(name: str) -> str:
    if name not in shipped_fonts():
        raise refuse("CS706", f"theme font {name!r} is not one coursesmith ships",
                     hint="choose one of: " + ", ".join(shipped_fonts()), path="theme.yaml")
    return name


def _colour(value: str) -> str:
    """A colour goes into CSS text, so it must be nothing but a colour."""
    if not COLOUR.fullmatch(value):
        raise refuse("CS706", f"theme colour {value!r} is not a #rrggbb colour",
                     hint="write colours as #rrggbb in theme.yaml", path="theme.yaml")
    return value


def _label_pages(document, pdf) -> None:
    """Open with the outline showing, and let viewers number pages as they are printed (cover unnumbered)."""
    pdf.catalog["PageMode"] = "/UseOutlines"
    pdf.catalog["PageLabels"] = pydyf.Dictionary({"Nums": pydyf.Array([
        0, pydyf.Dictionary({"P": pydyf.String("Cover")}),
        1, pydyf.Dictionary({"S": "/D", "St": 1}),
    ])})


def _identifier(course: Course, edition: str) -> bytes:
    """PDF files carry an /ID; a fixed one keeps rebuilds byte-identical."""
    return hashlib.sha256(f"{course.id}/{course.version}/{edition}".encode()).hexdigest()[:32].encode()


def _folder_url(folder: Path) -> str:
    return folder.resolve().as_uri() + "/"


@contextmanager
def _weasyprint_problems():
    """Collect what WeasyPrint logs about this thread's rendering (it never raises for it)."""
    logger = logging.getLogger("weasyprint")
    thread = threading.get_ident()
    records: list[logging.LogRecord] = []

    class Collector(logging.Handler):
        def emit(self, record):
            if record.thread == thread:
                records.append(record)

    handler = Collector(level=logging.WARNING)
    previous_level = logger.level
    logger.addHandler(handler)
    if logger.getEffectiveLevel() > logging.WARNING:
        logger.setLevel(logging.WARNING)
    try:
        yield records
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous_level)


def _refuse_incomplete(failures: list[FetchFailure], records: list[logging.LogRecord]) -> None:
    """One problem for each file WeasyPrint could not use (or, when no fetch failed, each resource
    problem it only logged): a PDF missing an image or a font is never written."""
    found = [(failure.path, _describe(failure)) for failure in _unique(failures)]
    if not failures:
        found += [("", record.getMessage()) for record in records if _is_resource_problem(record)]
    if found:
        raise CourseError([Problem(path, 1, 1, f"the handout cannot be printed completely: {message}",
                                   "every image, stylesheet and font a handout uses must be a file inside the course folder",
                                   code="CS801")
                           for path, message in found])


def _is_resource_problem(record: logging.LogRecord) -> bool:
    return record.levelno >= logging.ERROR or any(
        marker in record.getMessage() for marker in _RESOURCE_WARNINGS)


def _describe(failure: FetchFailure) -> str:
    if failure.path:
        return f"{failure.path}: {failure.reason}"
    return failure.reason


def _unique(failures: list[FetchFailure]) -> list[FetchFailure]:
    return list({(f.url, f.reason): f for f in failures}.values())
