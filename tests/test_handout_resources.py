"""A handout reads only the course folder and coursesmith's templates, and a missing file stops the build.

WeasyPrint itself only logs a missing image and would happily fetch any URL; these tests build
real handouts whose files went missing or whose pages point elsewhere, and check the build refuses.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import pytest

from builder.errors import CourseError
from builder.handout import available_fonts, render_handout, write_handouts
from builder.handout.fetcher import CourseURLFetcher, FetchRefused
from builder.load import load_course
from builder.paths import templates_dir

ROOTS = Path(__file__).parent / "roots"
SOURCE_DATE = datetime(2025, 3, 12, tzinfo=timezone.utc)


@pytest.fixture
def letter_copy(tmp_path) -> Path:
    """A private copy of a small course, free to break."""
    copy = tmp_path / "handout-letter"
    shutil.copytree(ROOTS / "handout-letter", copy)
    return copy


@pytest.fixture
def fetcher(letter_copy) -> CourseURLFetcher:
    return CourseURLFetcher(letter_copy, templates_dir())


def with_page_html(course, html: str):
    """The course with its first page's body replaced, as if the page had been written so."""
    module = course.modules[0]
    page = replace(module.pages[0], html=html, facilitator_html=html)
    return replace(course, modules=(replace(module, pages=(page,) + module.pages[1:]),) + course.modules[1:])


# ---------- the fetcher on its own ----------

def test_fetcher_serves_course_files_and_templates(fetcher, letter_copy):
    page = letter_copy / "modules" / "01-welcome" / "01-clean-hands.md"
    response = fetcher.fetch(page.as_uri())
    assert response.read() == page.read_bytes()
    font = templates_dir() / "fonts" / "atkinson-hyperlegible" / "AtkinsonHyperlegible-Regular.ttf"
    assert fetcher.fetch(font.as_uri()).read()[:4] == b"\x00\x01\x00\x00"


@pytest.mark.parametrize("url", [
    "file:///etc/hostname",
    "https://example.org/logo.png",
    "http://example.org/print.css",
    "ftp://example.org/file.svg",
])
def test_fetcher_refuses_anything_else(fetcher, url):
    with pytest.raises(FetchRefused):
        fetcher.fetch(url)
    assert fetcher.failures[-1].url == url


def test_fetcher_refuses_a_path_that_climbs_out_of_the_course(fetcher, letter_copy):
    sneaky = letter_copy.as_uri() + "/modules/../../../../etc/hostname"
    with pytest.raises(FetchRefused):
        fetcher.fetch(sneaky)


def test_fetcher_refuses_a_symlink_that_leads_out_of_the_course(fetcher, letter_copy, tmp_path):
    secret = tmp_path / "secret.svg"
    secret.write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    link = letter_copy / "assets" / "innocent.svg"
    link.parent.mkdir(exist_ok=True)
    link.symlink_to(secret)
    with pytest.raises(FetchRefused):
        fetcher.fetch(link.as_uri())


def test_fetcher_reports_a_missing_file_by_its_course_path(fetcher, letter_copy):
    with pytest.raises(FileNotFoundError):
        fetcher.fetch((letter_copy / "assets" / "gone.png").as_uri())
    assert fetcher.failures[-1].path == "assets/gone.png"


# ---------- whole builds ----------

def test_an_image_that_disappeared_after_loading_is_a_build_error(tmp_path):
    course_dir = tmp_path / "handout-full"
    shutil.copytree(ROOTS / "handout-full", course_dir)
    course = load_course(course_dir)
    (course_dir / "assets" / "base-of-support.svg").unlink()
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(CourseError) as raised:
        write_handouts(course, out, source_date=SOURCE_DATE)
    (problem,) = raised.value.problems
    assert problem.path == "assets/base-of-support.svg"
    assert "assets/base-of-support.svg" in problem.message
    assert list(out.iterdir()) == [], "no PDF may be written when one is incomplete"


def test_a_missing_logo_is_a_build_error(tmp_path):
    course_dir = tmp_path / "handout-full"
    shutil.copytree(ROOTS / "handout-full", course_dir)
    course = load_course(course_dir)
    (course_dir / "assets" / "logo.svg").unlink()
    with pytest.raises(CourseError) as raised:
        render_handout(course, "participant", source_date=SOURCE_DATE)
    assert [p.path for p in raised.value.problems] == ["assets/logo.svg"]


def test_pages_cannot_pull_in_files_outside_the_course_or_from_the_network(letter_copy):
    course = with_page_html(load_course(letter_copy), (
        '<p>Outside:</p><p><img src="file:///etc/hostname" alt="a file from the machine"></p>'
        '<p><img src="https://example.org/tracker.png" alt="a picture from the network"></p>'))
    with pytest.raises(CourseError) as raised:
        render_handout(course, "participant", source_date=SOURCE_DATE)
    message = " ".join(p.message for p in raised.value.problems)
    assert "file:///etc/hostname is outside the course folder" in message
    assert "not https://example.org/tracker.png" in message


def test_a_theme_font_coursesmith_does_not_ship_is_a_build_error(letter_copy):
    course = load_course(letter_copy)
    course = replace(course, theme=replace(course.theme, font="comic-sans"))
    with pytest.raises(CourseError) as raised:
        render_handout(course, "participant", source_date=SOURCE_DATE)
    (problem,) = raised.value.problems
    assert "comic-sans" in problem.message
    assert "atkinson-hyperlegible" in problem.hint


def test_the_shipped_font_comes_with_its_licence():
    assert "atkinson-hyperlegible" in available_fonts()
    folder = templates_dir() / "fonts" / "atkinson-hyperlegible"
    assert "SIL Open Font License" in (folder / "OFL.txt").read_text()
    for face in ("Regular", "Bold", "Italic", "BoldItalic"):
        assert (folder / f"AtkinsonHyperlegible-{face}.ttf").stat().st_size > 10_000


def test_the_fallback_font_comes_with_its_licence_and_is_not_a_theme_choice():
    folder = templates_dir() / "fonts" / "dejavu-sans"
    assert {"DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "fallback.css"} <= {p.name for p in folder.iterdir()}
    licence = (folder / "LICENSE.txt").read_text(encoding="utf-8")
    assert "Bitstream" in licence and "DejaVu changes are in public domain" in licence
    assert "dejavu-sans" not in available_fonts()
