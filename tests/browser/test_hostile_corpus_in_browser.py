"""A hostile author's SVGs that the build accepts after rewriting them, proven harmless for real.

Each picture below carries a live payload in a part the rewrite drops (editor metadata, unknown
namespaces, comments, unknown attributes): opened as it is, the original runs script or fetches
from a local "canary" HTTP server. The package and the PDF get builder/svg.py's rewrite, and here
we prove in Chromium (in the LMS frame, each picture opened as a document of its own, and the
standalone build from file://) and in WeasyPrint that no dialog opens, the canary global is never
set and the canary server is never hit. The refused half of the corpus is
tests/test_hostile_corpus.py.
"""

from __future__ import annotations

import http.server
import shutil
import threading
from datetime import datetime, timezone
from pathlib import Path

import pytest

from builder.handout import write_handouts
from builder.load import load_course
from player_support import PlayerDriver, build_package, build_preview

MINIMAL = Path(__file__).resolve().parents[1] / "roots" / "minimal"
PAGE = "modules/01-getting-started/01-welcome.md"
NAMESPACES = ('xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
              'xmlns:h="http://www.w3.org/1999/xhtml" '
              'xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" '
              'xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd" '
              'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"')


def _pictures(canary: str) -> dict[str, str]:
    """name -> body of an SVG whose payload sits where the rewrite removes it."""
    return {
        "metadata-script": "<metadata><script>top.__pwned='metadata-script'</script></metadata>",
        "namedview-script": "<sodipodi:namedview><script>top.__pwned='namedview'</script></sodipodi:namedview>",
        "rdf-xhtml-img": f'<metadata><rdf:RDF><h:img src="{canary}/rdf-img.png"/></rdf:RDF></metadata>',
        "inkscape-iframe": f'<inkscape:perspective><h:iframe src="{canary}/iframe"></h:iframe></inkscape:perspective>',
        "namedview-foreign-object": ("<sodipodi:namedview><foreignObject><h:img src='x' "
                                     "onerror=\"top.__pwned='onerror'\"/></foreignObject></sodipodi:namedview>"),
        "metadata-image": f'<metadata><image href="{canary}/image.png" width="5" height="5"/></metadata>',
        "metadata-style": f"<metadata><style>rect{{fill:url({canary}/style.png)}}</style></metadata>",
        "comment-payload": f"<!-- <script>top.__pwned='comment'</script> <image href='{canary}/c.png'/> -->",
        "xml-base-and-data": f'<rect xml:base="{canary}/" data-load="{canary}/d" inkscape:href="{canary}/i" width="5" height="5"/>',
        "metadata-smil-href": ("<metadata><a href='#r'><set attributeName='href' to=\"javascript:top.__pwned='smil'\"/>"
                               "<text>x</text></a></metadata>"),
        "text-that-looks-like-markup": "<text y='5'>&lt;script&gt;top.__pwned='text'&lt;/script&gt;</text>",
        "xlink-show-new": "<a xlink:href='#r' xlink:show='new' xlink:title='t'><rect id='r' width='5' height='5'/></a>",
    }


def _svg(body: str) -> str:
    return (f'<svg {NAMESPACES} viewBox="0 0 10 10" width="10" height="10">\n'
            f"  <title>picture</title>\n  {body}\n  <rect width='2' height='2' fill='#005eb8'/>\n</svg>\n")


class _Canary(http.server.ThreadingHTTPServer):
    hits: list[str]


@pytest.fixture(scope="module")
def canary():
    """A local HTTP server that nothing may ever reach."""
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            server.hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = _Canary(("127.0.0.1", 0), Handler)
    server.hits = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture(scope="module")
def corpus(canary, tmp_path_factory):
    """The course (with every picture on a page and as a download) and the original SVGs."""
    root = tmp_path_factory.mktemp("hostile-corpus")
    course_dir = root / "course"
    shutil.copytree(MINIMAL, course_dir)
    originals = root / "originals"
    originals.mkdir()
    url = f"http://127.0.0.1:{canary.server_address[1]}"
    lines = []
    for name, body in _pictures(url).items():
        text = _svg(body)
        (course_dir / "assets" / f"{name}.svg").write_text(text)
        (originals / f"{name}.svg").write_text(text)
        lines.append(f"![Picture {name}](../../assets/{name}.svg)\n\n[Open {name}](../../assets/{name}.svg)\n")
    page = course_dir / PAGE
    page.write_text(page.read_text() + "\n" + "\n".join(lines))
    return load_course(course_dir), originals


def _pwned(frame) -> list:
    return frame.evaluate("() => [window.__pwned, window.top && window.top.__pwned].filter(Boolean)")


def test_the_payloads_are_live_in_the_originals(page, corpus, canary):
    """Control: opened as they are, the originals do run script or reach the canary."""
    _, originals = corpus
    fired = []
    for name in ("metadata-script", "namedview-script", "rdf-xhtml-img"):
        hits_before = len(canary.hits)
        page.goto((originals / f"{name}.svg").as_uri())
        page.wait_for_load_state("load")
        if _pwned(page.main_frame) or len(canary.hits) > hits_before:
            fired.append(name)
    assert fired == ["metadata-script", "namedview-script", "rdf-xhtml-img"]
    canary.hits.clear()


@pytest.mark.parametrize("version", ["1.2", "2004-4th"])
def test_hostile_pictures_are_harmless_in_the_lms(lms, page, tmp_path, corpus, canary, version):
    course, _ = corpus
    package = build_package(course, version, tmp_path)
    for svg in (package / "assets").glob("*.svg"):
        text = svg.read_text()
        assert "<script" not in text and "127.0.0.1" not in text, svg.name
    launch = lms.launch(page, package)
    player = PlayerDriver(launch.frame, course).ready()
    images = launch.frame.locator("img[src$='.svg']")
    images.first.wait_for()
    assert images.count() >= len(_pictures(""))
    assert launch.frame.evaluate("() => [...document.images].every(i => i.complete && i.naturalWidth > 0)")
    player.next()
    assert _pwned(launch.frame) == [] and launch.dialogs == [] and launch.outside_requests() == []
    # Each picture opened as a document of its own inside the LMS frame (a learner's "open image").
    for name in _pictures(""):
        launch.frame.goto(f"{launch.package_url}assets/{name}.svg")
        assert _pwned(launch.frame) == [], name
    assert _pwned(page.main_frame) == []
    assert launch.dialogs == []
    assert launch.outside_requests() == []
    assert canary.hits == []


def test_hostile_pictures_are_harmless_from_file(page, tmp_path, corpus, canary):
    course, _ = corpus
    folder = build_preview(course, tmp_path / "preview")
    dialogs, requests = [], []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("request", lambda request: requests.append(request.url))
    page.goto((folder / "index.html").as_uri())
    PlayerDriver(page.main_frame, course).ready()
    page.locator("img[src$='.svg']").first.wait_for()
    assert _pwned(page.main_frame) == []
    for name in _pictures(""):
        page.goto((folder / "assets" / f"{name}.svg").as_uri())
        page.wait_for_load_state("load")
        assert _pwned(page.main_frame) == [], name
    assert dialogs == []
    assert all(url.startswith(folder.as_uri()) for url in requests), requests
    assert canary.hits == []


def test_hostile_pictures_print_without_fetching_anything(tmp_path, corpus, canary):
    course, _ = corpus
    written = write_handouts(course, tmp_path, source_date=datetime(2026, 1, 1, tzinfo=timezone.utc))
    assert written and all(path.read_bytes().startswith(b"%PDF-") for path in written)
    assert canary.hits == []
