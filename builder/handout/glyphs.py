"""Print only characters the shipped fonts can draw.

A handout uses the theme font, then coursesmith's fallback font (DejaVu Sans: Greek, Cyrillic,
Hebrew, Arabic, arrows, maths, dingbats). A character neither has (emoji, CJK, most Indic scripts)
would print as an empty box, or in whatever font the build machine happens to have, so the same
course would give different PDFs on different machines. Such characters are printed as their
Unicode name in brackets instead ("[grinning face]"), and the marks that only modify the character
before them (skin tones, variation selectors, joiners) are left out.

Emoji are always named, even where the fallback font has a glyph: the text shaper sends emoji to
the machine's colour-emoji or system fonts whatever the stylesheet says.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path

import lxml.html
from fontTools.ttLib import TTFont

FALLBACK_FONT = "dejavu-sans"
# Emoji skin-tone modifiers are symbols (Sk), but like variation selectors they only qualify
# the character before them.
_MODIFIERS = range(0x1F3FB, 0x1F400)
_VARIATION_SELECTORS = (range(0xFE00, 0xFE10), range(0xE0100, 0xE01F0))
# Characters shown as emoji by default (Unicode's Emoji_Presentation): every pictograph block
# from U+1F000, and these in the Basic Multilingual Plane.
_EMOJI_BLOCKS = range(0x1F000, 0x1FB00)
_EMOJI_IN_BMP = frozenset(map(chr, [
    0x231A, 0x231B, 0x23E9, 0x23EA, 0x23EB, 0x23EC, 0x23F0, 0x23F3, 0x25FD, 0x25FE, 0x2614, 0x2615,
    *range(0x2648, 0x2654), 0x267F, 0x2693, 0x26A1, 0x26AA, 0x26AB, 0x26BD, 0x26BE, 0x26C4, 0x26C5,
    0x26CE, 0x26D4, 0x26EA, 0x26F2, 0x26F3, 0x26F5, 0x26FA, 0x26FD, 0x2705, 0x270A, 0x270B, 0x2728,
    0x274C, 0x274E, 0x2753, 0x2754, 0x2755, 0x2757, 0x2795, 0x2796, 0x2797, 0x27B0, 0x27BF, 0x2B1B,
    0x2B1C, 0x2B50, 0x2B55,
]))


@lru_cache(maxsize=8)
def covered_characters(*font_dirs: Path) -> frozenset[str]:
    """Every character some font file in `font_dirs` has a glyph for."""
    covered: set[int] = set()
    for folder in font_dirs:
        for path in sorted(Path(folder).glob("*.ttf")):
            with TTFont(path, lazy=True) as font:
                covered.update(font.getBestCmap())
    return frozenset(chr(code) for code in covered if not _emoji_or_selector(code))


def _emoji_or_selector(code: int) -> bool:
    return (code in _EMOJI_BLOCKS or chr(code) in _EMOJI_IN_BMP
            or any(code in selectors for selectors in _VARIATION_SELECTORS))


def printable(text: str, covered: frozenset[str]) -> str:
    return "".join(ch if ch in covered else _stand_in(ch) for ch in text)


def _stand_in(ch: str) -> str:
    category = unicodedata.category(ch)
    if category in ("Zs", "Zl", "Zp") or ch in "\t\n\r":
        return ch                         # layout handles every kind of space and line break
    if category in ("Mn", "Me", "Cf", "Cc", "Cs") or ord(ch) in _MODIFIERS:
        return ""
    name = unicodedata.name(ch, "")
    return f"[{name.lower()}]" if name else f"[U+{ord(ch):04X}]"


def unprintable(text: str, covered: frozenset[str]) -> list[tuple[int, str, str]]:
    """Each character of `text` that prints as a stand-in: (line from 0, character, stand-in), the
    first occurrence of each character only."""
    found, seen = [], set()
    for number, line in enumerate(text.split("\n")):
        for ch in line:
            if ord(ch) < 0x250 or ch in covered or ch in seen:
                continue
            seen.add(ch)
            stand_in = _stand_in(ch)
            if stand_in.startswith("["):
                found.append((number, ch, stand_in))
    return found


def printable_document(html: str, covered: frozenset[str]) -> str:
    """`html` with every text the PDF prints made printable; unchanged when it already is."""
    if all(_stand_in(ch) == ch for ch in set(html) - covered):
        return html
    document = lxml.html.document_fromstring(html)
    body = document.find("body")
    for element in body.iter():
        if element is not body and element.tail:
            element.tail = printable(element.tail, covered)
        if isinstance(element.tag, str) and element.text:
            element.text = printable(element.text, covered)
    return lxml.html.tostring(document, encoding="unicode", doctype="<!DOCTYPE html>")
