"""Which tables may break their words anywhere to fit the paper.

`overflow-wrap: anywhere` lets a column shrink below its longest word, so a table of many
columns, or of long unbreakable words, still fits the page. But WeasyPrint then finds each
cell's narrowest width by trying a line break after every character: on the default course that
was a fifth of the whole handout's rendering time. So only a table whose longest words could not
stand side by side on the page gets it (class "squeeze", print.css); the others wrap between
words, and a word longer than its column still breaks (`overflow-wrap: break-word`).

The judgement errs towards squeezing: every character is measured in the bold face of the font
(wider than the regular), at the table's font size, plus a margin.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import lxml.html
from fontTools.ttLib import TTFont

SQUEEZE_CLASS = "squeeze"
_FONT_SIZE_MM = 9.5 * 25.4 / 72          # print.css: table { font-size: 9.5pt }
_CELL_PADDING_MM = 2 * 2.5               # print.css: th, td { padding: 1.6mm 2.5mm }
_TEXT_WIDTH_MM = 210 - 2 * 20            # A4 less the side margins (letter is wider)
_MARGIN = 1.15                           # for kerning, inline code, rounding


def squeeze_wide_tables(html: str, fonts: tuple[Path, ...]) -> str:
    """`html` with SQUEEZE_CLASS on each table too wide for the page between words; unchanged
    when there is none. `fonts`: the folders of the fonts it prints in, in order of use."""
    if "<table" not in html:
        return html
    document = lxml.html.document_fromstring(html)
    widths = _bold_widths(fonts)
    squeezed = [table for table in document.iter("table") if _too_wide(table, widths)]
    for table in squeezed:
        table.set("class", " ".join(filter(None, [table.get("class"), SQUEEZE_CLASS])))
    if not squeezed:
        return html
    return lxml.html.tostring(document, encoding="unicode", doctype="<!DOCTYPE html>")


def _too_wide(table, widths: "_Widths") -> bool:
    """Whether the table's columns, each as wide as its longest word, overflow the page."""
    columns: dict[int, float] = {}
    for row in table.iter("tr"):
        for index, cell in enumerate(row.iterchildren("th", "td")):
            columns[index] = max(columns.get(index, 0.0), max(map(widths.mm, _words(cell)), default=0.0))
    needed = sum(width + _CELL_PADDING_MM for width in columns.values())
    return needed * _MARGIN > _TEXT_WIDTH_MM


def _words(cell) -> list[str]:
    """What the cell prints between break opportunities, links' printed addresses included."""
    printed = [cell.text_content()] + [f"({link.get('href')})" for link in cell.iter("a")
                                       if link.get("href", "").startswith("http")]
    return [word for text in printed for word in text.split()]


class _Widths:
    def __init__(self, faces: list[tuple[dict[int, int], float]]):
        self.faces = faces       # (advance width by code point, font units per mm)

    def mm(self, word: str) -> float:
        return sum(self._char(ch) for ch in word)

    def _char(self, ch: str) -> float:
        for advances, units_per_mm in self.faces:
            if ord(ch) in advances:
                return advances[ord(ch)] / units_per_mm
        return _FONT_SIZE_MM          # a character no font has prints as its name, wider still


@lru_cache(maxsize=8)
def _bold_widths(fonts: tuple[Path, ...]) -> _Widths:
    faces = []
    for folder in fonts:
        bold = sorted(Path(folder).glob("*-Bold.ttf")) or sorted(Path(folder).glob("*.ttf"))
        if not bold:
            continue
        with TTFont(bold[0], lazy=True) as font:
            metrics = font["hmtx"].metrics
            advances = {code: metrics[glyph][0] for code, glyph in font.getBestCmap().items()}
            faces.append((advances, font["head"].unitsPerEm / _FONT_SIZE_MM))
    return _Widths(faces)
