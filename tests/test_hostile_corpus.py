"""A hostile author's corpus, build side: every case is refused with the file, line and element to
change, or rewritten so that nothing of it reaches the package or the PDF.

The browser half (tests/browser/test_hostile_corpus_in_browser.py) opens what is accepted in Chromium and
WeasyPrint and proves no script runs and nothing outside the package is fetched.
"""

from __future__ import annotations

import shutil
import zipfile
import zlib
from pathlib import Path

import pytest

from builder.errors import CourseError
from builder.load import load_course
from builder.markdown import render_page
from builder.sniff import check_content
from builder.svg import MAX_SVG_ELEMENTS, clean_svg

MINIMAL = Path(__file__).parent / "roots" / "minimal"
HEAD = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'xmlns:h="http://www.w3.org/1999/xhtml" viewBox="0 0 10 10">\n')
OUTSIDE = "http://127.0.0.1:9/x"

# (name, element on line 2 of the SVG, text the refusal must contain)
SVG_REFUSED = [
    ("xhtml-frame-javascript", '<foreignObject><h:frame src="javascript:top.__pwned=1"/></foreignObject>', "<foreignObject>"),
    ("xhtml-frame-bare", '<h:frame src="javascript:top.__pwned=1"/>', "<html:frame>"),
    ("xhtml-form-action", '<h:form action="javascript:top.__pwned=1"><h:input type="submit"/></h:form>', "<html:form>"),
    ("xhtml-button-formaction", '<h:button formaction="javascript:top.__pwned=1">x</h:button>', "<html:button>"),
    ("xhtml-img", f'<h:img src="{OUTSIDE}"/>', "<html:img>"),
    ("xhtml-video-poster", f'<h:video poster="{OUTSIDE}"/>', "<html:video>"),
    ("xhtml-input-image", f'<h:input type="image" src="{OUTSIDE}"/>', "<html:input>"),
    ("xhtml-meta-refresh", f'<h:meta http-equiv="refresh" content="0;url={OUTSIDE}"/>', "<html:meta>"),
    ("xhtml-script", "<h:script>top.__pwned=1</h:script>", "<html:script>"),
    ("svg-script-cdata", "<script><![CDATA[top.__pwned=1]]></script>", "<script>"),
    ("script-no-namespace", '<script xmlns="">top.__pwned=1</script>', "<script>"),
    ("smil-set-href", '<a href="#a"><set attributeName="href" to="javascript:top.__pwned=1"/><text>x</text></a>', "'href'"),
    ("smil-animate-xlink-href", '<a xlink:href="#a"><animate attributeName="xlink:href" values="javascript:1"/></a>', "'xlink:href'"),
    ("smil-set-onclick", '<rect><set attributeName="onclick" to="top.__pwned=1"/></rect>', "'onclick'"),
    ("smil-animate-href-spaces", '<a href="#a"><animate attributeName=" href " values="javascript:1"/></a>', "href"),
    ("event-onload", '<rect onload="top.__pwned=1"/>', "'onload'"),
    ("event-onclick-upper", '<rect ONCLICK="top.__pwned=1"/>', "'ONCLICK'"),
    ("event-on-namespaced", '<rect xlink:onmouseover="top.__pwned=1"/>', "'onmouseover'"),
    ("href-javascript", '<a href="javascript:top.__pwned=1"><text>x</text></a>', "points outside"),
    ("href-javascript-entity", '<a href="&#106;avascript:top.__pwned=1"><text>x</text></a>', "points outside"),
    ("image-outside", f'<image href="{OUTSIDE}.png" width="1" height="1"/>', "points outside"),
    ("image-data-svg", '<image href="data:image/svg+xml;base64,PHN2Zy8+" width="1" height="1"/>', "points outside"),
    ("use-outside-file", '<use href="other.svg#a"/>', "points outside"),
    ("css-escaped-url", f"<style>rect{{fill:\\75 rl({OUTSIDE})}}</style>", "loads"),
    ("css-escaped-import", f'<style>@\\69mport "{OUTSIDE}.css";</style>', "@import"),
    ("css-import-plain", f"<style>@import url({OUTSIDE}.css);</style>", "@import"),
    ("css-image-set", f"<style>rect{{fill:image-set(\"{OUTSIDE}.png\" 1x)}}</style>", "loads"),
    ("css-webkit-image-set", f"<rect style=\"background:-webkit-image-set('{OUTSIDE}.png' 1x)\"/>", "loads"),
    ("css-font-face", f"<style>@font-face{{font-family:x;src:url({OUTSIDE}.woff)}}</style>", "@font-face"),
    ("css-cdata-escaped", f"<style><![CDATA[rect{{fill:u\\72l({OUTSIDE})}}]]></style>", "loads"),
    ("css-quoted-url", f"<rect style=\"fill:url('{OUTSIDE}')\"/>", "loads"),
    ("css-presentation-attribute", f'<rect fill="url({OUTSIDE}#a)"/>', "'fill'"),
    ("css-escaped-in-attribute", f'<rect filter="\\75 rl({OUTSIDE})"/>', "'filter'"),
    ("css-moz-binding", "<style>rect{-moz-binding:x}</style>", "-moz-binding"),
    ("css-element-function", "<rect style=\"fill:-moz-element(#a)\"/>", "-moz-element"),
    ("unknown-svg-element", "<blink>x</blink>", "<blink>"),
    ("iframe-in-svg-namespace", "<iframe/>", "<iframe>"),
    ("feimage-outside", f'<filter><feImage href="{OUTSIDE}"/></filter>', "<feImage>"),
    ("mathml", '<math xmlns="http://www.w3.org/1998/Math/MathML"><mi>x</mi></math>', "<math:math>"),
]


def _svg(element: str) -> bytes:
    return (HEAD + f"  {element}\n</svg>\n").encode()


def test_corpus_size():
    assert len(SVG_REFUSED) + len(SVG_OTHER_REFUSED) + len(HTML_REFUSED) + len(DOWNLOADS_REFUSED) >= 60


@pytest.mark.parametrize("element,expected", [(e, x) for _, e, x in SVG_REFUSED], ids=[n for n, *_ in SVG_REFUSED])
def test_hostile_svg_is_refused_at_its_line(element, expected):
    data, problems = clean_svg(_svg(element), "assets/x.svg")
    assert data is None
    messages = [p.format() for p in problems]
    assert any(m.startswith("assets/x.svg:2:") and expected in m for m in messages), messages


def _use_bomb(levels: int, fan_out: int) -> str:
    text = '<defs><rect id="l0" width="1" height="1"/>\n'
    for level in range(1, levels):
        text += f'<g id="l{level}">' + f'<use href="#l{level - 1}"/>' * fan_out + "</g>\n"
    return text + f'</defs><use href="#l{levels - 1}"/>'


# (name, whole SVG text, line of the refusal, text it must contain)
SVG_OTHER_REFUSED = [
    ("xml-stylesheet-outside", f'<?xml-stylesheet href="{OUTSIDE}.css"?>\n' + HEAD + "</svg>", 1, "xml-stylesheet"),
    ("xml-stylesheet-xslt", '<?xml version="1.0"?>\n<?xml-stylesheet type="text/xsl" href="evil.svg"?>\n' + HEAD + "</svg>", 2, "xml-stylesheet"),
    ("pi-inside", HEAD + '<?xml-stylesheet href="x.css"?>\n</svg>', 2, "processing instruction"),
    ("doctype-entities", '<!DOCTYPE svg [<!ENTITY a "aaaa">]>\n' + HEAD + "<text>&a;</text></svg>", 1, "DOCTYPE"),
    ("doctype-external", '<!DOCTYPE svg SYSTEM "http://127.0.0.1:9/x.dtd">\n' + HEAD + "</svg>", 1, "network"),
    ("use-billion-laughs", HEAD + _use_bomb(10, 10) + "</svg>", 7, "expand to more than"),     # the first <g> past the budget
    ("use-cycle", HEAD + '<g id="a"><use href="#b"/></g><g id="b"><use href="#a"/></g></svg>', 2, "refers to itself"),
    ("too-many-elements", HEAD + "<g>" + "<rect/>" * (MAX_SVG_ELEMENTS + 1) + "</g></svg>", 2, "more than"),
    ("not-svg-root", '<html xmlns="http://www.w3.org/1999/xhtml"><script>top.__pwned=1</script></html>', 1, "not an SVG"),
    ("not-xml", "<svg><script>top.__pwned=1</svg>", 1, "not well-formed"),
]


@pytest.mark.parametrize("text,line,expected", [(t, l, x) for _, t, l, x in SVG_OTHER_REFUSED],
                         ids=[n for n, *_ in SVG_OTHER_REFUSED])
def test_hostile_svg_document_is_refused(text, line, expected):
    data, problems = clean_svg(text.encode(), "assets/x.svg")
    assert data is None
    messages = [p.format() for p in problems]
    assert any(m.startswith(f"assets/x.svg:{line}:") and expected in m for m in messages), messages


def test_editor_leftovers_are_dropped_from_the_copy():
    text = (HEAD.replace("<svg ", '<svg xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" '
                         'xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd" ')
            + "  <!-- made by hand -->\n  <metadata><script>top.__pwned=1</script></metadata>\n"
            + '  <sodipodi:namedview><script>top.__pwned=2</script></sodipodi:namedview>\n'
            + '  <rect inkscape:label="x" data-x="1" xml:base="http://127.0.0.1:9/" xlink:title="t" width="1" height="1"/>\n'
            + "</svg>\n")
    data, problems = clean_svg(text.encode(), "assets/x.svg")
    assert problems == []
    out = data.decode()
    for gone in ("script", "__pwned", "made by hand", "inkscape", "sodipodi", "data-x", "xml:base", "127.0.0.1", "title="):
        assert gone not in out, (gone, out)
    assert '<rect width="1" height="1"/>' in out
    assert clean_svg(data, "x.svg") == (data, [])      # the rewrite is stable


def test_safe_references_survive():
    text = HEAD + ('<defs><linearGradient id="g"><stop offset="0" stop-color="red"/></linearGradient></defs>\n'
                   '<rect fill="url(#g)" style="stroke:url(#g)"/><use href="#g"/><a href="https://example.org/"><text>x</text></a>\n'
                   "<style>rect{fill:url(#g)} @media print{rect{fill:black}}</style>\n</svg>")
    data, problems = clean_svg(text.encode(), "x.svg")
    assert problems == [] and b'url(#g)' in data and b"https://example.org/" in data


# --- raw HTML: one parser (html5ever through nh3) decides --------------------------------------

HTML_REFUSED = [
    ("comment-open-close", '<!--><span id="cs-next">x</span>-->', "'id'"),
    ("comment-bang-close", '<!-- x --!><span class="step">y</span>-->', "'class'"),
    ("comment-bang-close-id", 'text <!-- x --!> <b id="main">y</b> -->', "'id'"),
    ("cdata-hides-link", '<![CDATA[ x ]]><a href="data:text/html,x">l</a>', "data:text/html"),
    ("cdata-hides-id", 'x <![CDATA[ ]]> <i id="cs-prev">y</i>', "'id'"),
    ("comment-short", '<!---><i class="is-finished">y</i>', "'class'"),
    ("admonition-extra-classes", '!!! note step is-finished skip-link "t"\n    x', "more than a kind"),
    ("admonition-unquoted-title", "!!! tip Keep it short\n    x", "more than a kind"),
    ("admonition-two-titles", '!!! note "a" "b"\n    x', "more than a kind"),
    ("noscript-smuggle", "<noscript><p title=\"</noscript><img src=x onerror=top.__pwned=1>\"></noscript>", "<noscript>"),
    ("svg-in-html-ns-confusion", '<svg><p><style><img src=x onerror="top.__pwned=1"></style></p></svg>', "<svg>"),
]


@pytest.mark.parametrize("body,expected", [(b, x) for _, b, x in HTML_REFUSED], ids=[n for n, *_ in HTML_REFUSED])
def test_raw_html_differentials_are_refused_at_their_line(tmp_path, body, expected):
    rendered = render_page("Intro.\n\n" + body + "\n", path="p.md", first_line=5, page_dir=tmp_path,
                           course_dir=tmp_path, page_key="m-p")
    messages = [p.format() for p in rendered.problems]
    assert any(m.startswith("p.md:7:") and expected in m for m in messages), messages
    for forbidden in ('id="cs-', 'id="main"', 'class="step"', "is-finished", "data:text", "onerror"):
        assert forbidden not in rendered.html


# --- downloads: their bytes, not their names ---------------------------------------------------

def _pdf(*objects: bytes, trailer: bytes = b"<< /Root 1 0 R >>") -> bytes:
    body = b"%PDF-1.7\n"
    for number, obj in enumerate(objects, 1):
        body += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    return body + b"trailer\n" + trailer + b"\n%%EOF\n"


def _object_stream(inner: bytes) -> bytes:
    data = zlib.compress(b"3 0 " + inner)
    return b"<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
PAGES = b"<< /Type /Pages /Kids [] /Count 0 >>"


def _zip(path: Path, entries: dict[str, bytes]) -> bytes:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return path.read_bytes()


DOWNLOADS_REFUSED = [
    ("pdf-that-is-html", ".pdf", b"<!doctype html><script>top.__pwned=1</script>", "is not a PDF document (it is a web page)"),
    ("pdf-openaction-javascript", ".pdf", _pdf(b"<< /Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>"), "/OpenAction"),
    ("pdf-names-javascript", ".pdf", _pdf(b"<< /Type /Catalog /Names << /JavaScript 2 0 R >> >>", PAGES), "runs JavaScript"),
    ("pdf-openaction-indirect", ".pdf", _pdf(b"<< /Type /Catalog /OpenAction 2 0 R >>", b"<< /S /URI /URI (http://127.0.0.1:9/) >>"), "/OpenAction"),
    ("pdf-launch", ".pdf", _pdf(b"<< /Type /Catalog /OpenAction [ 2 0 R /Fit ] >>", b"<< /S /Launch /F (cmd.exe) >>"), "/Launch"),
    ("pdf-additional-actions", ".pdf", _pdf(b"<< /Type /Catalog /AA << /WC 2 0 R >> >>", PAGES), "/AA"),
    ("pdf-escaped-name", ".pdf", _pdf(b"<< /Type /Catalog /Names << /J#61vaScript 2 0 R >> >>", PAGES), "JavaScript"),
    ("pdf-javascript-in-object-stream", ".pdf", _pdf(CATALOG, PAGES, _object_stream(b"<< /S /JavaScript /JS (x) >>")), "JavaScript"),
    ("pdf-submitform", ".pdf", _pdf(CATALOG, b"<< /Type /Annot /A << /S /SubmitForm /F (http://127.0.0.1:9/) >> >>"), "/SubmitForm"),
    ("pdf-encrypted", ".pdf", _pdf(CATALOG, trailer=b"<< /Root 1 0 R /Encrypt 2 0 R >>"), "encrypted"),
    ("pdf-object-stream-unreadable", ".pdf", _pdf(CATALOG, b"<< /Type /ObjStm /Filter /LZWDecode /Length 3 >>\nstream\nabc\nendstream"), "cannot be checked"),
    ("png-that-is-html", ".png", b"<html><script>top.__pwned=1</script></html>", "is not a PNG picture (it is a web page)"),
    ("jpg-that-is-svg", ".jpg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="top.__pwned=1"/>', "(it is XML or SVG)"),
    ("gif-unreadable", ".gif", b"GIF89a\x01\x00\x01\x00broken", "cannot be read as a GIF picture"),
    ("mp4-that-is-html", ".mp4", b"<!DOCTYPE html><script>top.__pwned=1</script>", "is not an MP4 video"),
    ("txt-that-is-html", ".txt", b"  <html><script>top.__pwned=1</script></html>", "starts like a web page"),
    ("csv-that-is-svg", ".csv", b'<svg xmlns="http://www.w3.org/2000/svg" onload="top.__pwned=1"/>', "starts like a web page"),
    ("vtt-without-header", ".vtt", b"00:00.000 --> 00:01.000\n<script>x</script>", "WEBVTT"),
    ("docx-not-a-zip", ".docx", b"PK\x03\x04 not really a zip", "cannot be opened"),
    ("docx-with-macros", ".docx", "zip:[Content_Types].xml,word/vbaProject.bin", "macros"),
    ("odt-wrong-mimetype", ".odt", "zip:mimetype=text/html", "is not an OpenDocument text"),
]


@pytest.mark.parametrize("suffix,data,expected", [(s, d, x) for _, s, d, x in DOWNLOADS_REFUSED],
                         ids=[n for n, *_ in DOWNLOADS_REFUSED])
def test_download_is_what_its_name_says(tmp_path, suffix, data, expected):
    path = tmp_path / f"file{suffix}"
    if isinstance(data, str):
        entries = {}
        for entry in data.removeprefix("zip:").split(","):
            name, _, content = entry.partition("=")
            entries[name] = content.encode() or b"x"
        _zip(path, entries)
    else:
        path.write_bytes(data)
    messages = [p.format() for p in check_content(path, "assets/" + path.name, suffix)]
    assert any(m.startswith(f"assets/{path.name}:1:") and expected in m for m in messages), messages


def test_harmless_pdf_with_open_destination_is_accepted(tmp_path):
    path = tmp_path / "guide.pdf"
    path.write_bytes(_pdf(b"<< /Type /Catalog /Pages 2 0 R /OpenAction [ 3 0 R /XYZ null null 0 ] >>", PAGES,
                          _object_stream(b"<< /Type /Page /Parent 2 0 R >>")))
    assert check_content(path, "guide.pdf", ".pdf") == []


def test_a_weasyprint_pdf_is_accepted(tmp_path):
    from weasyprint import HTML

    path = tmp_path / "handout.pdf"
    HTML(string="<h1>Handout</h1><p><a href='https://example.org/'>a link</a></p>").write_pdf(path)
    assert check_content(path, "handout.pdf", ".pdf") == []


def test_a_download_that_is_html_is_refused_in_a_course(tmp_path):
    course = tmp_path / "course"
    shutil.copytree(MINIMAL, course)
    (course / "assets" / "guide.pdf").write_bytes(b"<html><script>top.__pwned=1</script></html>")
    page = course / "modules/01-getting-started/01-welcome.md"
    page.write_text(page.read_text() + "\n[The guide](../../assets/guide.pdf)\n")
    with pytest.raises(CourseError) as raised:
        load_course(course)
    messages = "\n".join(p.format() for p in raised.value.problems)
    assert "assets/guide.pdf:1:1: error: the file is named .pdf but is not a PDF document (it is a web page)" in messages
