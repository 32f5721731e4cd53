"""How much one page and one package may hold: limits that refuse a course before the build (or a
browser, or WeasyPrint) runs out of memory or time, each with the line where it is crossed.

Measured on the build machine (2 cores, README "Limits"): a page of 2 MiB holding 700k paragraphs,
524k table rows or 60k footnotes took minutes and gigabytes to parse; pages within these limits
render in well under a second. The page text is scanned line by line before Markdown parses it,
so the check itself stays linear and small.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .errors import Problem

# Pages per course: the largest course whose learner state still fits SCORM 1.2's 4096 characters
# in one SCO (1000 pages, 1000 questions: tests/browser/test_player_capacity.py) and that the
# benchmark builds. The packages take seconds; the handouts are most of a full build and grow
# with the page count (README "Limits" has the figures).
MAX_PAGES = 1000
MAX_QUESTIONS = 10_000

# One table for every per-page limit: name, limit, what is counted, what to do instead.
MAX_BLOCKS_PER_PAGE = 5_000          # paragraphs, list items, headings, quotes (block starts)
MAX_TABLE_ROWS_PER_PAGE = 2_000
MAX_FOOTNOTES_PER_PAGE = 500
MAX_ELEMENTS_PER_PAGE = 50_000       # lines plus inline markup (emphasis, links, code, HTML tags)

# A package's size once an LMS unpacks it, and how much smaller the zip is than that.
WARN_UNPACKED_BYTES = 500 * 1024 * 1024
WARN_COMPRESSION_RATIO = 20          # unpacked / zipped, for files of WARN_RATIO_MIN_BYTES or more
WARN_RATIO_MIN_BYTES = 1024 * 1024

_INLINE_MARKUP = re.compile(r"[*_`~]+|!?\[|\]\(|<[A-Za-z/!]")
_BLOCK_MARKER = re.compile(r"\s{0,3}(?:[-+*]\s|\d{1,9}[.)]\s|#{1,6}\s|>|\|)")


@dataclass(frozen=True)
class _Limit:
    limit: int
    message: str
    hint: str


_PAGE_LIMITS = {
    "blocks": _Limit(MAX_BLOCKS_PER_PAGE, "the page has more than {limit} paragraphs, list items and headings",
                     "split it into several pages; a page should take a few minutes to read"),
    "rows": _Limit(MAX_TABLE_ROWS_PER_PAGE, "the page has more than {limit} table rows",
                   "split the table over several pages, or offer it as a spreadsheet download"),
    "footnotes": _Limit(MAX_FOOTNOTES_PER_PAGE, "the page has more than {limit} footnotes",
                        "put the references in a list at the end of the page, or on a page of their own"),
    "elements": _Limit(MAX_ELEMENTS_PER_PAGE, "the page has more than {limit} lines and formatting marks",
                       "split it into several pages"),
}


def page_limit_problems(body: str, path: str, first_line: int) -> list[Problem]:
    """One problem per limit the page body crosses, at the line where it is crossed."""
    counts = dict.fromkeys(_PAGE_LIMITS, 0)
    crossed: dict[str, int] = {}
    previous_blank = True
    for number, line in enumerate(body.split("\n")):
        if not line.strip():
            previous_blank = True
            continue
        counts["blocks"] += previous_blank or bool(_BLOCK_MARKER.match(line))
        counts["rows"] += "|" in line
        counts["footnotes"] += line.count("[^")
        counts["elements"] += 1 + len(_INLINE_MARKUP.findall(line))
        previous_blank = False
        for name, count in counts.items():
            if count > _PAGE_LIMITS[name].limit and name not in crossed:
                crossed[name] = number
        if len(crossed) == len(_PAGE_LIMITS):
            break
    return [Problem(path, first_line + number, 1, _PAGE_LIMITS[name].message.format(limit=_PAGE_LIMITS[name].limit),
                    _PAGE_LIMITS[name].hint, code="CS609") for name, number in crossed.items()]


def package_size_warnings(zip_path: Path, source_of: dict[str, str]) -> list[Problem]:
    """Warnings for a package that unpacks much larger than it is: an LMS stores it unpacked.

    `source_of` maps a zip entry to the course file it came from (shown in the warning)."""
    problems = []
    with zipfile.ZipFile(zip_path) as archive:
        entries = archive.infolist()
    unpacked = sum(entry.file_size for entry in entries)
    packed = sum(entry.compress_size for entry in entries) or 1
    for entry in entries:
        ratio = entry.file_size / max(entry.compress_size, 1)
        # Only course files: the player's own pages of a long course are large and repetitive by nature.
        if entry.filename in source_of and entry.file_size >= WARN_RATIO_MIN_BYTES and ratio >= WARN_COMPRESSION_RATIO:
            problems.append(Problem(source_of.get(entry.filename, entry.filename), 1, 1,
                                    f"{entry.filename} is {entry.file_size / 1048576:.1f} MiB unpacked but "
                                    f"{ratio:.0f} times smaller zipped: it is mostly empty or repeated data",
                                    "check the file; an LMS stores and serves it unpacked", "warning", code="CS709"))
    if unpacked > WARN_UNPACKED_BYTES or (unpacked >= WARN_RATIO_MIN_BYTES and unpacked / packed >= WARN_COMPRESSION_RATIO):
        problems.append(Problem(zip_path.name, 1, 1,
                                f"the package unpacks to {unpacked / 1048576:.0f} MiB ({unpacked / packed:.0f} times "
                                f"its zipped size); an LMS stores it unpacked",
                                f"keep packages under {WARN_UNPACKED_BYTES // 1048576} MiB unpacked: "
                                "compress videos, or link to large files on a web page", "warning", code="CS709"))
    return problems
