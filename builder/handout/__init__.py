"""Printable handouts: a participant and a facilitator PDF per course, from the frozen model.

`write_handouts` is what the build calls; `render_handout` gives one edition's bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable

from builder.cache import OutputCache, file_digests
from builder.handout.render import (HandoutSources, available_fonts, handout_sources, print_edition, print_part,
                                    print_sources, render_handout)
from builder.model import Course

__all__ = ["EditionJob", "available_fonts", "edition_job", "handout_file_name", "render_handout", "write_handouts"]


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


@dataclass
class EditionJob:
    """One edition of a build's handouts, printed part by part (each part a step of its own, in
    a worker) and then merged (builder/handout/merge.py). Every part, and the edition as a whole,
    is kept in `cache` under a key of what it is printed from, so an edit reprints only the parts
    it changed, and a rebuild with nothing changed prints nothing."""
    sources: HandoutSources
    target: Path
    cache: OutputCache
    key: str | None
    part_keys: list[str | None]
    pdfs: dict[int, bytes] = field(default_factory=dict)
    printed: int = 0                       # parts printed afresh (the others came from the cache)

    @property
    def edition(self) -> str:
        return self.sources.edition

    def from_cache(self) -> bool:
        """Write the edition from the cache, when this same edition was printed before."""
        return self.cache.copy_to(self.key, self.target)

    def part(self, index: int) -> tuple[bytes, bool]:
        """The PDF of part `index` and whether it was printed now (False: from the cache)."""
        stored = self.cache.read(self.part_keys[index])
        if stored is not None:
            return stored, False
        pdf = print_part(self.sources, self.sources.parts[index])
        self.cache.store_bytes(self.part_keys[index], pdf)
        return pdf, True

    def finish(self) -> Path:
        """Merge the printed parts into the edition's PDF (in the staging folder) and keep it."""
        self.target.write_bytes(print_edition(self.sources, [self.pdfs[i] for i in range(len(self.sources.parts))]))
        self.cache.store(self.key, self.target)
        return self.target


def edition_job(course: Course, edition: str, out_dir: Path, *, source_date: datetime,
                version_note: tuple[str, ...] = (), cache: OutputCache = OutputCache(None)) -> EditionJob:
    """What printing one edition into out_dir (a build's staging folder) takes."""
    sources = handout_sources(course, edition, source_date=source_date, version_note=version_note)
    common = (edition, str(course.source_dir), sources.theme_css, *file_digests(course.source_dir, course.assets))
    part_htmls = [sources.html(part) for part in sources.parts]
    part_keys = [cache.key("handout part", *common, html) for html in part_htmls]
    key = cache.key("handout", *common, course.id, course.version, sources.front_html(False),
                    sources.front_html(True), *part_htmls)
    return EditionJob(sources, Path(out_dir) / handout_file_name(course, edition), cache, key, part_keys)


def handout_file_name(course: Course, edition: str) -> str:
    return f"{course.id}-{course.version}-{edition}.pdf"
