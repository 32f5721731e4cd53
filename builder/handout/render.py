"""Turn a handout view into PDF bytes with WeasyPrint, refusing to print anything incomplete."""

from __future__ import annotations

import hashlib
import logging
import threading
from contextlib import contextmanager
from datetime import datetime
from functools import lru_cache
from pathlib import Path

import jinja2
import pydyf
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from builder import __version__
from builder.errors import CourseError, Problem, refuse
from builder.explain import tables_for_print
from builder.handout.fetcher import CourseURLFetcher, FetchFailure
from builder.handout.fragments import fit_page_html
from builder.handout.glyphs import FALLBACK_FONT, covered_characters, printable_document
from builder.handout.view import build_view, format_clock, format_minutes
from builder.model import COLOUR, Course
from builder.paths import shipped_fonts, templates_dir
from builder.templating import environment

# Tagged PDF (structure tree, /Lang, alt text on figures, PDF/UA identification in XMP).
PDF_VARIANT = "pdf/ua-1"
# WeasyPrint logs, rather than raises, when it cannot use a resource; these messages mean the
# PDF would silently miss something (an image, a stylesheet, a font).
_RESOURCE_WARNINGS = ("cannot be loaded", "Failed to", "Malformed", "Relative URI")


def render_handout(course: Course, edition: str, *, source_date: datetime,
                   version_note: tuple[str, ...] = ()) -> bytes:
    """The PDF of one edition ("participant" or "facilitator"); CourseError if anything is missing.

    `version_note`: lines saying what this release changes for learners; the facilitator edition
    prints them (a line starting "- " is a list item)."""
    view = build_view(course, edition, source_date, fit_page_html)
    tracking = tables_for_print(course) if view.facilitator else []
    font = _font(course.theme.font)
    fonts_dir = templates_dir() / "fonts"
    covered = covered_characters(fonts_dir / font, fonts_dir / FALLBACK_FONT)
    theme_css = _environment().get_template("handout/theme.css.j2").render(
        font=font, fallback_font=FALLBACK_FONT, paper=course.handout.paper,
        primary=_colour(course.theme.primary_colour), accent=_colour(course.theme.accent_colour))
    handout_templates = templates_dir() / "handout"
    fetcher = CourseURLFetcher(course.source_dir, templates_dir())
    fonts = FontConfiguration()
    options = {"pdf_variant": PDF_VARIANT, "pdf_identifier": _identifier(course, edition)}
    with _weasyprint_problems() as problems:
        stylesheets = [
            CSS(string=theme_css, base_url=_folder_url(handout_templates),
                url_fetcher=fetcher, font_config=fonts),
            CSS(url=(handout_templates / "print.css").as_uri(), url_fetcher=fetcher,
                font_config=fonts),
        ]

        def layout(compact_cover: bool):
            html = _environment().get_template("handout/handout.html.j2").render(
                view=view, compact_cover=compact_cover, tracking=tracking,
                version_note=_note_blocks(version_note))
            return HTML(string=printable_document(html, covered), base_url=_folder_url(course.source_dir),
                        url_fetcher=fetcher).render(stylesheets=stylesheets, font_config=fonts, **options)

        document = layout(compact_cover=False)
        if _cover_pages(document) > 1:
            # A long title, description or module list would spill the cover onto a second page
            # (and shift every page label): print the short cover instead.
            document = layout(compact_cover=True)
        pdf = document.write_pdf(finisher=_label_pages, **options)
    _refuse_incomplete(fetcher.failures, problems)
    return pdf


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


def _cover_pages(document) -> int:
    """How many pages the cover took: the contents always starts the page after it."""
    return next((i for i, page in enumerate(document.pages) if "contents" in page.anchors), 1)


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    """The project's one environment (autoescape on), plus the handout's formatting helpers."""
    env = environment().overlay()
    env.filters["minutes"] = format_minutes
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
