"""Printable handouts: a participant and a facilitator PDF per course, from the frozen model.

`write_handouts` is what the build calls; `render_handout` gives one edition's bytes.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Callable

from builder.cache import OutputCache, file_digests
from builder.handout.render import available_fonts, handout_sources, print_sources, render_handout
from builder.model import Course

__all__ = ["available_fonts", "handout_file_name", "render_handout", "write_handout", "write_handouts"]


def write_handouts(course: Course, out_dir: Path, *, source_date: datetime,
                   rendered: Callable[[str], None] = lambda _edition: None,
                   version_note: tuple[str, ...] = ()) -> tuple[Path, ...]:
    """Write one PDF per edition the course asks for into out_dir; return their paths in that order.

    `source_date` is when the course's sources last changed (last commit or SOURCE_DATE_EPOCH),
    never the build clock: it is printed on the cover and stamped into the PDF metadata.
    `rendered(edition)` is called as each edition is ready (for a progress bar). `version_note`:
    what this release changes for learners (builder.releases), printed in the facilitator edition.
    """
    # Render every edition before writing any, so a failure leaves out_dir untouched.
    pdfs = {}
    for edition in course.handout.editions:
        pdfs[edition] = render_handout(course, edition, source_date=source_date, version_note=version_note)
        rendered(edition)
    written = []
    for edition, pdf in pdfs.items():
        target = Path(out_dir) / handout_file_name(course, edition)
        target.write_bytes(pdf)
        written.append(target)
    return tuple(written)


def write_handout(course: Course, edition: str, out_dir: Path, *, source_date: datetime,
                  version_note: tuple[str, ...] = (), cache: OutputCache = OutputCache(None)) -> Path:
    """Write one edition's PDF into out_dir (a build's staging folder) and return its path.

    From `cache` when the same HTML, stylesheet and images were printed before."""
    target = Path(out_dir) / handout_file_name(course, edition)
    sources = handout_sources(course, edition, source_date=source_date, version_note=version_note)
    key = cache.key("handout", edition, str(course.source_dir), course.id, course.version, sources.theme_css, sources.html(False),
                    sources.html(True), *file_digests(course.source_dir, course.assets))
    if not cache.copy_to(key, target):
        target.write_bytes(print_sources(sources))
        cache.store(key, target)
    return target


def handout_file_name(course: Course, edition: str) -> str:
    return f"{course.id}-{course.version}-{edition}.pdf"
