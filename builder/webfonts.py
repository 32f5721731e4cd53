"""The theme font's faces as the player ships them: WOFF2, cut down to the characters it can show.

A browser downloads every face a page uses before the text settles, and the shipped TrueType
faces carry every glyph the font has (DejaVu Sans: 700 KB a face). The player's pages only ever
show the course's own text, the player's strings and what a learner types, so each face keeps
those characters, with every layout feature the font has (kerning, ligatures) for them. Hinting
is dropped: it is most of what is left, and browsers render unhinted faces well. The handouts
embed the TrueType faces themselves (WeasyPrint subsets them per PDF).

A face fontTools cannot subset is a coursesmith bug, not an author's: its exception propagates.
A build keeps each cut in its output cache (builder/cache.py), so a rebuild with the same text
does not cut again.
"""

from __future__ import annotations

import html
import io
import logging
import re
import string
import unicodedata
from functools import lru_cache
from pathlib import Path

# Whatever the course says, a learner can type an answer and an LMS can send a message.
FLOOR = string.printable
_CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})")


def shown_characters(*texts: str) -> str:
    """The characters `texts` can put on screen, sorted: markup entities decoded, CSS escapes
    (`content: "\\2713"`) read as their characters, controls left out."""
    found = set(FLOOR)
    for text in texts:
        found.update(html.unescape(text))
        found.update(chr(int(code, 16)) for code in _CSS_ESCAPE.findall(text) if int(code, 16) <= 0x10FFFF)
    return "".join(sorted(c for c in found if unicodedata.category(c) not in ("Cc", "Cs")))


@lru_cache(maxsize=32)      # a preview or a test run builds the same course again and again
def woff2_subset(face: Path, characters: str) -> bytes:
    """`face` (a TrueType file) as WOFF2 holding `characters` only; the same bytes for the same inputs."""
    # Imported here: a build whose cut faces come from the output cache never needs fontTools.
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.layout_features = ["*"]
    options.hinting = False
    options.flavor = "woff2"
    font = TTFont(face, recalcTimestamp=False)       # the date inside stays the font's: reproducible
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters)
    # fontTools says which tables it drops (e.g. FontForge's FFTM): nothing a build needs to show.
    logger = logging.getLogger("fontTools.subset")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        subsetter.subset(font)
    finally:
        logger.setLevel(level)
    out = io.BytesIO()
    subset.save_font(font, out, options)
    return out.getvalue()
