"""The translation round trip: `translate extract` writes XLIFF 2.1, a translator fills it in,
`translate apply` stores it, and `languages:` builds the course in each language: its own packages,
handouts and manifest, the translated text in the player's page and the PDF, the same structure."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from builder.load import load_course
from builder.translate import page_blocks, units
from builder.translated import translated
from helpers import ROOTS, assert_officially_valid, coursesmith, messages_at, pdftotext, snapshot
from translation_support import LINK, NOTE, NS, reversed_words, translate_file, two_language_course

WELCOME = "modules/01-first-steps/01-welcome.md"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("translated")
    course = two_language_course(folder)
    ran = coursesmith("build", str(course), "--out", str(folder / "dist"))
    assert ran.returncode == 0, ran.output
    return course, folder / "dist" / "player-basic", ran.output


def _xliff(path: Path) -> etree._Element:
    return etree.parse(str(path)).getroot()


def test_extract_writes_every_text_as_a_unit_of_an_xliff_2_1_file(tmp_path):
    course = two_language_course(tmp_path)
    root = _xliff(tmp_path / "extracted.cy.xlf")
    # The XLIFF 2.1 core XSD is in no package we install, so the structure is checked here:
    # namespace, version, language pair, one <file>, units with unique ids, a source each.
    assert root.tag == "{urn:oasis:names:tc:xliff:document:2.0}xliff"
    assert (root.get("version"), root.get("srcLang"), root.get("trgLang")) == ("2.1", "en-GB", "cy")
    assert len(root.findall("x:file", NS)) == 1
    found = {u.get("id"): u.find("x:segment/x:source", NS).text for u in root.iterfind(".//x:unit", NS)}
    assert len(found) == len(root.findall(".//x:unit", NS))
    assert all(re.fullmatch(r"[A-Za-z0-9_.:-]+", unit_id) for unit_id in found)     # NMTOKEN
    assert found["course.title"] == "Safe care basics"
    assert found["module.first-steps.objective.2"] == "Explain why consent matters"
    assert found["page.first-steps.welcome.title"] == "Welcome"
    assert found["page.first-steps.welcome.1"] == "This course covers a few **basics** of safe care."
    assert found["page.first-steps.welcome.2"] == "![Two hands under running water](../../assets/hands.svg)"
    assert found["page.first-steps.welcome.3"] == "How to use this course"          # the admonition's title
    assert found["page.first-steps.welcome.4"] == "Read each page, then take the quiz at the end of each module."
    assert found["page.first-steps.welcome.5"] == LINK
    assert found["page.first-steps.welcome.6"] == "Ask who has worked in a care home."
    assert found["page.first-steps.hand-hygiene.2"].startswith("| Moment | Example |\n|--------|")
    assert found["question.q-single.option.1.feedback"] == "Yes, this is one of the five moments."
    assert found["question.q-fill-in.answers"] == "five"
    assert found["question.q-matching.pair.3.right"] == "Straightening the bed"
    assert found["question.q-ordering.item.4"] == "Rinse and dry"
    assert found["question.q-likert.scale.1"] == "Not confident"
    _assert_xliff_2_core_structure(root)
    # Every unit is also in the stored translation, translated.
    stored = _xliff(course / "translations/cy.xlf")
    assert all(u.find("x:segment/x:target", NS) is not None for u in stored.iterfind(".//x:unit", NS))


XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def _assert_xliff_2_core_structure(root: etree._Element) -> None:
    """What the XLIFF 2.0/2.1 core schema (OASIS, xliff_core_2.0.xsd) asks of the elements we write,
    checked by hand: the XSD ships in no PyPI, npm or Debian package this project can install."""
    def local(element):
        return etree.QName(element).localname

    def namespaced(element):
        assert etree.QName(element).namespace == NS["x"], element.tag

    assert set(root.attrib) <= {"version", "srcLang", "trgLang"}
    files = list(root)
    assert files and all(local(f) == "file" and f.get("id") for f in files)
    for file in files:
        namespaced(file)
        assert [local(c) for c in file] and all(local(c) in ("notes", "unit", "group") for c in file)
        for unit in file.iter(f"{{{NS['x']}}}unit"):
            children = [local(c) for c in unit]
            assert children[0] == "notes" and set(children[1:]) <= {"segment", "ignorable"} and len(children) > 1
            assert all(local(n) == "note" for n in unit.find("x:notes", NS))
            for segment in unit.iterfind("x:segment", NS):
                parts = [local(c) for c in segment]
                assert parts in (["source"], ["source", "target"]), parts
                assert segment.get("state", "initial") in ("initial", "translated", "reviewed", "final")
                assert all(c.get(XML_SPACE) in (None, "default", "preserve") for c in segment)
                assert all(len(c) == 0 for c in segment)            # no inline elements: Markdown is text


def test_unit_ids_survive_renumbering_the_page_files(tmp_path):
    course = tmp_path / "course"
    shutil.copytree(ROOTS / "player-basic", course)
    before = [u.id for u in units(load_course(course))]
    folder = course / "modules/01-first-steps"
    (folder / "01-welcome.md").rename(folder / "07-welcome.md")
    (folder / "module.yaml").write_text((folder / "module.yaml").read_text().replace("01-welcome", "07-welcome"))
    (course / "modules/02-next-steps").rename(course / "modules/05-next-steps")
    (course / "course.yaml").write_text((course / "course.yaml").read_text().replace("02-next-steps", "05-next-steps"))
    assert [u.id for u in units(load_course(course))] == before


def test_blocks_put_back_unchanged_give_the_page_as_written():
    body = (ROOTS / "player-basic" / WELCOME).read_text().split("---\n", 2)[2] + f"\n{LINK}\n\n{NOTE}\n"
    from builder.translate import rebuilt_body

    blocks = page_blocks(body)
    assert rebuilt_body(body, blocks, [b.text for b in blocks]) == body


def test_each_language_has_its_own_packages_handouts_and_manifest(built):
    _course, dist, _output = built
    names = sorted(p.name for p in dist.iterdir())
    assert names == ["build-report.json",
                     "player-basic-1.0.0-participant.pdf", "player-basic-1.0.0-scorm12.zip",
                     "player-basic-1.0.0-scorm2004-4th.zip",
                     "player-basic-cy-1.0.0-participant.pdf", "player-basic-cy-1.0.0-scorm12.zip",
                     "player-basic-cy-1.0.0-scorm2004-4th.zip"]
    for stem, language in (("player-basic", "en-GB"), ("player-basic-cy", "cy")):
        for version, tag in (("1.2", "scorm12"), ("2004-4th", "scorm2004-4th")):
            with zipfile.ZipFile(dist / f"{stem}-1.0.0-{tag}.zip") as package:
                root = assert_officially_valid(package.read("imsmanifest.xml"), version)
            assert root.get("identifier") == stem
            languages = [e.text for e in root.iter() if isinstance(e.tag, str) and etree.QName(e).localname == "language"]
            assert languages == [language]
            # IMS Meta-data (1.2) says xml:lang on <langstring>, LOM (2004) language on <string>.
            langstrings = {e.get("{http://www.w3.org/XML/1998/namespace}lang") or e.get("language") for e in root.iter()
                           if isinstance(e.tag, str) and etree.QName(e).localname in ("langstring", "string")}
            assert langstrings - {None} == {language}        # the version number has no language
    report = json.loads((dist / "build-report.json").read_text())
    assert report["languages"] == [{"language": "en-GB", "id": "player-basic"}, {"language": "cy", "id": "player-basic-cy"}]
    assert "translations/cy.xlf" in {i["path"] for i in report["inputs"]}


def test_the_translated_text_is_in_the_player_page_and_the_pdf(built):
    _course, dist, _output = built
    with zipfile.ZipFile(dist / "player-basic-cy-1.0.0-scorm2004-4th.zip") as package:
        page = package.read("index.html").decode()
    assert reversed_words("This course covers a few") in page
    assert 'href="https://www.example.org/hands"' in page and reversed_words("hand hygiene guide") in page
    assert 'src="assets/hands.svg"' in page or "assets/hands.svg" in page
    assert "This course covers a few" not in page
    text = "\n".join(pdftotext(dist / "player-basic-cy-1.0.0-participant.pdf", "-raw"))
    assert reversed_words("Safe care basics") in text
    assert reversed_words("Always ask before you help someone.") in text
    assert "Always ask before you help someone" not in text


def test_the_structure_and_answer_keys_are_the_sources(built):
    course_dir, _dist, _output = built
    source = load_course(course_dir)
    variant, problems = translated(source, "cy", str(course_dir))
    assert problems == ()
    assert [p.id for p in variant.pages] == [p.id for p in source.pages]
    for ours, theirs in zip(variant.questions, source.questions):
        assert (ours.id, ours.type, ours.answer, ours.tolerance) == (theirs.id, theirs.type, theirs.answer, theirs.tolerance)
        assert [o.correct for o in ours.options] == [o.correct for o in theirs.options]
        assert ours.options == tuple(type(o)(reversed_words(o.text), o.correct, reversed_words(o.feedback)) for o in theirs.options)
        assert ours.items == tuple(reversed_words(i) for i in theirs.items)
    assert variant.module("01-first-steps").quiz.questions[3].answers == ("evif",)
    assert reversed_words("Ask who has worked in a care home.") in variant.pages[0].facilitator_html
    assert (variant.id, variant.language) == ("player-basic-cy", "cy")


def test_an_edited_source_unit_is_reported_stale_and_only_it(built, tmp_path):
    course = tmp_path / "course"
    shutil.copytree(built[0], course)
    page = course / "modules/02-next-steps/01-consent.md"
    page.write_text(page.read_text().replace("at any time.", "at any time, even halfway."))
    ran = coursesmith("build", str(course), "--out", str(tmp_path / "dist"), "--no-pdf")
    assert ran.returncode == 0, ran.output
    stale = messages_at(ran.output, f"{course}/translations/cy.xlf")
    assert [m for m in stale if "stale" in m] == stale and len(stale) == 1
    assert "unit page.next-steps.consent.1 is stale" in stale[0]


def test_a_missing_unit_is_a_warning_and_fails_strict(tmp_path):
    course = two_language_course(tmp_path, skip=("question.q-single.prompt",))
    ran = coursesmith("build", str(course), "--out", str(tmp_path / "dist"), "--no-pdf")
    assert ran.returncode == 0, ran.output
    missing = messages_at(ran.output, f"{course}/translations/cy.xlf")
    assert len(missing) == 1 and "question.q-single.prompt" in missing[0] and "warning" in missing[0]
    ran = coursesmith("build", str(course), "--out", str(tmp_path / "strict"), "--no-pdf", "--strict")
    assert ran.returncode == 1
    assert "question.q-single.prompt" in ran.output
    assert not (tmp_path / "strict" / "player-basic").exists()


def test_a_changed_link_target_is_an_error_and_the_file_is_not_applied(tmp_path):
    def moved_link(text: str) -> str:
        return reversed_words(text).replace("https://www.example.org/hands", "https://www.example.org/elsewhere")

    with pytest.raises(AssertionError, match="not applied"):
        two_language_course(tmp_path, translate=moved_link)
    assert not (tmp_path / "player-basic/translations/cy.xlf").exists()
    ran = coursesmith("translate", "apply", str(tmp_path / "translated.cy.xlf"), str(tmp_path / "player-basic"))
    assert ran.returncode == 1
    assert "links to https://www.example.org/elsewhere where the source links to https://www.example.org/hands" in ran.output


def test_languages_must_start_with_the_course_language_and_have_a_translation(tmp_path):
    course = tmp_path / "course"
    shutil.copytree(ROOTS / "player-basic", course)
    yaml = course / "course.yaml"
    text = yaml.read_text()
    yaml.write_text(text.replace("language: en-GB\n", "language: en-GB\nlanguages: [cy, en-GB]\n"))
    ran = coursesmith("check", str(course))
    assert ran.returncode == 1 and "`languages:` starts with cy" in ran.output
    yaml.write_text(text.replace("language: en-GB\n", "language: en-GB\nlanguages: [en-GB, cy]\n"))
    ran = coursesmith("build", str(course), "--out", str(tmp_path / "dist"), "--no-pdf")
    assert ran.returncode == 1 and "`languages:` lists cy, but translations/cy.xlf does not exist" in ran.output


def test_extract_keeps_the_translations_of_unchanged_units(built, tmp_path):
    course = tmp_path / "course"
    shutil.copytree(built[0], course)
    page = course / "modules/02-next-steps/01-consent.md"
    page.write_text(page.read_text().replace("at any time.", "at any time, even halfway."))
    ran = coursesmith("translate", "extract", str(course), "--to", "cy", "-o", str(tmp_path / "again.xlf"))
    assert ran.returncode == 0, ran.output
    root = _xliff(tmp_path / "again.xlf")
    untranslated = [u.get("id") for u in root.iterfind(".//x:unit", NS) if u.find("x:segment/x:target", NS) is None]
    assert untranslated == ["page.next-steps.consent.1"]


def test_a_two_language_build_is_the_same_bytes_serial_parallel_and_cached(built, tmp_path):
    course_dir, dist, _output = built
    expected = snapshot(dist)
    for name, options in (("serial", ("--jobs", "1", "--no-cache")), ("parallel", ("--jobs", "2")),
                          ("cached", ("--jobs", "2"))):
        ran = coursesmith("build", str(course_dir), "--out", str(tmp_path / name), *options,
                          env={"XDG_CACHE_HOME": str(tmp_path / "cache")})
        assert ran.returncode == 0, ran.output
        assert snapshot(tmp_path / name / "player-basic") == expected, name


def test_a_character_the_handouts_cannot_print_in_a_translation_is_a_warning(tmp_path):
    course = two_language_course(tmp_path, translate=lambda text: reversed_words(text) + " \u0b95")
    ran = coursesmith("check", str(course))
    assert ran.returncode == 0
    ran = coursesmith("build", str(course), "--out", str(tmp_path / "dist"), "--no-pdf")
    assert ran.returncode == 0, ran.output
    printed = [m for m in messages_at(ran.output, f"{course}/translations/cy.xlf") if "tamil letter ka" in m]
    assert printed, ran.output


def test_a_broken_translated_page_is_reported_at_its_unit_and_check_reports_translations(tmp_path):
    def broken(text: str) -> str:
        return reversed_words(text) + (" <script>x</script>" if text.startswith("Always ask") else "")

    course = two_language_course(tmp_path)
    translate_file(tmp_path / "extracted.cy.xlf", course / "translations/cy.xlf", translate=broken)
    ran = coursesmith("check", str(course))
    assert ran.returncode == 1
    errors = [m for m in messages_at(ran.output, f"{course}/translations/cy.xlf") if ": error:" in m]
    assert len(errors) == 1 and "in the translation of unit page.next-steps.consent.1" in errors[0], ran.output


def test_two_options_translated_alike_are_an_error_and_an_empty_target_is_missing(tmp_path):
    def alike(text: str) -> str:
        return "Ie" if text in ("Ask for their consent", "Start straight away") else reversed_words(text)

    with pytest.raises(AssertionError, match="not applied"):
        two_language_course(tmp_path, translate=alike)
    ran = coursesmith("translate", "apply", str(tmp_path / "translated.cy.xlf"), str(tmp_path / "player-basic"))
    assert "the translation of question consent-ask gives two options the same text" in ran.output
    translate_file(tmp_path / "extracted.cy.xlf", tmp_path / "empty.xlf",
                   translate=lambda text: "" if text == "Start straight away" else reversed_words(text))
    ran = coursesmith("translate", "apply", str(tmp_path / "empty.xlf"), str(tmp_path / "player-basic"))
    assert ran.returncode == 0, ran.output
    assert "unit question.consent-ask.option.2 (modules/02-next-steps/quiz.yaml:" in ran.output
    assert "has no cy translation" in ran.output


def test_a_translation_that_changes_the_markdown_blocks_is_an_error(tmp_path):
    def merged(text: str) -> str:
        # The table's rows run together: one paragraph instead of a table.
        return " ".join(text.split("\n")) if text.startswith("| Moment") else reversed_words(text)

    with pytest.raises(AssertionError, match="not applied"):
        two_language_course(tmp_path, translate=merged)
    ran = coursesmith("translate", "apply", str(tmp_path / "translated.cy.xlf"), str(tmp_path / "player-basic"))
    assert "unit page.first-steps.hand-hygiene.2 (modules/01-first-steps/02-hand-hygiene.md:" in ran.output
    assert "(p instead of table thead tr th th tbody tr td td tr td td)" in ran.output


def test_the_translated_course_keeps_its_own_release_record(built):
    course_dir, _dist, _output = built
    record = json.loads((course_dir / "releases.cy.lock").read_text())
    assert [r["version"] for r in record["releases"]] == ["1.0.0"]
    assert record["releases"][0]["course"]["id"] == "player-basic-cy"
    assert "player-basic-cy" in record["releases"][0]["codec"]
    source = json.loads((course_dir / "releases.lock").read_text())
    assert source["releases"][0]["course"]["id"] == "player-basic"


@pytest.mark.parametrize("target", ["../../outside", "", "cy/../x"])
def test_a_target_language_that_is_not_a_tag_is_refused_and_nothing_is_written(tmp_path, target):
    course = tmp_path / "course"
    shutil.copytree(ROOTS / "player-basic", course)
    ran = coursesmith("translate", "extract", str(course), "--to", "cy", "-o", str(tmp_path / "x.xlf"))
    assert ran.returncode == 0, ran.output
    text = (tmp_path / "x.xlf").read_text().replace('trgLang="cy"', f'trgLang="{target}"')
    (tmp_path / "x.xlf").write_text(text)
    before = sorted(p for p in tmp_path.rglob("*"))
    ran = coursesmith("translate", "apply", str(tmp_path / "x.xlf"), str(course))
    assert ran.returncode == 1 and "is not a language tag" in ran.output
    assert sorted(p for p in tmp_path.rglob("*")) == before
