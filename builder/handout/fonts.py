"""Each font face embedded once in an edition merged from parts (merge.py).

Every part WeasyPrint prints embeds its own subset of each face it uses. WeasyPrint subsets
keeping the font's glyph ids (and writes text as glyph ids, /Identity-H), so the subsets of one
face differ only in which glyphs they still hold: the union of their glyphs is one subset that
serves every part. The glyphs, advance widths (/W) and text mapping (/ToUnicode) of a face's
subsets are joined into one font program, and every part's font dictionary for that face is
pointed at it.
"""

from __future__ import annotations

import io
import re
from math import ceil

import pikepdf
from fontTools.ttLib import TTFont
from pikepdf import Array, Name

_CHAR = re.compile(rb"<([0-9a-fA-F]{4})>\s*<([0-9a-fA-F]*)>")


def embed_each_face_once(pdf: pikepdf.Pdf) -> None:
    faces: dict[str, list[pikepdf.Dictionary]] = {}
    for candidate in pdf.objects:
        if (isinstance(candidate, pikepdf.Dictionary) and candidate.get("/Type") == Name.Font
                and candidate.get("/Subtype") == Name.Type0 and _mergeable(candidate)):
            faces.setdefault(str(candidate.BaseFont), []).append(candidate)
    for name in sorted(faces):
        fonts = faces[name]
        if len({_program(font).objgen for font in fonts}) > 1:
            _join(pdf, fonts)


def _mergeable(font) -> bool:
    """A TrueType face written as glyph ids, as WeasyPrint writes every vector face."""
    if font.get("/Encoding") != Name("/Identity-H") or "/ToUnicode" not in font:
        return False
    descendant = font.DescendantFonts[0]
    return (descendant.get("/CIDToGIDMap") == Name.Identity and "/W" in descendant
            and "/FontFile2" in descendant.FontDescriptor)


def _program(font) -> pikepdf.Stream:
    return font.DescendantFonts[0].FontDescriptor.FontFile2


def _join(pdf: pikepdf.Pdf, fonts: list) -> None:
    widths: dict[int, object] = {}
    text: dict[int, bytes] = {}
    for font in fonts:
        widths.update(_widths(font.DescendantFonts[0].W))
        text.update(_to_unicode(font.ToUnicode.read_bytes()))
    program = _joined_program([_program(font) for font in fonts], sorted(widths))
    if program is None:
        return
    first = fonts[0].DescendantFonts[0]
    boxes = [list(map(float, font.DescendantFonts[0].FontDescriptor.FontBBox)) for font in fonts]
    descriptor = pdf.make_indirect(pikepdf.Dictionary({key: value for key, value in first.FontDescriptor.items()}))
    descriptor.FontBBox = Array([min(b[0] for b in boxes), min(b[1] for b in boxes),
                                 max(b[2] for b in boxes), max(b[3] for b in boxes)])
    descriptor.FontFile2 = pdf.make_stream(program, Length1=len(program))
    descendant = pdf.make_indirect(pikepdf.Dictionary({key: value for key, value in first.items()}))
    descendant.W = _width_array(widths)
    descendant.FontDescriptor = descriptor
    to_unicode = pdf.make_stream(_cmap(text))
    for font in fonts:
        font.DescendantFonts = Array([descendant])
        font.ToUnicode = to_unicode


def _widths(array) -> dict[int, object]:
    """/W as {glyph id: width}; WeasyPrint writes runs only (`first [w1 w2 ...]`)."""
    found, items = {}, list(array)
    for start, run in zip(items[::2], items[1::2]):
        for offset, width in enumerate(run):
            found[int(start) + offset] = width
    return found


def _width_array(widths: dict[int, object]) -> Array:
    array, run, previous = [], None, None
    for glyph in sorted(widths):
        if previous is None or glyph != previous + 1:
            run = []
            array += [glyph, run]
        run.append(widths[glyph])
        previous = glyph
    return Array([item if not isinstance(item, list) else Array(item) for item in array])


def _to_unicode(data: bytes) -> dict[int, bytes]:
    return {int(glyph, 16): text for glyph, text in _CHAR.findall(data)}


def _cmap(text: dict[int, bytes]) -> bytes:
    """A ToUnicode CMap as WeasyPrint writes one."""
    lines = [b"/CIDInit /ProcSet findresource begin", b"12 dict begin", b"begincmap", b"/CIDSystemInfo",
             b"<< /Registry (Adobe)", b"/Ordering (UCS)", b"/Supplement 0", b">> def",
             b"/CMapName /Adobe-Identity-UCS def", b"/CMapType 2 def", b"1 begincodespacerange",
             b"<0000> <ffff>", b"endcodespacerange"]
    items = sorted(text.items())
    for batch in range(ceil(len(items) / 100)):
        chunk = items[batch * 100:(batch + 1) * 100]
        lines.append(f"{len(chunk)} beginbfchar".encode())
        lines += [b"<%04x> <%s>" % (glyph, value) for glyph, value in chunk]
        lines.append(b"endbfchar")
    lines += [b"endcmap", b"CMapName currentdict /CMap defineresource pop", b"end", b"end"]
    return b"\n".join(lines)


def _joined_program(programs: list, glyphs: list[int]) -> bytes | None:
    """One font program holding each of `glyphs` (and the glyphs they are composed of) from
    whichever subset has it; None when the subsets are not of one font.

    A subset keeps the glyph ids up to the highest it uses, so the subsets' glyph lists differ
    in length, and their glyph names (taken from each subset's own tables) may differ too: glyphs
    are matched by id, and a composite glyph's parts are renamed to the joined font's names."""
    # recalcTimestamp=False: the joined font keeps the subsets' date, not the build clock
    fonts = sorted((TTFont(io.BytesIO(program.read_bytes()), recalcTimestamp=False) for program in programs),
                   key=lambda font: -len(font.getGlyphOrder()))
    base = fonts[0]
    if any("glyf" not in font for font in fonts):
        return None
    order = base.getGlyphOrder()
    wanted, seen = list(glyphs), set()
    while wanted:
        glyph = wanted.pop()
        if glyph in seen or glyph >= len(order):
            continue
        seen.add(glyph)
        source = next((font for font in fonts if glyph < len(font.getGlyphOrder())
                       and _drawn(font, font.getGlyphOrder()[glyph])), None)
        if source is None:
            continue
        outline = source["glyf"][source.getGlyphOrder()[glyph]]
        if outline.isComposite():
            for component in outline.components:
                part = source.getGlyphID(component.glyphName)
                component.glyphName = order[part]
                wanted.append(part)
        if source is not base:
            base["glyf"][order[glyph]] = outline
            base["hmtx"][order[glyph]] = source["hmtx"][source.getGlyphOrder()[glyph]]
    written = io.BytesIO()
    base.save(written)
    return written.getvalue()


def _drawn(font: TTFont, name: str) -> bool:
    return font["glyf"][name].numberOfContours != 0
