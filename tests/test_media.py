"""Video and sound in pages: `![Title](clip.mp4)` becomes a player with the files beside it
(captions, poster, transcript), packaged and listed in the manifest; a video without captions is
an error that names the missing file; raw <video> stays refused; handouts print the poster."""

from __future__ import annotations

import shutil
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import pytest
from pypdf import PdfReader

from builder.errors import CourseError
from builder.handout import render_handout
from builder.load import load_course
from builder.player import PlayerFiles
from builder.scorm import package_name, write_package

from helpers import pdftotext

MEDIA = Path(__file__).parent / "roots" / "player-media"


@pytest.fixture
def course_copy(tmp_path):
    target = tmp_path / "player-media"
    shutil.copytree(MEDIA, target)
    return target


def test_video_and_sound_become_players_with_their_companions():
    course = load_course(MEDIA)
    video_page, sound_page = course.pages[0].html, course.pages[1].html
    assert '<video controls="" preload="metadata" playsinline="" title="Hand washing in six steps" ' \
           'poster="assets/clip.jpg">' in video_page
    assert '<source src="assets/clip.mp4" type="video/mp4">' in video_page
    assert '<track kind="captions" src="assets/clip.vtt" label="Captions" default="">' in video_page
    assert 'href="assets/clip-transcript.txt">Transcript: Hand washing in six steps</a>' in video_page
    assert "autoplay" not in video_page + sound_page
    assert "<p><figure" not in video_page                       # a figure of its own, not inside a <p>
    assert '<audio controls="" preload="metadata" title="A nurse explains consent">' in sound_page
    assert "<img" not in sound_page
    assert {"assets/clip.mp4", "assets/clip.vtt", "assets/clip.jpg", "assets/clip-transcript.txt",
            "assets/talk.mp3", "assets/talk-transcript.txt"} <= set(course.assets)


def test_a_video_without_captions_names_the_missing_file(course_copy):
    (course_copy / "assets" / "clip.vtt").unlink()
    with pytest.raises(CourseError) as caught:
        load_course(course_copy)
    [problem] = [p for p in caught.value.problems if "captions" in p.message]
    assert problem.path.endswith("modules/01-seeing-it-done/01-watch.md")
    assert problem.line == 7
    assert "assets/clip.vtt is missing" in problem.message
    assert "assets/clip.vtt" in problem.hint


def test_sound_needs_no_captions_and_no_poster(course_copy):
    (course_copy / "assets" / "talk-transcript.txt").unlink()
    course = load_course(course_copy)
    assert "<audio" in course.pages[1].html and "Transcript" not in course.pages[1].html


def test_raw_video_html_stays_refused(course_copy):
    page = course_copy / "modules" / "03-putting-it-together" / "01-summary.md"
    page.write_text(page.read_text() + '\n<video src="x.mp4" autoplay></video>\n', encoding="utf-8")
    with pytest.raises(CourseError) as caught:
        load_course(course_copy)
    assert any("<video>" in p.message for p in caught.value.problems)


def test_media_files_are_packaged_and_listed_in_the_manifest(tmp_path):
    course = load_course(MEDIA)
    player = PlayerFiles(course)
    archive = tmp_path / package_name(course, "2004-4th")
    write_package(course, "2004-4th", player.files("2004-4th"), player.scos, archive)
    with zipfile.ZipFile(archive) as zipped:
        names = set(zipped.namelist())
        manifest = zipped.read("imsmanifest.xml").decode("utf-8")
    for name in ("assets/clip.mp4", "assets/clip.vtt", "assets/clip.jpg", "assets/clip-transcript.txt",
                 "assets/talk.mp3"):
        assert name in names
        assert f'href="{name}"' in manifest


def test_the_handout_prints_the_poster_and_the_transcript_link(tmp_path):
    course = load_course(MEDIA)
    pdf = tmp_path / "participant.pdf"
    pdf.write_bytes(render_handout(course, "participant", source_date=datetime(2025, 1, 1, tzinfo=timezone.utc)))
    text = "".join(pdftotext(pdf, "-raw"))
    assert "Transcript: Hand washing in six steps" in text
    assert "cannot play this file" not in text                # the player's fallback is not printed
    images = [(image["/Width"], image["/Height"]) for page in PdfReader(pdf).pages
              for image in (x.get_object() for x in page["/Resources"].get("/XObject", {}).values())
              if image["/Subtype"] == "/Image"]
    assert (320, 180) in images, images                       # the poster
