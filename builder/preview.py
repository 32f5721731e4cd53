"""`coursesmith preview`: the author's loop on their own machine.

Builds the course's player for one SCORM version into a private build folder, serves that
folder on 127.0.0.1 with a local LMS page around it (templates/preview/: scorm-again as the
SCORM API, a tracking inspector beside the course), and rebuilds when a course file is saved:

- only what changed: YAML files whose text did not change are not parsed again
  (yamldoc.ParseMemo), only the version on screen is built, and only files whose bytes
  changed are replaced in the served folder (each atomically, so a request never sees half);
- the LMS page waits on /_preview/wait and relaunches the content as a resumed session when
  the build changes, so the learner's progress survives an edit;
- a course that stops loading keeps the last good build on screen, with the problems (file,
  line, column, hint) over it in the browser and printed in the terminal.

Everything served is a file inside the build folder (the LMS page and scorm-again are copied
into it), or one of the three JSON answers below. The server answers only requests addressed
to 127.0.0.1 or localhost (a page elsewhere cannot reach it by a DNS name of its own).
"""

from __future__ import annotations

import errno
import hashlib
import http.server
import json
import os
import shutil
import signal
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

from . import markdown, yamldoc
from .editions import runtime
from .errors import CourseError, Problem, refuse
from .explain import explain
from .load import load_course_with_warnings
from .memo import Memo
from .model import SCORM_VERSIONS, Course
from .paths import templates_dir
from .player import scos_for, write_scos

HOST = "127.0.0.1"
UI_DIR = "_preview"                      # inside the build folder: the LMS page and scorm-again
SCORM_AGAIN_FILES = ("scorm12.min.js", "scorm2004.min.js")
WAIT_SECONDS = 20                        # a long poll answers at least this often
SCORM_AGAIN_ENV = "COURSESMITH_SCORM_AGAIN"
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8", ".json": "application/json", ".svg": "image/svg+xml",
    ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
    ".webp": "image/webp", ".ttf": "font/ttf", ".woff2": "font/woff2", ".txt": "text/plain; charset=utf-8",
    ".mp3": "audio/mpeg", ".m4a": "audio/mp4", ".ogg": "audio/ogg", ".wav": "audio/wav",
    ".mp4": "video/mp4", ".webm": "video/webm", ".vtt": "text/vtt; charset=utf-8",
    ".pdf": "application/pdf", ".csv": "text/csv; charset=utf-8",
}


def scorm_again_dir() -> Path:
    """scorm-again's dist/ folder, installed by scripts/install.sh into js/node_modules."""
    candidates = [Path(os.environ[SCORM_AGAIN_ENV])] if os.environ.get(SCORM_AGAIN_ENV) else []
    candidates.append(templates_dir().parent / "js" / "node_modules" / "scorm-again" / "dist")
    for candidate in candidates:
        if all((candidate / name).is_file() for name in SCORM_AGAIN_FILES):
            return candidate
    raise refuse("CS905", "scorm-again, the SCORM API the preview uses, is not installed",
                       f"run `bash scripts/install.sh` (or `npm ci --prefix js`) in the coursesmith folder, "
                       f"or set {SCORM_AGAIN_ENV} to scorm-again's dist folder")


@dataclass
class BuildState:
    """What the LMS page is told: the current build, or the problems that stopped the next one."""

    generation: int = 0
    course: Course | None = None
    version: str = ""
    problems: tuple[Problem, ...] = ()      # the last build's errors; () when it was good
    warnings: tuple[Problem, ...] = ()
    changed: tuple[str, ...] = ()           # files the last build replaced
    seconds: float = 0.0                    # how long the last build took
    built_versions: set = field(default_factory=set)


def problem_data(problem: Problem) -> dict:
    return {"path": problem.path, "line": problem.line, "column": problem.column,
            "severity": problem.severity, "message": problem.message, "hint": problem.hint}


class Preview:
    """One course's preview: its build folder, its builds and the state the LMS page reads."""

    def __init__(self, course_dir: Path, version: str | None = None, report: Callable[[str], None] = print,
                 show_problems: Callable[[tuple[Problem, ...]], None] = lambda _problems: None):
        self.course_dir = Path(course_dir)
        self.requested_version = version
        self.report, self.show_problems = report, show_problems
        self.root = Path(tempfile.mkdtemp(prefix="coursesmith-preview-")).resolve()
        self.state = BuildState()
        self.changed = threading.Condition()
        self.building = threading.Lock()
        self.parses, self.renders = Memo(), Memo()
        self._install_ui()

    # ---------- the build folder ----------

    def _install_ui(self) -> None:
        ui = self.root / UI_DIR
        (ui / "scorm-again").mkdir(parents=True)
        for path in sorted((templates_dir() / "preview").iterdir()):
            if path.is_file():
                shutil.copyfile(path, ui / path.name)
        source = scorm_again_dir()
        for name in SCORM_AGAIN_FILES:
            shutil.copyfile(source / name, ui / "scorm-again" / name)

    def close(self) -> None:
        yamldoc.remember_parses(None)
        markdown.remember_renders(None)
        shutil.rmtree(self.root, ignore_errors=True)

    def served_file(self, url_path: str) -> Path | None:
        """The file inside the build folder that `url_path` names, or None: never anything outside."""
        if "\x00" in url_path or "\\" in url_path:
            return None
        parts = url_path.lstrip("/").split("/")
        if parts == [""]:
            parts = [UI_DIR, "lms.html"]
        if any(part in ("", ".", "..") or part.startswith(".") for part in parts):   # .scratch-*: half-built
            return None
        candidate = self.root.joinpath(*parts)
        try:
            resolved = candidate.resolve(strict=True)
        except (OSError, RuntimeError):
            return None
        if not resolved.is_relative_to(self.root) or not resolved.is_file():
            return None
        return resolved

    # ---------- building ----------

    def rebuild(self, reason: str = "", version: str | None = None, others_changed: bool = False) -> BuildState:
        """Load the course and bring the served files of `version` (default: the one on screen)
        up to date. A course with errors leaves the last good build served. `others_changed`:
        a file other than an edited page or YAML file changed (an asset, a file added or deleted),
        which a page's rendering may depend on (it checks its links)."""
        with self.building:
            started = time.perf_counter()
            if others_changed:
                self.renders.clear()
            yamldoc.remember_parses(self.parses)
            markdown.remember_renders(self.renders)
            try:
                course, warnings = load_course_with_warnings(self.course_dir)
                wanted = version or self.state.version or self._first_version(course)
                changed = self._write(course, wanted)
            except CourseError as exc:
                # A problem that names no file is about the course folder itself.
                return self._failed(tuple(p if p.path else replace(p, path=str(self.course_dir))
                                          for p in exc.problems), started)
            except Exception as exc:  # noqa: BLE001 - a bug must not end the author's session
                if os.environ.get("COURSESMITH_DEBUG"):
                    raise
                return self._failed((Problem(str(self.course_dir), 1, 1,
                                             f"coursesmith failed unexpectedly ({type(exc).__name__}: {exc})",
                                             "this is a bug in coursesmith, not a mistake in the course: please "
                                             "report it; COURSESMITH_DEBUG=1 shows the details", code="CS999"),), started)
            seconds = time.perf_counter() - started
            with self.changed:
                state = self.state
                version_changed = wanted != state.version
                if changed or version_changed or state.problems or state.generation == 0:
                    state.generation += 1
                state.course, state.version, state.problems, state.warnings = course, wanted, (), tuple(warnings)
                state.changed, state.seconds = tuple(changed), seconds
                state.built_versions.add(wanted)
                self.changed.notify_all()
            if warnings:
                self.show_problems(tuple(warnings))
            what = f"{len(changed)} file{'s' * (len(changed) != 1)} changed" if changed else "nothing changed"
            self.report(f"{course.id}: built SCORM {wanted} ({what}{', ' + reason if reason else ''}) in {seconds:.2f}s")
            return state

    def _first_version(self, course: Course) -> str:
        if self.requested_version:
            return self.requested_version
        return course.scorm.versions[0] if course.scorm.versions else SCORM_VERSIONS[0]

    def _failed(self, problems: tuple[Problem, ...], started: float) -> BuildState:
        with self.changed:
            self.state.generation += 1
            self.state.problems = tuple(problems)
            self.state.seconds = time.perf_counter() - started
            self.changed.notify_all()
        self.show_problems(tuple(problems))
        errors = sum(1 for p in problems if p.severity == "error")
        kept = "the last good build stays on screen" if self.state.course else "nothing to show yet"
        self.report(f"{self.course_dir}: not built ({errors} error{'s' * (errors != 1)}); {kept}")
        return self.state

    def _write(self, course: Course, version: str) -> list[str]:
        """Write the SCOs into a scratch folder, then replace only the served files that differ."""
        live = self.root / version
        scratch = Path(tempfile.mkdtemp(prefix=".scratch-", dir=self.root))
        try:
            write_scos(course, scratch, version)
            return _sync(scratch, live)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)

    # ---------- what the LMS page reads ----------

    def state_data(self) -> dict:
        with self.changed:
            state = self.state
            course = state.course
            data = {
                "generation": state.generation,
                "problems": [problem_data(p) for p in state.problems],
                "warnings": [problem_data(p) for p in state.warnings],
                "changed": list(state.changed),
                "buildSeconds": round(state.seconds, 3),
                "version": state.version,
                "versions": list(SCORM_VERSIONS),
                "course": None,
            }
            if course is None:
                return data
            table = {entry["version"]: entry for entry in explain(course, (state.version,))}
            data["course"] = {"id": course.id, "title": course.title, "version": course.version,
                              "packaging": course.scorm.packaging, "versions": list(course.scorm.versions)}
            data["limit"] = runtime(state.version).suspend_data_limit
            data["scos"] = [{"id": sco.identifier_stem, "title": sco.title,
                             "href": f"{state.version}/{sco.launch}", "mastery": sco.mastery_percent}
                            for sco in scos_for(course)]
            data["tracking"] = table[state.version]
            return data

    def wait(self, after: int, timeout: float = WAIT_SECONDS) -> dict:
        with self.changed:
            self.changed.wait_for(lambda: self.state.generation > after, timeout=timeout)
        return self.state_data()


def _sync(source: Path, target: Path) -> list[str]:
    """Make `target` hold exactly `source`'s files, touching only those that differ."""
    changed = []
    wanted = {p.relative_to(source).as_posix() for p in source.rglob("*") if p.is_file()}
    target.mkdir(parents=True, exist_ok=True)
    for relative in sorted(wanted):
        new, old = source / relative, target / relative
        if old.is_file() and old.stat().st_size == new.stat().st_size and _digest(old) == _digest(new):
            continue
        old.parent.mkdir(parents=True, exist_ok=True)
        os.replace(new, old)                     # same file system: each file appears whole
        changed.append(relative)
    for path in sorted(target.rglob("*"), reverse=True):
        relative = path.relative_to(target).as_posix()
        if path.is_file() and relative not in wanted:
            path.unlink()
            changed.append(relative)
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return changed


def _digest(path: Path) -> bytes:
    return hashlib.sha256(path.read_bytes()).digest()


# ---------- the HTTP server ----------

def make_server(preview: Preview, port: int) -> http.server.ThreadingHTTPServer:
    try:
        server = http.server.ThreadingHTTPServer((HOST, port), _handler(preview))
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise refuse("CS905", f"port {port} on {HOST} is in use", "choose another with --port, or --port 0 for any free one") from None
        raise refuse("CS905", f"cannot listen on {HOST}:{port}: {exc.strerror or exc}", "choose another port with --port") from None
    server.daemon_threads = True
    return server


def _handler(preview: Preview) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        server_version = "coursesmith-preview"

        def do_GET(self) -> None:
            self._answer(send_body=True)

        def do_HEAD(self) -> None:
            self._answer(send_body=False)

        def _answer(self, send_body: bool) -> None:
            if not self._addressed_to_us():
                self._send(421, b"this preview answers only to 127.0.0.1 and localhost\n", "text/plain", send_body)
                return
            split = urllib.parse.urlsplit(self.path)
            query = urllib.parse.parse_qs(split.query)
            path = urllib.parse.unquote(split.path)
            if path == f"/{UI_DIR}/state":
                self._json(preview.state_data(), send_body)
            elif path == f"/{UI_DIR}/wait":
                self._json(preview.wait(_int(query.get("after", ["0"])[0])), send_body)
            elif path == f"/{UI_DIR}/use":
                version = query.get("version", [""])[0]
                if version not in SCORM_VERSIONS:
                    self._send(400, b"unknown version\n", "text/plain", send_body)
                    return
                preview.rebuild(f"switched to SCORM {version}", version=version)
                self._json(preview.state_data(), send_body)
            else:
                file = preview.served_file(path)
                if file is None:
                    self._send(404, b"not found\n", "text/plain", send_body)
                    return
                self._send(200, file.read_bytes(), CONTENT_TYPES.get(file.suffix.lower(), "application/octet-stream"),
                           send_body)

        def _addressed_to_us(self) -> bool:
            host = (self.headers.get("Host") or "").rsplit(":", 1)[0].strip("[]").lower()
            return host in ("127.0.0.1", "localhost")

        def _json(self, data: dict, send_body: bool) -> None:
            self._send(200, json.dumps(data).encode("utf-8"), "application/json", send_body)

        def _send(self, status: int, body: bytes, content_type: str, send_body: bool) -> None:
            try:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                self.send_header("X-Content-Type-Options", "nosniff")
                self.end_headers()
                if send_body:
                    self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass                                   # the page went away mid-answer

        def log_message(self, format: str, *args) -> None:
            pass                                       # the terminal shows builds, not requests

    return Handler


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        return 0


# ---------- the loop ----------

def run(course_dir: Path, *, version: str | None, port: int, open_browser: bool,
        report: Callable[[str], None], show_problems: Callable[[tuple[Problem, ...]], None],
        ready: Callable[[str], None] = lambda _url: None, stop: threading.Event | None = None) -> None:
    """Build, serve and rebuild on every save until Ctrl-C (KeyboardInterrupt) or `stop` is set,
    then clean up. `stop` is for running the preview in a thread, where signals cannot reach it."""
    import watchfiles

    _stop_on_signals()
    preview = Preview(course_dir, version, report, show_problems)
    report(f"building into {preview.root}")
    server = None
    stop = stop or threading.Event()
    try:
        preview.rebuild("first build")
        server = make_server(preview, port)
        thread = threading.Thread(target=server.serve_forever, name="preview-server", daemon=True)
        thread.start()
        url = f"http://{HOST}:{server.server_address[1]}/"
        ready(url)
        if open_browser:
            import webbrowser
            webbrowser.open(url)
        for changes in watchfiles.watch(course_dir, stop_event=stop, debounce=400, step=30,
                                        raise_interrupt=True):
            names = sorted({_shown(Path(path), Path(course_dir)) for _, path in changes})
            others = any(change != watchfiles.Change.modified or not path.endswith((".md", ".yaml", ".yml"))
                         for change, path in changes)
            preview.rebuild(", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
                            + " saved", others_changed=others)
    finally:
        stop.set()
        if server is not None:
            server.shutdown()
            server.server_close()
        with preview.changed:
            preview.changed.notify_all()
        preview.close()


def _stop_on_signals() -> None:
    """Ctrl-C and SIGTERM both end the loop through KeyboardInterrupt, so cleanup always runs
    (also when a shell started the preview in the background, where SIGINT starts ignored)."""
    if threading.current_thread() is not threading.main_thread():
        return

    def interrupt(_signum, _frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, interrupt)
    signal.signal(signal.SIGTERM, interrupt)


def _shown(path: Path, course_dir: Path) -> str:
    try:
        return path.resolve().relative_to(course_dir.resolve()).as_posix()
    except ValueError:
        return str(path)
