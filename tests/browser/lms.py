"""The test LMS: serve an extracted SCORM package and play the LMS around it in Chromium.

A browser test launches content the way a learning management system does::

    def test_resume(page, lms, package_dir):           # fixtures from conftest.py
        launch = lms.launch(page, package_dir)  # version and href from imsmanifest.xml
        launch.frame.get_by_role("button", name="Next").click()
        kept = launch.close_like_tab()      # pagehide in the content; returns what the LMS kept
        launch.assert_clean()               # no API errors, console errors, dialogs, leaks
        again = lms.launch(page, package_dir, previous=kept)
        assert again.cmi_value("cmi.entry") == "resume"

What it does:

- ``LmsServer`` serves, on 127.0.0.1 and a free port from a thread of the test process,
  the harness page at ``/lms/``, the npm packages of ``tests/js`` at ``/npm/`` and each
  package folder at its own ``/package/<n>/``.
- ``Lms.launch`` opens the harness page, which creates scorm-again's runtime as
  ``window.API`` (SCORM 1.2) or ``window.API_1484_11`` (SCORM 2004) with strict settings,
  loads the launch data (learner, manifest values, data kept from a previous launch) and
  only then opens the content in an ``<iframe>``.
- ``Launch`` records every API call (method, arguments, return value, error code), the
  console errors, uncaught exceptions, dialogs and requests of the page and its frames,
  and reads the runtime's CMI data model directly.
- ``LmsRecord`` is what the LMS stored at the content's last successful Commit or
  Terminate; it computes the next launch's ``entry``, ``total_time`` and data.
- ``axe_violations`` runs axe-core (WCAG 2.0/2.1 A and AA) in the content frame.

Run ``npm ci --prefix tests/js`` once before the browser tests.
"""

from __future__ import annotations

import http.server
import mimetypes
import re
import threading
import urllib.parse
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Dialog,
    Error as PlaywrightError,
    Frame,
    Page,
    Playwright,
    Request,
    Response,
)

HERE = Path(__file__).resolve().parent
HARNESS_DIR = HERE / "harness"
FIXTURES_DIR = HARNESS_DIR / "fixtures"
NODE_MODULES = HERE.parent / "js" / "node_modules"
SCORM_AGAIN_DIST = NODE_MODULES / "scorm-again" / "dist"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")

# Calls that report on earlier calls; the error code after them is not their own.
ERROR_QUERIES = {"GetLastError", "GetErrorString", "GetDiagnostic"}
# SCORM 2004 answers a read of an element nobody has set yet with 403; content may do that.
NOT_INITIALIZED = "403"

DEFAULT_LEARNER_ID = "learner-1"
DEFAULT_LEARNER_NAME = "Tester, Pat"


# --------------------------------------------------------------------------- browser


def launch_chromium(playwright: Playwright) -> Browser:
    """Start the system's Chromium headless (never a Playwright-downloaded browser).

    Playwright gives every ``launch`` a fresh temporary user data dir of its own and
    deletes it when the browser closes.
    """
    return playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=list(CHROMIUM_ARGS)
    )


def require_npm_packages() -> None:
    """Fail early, with the fix, when ``tests/js/node_modules`` has not been installed."""
    missing = [p for p in (SCORM_AGAIN_DIST / "scorm12.js", AXE_JS) if not p.is_file()]
    if missing:
        raise RuntimeError(
            f"missing {', '.join(map(str, missing))}: run `npm ci --prefix tests/js` first"
        )


# --------------------------------------------------------------------------- server


class LmsServer:
    """Serves the harness, the npm packages and package folders over HTTP on 127.0.0.1.

    ``start()`` binds a free port and serves from a daemon thread; ``stop()`` ends it.
    Only GET and HEAD of existing files are answered (no directory listings), names
    are case-sensitive as on a strict LMS, and nothing is cached, so a relaunch loads
    the content afresh. HTML goes out as plain ``text/html`` without a charset so that
    the page's own ``<meta charset>`` is what counts.
    """

    def __init__(self) -> None:
        self._packages: dict[Path, str] = {}
        self._lock = threading.Lock()
        self._httpd: http.server.ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def origin(self) -> str:
        """``http://127.0.0.1:<port>``"""
        assert self._httpd is not None, "the server is not started"
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def lms_page_url(self) -> str:
        return f"{self.origin}/lms/lms.html"

    @property
    def harness_prefixes(self) -> tuple[str, ...]:
        """URL prefixes of the files the LMS page itself loads."""
        return (f"{self.origin}/lms/", f"{self.origin}/npm/")

    def start(self) -> LmsServer:
        require_npm_packages()
        handler = _handler_for(self)
        self._httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, name="lms-server", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def mount(self, package_dir: Path) -> str:
        """Serve ``package_dir`` and return its URL prefix (ending in ``/``).

        The same folder always gets the same prefix, so a relaunch runs at the same
        origin and path, as it would on an LMS.
        """
        folder = Path(package_dir).resolve()
        if not folder.is_dir():
            raise FileNotFoundError(f"no package folder at {folder}")
        with self._lock:
            path = self._packages.setdefault(folder, f"/package/{len(self._packages) + 1}/")
        return self.origin + path

    def file_for(self, url_path: str) -> Path | None:
        """The file a URL path names, or None when it names nothing we serve."""
        with self._lock:
            roots = [(path, folder) for folder, path in self._packages.items()]
        roots += [("/lms/", HARNESS_DIR), ("/npm/", NODE_MODULES)]
        for prefix, root in roots:
            if url_path.startswith(prefix):
                return _file_inside(root, url_path[len(prefix) :])
        return None


def _file_inside(root: Path, relative: str) -> Path | None:
    if not relative or any(part in ("", ".", "..") for part in relative.split("/")):
        return None
    candidate = root.joinpath(*relative.split("/"))
    if candidate.is_file() and candidate.resolve().is_relative_to(root.resolve()):
        return candidate
    return None


_CONTENT_TYPES = {
    ".html": "text/html",
    ".htm": "text/html",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".css": "text/css",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".xml": "application/xml",
    ".xsd": "application/xml",
    ".dtd": "application/xml-dtd",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".map": "application/json",
}


def _content_type(path: Path) -> str:
    suffix = path.suffix.lower()
    guessed = mimetypes.guess_type(path.name)[0]
    return _CONTENT_TYPES.get(suffix) or guessed or "application/octet-stream"


def _handler_for(server: LmsServer) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self._serve(send_body=True)

        def do_HEAD(self) -> None:
            self._serve(send_body=False)

        def _serve(self, send_body: bool) -> None:
            url_path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
            file = server.file_for(url_path)
            if file is None:
                self.send_error(404)
                return
            body = file.read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", _content_type(file))
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if send_body:
                self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass  # Playwright records the requests; the test output stays quiet.

    return Handler


# --------------------------------------------------------------------------- manifest


@dataclass(frozen=True)
class Manifest:
    """What the LMS takes from ``imsmanifest.xml`` to launch the first SCO.

    ``lms_data`` holds the CMI elements an LMS initialises from the manifest:
    SCORM 1.2 ``cmi.student_data.mastery_score`` (``adlcp:masteryscore``) and
    ``cmi.launch_data`` (``adlcp:datafromlms``); SCORM 2004 ``cmi.scaled_passing_score``
    (primary objective with ``satisfiedByMeasure="true"``, its ``minNormalizedMeasure``,
    default 1.0), ``cmi.completion_threshold`` (``adlcp:completionThreshold``) and
    ``cmi.launch_data`` (``adlcp:dataFromLMS``). Sequencing given through a
    ``sequencingCollection`` is not followed.
    """

    version: str
    launch_href: str
    lms_data: dict[str, str]


def read_manifest(package_dir: Path) -> Manifest:
    """Read the version, the first SCO's launch href (with the item's ``parameters``)
    and the LMS-provided data from ``package_dir/imsmanifest.xml``."""
    root = ElementTree.parse(Path(package_dir) / "imsmanifest.xml").getroot()
    schema_version = _text(_find(root, "metadata", "schemaversion"))
    version = "1.2" if schema_version == "1.2" else "2004"
    item = _first_launchable_item(root)
    resource = next(
        r
        for r in _children(_child(root, "resources"), "resource")
        if r.get("identifier") == item.get("identifierref")
    )
    href = _with_parameters(resource.get("href", ""), item.get("parameters", ""))
    data = _lms_data_12(item) if version == "1.2" else _lms_data_2004(item)
    return Manifest(version=version, launch_href=href, lms_data=data)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(element: ElementTree.Element | None, name: str) -> list[ElementTree.Element]:
    return [] if element is None else [c for c in element if _local(c.tag) == name]


def _child(element: ElementTree.Element | None, name: str) -> ElementTree.Element | None:
    found = _children(element, name)
    return found[0] if found else None


def _find(element: ElementTree.Element | None, *path: str) -> ElementTree.Element | None:
    for name in path:
        element = _child(element, name)
    return element


def _text(element: ElementTree.Element | None) -> str:
    return (element.text or "").strip() if element is not None else ""


def _first_launchable_item(root: ElementTree.Element) -> ElementTree.Element:
    organizations = _child(root, "organizations")
    choices = _children(organizations, "organization")
    default = organizations.get("default") if organizations is not None else None
    organization = next((o for o in choices if o.get("identifier") == default), choices[0])
    for item in organization.iter():
        if _local(item.tag) == "item" and item.get("identifierref"):
            return item
    raise ValueError("the manifest has no item with an identifierref")


def _with_parameters(href: str, parameters: str) -> str:
    if not parameters:
        return href
    if parameters.startswith("?") and "?" in href:
        return f"{href}&{parameters[1:]}"
    return href + parameters


def _lms_data_12(item: ElementTree.Element) -> dict[str, str]:
    data = {}
    if mastery := _text(_child(item, "masteryscore")):
        data["cmi.student_data.mastery_score"] = mastery
    if launch_data := _text(_child(item, "datafromlms")):
        data["cmi.launch_data"] = launch_data
    return data


def _lms_data_2004(item: ElementTree.Element) -> dict[str, str]:
    data = {}
    if launch_data := _text(_child(item, "dataFromLMS")):
        data["cmi.launch_data"] = launch_data
    threshold = _child(item, "completionThreshold")
    if threshold is not None:
        if threshold.get("completedByMeasure", "false") == "true":
            data["cmi.completion_threshold"] = threshold.get("minProgressMeasure", "1.0")
        elif _text(threshold):  # SCORM 2004 3rd Edition puts the value in the text
            data["cmi.completion_threshold"] = _text(threshold)
    primary = _find(item, "sequencing", "objectives", "primaryObjective")
    if primary is not None and primary.get("satisfiedByMeasure", "false") == "true":
        measure = _text(_child(primary, "minNormalizedMeasure")) or "1.0"
        data["cmi.scaled_passing_score"] = measure
    return data


# --------------------------------------------------------------------------- time formats

_SCORM12_TIMESPAN = re.compile(r"^(\d{2,4}):(\d{2}):(\d{2})(?:\.(\d{1,2}))?$")
_ISO_DURATION = re.compile(
    r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?"
    r"(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)(?:\.(\d{1,2}))?S)?)?$"
)


def time_to_centiseconds(value: str, version: str) -> int:
    """A SCORM time span in hundredths of a second: ``HHHH:MM:SS.SS`` in SCORM 1.2,
    an ISO 8601 duration (``PT1H2M3.45S``) in 2004. Empty means zero."""
    if not value:
        return 0
    if _version(version) == "1.2":
        match = _SCORM12_TIMESPAN.match(value)
        if not match:
            raise ValueError(f"not a SCORM 1.2 time span: {value!r}")
        hours, minutes, seconds, fraction = match.groups()
        whole = int(hours) * 3600 + int(minutes) * 60 + int(seconds)
    else:
        match = _ISO_DURATION.match(value)
        if not match or value in ("P", "PT") or value.endswith("T"):
            raise ValueError(f"not a SCORM 2004 duration: {value!r}")
        *amounts, fraction = match.groups()
        years, months, days, hours, minutes, seconds = (int(a or 0) for a in amounts)
        # Years and months have no fixed length; take 365 and 30 days as runtimes do.
        days += years * 365 + months * 30
        whole = ((days * 24 + hours) * 60 + minutes) * 60 + seconds
    return whole * 100 + int((fraction or "0").ljust(2, "0"))


def time_to_seconds(value: str, version: str) -> float:
    """A SCORM time span (see ``time_to_centiseconds``) in seconds."""
    return time_to_centiseconds(value, version) / 100


def format_time(centiseconds: int, version: str) -> str:
    """Hundredths of a second as SCORM 1.2 ``HH:MM:SS[.SS]`` or SCORM 2004 ``PT..S``."""
    hours, rest = divmod(centiseconds, 360000)
    minutes, rest = divmod(rest, 6000)
    seconds, hundredths = divmod(rest, 100)
    if _version(version) == "1.2":
        text = f"{hours:02d}:{minutes:02d}:{seconds:02d}"
        return f"{text}.{hundredths:02d}" if hundredths else text
    parts = "".join(
        f"{amount}{unit}" for amount, unit in ((hours, "H"), (minutes, "M")) if amount
    )
    if seconds or hundredths or not parts:
        fraction = f".{hundredths:02d}".rstrip("0") if hundredths else ""
        parts += f"{seconds}{fraction}S"
    return f"PT{parts}"


def _version(version: str) -> str:
    if version == "1.2":
        return "1.2"
    if str(version).startswith("2004"):
        return "2004"
    raise ValueError(f"unknown SCORM version {version!r}: use '1.2' or '2004'")


# --------------------------------------------------------------------------- records

# The names of the elements the LMS handles per version.
_ELEMENTS = {
    "1.2": {
        "entry": "cmi.core.entry",
        "exit": "cmi.core.exit",
        "session_time": "cmi.core.session_time",
        "total_time": "cmi.core.total_time",
        "location": "cmi.core.lesson_location",
        "learner_id": "cmi.core.student_id",
        "learner_name": "cmi.core.student_name",
        "credit": "cmi.core.credit",
        "mode": "cmi.core.lesson_mode",
    },
    "2004": {
        "entry": "cmi.entry",
        "exit": "cmi.exit",
        "session_time": "cmi.session_time",
        "total_time": "cmi.total_time",
        "location": "cmi.location",
        "learner_id": "cmi.learner_id",
        "learner_name": "cmi.learner_name",
        "credit": "cmi.credit",
        "mode": "cmi.mode",
    },
}


@dataclass(frozen=True)
class LmsRecord:
    """What the LMS stored for a learner when a launch ended, and what it hands to the next.

    ``data`` is the flattened CMI data model (``{"cmi.core.lesson_status": "passed"}``,
    empty values left out) as it was at the content's last successful Commit or
    Terminate: anything set after that is lost, as on a real LMS. Without any commit
    it is the data the launch started with. Values are as the runtime gives them back,
    which may be normalised (SCORM 1.2 ``0000:00:05.50`` reads ``00:00:05.5``); the
    content's own strings are in ``Launch.values_set()``. ``total_time`` (also in
    ``data``) is the previous total plus the ``session_time`` of that data, in the
    version's own format.
    """

    version: str
    data: dict[str, str]
    total_time: str
    commits: int
    terminated: bool

    def get(self, element: str, default: str = "") -> str:
        return self.data.get(element, default)

    def element(self, role: str) -> str:
        """The element name for ``entry``, ``exit``, ``session_time``, ``total_time``,
        ``location``, ... in this record's version."""
        return _ELEMENTS[self.version][role]

    @property
    def exit(self) -> str:
        return self.get(self.element("exit"))

    @property
    def session_time(self) -> str:
        return self.get(self.element("session_time"))

    @property
    def suspend_data(self) -> str:
        return self.get("cmi.suspend_data")

    @property
    def location(self) -> str:
        return self.get(self.element("location"))

    @property
    def resumes(self) -> bool:
        """The next launch resumes this session (the content exited with ``suspend``)."""
        return self.exit == "suspend"

    def next_launch_data(self) -> dict[str, str]:
        """The data the LMS loads into the runtime for the next launch.

        SCORM 1.2: everything kept, ``entry`` = ``resume`` after ``exit`` = ``suspend``
        and empty otherwise, ``total_time`` accumulated.
        SCORM 2004: after ``suspend`` the attempt goes on (all data, ``entry`` =
        ``resume``, accumulated ``total_time``); after any other exit a new attempt
        starts with no data, ``entry`` = ``ab-initio`` and ``total_time`` zero.
        The per-session elements (``exit``, ``session_time``) are never carried over.
        """
        names = _ELEMENTS[self.version]
        if self.version == "2004" and not self.resumes:
            return {names["entry"]: "ab-initio"}
        per_session = {names[r] for r in ("entry", "exit", "session_time", "total_time")}
        data = {k: v for k, v in self.data.items() if k not in per_session}
        if data.get("cmi.core.lesson_status") == "not attempted":
            del data["cmi.core.lesson_status"]  # the runtime's own starting value
        if self.resumes:
            data[names["entry"]] = "resume"
        data[names["total_time"]] = self.total_time
        return data


# --------------------------------------------------------------------------- launch


@dataclass(frozen=True)
class ApiCall:
    """One call the content made on the API, with the error code read right after it.

    ``method`` is the name the content called (``LMSSetValue``); ``kind`` is the same
    call under its SCORM 2004 name for both versions (``SetValue``). ``result`` is what
    the runtime returned, ``error`` what GetLastError said next, ``exception`` the
    runtime's own crash if it threw, ``time_ms`` milliseconds since the LMS page loaded.
    """

    index: int
    method: str
    kind: str
    args: tuple[Any, ...]
    result: Any
    error: str | None
    exception: str | None
    time_ms: float
    fault: bool = False             # the harness injected this call's failure (harness/lms.js faults)

    @property
    def element(self) -> str:
        """The CMI element of a GetValue/SetValue call."""
        return str(self.args[0]) if self.args else ""

    @property
    def value(self) -> Any:
        """The value of a SetValue call."""
        return self.args[1] if len(self.args) > 1 else None

    def __str__(self) -> str:
        args = ", ".join(repr(a) for a in self.args)
        text = f"#{self.index} {self.method}({args}) -> {self.result!r} [error {self.error}]"
        return f"{text} threw {self.exception}" if self.exception else text


@dataclass(frozen=True)
class Dialogue:
    """An alert/confirm/prompt/beforeunload dialog the page or its content opened."""

    type: str
    message: str


@dataclass(frozen=True)
class SeenRequest:
    """A request the page made; ``from_lms_page`` when the LMS page itself made it."""

    url: str
    resource_type: str
    from_lms_page: bool


class Launch:
    """One launch of content in the test LMS. Made by ``Lms.launch``.

    Attributes: ``page``, ``frame`` (the content's Playwright ``Frame``), ``version``
    (``"1.2"``/``"2004"``), ``package_url`` (URL prefix of the package), ``launch_url``,
    ``launch_data`` (what the LMS loaded into the runtime), ``console`` (every console
    message as ``(type, text, url)``), ``page_errors``, ``dialogs``, ``requests``,
    ``failed_requests`` and ``popups`` (windows the content opened; their requests,
    console and dialogs count as the content's).

    While the launch is open, ``log()``, ``cmi()`` and ``cmi_value()`` read the live
    page; after ``close_like_tab()`` (or when another launch takes over the page) they
    return what was recorded at that moment.
    """

    def __init__(
        self,
        *,
        page: Page,
        server: LmsServer,
        version: str,
        package_url: str,
        launch_url: str,
        launch_data: dict[str, str],
        start_total_time: str,
    ) -> None:
        self.page = page
        self.server = server
        self.version = version
        self.package_url = package_url
        self.launch_url = launch_url
        self.launch_data = dict(launch_data)
        self.frame: Frame | None = None
        self.console: list[tuple[str, str, str]] = []
        self.page_errors: list[str] = []
        self.dialogs: list[Dialogue] = []
        self.requests: list[SeenRequest] = []
        self.failed_requests: list[str] = []
        self.popups: list[Page] = []
        self._start_total = time_to_centiseconds(start_total_time, version)
        self._closing = False
        self._final_state: dict[str, Any] | None = None
        self._page_listeners = {
            "console": self._on_console,
            "pageerror": self._on_page_error,
            "dialog": self._on_dialog,
            "popup": self._on_popup,
        }
        # Requests are watched on the whole context: a window the content opens makes
        # its first request before the page's "popup" event arrives.
        self._context_listeners = {
            "request": self._on_request,
            "requestfailed": self._on_request_failed,
            "response": self._on_response,
        }
        for event, listener in self._page_listeners.items():
            page.on(event, listener)
        for event, listener in self._context_listeners.items():
            page.context.on(event, listener)
        self._route = (self._leaves_machine, self._block)
        page.context.route(*self._route)

    # ---- recording

    def _leaves_machine(self, url: str) -> bool:
        return not url.startswith((self.server.origin + "/", "data:", "blob:", "about:"))

    @staticmethod
    def _block(route: Any) -> None:
        # Hospital networks block CDNs; the test fails on the request, not on a timeout.
        route.abort("blockedbyclient")

    def _on_console(self, message: ConsoleMessage) -> None:
        self.console.append((message.type, message.text, message.location.get("url", "")))

    def _on_page_error(self, error: PlaywrightError) -> None:
        self.page_errors.append(f"{error.name}: {error.message}" if error.name else error.message)

    def _on_dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(Dialogue(dialog.type, dialog.message))
        try:
            dialog.accept()
        except PlaywrightError:
            pass  # the frame that opened it is already gone

    def _source(self, request: Request) -> str | None:
        """"lms" (the LMS page itself), "content" (its frames and the windows they
        opened) or None (another page of the context)."""
        try:
            frame = request.frame
        except PlaywrightError:
            return "content"  # a service worker's request has no frame
        if frame.page == self.page:
            return "lms" if frame == self.page.main_frame else "content"
        return "content" if frame.page.opener() == self.page else None

    def _on_request(self, request: Request) -> None:
        if source := self._source(request):
            self.requests.append(SeenRequest(request.url, request.resource_type, source == "lms"))

    def _on_request_failed(self, request: Request) -> None:
        failure = request.failure or "failed"
        if self._closing and "ERR_ABORTED" in failure:
            return  # closing the content cancels what it was still loading
        if self._source(request):
            self.failed_requests.append(f"{request.url} ({failure})")

    def _on_response(self, response: Response) -> None:
        if response.status >= 400 and self._source(response.request):
            self.failed_requests.append(f"{response.url} (HTTP {response.status})")

    def _on_popup(self, popup: Page) -> None:
        self.popups.append(popup)
        popup.on("console", self._on_console)
        popup.on("pageerror", self._on_page_error)
        popup.on("dialog", self._on_dialog)

    def _freeze(self) -> None:
        """Record the final state and stop listening; the page may be reused after this."""
        if self._final_state is not None:
            return
        self._final_state = self._state()
        for event, listener in self._page_listeners.items():
            self.page.remove_listener(event, listener)
        for event, listener in self._context_listeners.items():
            self.page.context.remove_listener(event, listener)
        self.page.context.unroute(*self._route)

    def _state(self) -> dict[str, Any]:
        if self._final_state is not None:
            return self._final_state
        return self.page.evaluate("() => JSON.parse(JSON.stringify(window.__lms.state()))")

    # ---- the API log

    def log(self) -> list[ApiCall]:
        """Every API call the content made so far, in order."""
        return [_api_call(raw) for raw in self._state()["log"]]

    def calls(self, *kinds: str) -> list[ApiCall]:
        """The calls of the given kinds or methods (``"SetValue"`` matches ``LMSSetValue``
        too); all calls when none are given."""
        return [c for c in self.log() if not kinds or c.kind in kinds or c.method in kinds]

    def values_set(self) -> dict[str, str]:
        """Element -> the last value the content set successfully."""
        return {c.element: c.value for c in self.calls("SetValue") if c.error == "0"}

    def uncommitted(self) -> list[ApiCall]:
        """Successful SetValue calls after the last successful Commit/Terminate: data an
        LMS would lose if the window closed now."""
        log = self.log()
        last_commit = max(
            (
                c.index
                for c in log
                if c.kind in ("Commit", "Terminate") and c.error == "0" and str(c.result) == "true"
            ),
            default=-1,
        )
        return [c for c in log if c.kind == "SetValue" and c.error == "0" and c.index > last_commit]

    def api_errors(self) -> list[ApiCall]:
        """Calls that failed. Error queries (GetLastError, GetErrorString, GetDiagnostic)
        are not judged; a SCORM 2004 GetValue of an element not set yet (403) is allowed."""
        failed = []
        for call in self.log():
            if call.kind in ERROR_QUERIES and not call.exception:
                continue
            if self.version == "2004" and call.kind == "GetValue" and call.error == NOT_INITIALIZED:
                continue
            if call.error != "0" or call.exception:
                failed.append(call)
        return failed

    def events(self) -> list[dict[str, Any]]:
        """What happened in order: each Commit's start and end, and what the test's own observers
        in the content pushed to ``window.parent.__lms.events``."""
        return list(self._state()["events"])

    def runtime_messages(self, level: str | None = None) -> list[str]:
        """What scorm-again logged (WARN and ERROR), e.g. why a SetValue was refused."""
        return [
            f"{m['level']}: {m['message']}"
            for m in self._state()["runtimeMessages"]
            if level is None or m["level"] == level
        ]

    def assert_no_api_errors(self) -> None:
        """Every API call returned with error code "0" (2004 reads of unset elements: 403)."""
        failed = self.api_errors()
        if failed:
            lines = [str(c) for c in failed] + self.runtime_messages("ERROR")
            raise AssertionError("SCORM API calls failed:\n  " + "\n  ".join(lines))

    def wait_for_call(
        self, kind: str, element: str | None = None, *, since: int = 0, timeout: float | None = None
    ) -> ApiCall:
        """Wait until the content makes a call of ``kind`` (for GetValue/SetValue on
        ``element`` when given) at log index ``since`` or later, and return it. The timeout
        (default: the page's) only ends a wait that would never end."""
        self.page.wait_for_function(
            """([kind, element, since]) => window.__lms.log.slice(since).some(
                c => (c.kind === kind || c.method === kind)
                     && (element === null || c.args[0] === element))""",
            arg=[kind, element, since],
            timeout=timeout,
        )
        return next(
            c
            for c in self.log()[since:]
            if (c.kind == kind or c.method == kind) and (element is None or c.element == element)
        )

    # ---- the runtime's data

    def cmi(self) -> dict[str, str]:
        """The runtime's whole CMI data model now, flattened (empty values left out)."""
        if self._final_state is not None:
            return dict(self._final_state["cmi"])
        return self.page.evaluate("() => window.__lms.snapshot()")

    def cmi_json(self) -> dict[str, Any]:
        """The runtime's CMI data model now as nested JSON, as scorm-again commits it."""
        return self.page.evaluate("() => window.__lms.nested()")

    def cmi_value(self, element: str) -> str:
        """One element, read through the runtime's internal getter (not an API call of
        the content, and the content's error state is left alone). Raises ``KeyError``
        when the runtime cannot read it: an unknown element, or a SCORM 1.2 write-only
        one such as ``cmi.interactions.0.id`` (``cmi()`` has those)."""
        if self._final_state is not None:
            return self._final_state["cmi"].get(element, "")
        result = self.page.evaluate("element => window.__lms.cmiValue(element)", element)
        if result["error"] != "0":
            raise KeyError(f"{element}: the runtime answered error {result['error']}")
        return result["value"]

    def finish_state(self) -> LmsRecord:
        """What the LMS has stored so far: the data of the last successful Commit or
        Terminate (see ``LmsRecord``)."""
        kept = self._state()["kept"]
        names = _ELEMENTS[self.version]
        session = time_to_centiseconds(kept["data"].get(names["session_time"], ""), self.version)
        total_time = format_time(self._start_total + session, self.version)
        return LmsRecord(
            version=self.version,
            data={**kept["data"], names["total_time"]: total_time},
            total_time=total_time,
            commits=kept["commits"],
            terminated=kept["terminated"],
        )

    def close_like_tab(self) -> LmsRecord:
        """Close the content as a learner closing the tab would (its pagehide and unload
        handlers run), then return what the LMS stored, for ``Lms.launch(previous=...)``.
        Afterwards the launch keeps answering from what was recorded."""
        if self._final_state is None:
            self._closing = True
            self.page.evaluate("() => window.__lms.closeContent()")
            self._freeze()
        return self.finish_state()

    # ---- what the browser saw

    def console_errors(self) -> list[str]:
        errors = [(text, url) for kind, text, url in self.console if kind == "error"]
        return [f"{text} ({url})" if url else text for text, url in errors]

    def outside_requests(self) -> list[str]:
        """Requests that left the package: the content (and anything it opened) may only
        load from ``package_url``; the LMS page only its own and the npm files."""
        outside = []
        for request in self.requests:
            if request.url.startswith(("data:", "blob:", "about:", self.package_url)):
                continue
            if request.from_lms_page and request.url.startswith(self.server.harness_prefixes):
                continue
            outside.append(request.url)
        return outside

    def problems(self) -> list[str]:
        """Everything besides the API that SCORM-RULES forbids: console errors, uncaught
        exceptions, dialogs, requests outside the package, and failed requests."""
        return (
            [f"console error: {e}" for e in self.console_errors()]
            + [f"uncaught exception: {e}" for e in self.page_errors]
            + [f"{d.type} dialog: {d.message}" for d in self.dialogs]
            + [f"request outside the package: {u}" for u in self.outside_requests()]
            + [f"failed request: {f}" for f in self.failed_requests]
        )

    def assert_no_problems(self) -> None:
        problems = self.problems()
        if problems:
            raise AssertionError("the content misbehaved:\n  " + "\n  ".join(problems))

    def assert_clean(self) -> None:
        """``assert_no_api_errors`` and ``assert_no_problems`` together."""
        self.assert_no_api_errors()
        self.assert_no_problems()

    # ---- accessibility

    def axe_violations(self, tags: tuple[str, ...] = WCAG_TAGS) -> list[dict[str, Any]]:
        """axe-core violations in the content frame (see ``axe_violations``)."""
        assert self.frame is not None and not self.frame.is_detached(), "the content is closed"
        return axe_violations(self.frame, tags)

    def assert_no_axe_violations(self, tags: tuple[str, ...] = WCAG_TAGS) -> None:
        assert self.frame is not None and not self.frame.is_detached(), "the content is closed"
        assert_no_axe_violations(self.frame, tags)


def _api_call(raw: dict[str, Any]) -> ApiCall:
    return ApiCall(
        index=raw["index"],
        method=raw["method"],
        kind=raw["kind"],
        args=tuple(raw["args"]),
        result=raw["result"],
        error=raw["error"],
        exception=raw["exception"],
        time_ms=raw["time"],
        fault=bool(raw.get("fault")),
    )


class Lms:
    """Launches content in the test LMS; the ``lms`` fixture is one of these."""

    def __init__(self, server: LmsServer) -> None:
        self.server = server
        self._open: dict[Page, Launch] = {}

    def launch(
        self,
        page: Page,
        package_dir: Path,
        *,
        version: str | None = None,
        launch_href: str | None = None,
        query: str = "",
        previous: LmsRecord | None = None,
        data: dict[str, str] | None = None,
        settings: dict[str, Any] | None = None,
        faults: list[dict[str, Any]] | None = None,
        learner_id: str = DEFAULT_LEARNER_ID,
        learner_name: str = DEFAULT_LEARNER_NAME,
    ) -> Launch:
        """Launch the content of ``package_dir`` (an extracted package) in ``page``.

        ``version`` ("1.2" or "2004") and ``launch_href`` default to what
        ``imsmanifest.xml`` says (first SCO of the default organization); give them
        for a folder without a manifest. ``query`` is appended to the launch URL.
        ``previous`` is the ``LmsRecord`` of an earlier launch (``close_like_tab()``
        or ``finish_state()``): its ``next_launch_data()`` is loaded, so the content
        sees ``entry``, ``suspend_data``, ``location``, scores and ``total_time`` as an
        LMS would deliver them. Without it, ``entry`` is ``ab-initio`` and ``total_time``
        zero. The runtime
        always gets the learner, ``credit`` = ``credit``, ``mode`` = ``normal`` and the
        manifest's values; ``data`` (flattened elements) overrides any of it and
        ``settings`` overrides scorm-again settings. ``faults`` make the runtime misbehave
        (refused, failing, empty, slow or vanishing calls: see harness/lms.js).

        The page is (re)loaded with the LMS page; a launch still open on it is frozen
        first. Returns when the content's first document has loaded.
        """
        has_manifest = (Path(package_dir) / "imsmanifest.xml").is_file()
        manifest = read_manifest(package_dir) if has_manifest else None
        if manifest is None and (version is None or launch_href is None):
            raise ValueError(f"{package_dir} has no imsmanifest.xml: give version and launch_href")
        version = _version(version or manifest.version)
        launch_href = launch_href or manifest.launch_href
        if previous is not None and previous.version != version:
            raise ValueError(f"previous record is SCORM {previous.version}, this launch {version}")

        names = _ELEMENTS[version]
        launch_data = previous.next_launch_data() if previous else {names["entry"]: "ab-initio"}
        launch_data.update(
            {
                names["learner_id"]: learner_id,
                names["learner_name"]: learner_name,
                names["credit"]: "credit",
                names["mode"]: "normal",
            }
        )
        launch_data.setdefault(names["total_time"], format_time(0, version))
        launch_data.update(manifest.lms_data if manifest else {})
        launch_data.update(data or {})

        package_url = self.server.mount(package_dir)
        launch_url = package_url + _with_parameters(launch_href, f"?{query}" if query else "")
        if (earlier := self._open.get(page)) is not None:
            earlier._freeze()
        launch = Launch(
            page=page,
            server=self.server,
            version=version,
            package_url=package_url,
            launch_url=launch_url,
            launch_data=launch_data,
            start_total_time=launch_data.get(names["total_time"], ""),
        )
        self._open[page] = launch
        page.goto(self.server.lms_page_url)
        page.evaluate(
            "config => window.__lms.start(config)",
            {"version": version, "data": launch_data, "settings": settings or {},
             "faults": faults or [], "src": launch_url},
        )
        launch.frame = page.frame(name="sco")
        return launch


# --------------------------------------------------------------------------- axe-core


def axe_violations(target: Frame | Page, tags: tuple[str, ...] = WCAG_TAGS) -> list[dict[str, Any]]:
    """Run axe-core in ``target`` (a frame or page) for the given WCAG tags.

    Returns one dict per violated rule: ``id``, ``impact``, ``help``, ``help_url`` and
    ``nodes`` (each with ``target``, ``html`` and ``summary``). axe.min.js comes from
    tests/js/node_modules and is evaluated in the frame, so a page's Content Security
    Policy does not stop it and it makes no request.
    """
    if not target.evaluate("() => typeof window.axe === 'object'"):
        target.evaluate(AXE_JS.read_text(encoding="utf-8") + "\n;true")
    return target.evaluate(
        """async tags => {
            const results = await axe.run(document, {
                runOnly: {type: "tag", values: tags},
                resultTypes: ["violations"],
            });
            return results.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, help_url: v.helpUrl,
                nodes: v.nodes.map(n => ({
                    target: n.target.join(" "), html: n.html, summary: n.failureSummary,
                })),
            }));
        }""",
        list(tags),
    )


def format_axe_violations(violations: list[dict[str, Any]]) -> str:
    """Violations as readable text: rule, impact, help, then each offending element."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    {node['target']}: {node['html'][:200]}")
            summary = (node["summary"] or "").replace("\n", " ")
            lines.append(f"      {summary}")
    return "\n".join(lines)


def assert_no_axe_violations(target: Frame | Page, tags: tuple[str, ...] = WCAG_TAGS) -> None:
    violations = axe_violations(target, tags)
    if violations:
        raise AssertionError("accessibility violations:\n" + format_axe_violations(violations))
