"""Hostile author content that the builder must refuse, each with the file and line that holds it.

The payloads that are not refused (they are plain text and must come out harmless) are proven in a
real browser in tests/browser/test_hostile_harmless.py.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from builder.errors import CourseError
from builder.load import load_course

from helpers import load_refusal  # noqa: E402

MINIMAL = Path(__file__).parent / "roots" / "minimal"
PAGE = "modules/01-getting-started/01-welcome.md"
PAGE_BODY_LINE = 5   # the first body line of PAGE; payloads are inserted there

MARKDOWN_PAYLOADS = [
    ("script-tag", "<script>alert(1)</script>", "<script>"),
    ("script-mixed-case", "<ScRiPt>alert(1)</sCrIpT>", "<script>"),
    ("script-src", '<script src="https://evil.example/x.js"></script>', "<script>"),
    ("img-onerror", '<img src="x.png" alt="x" onerror="alert(1)">', "'onerror'"),
    ("img-onerror-upper", '<IMG SRC="x.png" ALT="x" ONERROR="alert(1)">', "'onerror'"),
    ("svg-onload-inline", '<svg onload="alert(1)"></svg>', "<svg>"),
    ("body-onload", '<body onload="alert(1)">', "<body>"),
    ("a-javascript", '<a href="javascript:alert(1)">x</a>', "is not allowed in <"),
    ("a-javascript-entities", '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;:alert(1)">x</a>', "is not allowed in <"),
    ("a-javascript-hex-entities", '<a href="&#x6A;avascript:alert(1)">x</a>', "is not allowed in <"),
    ("a-javascript-tab", '<a href="java\tscript:alert(1)">x</a>', "is not allowed in <"),
    ("a-vbscript", '<a href="vbscript:msgbox(1)">x</a>', "is not allowed in <"),
    ("a-data-html", '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>', "is not allowed in <"),
    ("md-link-javascript", "[click](javascript:alert(1))", "unsafe link"),
    ("md-link-javascript-case", "[click](JaVaScRiPt:alert(1))", "unsafe link"),
    ("md-link-vbscript", "[click](vbscript:msgbox(1))", "unsafe link"),
    ("md-link-data-html", "[click](data:text/html,<script>alert(1)</script>)", "unsafe link"),
    ("md-image-data-svg", "![x](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)", "unsafe link"),
    ("md-image-external", "![logo](https://evil.example/track.png)", "external image"),
    ("img-external-raw", '<img src="https://evil.example/track.png" alt="x">', "is not allowed in <"),
    ("img-protocol-relative", '<img src="//evil.example/track.png" alt="x">', "is not allowed in <img src>"),
    ("a-protocol-relative", '<a href="//evil.example/">x</a>', "is not allowed in <a href>"),
    ("a-local-file-raw", '<a href="../../../../etc/passwd">x</a>', "is not allowed in <a href>"),
    ("img-local-raw", '<img src="../../assets/pipeline.svg" alt="x">', "is not allowed in <img src>"),
    ("id-clobbering", '<span id="main">x</span>', "'id'"),
    ("class-mimicry", '<div class="step">x</div>', "'class'"),
    ("iframe", '<iframe src="https://evil.example"></iframe>', "<iframe>"),
    ("object", '<object data="x.swf"></object>', "<object>"),
    ("embed", '<embed src="x.swf">', "<embed>"),
    ("base", '<base href="https://evil.example/">', "<base>"),
    ("meta-refresh", '<meta http-equiv="refresh" content="0;url=https://evil.example">', "<meta>"),
    ("form", '<form action="https://evil.example"><input name="p"></form>', "<form>"),
    ("style-attribute", '<p style="position:fixed;top:0;left:0;width:100%;height:100%">x</p>', "'style'"),
    ("style-url", '<span style="background:url(https://evil.example/x.png)">x</span>', "'style'"),
    ("style-element", "<style>body{background:url(https://evil.example/x)}</style>", "<style>"),
    ("link-stylesheet", '<link rel="stylesheet" href="https://evil.example/x.css">', "<link>"),
    ("math-xss", '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>', "<math>"),
    ("template-tag", "<template><script>alert(1)</script></template>", "<template>"),
    ("md-link-traversal", "[secret](../../../../etc/passwd)", "outside the course folder"),
    ("md-link-percent-dots", "[secret](%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd)", "outside the course folder"),
    ("md-link-absolute", "[secret](/etc/passwd)", "absolute path"),
    ("md-link-file-url", "[secret](file:///etc/passwd)", "unsafe link"),
    ("md-image-backslash", "![x](..\\..\\assets\\pipeline.svg)", "backslashes"),
]


def _course(tmp_path: Path) -> Path:
    target = tmp_path / "course"
    shutil.copytree(MINIMAL, target)
    return target




@pytest.mark.parametrize("payload,expected", [(p, e) for _, p, e in MARKDOWN_PAYLOADS],
                         ids=[name for name, _, _ in MARKDOWN_PAYLOADS])
def test_markdown_payload_refused_with_line(tmp_path, payload, expected):
    course = _course(tmp_path)
    page = course / PAGE
    lines = page.read_text().split("\n")
    lines.insert(PAGE_BODY_LINE - 1, payload + "\n")
    page.write_text("\n".join(lines))
    message = load_refusal(course)
    assert f"{PAGE}:{PAGE_BODY_LINE}:" in message, message
    assert expected in message, message


SVG_PAYLOADS = [
    ("svg-script", '<script>alert(1)</script>', 3, "<script>"),
    ("svg-onload", '<rect width="1" height="1" onload="alert(1)"/>', 3, "'onload'"),
    ("svg-foreign-object", '<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>', 3, "<foreignObject>"),
    ("svg-external-image", '<image href="https://evil.example/x.png" width="1" height="1"/>', 3, "points outside"),
    ("svg-xlink-javascript", '<a xlink:href="javascript:alert(1)"><text>x</text></a>', 3, "points outside"),
    ("svg-style-import", '<style>@import url(https://evil.example/x.css);</style>', 3, "loads another file"),
    ("svg-use-external", '<use href="other.svg#icon"/>', 3, "points outside"),
]


@pytest.mark.parametrize("element,line,expected", [(e, l, x) for _, e, l, x in SVG_PAYLOADS],
                         ids=[name for name, *_ in SVG_PAYLOADS])
def test_svg_payload_refused_with_line(tmp_path, element, line, expected):
    course = _course(tmp_path)
    (course / "assets" / "pipeline.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">\n'
        '  <title>x</title>\n'
        f"  {element}\n"
        "</svg>\n")
    message = load_refusal(course)
    assert f"assets/pipeline.svg:{line}:" in message, message
    assert expected in message, message


def test_svg_entity_bomb_refused(tmp_path):
    course = _course(tmp_path)
    (course / "assets" / "pipeline.svg").write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>\n'
        '<svg xmlns="http://www.w3.org/2000/svg"><text>&b;</text></svg>\n')
    message = load_refusal(course)
    assert "assets/pipeline.svg" in message


@pytest.mark.parametrize("name", ["evil.html", "evil.js", "evil.htm", "evil.xhtml"])
def test_active_file_types_refused(tmp_path, name):
    course = _course(tmp_path)
    (course / "assets" / name).write_text("<script>alert(1)</script>")
    page = course / PAGE
    text = page.read_text() + f"\n[Download](../../assets/{name})\n"
    page.write_text(text)
    message = load_refusal(course)
    # Refused where the page refers to it: that is the line the author changes.
    line = text.count("\n")
    assert f"{PAGE}:{line}:" in message and f"assets/{name}" in message and "cannot go into a package" in message


def test_file_names_with_spaces_or_non_ascii_refused(tmp_path):
    course = _course(tmp_path)
    shutil.copy(course / "assets/pipeline.svg", course / "assets/my diagram.svg")
    shutil.copy(course / "assets/pipeline.svg", course / "assets/diagrämm.svg")
    page = course / PAGE
    page.write_text(page.read_text() + "\n![a](../../assets/my%20diagram.svg)\n\n![b](../../assets/diagr%C3%A4mm.svg)\n")
    message = load_refusal(course)
    assert message.count("has spaces or non-ASCII characters") == 2


def test_symlinked_module_outside_course_refused(tmp_path):
    course = _course(tmp_path)
    outside = tmp_path / "outside-module"
    shutil.copytree(course / "modules/01-getting-started", outside)
    os.symlink(outside, course / "modules/02-linked")
    course_file = course / "course.yaml"
    course_file.write_text(course_file.read_text().replace(
        "  - modules/01-getting-started", "  - modules/01-getting-started\n  - modules/02-linked"))
    message = load_refusal(course)
    assert "course.yaml:14:" in message and "outside the course folder" in message


def test_logo_outside_course_refused(tmp_path):
    course = _course(tmp_path)
    (course / "theme.yaml").write_text("logo: ../../../../etc/hostname\n")
    message = load_refusal(course)
    assert "theme.yaml:1:" in message and "outside the course folder" in message


def test_deep_yaml_nesting_refused(tmp_path):
    course = _course(tmp_path)
    (course / "theme.yaml").write_text("logo: " + "[" * 40 + "]" * 40 + "\n")
    message = load_refusal(course)
    assert "nested more than" in message


def test_oversized_page_refused(tmp_path):
    course = _course(tmp_path)
    page = course / PAGE
    page.write_text(page.read_text() + "x" * (3 * 1024 * 1024))
    message = load_refusal(course)
    assert f"{PAGE}:1:" in message and "larger than" in message


def test_corpus_size():
    assert len(MARKDOWN_PAYLOADS) + len(SVG_PAYLOADS) >= 40


def test_page_and_question_limits(tmp_path, monkeypatch):
    import builder.validate
    monkeypatch.setattr(builder.validate, "MAX_PAGES", 1)
    monkeypatch.setattr(builder.validate, "MAX_QUESTIONS", 1)
    message = load_refusal(_course(tmp_path))
    assert "course.yaml:13:" in message
    assert "the course has 2 pages; coursesmith supports up to 1" in message
    assert "more than 1 questions" in message


def test_long_blank_runs_in_a_facilitator_note_are_read_by_plain_string_work(tmp_path, monkeypatch):
    """A note padded with a long run of spaces once took quadratic time (minutes for a page), in a
    lazy regular expression with `\\s*` around the note. Notes are now read by `facilitator_note`,
    which uses no regular expression: the padded comment goes through it, and comes out whole."""
    from builder import markdown

    course = _course(tmp_path)
    page = course / PAGE
    padding = (" " * 99 + "\n") * 3000
    page.write_text(page.read_text() + f"\n<!-- facilitator: a{padding}b -->\n")
    read = []
    real = markdown.facilitator_note
    monkeypatch.setattr(markdown, "facilitator_note", lambda block: read.append(block) or real(block))
    loaded = load_course(course)
    padded = next(block for block in read if padding in block)
    notes = loaded.modules[0].pages[0].facilitator_notes
    assert notes[-1].startswith("a") and notes[-1].endswith("b")

    class NoRegularExpressions:
        def __getattr__(self, name):
            raise AssertionError(f"facilitator_note used re.{name}")
    monkeypatch.setattr(markdown, "re", NoRegularExpressions())
    assert real(padded)[0] == notes[-1]
