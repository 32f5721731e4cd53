"""A course in two languages for the translation tests: tests/roots/player-basic copied, with a link
and a facilitator note added, its text extracted, "translated" by reversing each word, applied and
listed in `languages:`.

The reversal leaves Markdown syntax, link and image targets, raw HTML tags and footnote marks as
they are, so the translated course has to keep its structure for the build to accept it.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from lxml import etree

from helpers import ROOTS, coursesmith

NS = {"x": "urn:oasis:names:tc:xliff:document:2.0"}
KEPT = re.compile(r"(\]\([^)]*\)|<[^>]*>|\[\^[^\]]*\]|https?://\S+|`[^`]*`)")
LINK = "Read the [hand hygiene guide](https://www.example.org/hands) too."
NOTE = "<!-- facilitator: Ask who has worked in a care home. -->"


def reversed_words(text: str) -> str:
    parts = KEPT.split(text)
    return "".join(part if odd else re.sub(r"[A-Za-z]{2,}", lambda m: m.group()[::-1], part)
                   for part, odd in zip(parts, [n % 2 for n in range(len(parts))]))


def translate_file(source: Path, target: Path, translate=reversed_words, skip: tuple[str, ...] = ()) -> None:
    """The translator: a target for every unit (but those in `skip`)."""
    tree = etree.parse(str(source))
    for unit in tree.iterfind(".//x:unit", NS):
        if unit.get("id") in skip:
            continue
        segment = unit.find("x:segment", NS)
        written = etree.SubElement(segment, f"{{{NS['x']}}}target")
        written.text = translate(segment.find("x:source", NS).text)
        segment.set("state", "translated")
    tree.write(str(target), encoding="UTF-8", xml_declaration=True)


def two_language_course(folder: Path, tag: str = "cy", **translate_options) -> Path:
    """The course folder, translated into `tag` and listing it in `languages:`."""
    course = folder / "player-basic"
    shutil.copytree(ROOTS / "player-basic", course)
    welcome = course / "modules/01-first-steps/01-welcome.md"
    welcome.write_text(welcome.read_text(encoding="utf-8") + f"\n{LINK}\n\n{NOTE}\n", encoding="utf-8")
    extracted, done = folder / f"extracted.{tag}.xlf", folder / f"translated.{tag}.xlf"
    ran = coursesmith("translate", "extract", str(course), "--to", tag, "-o", str(extracted))
    assert ran.returncode == 0, ran.output
    translate_file(extracted, done, **translate_options)
    ran = coursesmith("translate", "apply", str(done), str(course))
    assert ran.returncode == 0, ran.output
    yaml = course / "course.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace("language: en-GB\n", f"language: en-GB\nlanguages: [en-GB, {tag}]\n"),
                    encoding="utf-8")
    return course


# --------------------------------------------------------------------------- the hidden-string test

_TRIM = " .,:;()–·%“”\"'…"


def english_ui_strings(tag: str) -> set[str]:
    """What of the catalogue's English source could show through in language `tag`: each msgid
    (and plural) of messages.pot cut at its {placeholders}, fragments of three letters or more.
    A fragment the language says the same way, in any case ("Logo" in Welsh too) is left out:
    finding it would prove nothing."""
    from builder import ui_text

    said = without_slots("\n".join(ui_text.words(tag).table.values()))
    found = set()
    for texts in ui_text.source_messages().values():
        for text in texts:
            for fragment in re.split(r"\{\w+\}", text):
                fragment = fragment.strip(_TRIM)
                if len(re.findall(r"[A-Za-z]", fragment)) >= 3 and not re.search(_whole(fragment), said, re.IGNORECASE):
                    found.add(fragment)
    return found


def without_slots(text: str) -> str:
    """A message's words, its {placeholders} left out ("{page}" is no English on show)."""
    return re.sub(r"\{\w+\}", " ", text)


def _whole(fragment: str) -> str:
    # A word, not part of one, nor of a YAML key written as code (`min_minutes` holds "minutes").
    return rf"(?<![A-Za-z_]){re.escape(fragment)}(?![A-Za-z_])"


def english_left(text: str, needles: set[str]) -> list[str]:
    """The needles found in `text` as whole words, in any case: a stylesheet may set a heading in
    capitals ("FACILITATOR NOTE"), and the browser's innerText and poppler give it so."""
    return sorted(n for n in needles if re.search(_whole(n), text, re.IGNORECASE))


def welsh_package(folder: Path):
    """The Welsh 2004 4th package of `two_language_course`, built for real and unzipped into
    folder/package, with the translated course it was built from."""
    import zipfile

    from builder.load import load_course
    from builder.translated import translated

    course_dir = two_language_course(folder)
    ran = coursesmith("build", str(course_dir), "--out", str(folder / "dist"), "--no-pdf", "--scorm", "2004-4th")
    assert ran.returncode == 0, ran.output
    package = folder / "package"
    with zipfile.ZipFile(folder / "dist/player-basic/player-basic-cy-1.0.0-scorm2004-4th.zip") as opened:
        opened.extractall(package)
    course, problems = translated(load_course(course_dir), "cy", str(course_dir))
    assert problems == ()
    return course, package
