"""Video and sound in pages: `![Title](clip.mp4)` becomes a player with the files beside it
(captions, poster, transcript), packaged and listed in the manifest; a video without captions is
an error that names the missing file; the captions are read at build time into the player's data,
a malformed .vtt is an error at its line; raw <video> stays refused; handouts print the poster."""

from __future__ import annotations

import shutil
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import pytest
from pypdf import PdfReader

from builder.captions import read_cues
from builder.errors import CourseError
from builder.handout import render_handout
from builder.load import load_course
from builder.model import Cue
from builder.player import PlayerFiles, player_data, scos_for
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
           'poster="assets/clip.jpg" data-captions="assets/clip.vtt">' in video_page
    assert '<source src="assets/clip.mp4" type="video/mp4">' in video_page
    assert "<track" not in video_page                           # the player adds the cues itself
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


# --------------------------------------------------------------------------- captions


def test_the_cues_of_the_captions_file_go_into_the_players_data():
    course = load_course(MEDIA)
    data = player_data(course, scos_for(course)[0], "1.2")
    assert data["captions"] == {"assets/clip.vtt": [[0.0, 1.0, "Wet your hands with clean running water."],
                                                    [1.0, 2.0, "Apply soap and rub every surface.",
                                                     {"align": "start", "line": 0, "snapToLines": True}]]}


def test_webvtt_is_read_as_browsers_read_it():
    text = ("\ufeffWEBVTT - hand washing\nKind: captions\n\n"
            "NOTE written by the\ntraining team\n\n"
            "STYLE\n::cue { color: yellow }\n\n"
            "intro\n00:01.000 --> 00:04.500 align:start line:0\n<v Nurse>Wet your hands</v>\nwith water.\n\n"
            "1:02:03.250 --> 1:02:04.000\n&amp; rinse\n")
    cues, problems = read_cues(text.lstrip("\ufeff"), "assets/clip.vtt")
    assert problems == []
    assert cues == (Cue(1.0, 4.5, "<v Nurse>Wet your hands</v>\nwith water.",
                        (("align", "start"), ("line", 0), ("snapToLines", True))),
                    Cue(3723.25, 3724.0, "&amp; rinse"))


def test_cue_settings_become_the_properties_browsers_give_them():
    text = ("WEBVTT\n\n00:01.000 --> 00:02.000 line:10%,end position:20%,line-left size:80% vertical:rl\nA\n\n"
            "00:03.000 --> 00:04.000 size:120% align:middle bogus:1 region:top line:-2\nB\n")
    cues, problems = read_cues(text, "assets/clip.vtt")
    assert problems == []
    assert dict(cues[0].settings) == {"line": 10.0, "snapToLines": False, "lineAlign": "end", "position": 20.0,
                                      "positionAlign": "line-left", "size": 80.0, "vertical": "rl"}
    # What a browser ignores is ignored: a size over 100%, an unknown alignment or setting, regions.
    assert dict(cues[1].settings) == {"line": -2, "snapToLines": True}


@pytest.mark.parametrize("body, line, words", [
    ("00:01.000 --> 00:04\nText\n", 3, "'00:04' is not a time"),
    ("00:01.000 -> 00:04.000\nText\n", 3, "neither a cue nor a NOTE"),
    ("00:04.000 --> 00:01.000\nText\n", 3, "not after it starts"),
    ("00:05.000 --> 00:06.000\nLater\n\n00:01.000 --> 00:02.000\nEarlier\n", 6, "before the cue above it"),
    ("00:01.000 --> 00:02.000\nFirst\n00:02.000 --> 00:03.000\nSecond\n", 5, "is a blank line missing"),
    ("NOTE nothing yet\n", 1, "has no cues"),
])
def test_a_malformed_captions_file_is_an_error_at_its_line(course_copy, body, line, words):
    (course_copy / "assets" / "clip.vtt").write_text("WEBVTT\n\n" + body, encoding="utf-8")
    with pytest.raises(CourseError) as caught:
        load_course(course_copy)
    [problem] = [p for p in caught.value.problems if p.severity == "error"]
    assert problem.path.endswith("player-media/assets/clip.vtt")
    assert (problem.line, problem.code) == (line, "CS614")
    assert words in problem.message and problem.hint
