"""A course's own wording of the player's and the handouts' messages: `strings:` in course.yaml for
its own language, `locale/<language>.po` for any language it is built in; seen in the built
package's page and the printed handout, in that language only."""

from __future__ import annotations

import shutil
import zipfile

from helpers import ROOTS, coursesmith, messages_at, pdftotext
from translation_support import two_language_course

COURSE_PO = '''msgid ""
msgstr ""
"Content-Type: text/plain; charset=utf-8\\n"
"Plural-Forms: nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n==3 ? 3 : n==6 ? 4 : 5);\\n"

msgctxt "next"
msgid "Next"
msgstr "Ymlaen â ni"

msgctxt "version"
msgid "Version"
msgstr "Rhifyn y cwrs"
'''


def _page(package) -> str:
    with zipfile.ZipFile(package) as opened:
        return opened.read("index.html").decode()


def test_strings_in_course_yaml_reword_the_player_and_the_handout(tmp_path):
    course = tmp_path / "course"
    shutil.copytree(ROOTS / "player-basic", course)
    yaml = course / "course.yaml"
    yaml.write_text(yaml.read_text().replace(
        "language: en-GB\n", "language: en-GB\nstrings:\n  next: Onwards\n  version: Edition\n"
        "  quiz-asks-one: Just {count} question here\n"))
    ran = coursesmith("build", str(course), "--out", str(tmp_path / "dist"), "--scorm", "1.2")
    assert ran.returncode == 0, ran.output
    assert [m for m in messages_at(ran.output, f"{course}/course.yaml:") if "`strings:`" in m] == []
    dist = tmp_path / "dist/player-basic"
    page = _page(dist / "player-basic-1.0.0-scorm12.zip")
    assert '<button type="button" class="button primary" id="cs-next">Onwards</button>' in page
    assert '"quiz-asks-one": "Just {count} question here"' in page or '"quiz-asks-one":"Just {count} question here"' in page
    cover = pdftotext(dist / "player-basic-1.0.0-participant.pdf", "-layout")[0]
    assert "Edition" in cover and "Version" not in cover


def test_a_locale_po_rewords_its_language_only(tmp_path):
    course = two_language_course(tmp_path)
    (course / "locale").mkdir()
    (course / "locale/cy.po").write_text(COURSE_PO, encoding="utf-8")
    ran = coursesmith("build", str(course), "--out", str(tmp_path / "dist"), "--scorm", "1.2")
    assert ran.returncode == 0, ran.output
    assert messages_at(ran.output, f"{course}/locale/cy.po:") == []
    dist = tmp_path / "dist/player-basic"
    welsh, english = _page(dist / "player-basic-cy-1.0.0-scorm12.zip"), _page(dist / "player-basic-1.0.0-scorm12.zip")
    assert 'id="cs-next">Ymlaen â ni</button>' in welsh
    assert 'id="cs-next">Next</button>' in english
    cover = pdftotext(dist / "player-basic-cy-1.0.0-participant.pdf", "-layout")[0]
    assert "Rhifyn y cwrs" in cover
    assert "Rhifyn y cwrs" not in pdftotext(dist / "player-basic-1.0.0-participant.pdf", "-layout")[0]
    # A message the course's catalogue leaves out is the shipped Welsh one.
    assert 'id="cs-prev">Blaenorol</button>' in welsh
