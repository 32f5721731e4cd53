"""Handouts stay printable when the course is hostile to a page layout.

Built from tests/roots/handout-hostile/ (US letter, German, unbreakable words and URLs, a 12-column
table, a very tall image inside a sentence, scripts and emoji the shipped font lacks, a module with
nothing to print, a module that prints only its quiz). The pages are rasterised with pdftoppm and
checked the way a person holding the printout would: nothing is cut off at the paper's edge.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest
from PIL import Image

from builder.handout import write_handouts
from builder.load import load_course
from helpers import Built, pdftotext, squash

ROOT = Path(__file__).parent / "roots" / "handout-hostile"
SOURCE_DATE = datetime(2025, 3, 12, 9, 30, tzinfo=timezone.utc)
DPI = 50
MM = DPI / 25.4                      # pixels per millimetre
# print.css: @page margin 24mm 20mm 22mm 20mm. The strips checked lie inside those margins,
# clear of the running header and footer, where nothing may ever be drawn.
SIDE_STRIP_MM = 18.0
TOP_STRIP_MM = 6.0
BOTTOM_STRIP_MM = 9.0
INK = 235                            # a pixel darker than this (0-255 grey) is ink


@pytest.fixture(scope="module")
def course():
    return load_course(ROOT)


@pytest.fixture(scope="module")
def built(course, tmp_path_factory) -> dict[str, Built]:
    out = tmp_path_factory.mktemp("hostile")
    paths = write_handouts(course, out, source_date=SOURCE_DATE)
    return {path.stem.rsplit("-", 1)[1]: Built(path) for path in paths}


def raw_pages(edition: Built) -> list[str]:
    """Each page's text in drawing order, where a table cell's wrapped lines stay together."""
    return pdftotext(edition.path, "-raw")


def rasterise(path: Path, folder: Path) -> list[Image.Image]:
    subprocess.run(["pdftoppm", "-png", "-gray", "-r", str(DPI), str(path), str(folder / "page")], check=True)
    return [Image.open(p).convert("L") for p in sorted(folder.glob("page-*.png"), key=lambda p: int(p.stem.split("-")[1]))]


def inked_strips(image: Image.Image) -> list[str]:
    """The margin strips of one page that hold ink."""
    width, height = image.size
    side, top, bottom = round(SIDE_STRIP_MM * MM), round(TOP_STRIP_MM * MM), round(BOTTOM_STRIP_MM * MM)
    strips = {"left": (0, 0, side, height), "right": (width - side, 0, width, height),
              "top": (0, 0, width, top), "bottom": (0, height - bottom, width, height)}
    return [name for name, box in strips.items() if image.crop(box).getextrema()[0] < INK]


@pytest.mark.parametrize("edition", ["participant", "facilitator"])
def test_nothing_is_cut_off_at_the_edge_of_the_paper(built, edition, tmp_path):
    """Unbreakable words, long URLs, wide tables, long options and answers, and a tall image
    inside a sentence all stay inside the page margins (the cover bleeds on purpose)."""
    pages = rasterise(built[edition].path, tmp_path)
    spilled = {number: strips for number, image in enumerate(pages[1:], start=2)
               if (strips := inked_strips(image))}
    assert spilled == {}, f"{edition}: ink in the margins of pages {spilled}"


def test_long_words_and_urls_break_rather_than_vanish(built):
    text = built["participant"].squashed()
    assert squash("A" * 160) in text
    assert squash("abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz") in text
    assert squash("Z" * 140) in text


def test_a_very_tall_image_in_a_sentence_shares_its_page_with_the_sentence(built):
    participant = built["participant"]
    page = next(p for p in participant.pages if "Ein Bild mitten im Satz" in p)
    assert "und weiter" in page and "Bilder" in page


def test_scripts_the_shipped_font_lacks_print_from_the_shipped_fallback(built):
    text = built["participant"].text
    for word in ("Ελληνικά", "Кириллица", "עברית", "☺", "✓"):
        assert word in text
    names = set()
    for edition in built.values():
        lines = subprocess.run(["pdffonts", str(edition.path)], capture_output=True, text=True,
                               check=True).stdout.splitlines()[2:]
        names |= {line.split()[0].split("+", 1)[1] for line in lines}
    assert "coursesmith-fallback" in names
    strangers = {name for name in names if not name.startswith(("atkinson-hyperlegible", "coursesmith-fallback"))}
    assert strangers == set(), "fonts from the build machine slipped in"


def test_characters_no_shipped_font_has_print_as_their_names_not_as_empty_boxes(built):
    text = built["participant"].text
    for emoji in ("😀", "👍", "✅", "\ufe0f"):
        assert emoji not in text
    for name in ("[grinning face]", "[thumbs up sign]", "[white heavy check mark]"):
        assert squash(name) in squash(text)
    # Skin-tone modifiers and variation selectors qualify the emoji before them; they are not printed.
    assert "fitzpatrick" not in text.casefold() and "variation" not in text.casefold()


def test_the_handout_does_not_depend_on_the_machines_fonts(built, tmp_path):
    """Rendered where fontconfig knows no fonts at all, the handout has the same bytes."""
    config = tmp_path / "fonts.conf"
    config.write_text('<?xml version="1.0"?>\n<fontconfig><cachedir>' + str(tmp_path / "cache")
                      + "</cachedir></fontconfig>\n")
    script = (
        "import sys; from datetime import datetime, timezone; from pathlib import Path\n"
        "from builder.handout import render_handout; from builder.load import load_course\n"
        "pdf = render_handout(load_course(Path(sys.argv[1])), 'participant',"
        " source_date=datetime(2025, 3, 12, 9, 30, tzinfo=timezone.utc))\n"
        "Path(sys.argv[2]).write_bytes(pdf)\n")
    target = tmp_path / "no-system-fonts.pdf"
    environment = {**os.environ, "FONTCONFIG_FILE": str(config)}
    subprocess.run([sys.executable, "-c", script, str(ROOT), str(target)], check=True, env=environment,
                   cwd=Path(__file__).parents[1])
    assert target.read_bytes() == built["participant"].path.read_bytes()


def test_a_module_with_nothing_to_print_says_so_without_a_page_of_its_own(built):
    for edition in built.values():
        page = next(p for p in edition.pages if "Nur online" in p and "MODULE 2" in p)
        assert squash("Nothing in this module is printed") in squash(page)
        assert squash("Den Ablauf im System nachvollziehen") in squash(page)
    # Where module 1 leaves room (in the facilitator edition), module 2 follows on the same page.
    page = next(p for p in raw_pages(built["facilitator"]) if "MODULE 2" in p)
    assert squash("Parotitisprophylaxe") in squash(page)


def test_a_page_title_is_never_left_alone_at_the_foot_of_a_page(built):
    for edition in built.values():
        for page in raw_pages(edition):
            if "Zwölf Spalten" in page and "Contents" not in page and "Session plan" not in page:
                assert squash("Spalte 12") in squash(page)


def test_a_quiz_starts_under_its_module_title_when_no_page_is_printed(built):
    for edition in built.values():
        page = next(p for p in edition.pages if "MODULE 3" in p)
        assert "Prüfen Sie Ihr Wissen" in page


def test_the_facilitators_quiz_rules_stay_together_with_the_first_question(built):
    facilitator = built["facilitator"]
    page = next(p for p in facilitator.pages if "Pass mark" in p)
    assert "Attempts online" in page and "QUESTION 1" in page


def test_the_cover_stays_on_one_page_when_the_title_is_very_long(course, built):
    assert len(course.title) > 250
    for edition in built.values():
        cover, first = edition.pages[0], edition.pages[1]
        assert squash("Sicherheit im Pflegealltag") in squash(cover)
        assert "Version" in cover and "1.0.0" in cover and "Page " not in cover
        assert "Contents" in first and "Page 1 of" in first
        assert edition.reader.page_labels[:2] == ["Cover", "1"]


def test_the_participant_edition_still_carries_no_feedback(built):
    for secret in ("Richtig, Die Pflegekraft", "Lesen Sie den Abschnitt noch einmal", "Correct answer"):
        assert squash(secret) not in built["participant"].squashed()
        assert squash(secret) in built["facilitator"].squashed()
