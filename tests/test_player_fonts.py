"""The theme font in a built package: WOFF2 faces holding every character the course's pages show,
the same bytes from every build. (That a browser loads them: tests/browser/test_player_accessibility.py.)"""

from __future__ import annotations

import io
import string
import unicodedata
import zipfile
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from lxml import etree, html

from builder import webfonts
from helpers import REPO, course_path
from helpers import coursesmith as _coursesmith

COURSE = course_path("leading-in-social-care")
FONT = REPO / "templates" / "fonts" / "atkinson-hyperlegible"
FACES = ("Regular", "Bold", "Italic", "BoldItalic")


def build(out: Path) -> Path:
    webfonts.woff2_subset.cache_clear()          # each build cuts its fonts afresh
    result = _coursesmith("build", COURSE, "--out", out, "--no-pdf", "--no-cache", "--scorm", "1.2", "--quiet",
                          env={"SOURCE_DATE_EPOCH": "1700000000"})
    assert result.returncode == 0, result.output
    (package,) = (out / "leading-in-social-care").glob("*scorm12.zip")
    return package


@pytest.fixture(scope="module")
def package(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("fonts"))


def cmap(data: bytes) -> set[str]:
    return {chr(code) for code in TTFont(io.BytesIO(data)).getBestCmap()}


def page_text(zipped: zipfile.ZipFile) -> set[str]:
    """Every character of every SCO page's text, its embedded data included."""
    pages = [name for name in zipped.namelist() if "/" not in name and name.endswith(".html")]
    assert pages
    text = "".join(html.fromstring(zipped.read(name)).text_content() for name in pages)
    return {c for c in text if unicodedata.category(c) != "Cc"}


def test_the_package_ships_woff2_faces_and_the_licence_only(package):
    with zipfile.ZipFile(package) as zipped:
        fonts = sorted(name for name in zipped.namelist() if name.startswith("player/fonts/"))
        manifest = etree.fromstring(zipped.read("imsmanifest.xml"))
    folder = "player/fonts/atkinson-hyperlegible/"
    assert fonts == sorted([f"{folder}OFL.txt"] + [f"{folder}AtkinsonHyperlegible-{face}.woff2" for face in FACES])
    listed = {element.get("href") for element in manifest.iter("{*}file")}
    assert set(fonts) <= listed


def test_every_face_holds_every_character_the_pages_show(package):
    with zipfile.ZipFile(package) as zipped:
        shown = page_text(zipped)
        assert any(ord(c) > 127 for c in shown)   # typographic quotes and dashes: more than ASCII to check
        for face in FACES:
            data = zipped.read(f"player/fonts/atkinson-hyperlegible/AtkinsonHyperlegible-{face}.woff2")
            assert data[:4] == b"wOF2"
            shipped = cmap(data)
            whole = cmap((FONT / f"AtkinsonHyperlegible-{face}.ttf").read_bytes())
            assert (shown & whole) - shipped == set(), face
            assert set(string.printable.strip()) <= shipped      # what a learner types
            assert len(shipped) < len(whole)                      # cut down, not the whole font


def test_two_builds_give_the_same_package(package, tmp_path):
    assert build(tmp_path).read_bytes() == package.read_bytes()
