"""The `coursesmith` command line: build, check, new."""

from __future__ import annotations

import errno
import json
import os
import shlex
import shutil
import sys
import time
import traceback
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.console import Console
from rich.text import Text

from . import __version__
from .errors import FORMATTERS, CourseError, Problem, text_parts
from .sourcedate import fallback_problems
# Only what every command needs is imported here: `--version` and `--help` load nothing of the
# pipeline, `check` nothing of the outputs. Each command imports its steps.
from .model import PACKAGINGS, SCORM_VERSIONS

if TYPE_CHECKING:
    from .options import BuildOptions

EXAMPLES = {
    "build": "\b\nExamples:\n  coursesmith build                          # every course under courses/\n"
             "  coursesmith build courses/my-course --scorm 1.2,2004-4th --no-pdf\n"
             "  coursesmith build courses/my-course --out /tmp/release",
    "check": "\b\nExamples:\n  coursesmith check courses/my-course\n"
             "  coursesmith check courses/* --format github   # annotations in a GitHub Actions log",
    "new": "\b\nExample:\n  coursesmith new courses/fire-safety --title \"Fire safety at work\"",
    "diff": "\b\nExamples:\n  coursesmith diff old-copy/fire-safety courses/fire-safety     # two course folders\n"
            "  coursesmith diff v1.0.0:courses/fire-safety courses/fire-safety   # a git revision and now\n"
            "  coursesmith diff v1.0.0:courses/fire-safety HEAD:courses/fire-safety\n"
            "  coursesmith diff dist/old/fire-safety-1.0.0-scorm12.zip dist/fire-safety/fire-safety-1.1.0-scorm12.zip",
}
ISSUE_TRACKER = "the coursesmith issue tracker"


def run() -> None:
    """The `coursesmith` command (and `python -m builder`): the command line, with Ctrl-C and
    SIGTERM turned into a clean stop. Only here are signal handlers installed, so `main` stays
    callable in-process (click.testing.CliRunner) without touching the caller's signals."""
    from .output import Interrupted, interrupts_raise

    with interrupts_raise():
        try:
            main(prog_name="coursesmith")
        except Interrupted as exc:      # `build` says what it left as it was; elsewhere nothing was written
            _console().print(Text(f"interrupted ({exc})", style="bold red"))
            sys.exit(130)


def _console() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


def _course_dirs(given: tuple[str, ...]) -> list[str]:
    if given:
        return list(given)
    found = sorted(str(p.parent) for p in Path("courses").glob("*/course.yaml"))
    if not found:
        raise click.UsageError("no course folders named, and none found under courses/ (name one: coursesmith build courses/my-course)")
    return found


class _StrictFailure(Exception):
    """build --strict: the course loaded with warnings, so it is not built."""


def _print_problems(console: Console, problems, fmt: str = "text") -> None:
    for problem in problems:
        if fmt == "text":
            console.print(Text.assemble(*text_parts(problem)))
        else:
            click.echo(FORMATTERS[fmt](problem))


def _summary(problems) -> str:
    errors = sum(1 for p in problems if p.severity == "error")
    return f"{_count(errors, 'error')}, {_count(len(problems) - errors, 'warning')}"


def _count(things, word: str) -> str:
    """`1 module`, `2 modules`: a number (or how many `things` there are) with its noun."""
    number = things if isinstance(things, int) else len(things)
    return f"{number} {word}{'s' * (number != 1)}"


FORMATS = ("text", "github", "json")
UNCODED = "CS000"


class _RunOutput:
    """Where a build's or check's results go: `text` to stderr as a compiler prints them,
    `github` as annotations on stdout, `json` as one document on stdout at the end
    (templates/schemas/cli-output.schema.json). Progress lines are stderr's in every format."""

    def __init__(self, command: str, fmt: str, strict: bool, console: Console):
        self.command, self.fmt, self.strict, self.console = command, fmt, strict, console
        self.courses: list[dict] = []
        self.pending: list[Problem] = []

    def problems(self, problems) -> None:
        problems = tuple(problems)
        self.pending.extend(problems)
        if self.fmt != "json":
            _print_problems(self.console, problems, self.fmt)

    def course(self, course_dir: str, course_id: str | None, ok: bool, result=None) -> None:
        entry = {"path": course_dir, "id": course_id, "ok": ok, "problems": [_problem_data(p) for p in self.pending]}
        if result is not None:
            entry["out_dir"] = str(result.out_dir)
            entry["outputs"] = [{"path": p.name, "size": p.stat().st_size, "sha256": _file_sha256(p)}
                                for p in sorted(result.outputs + [result.out_dir / "build-report.json"])]
        self.courses.append(entry)
        self.pending = []

    def fails(self, warnings) -> bool:
        """--strict: a warning fails the course as an error does."""
        return self.strict and any(p.severity == "warning" for p in warnings)

    def finish(self) -> None:
        failed = sum(not c["ok"] for c in self.courses)
        if self.fmt == "json":
            problems = [p for c in self.courses for p in c["problems"]]
            errors = sum(p["severity"] == "error" for p in problems)
            click.echo(json.dumps({
                "format": 1, "command": self.command, "strict": self.strict, "ok": not failed,
                "courses": self.courses,
                "summary": {"courses": len(self.courses), "failed": failed, "errors": errors,
                            "warnings": len(problems) - errors},
            }, indent=2, ensure_ascii=False))
        click.get_current_context().exit(1 if failed else 0)


def _problem_data(problem: Problem) -> dict:
    return {"path": problem.path, "line": max(1, problem.line), "column": max(1, problem.column),
            "severity": problem.severity, "code": problem_code(problem), "message": problem.message,
            "hint": problem.hint, **({"fixed": problem.fixed} if problem.fixed else {})}


def problem_code(problem: Problem) -> str:
    """The problem's stable code (README "Problem codes"); CS000 for one that has none yet."""
    return getattr(problem, "code", "") or UNCODED


def _file_sha256(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def _parse_versions(value: str | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    versions = tuple(dict.fromkeys(v.strip() for v in value.split(",") if v.strip()))
    if not versions:
        raise click.BadParameter(f"name at least one version: {', '.join(SCORM_VERSIONS)} (comma-separated)",
                                 param_hint="'--scorm'")
    unknown = [v for v in versions if v not in SCORM_VERSIONS]
    if unknown:
        raise click.BadParameter(f"{', '.join(unknown)}: use {', '.join(SCORM_VERSIONS)} (comma-separated)",
                                 param_hint="'--scorm'")
    return versions


# --- the three outcomes of a course that did not build: its errors, the system's, our bug ------

def _course_problems(exc: CourseError, course_dir: str) -> tuple[Problem, ...]:
    """The course's problems; one that names no file is about the course folder itself."""
    return tuple(p if p.path else replace(p, path=course_dir) for p in exc.problems)


def _output_problem(exc: OSError, out_dir: str) -> Problem:
    place = exc.filename if isinstance(exc.filename, str) else out_dir
    if exc.errno in (errno.EEXIST, errno.ENOTDIR):
        reason = f"a file is in the way of the folder {place}"
    else:
        reason = f"{exc.strerror or exc} ({place})"
    return Problem(out_dir, 1, 1, f"cannot write the build output: {reason}",
                   "choose a folder you can write to with --out, e.g. --out dist", code="CS901")


def _bug_problem(exc: Exception, course_dir: str) -> Problem:
    """An unexpected failure is coursesmith's bug, not the author's: say so plainly, and where."""
    frame = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    where = f" at {Path(frame.filename).name}:{frame.lineno} in {frame.name}" if frame else ""
    return Problem(course_dir, 1, 1, f"coursesmith failed unexpectedly ({type(exc).__name__}: {exc}){where}",
                   f"this is a bug in coursesmith, not a mistake in the course: please report it at "
                   f"{ISSUE_TRACKER} with the course and the traceback above", code="CS999")


def _print_traceback(console: Console, exc: Exception) -> None:
    """A bug's traceback, for whoever fixes it, before its located report (on stderr in every format)."""
    console.print(Text("".join(traceback.format_exception(exc)).rstrip(), style="dim"))


def _interrupt_wins(action):
    """`action()`; an exception that surfaces after a signal was received during it is the
    interruption (library code can turn the Interrupted raised inside it into an error of its own)."""
    from .output import Interrupted, received_signal, signals_received

    before = signals_received()
    try:
        return action()
    except BaseException as exc:
        if signals_received() > before and not isinstance(exc, Interrupted):
            raise Interrupted(received_signal()) from exc
        raise


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="coursesmith")
def main() -> None:
    """Build SCORM packages and printable handouts from plain course files.

    A course is a folder of YAML and Markdown files (see the authoring guide in README.md).
    `check` finds every mistake in it, `build` turns it into SCORM zips and PDF handouts
    in dist/, and `new` starts a course you can edit.
    """


@main.command(epilog=EXAMPLES["build"])
@click.argument("course_dirs", nargs=-1, type=click.Path())
@click.option("--out", "out_dir", default="dist", show_default=True, type=click.Path(file_okay=False),
              help="Folder to write into; each course goes to OUT/<course-id>/.")
@click.option("--scorm", "scorm", metavar="VERSIONS",
              help="SCORM versions to build, comma-separated (1.2, 2004-3rd, 2004-4th); default: the course's own list.")
@click.option("--no-pdf", is_flag=True, help="Skip the PDF handouts.")
@click.option("-q", "--quiet", is_flag=True, help="Print only problems, no progress lines.")
@click.option("--timings", is_flag=True,
              help="Put each step's seconds into build-report.json (it then differs between builds).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="How problems are printed: `github` annotations or one `json` document on stdout.")
@click.option("--strict", is_flag=True, help="Warnings fail the run: a course with warnings is not built.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
              help="Processes for the PDF editions and SCORM packages, at once.  [default: the machine's cores]")
@click.option("--no-cache", is_flag=True,
              help="Make every output afresh, and keep none for the next build (the cache: $XDG_CACHE_HOME/coursesmith).")
def build(course_dirs, out_dir, scorm, no_pdf, quiet, timings, fmt, strict, jobs, no_cache):
    """Build SCORM packages and handouts for each COURSE_DIR (default: every course under courses/).

    Each course is checked first; a course with errors is not built and its old output in
    dist/ is left exactly as it was. Outputs replace the previous build only when complete.
    """
    from .cache import default_folder
    from .options import BuildOptions
    from .output import Interrupted
    from .progress import progress_for
    from .workers import available_cores

    console = _console()
    options = BuildOptions(Path(out_dir), _parse_versions(scorm), not no_pdf, timings=timings, strict=strict,
                           jobs=jobs or available_cores(), cache=None if no_cache else default_folder())
    report = (lambda _line: None) if quiet else progress_for(console)
    output = _RunOutput("build", fmt, strict, console)

    def warn(warnings):
        output.problems(warnings)
        if output.fails(warnings):
            raise _StrictFailure()

    try:
        dirs = _course_dirs(course_dirs)
        if options.jobs > 1 and len(dirs) > 1:
            _build_at_once(console, output, dirs, options, quiet, out_dir, warn)
        else:
            for course_dir in dirs:
                _build_one(console, output, course_dir, options, report, quiet, out_dir, warn)
    except Interrupted as exc:
        console.print(Text(f"interrupted ({exc}): {out_dir} left as it was", style="bold red"))
        click.get_current_context().exit(130)
    output.finish()


def _build_at_once(console: Console, output: "_RunOutput", dirs: list[str], options: "BuildOptions", quiet: bool,
                   out_dir: str, warn) -> None:
    """Each course in a process of its own (courses_at_once.py), printing what a serial build prints."""
    from .courses_at_once import build_courses
    from .progress import Progress

    # A live bar redrawn by several processes at once would garble: the step lines are enough.
    report = (lambda _line: None) if quiet else Progress(console)

    def build_one(course_dir, ids, before_publish) -> list:
        output.courses, output.pending = [], []
        options.built_ids, options.before_publish = ids, before_publish
        _build_one(console, output, course_dir, options, report, quiet, out_dir, warn)
        return output.courses

    def done(course_dir, entries) -> None:
        if entries is None:       # the process ended without a result: killed, or out of memory
            problem = _bug_problem(RuntimeError("the process building it ended without a result"), course_dir)
            output.problems([problem])
            console.print(Text(f"{course_dir}: not built", style="bold red"))
            output.course(course_dir, None, False)
            return
        output.courses.extend(entries)

    build_courses(dirs, options.jobs, options.out_dir, build_one, done)


def _build_one(console: Console, output: "_RunOutput", course_dir: str, options: "BuildOptions", report,
               quiet: bool, out_dir: str, warn) -> None:
    """Build one course and say how it went: built, or not built for one of three reasons."""
    from .unchanged import build_or_replay

    started = time.perf_counter()
    try:
        result = _interrupt_wins(lambda: build_or_replay(Path(course_dir), options, report, warn=warn))
    except _StrictFailure:
        console.print(Text(f"{course_dir}: not built (--strict: warnings fail the build)", style="bold red"))
        output.course(course_dir, None, False)
        return
    except CourseError as exc:
        problems = _course_problems(exc, course_dir)
        output.problems(problems)
        console.print(Text(f"{course_dir}: not built ({_summary(problems)})", style="bold red"))
        output.course(course_dir, None, False)
        return
    except OSError as exc:
        # The output folder cannot be written (read-only, a file in the way, disk full):
        # nothing half-written is left, as staging is removed on the way out.
        output.problems([_output_problem(exc, out_dir)])
        console.print(Text(f"{course_dir}: not built", style="bold red"))
        output.course(course_dir, None, False)
        return
    except Exception as exc:  # noqa: BLE001 - a bug still ends in a report, and the other courses build
        _print_traceback(console, exc)
        output.problems([_bug_problem(exc, course_dir)])
        console.print(Text(f"{course_dir}: not built", style="bold red"))
        output.course(course_dir, None, False)
        return
    output.course(course_dir, result.course_id, True, result)
    if not quiet:
        names = ", ".join(p.name for p in result.outputs)
        console.print(Text(f"{result.course_id}: built {names} in {result.out_dir} "
                           f"({time.perf_counter() - started:.1f}s)", style="green"))
        if not options.pdf:
            console.print(Text(f"{result.course_id}: PDF handouts not built (--no-pdf)"))


@main.command(epilog=EXAMPLES["check"])
@click.argument("course_dirs", nargs=-1, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
              help="`github` prints GitHub Actions annotations on stdout, `json` one JSON document.")
@click.option("--strict", is_flag=True, help="Warnings fail the run (exit status 1), as errors do.")
def check(course_dirs, fmt, strict):
    """Check each COURSE_DIR for mistakes and write nothing (default: every course under courses/).

    Prints every problem as `file:line:column: error: message` with a hint on what to change,
    and exits with status 1 if any course has errors (with --strict, also warnings).
    """
    from .cache import default_folder, remember_in
    from .load import load_course_with_warnings

    remember_in(default_folder())     # the libraries' slow data (the tag registry), as a build keeps it
    console = _console()
    output = _RunOutput("check", fmt, strict, console)
    for course_dir in _course_dirs(course_dirs):
        try:
            course, warnings = load_course_with_warnings(Path(course_dir))
            if len(course.languages) > 1:
                from .translated import translation_problems

                warnings = (*warnings, *translation_problems(course, course_dir))
        except CourseError as exc:
            problems = _course_problems(exc, course_dir)
            output.problems(problems)
            if fmt == "text":
                console.print(Text(f"{course_dir}: {_summary(problems)}", style="bold red"))
            output.course(course_dir, None, not exc.errors and not output.fails(problems))
            continue
        except OSError as exc:
            output.problems([Problem(course_dir, 1, 1, f"cannot be read: {exc.strerror or exc}",
                                     "check that the folder exists and that you may read it", code="CS102")])
            output.course(course_dir, None, False)
            continue
        except Exception as exc:  # noqa: BLE001 - a bug still ends in a report, and the other courses are checked
            _print_traceback(console, exc)
            output.problems([_bug_problem(exc, course_dir)])
            output.course(course_dir, None, False)
            continue
        warnings = (*warnings, *fallback_problems(course, course_dir))
        output.problems(warnings)
        if fmt == "text":
            console.print(Text(f"{course_dir}: ok ({_count(course.modules, 'module')}, {_count(course.pages, 'page')}, "
                               f"{_count(course.questions, 'question')})"
                               + (" but --strict fails its warnings" if output.fails(warnings) else ""),
                               style="bold red" if output.fails(warnings) else "green"))
        output.course(course_dir, course.id, not output.fails(warnings))
    output.finish()


@main.command(epilog=EXAMPLES["diff"])
@click.argument("old")
@click.argument("new")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="`json` prints the summary build-report.json carries.")
def diff(old, new, fmt):
    """Say what going from release OLD to release NEW changes for learners.

    OLD and NEW are each a course folder, a git revision of one (REVISION:PATH, as git names
    files: v1.0.0:courses/fire-safety), or a SCORM zip coursesmith built. Prints, in plain words,
    the pages and questions added, removed or edited, what is reset for learners part-way
    through, and what it means for learners who already completed.
    """
    from . import release_sources, releases

    console = _console()
    summaries = []
    for source in (old, new):
        try:
            summaries.append(release_sources.summary_of(source))
        except CourseError as exc:
            _print_problems(console, exc.problems)
            console.print(Text(f"{source}: cannot be read ({_summary(exc.problems)})", style="bold red"))
            sys.exit(1)
    changes = releases.compare(*summaries)
    if fmt == "json":
        import json

        click.echo(json.dumps(changes.as_json(), indent=2, ensure_ascii=False))
    else:
        click.echo("\n".join(changes.lines()))


@main.command(epilog=EXAMPLES["new"])
@click.argument("course_dir", type=click.Path(file_okay=False))
@click.option("--title", default=None, help="The course title (default: from the folder name).")
def new(course_dir, title):
    """Start a new course in COURSE_DIR: a small course that passes `check` and builds.

    The folder must not exist yet. The course id comes from the folder name.
    """
    if not course_dir.strip():
        raise click.UsageError("name the folder for the new course, e.g. coursesmith new courses/fire-safety")
    target = Path(course_dir)
    if os.path.lexists(target):
        raise click.UsageError(f"{course_dir} already exists; name a new folder")
    enclosing = _enclosing_course(target)
    if enclosing is not None:
        raise click.UsageError(f"{course_dir} would be inside the course {enclosing}; name a folder outside it, "
                               f"e.g. courses/{target.name}")
    from .paths import templates_dir

    course_id = _course_id(target.name)
    try:
        _copy_template(templates_dir() / "new-course", target)
        course_file = target / "course.yaml"
        text = course_file.read_text(encoding="utf-8")
        text = text.replace("id: my-first-course", f"id: {course_id}")
        text = text.replace("title: My first course", f"title: {_yaml_text((title or '').strip() or _title(course_id))}")
        course_file.write_text(text, encoding="utf-8")
    except OSError as exc:
        shutil.rmtree(target, ignore_errors=True)   # no half-made course left behind
        _print_problems(_console(), [Problem(course_dir, 1, 1, f"cannot create the course: {exc.strerror or exc}",
                                             "choose a folder you can write to, e.g. courses/fire-safety",
                                             code="CS904")])
        click.get_current_context().exit(1)
    shown = shlex.quote(course_dir)
    _console().print(Text(f"created {course_dir}; next: coursesmith check {shown} && coursesmith build {shown}"))


def _enclosing_course(target: Path) -> Path | None:
    """The course folder that `target` would sit in (`course/new`, `course/modules/new`), if any:
    a course inside a course is never meant. Only the two nearest folders count, so a stray
    course.yaml far up (say in /tmp) does not block new courses."""
    for folder in Path(os.path.abspath(target)).parents[:2]:
        if (folder / "course.yaml").is_file():
            return folder
    return None


def _copy_template(template: Path, target: Path) -> None:
    """Copy the starter course as ordinary, writable files (the installed templates may be read-only)."""
    target.mkdir(parents=True)
    for source in sorted(template.rglob("*")):
        destination = target / source.relative_to(template)
        if source.is_dir():
            destination.mkdir(exist_ok=True)
        else:
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.write_bytes(source.read_bytes())


def _course_id(name: str) -> str:
    import re
    import unicodedata

    # "Sécurité incendie" -> "securite-incendie": drop accents rather than whole letters.
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    cleaned = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")
    if len(cleaned) < 3:
        raise click.UsageError(f"cannot make a course id from {name!r}; use a folder name of at least three "
                               f"letters or digits, like fire-safety")
    return cleaned[:64].strip("-")


def _title(course_id: str) -> str:
    return course_id.replace("-", " ").capitalize()


def _yaml_text(value: str) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid double-quoted YAML scalar


@main.command()
@click.argument("course_dir", type=click.Path())
@click.option("--scorm", "version", type=click.Choice(list(SCORM_VERSIONS)), default=None,
              help="SCORM version to start with (default: the course's first); the page can switch.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port on 127.0.0.1 to serve on; 0 picks a free one.")
@click.option("--open", "open_browser", is_flag=True, help="Open the preview in the web browser.")
def preview(course_dir, version, port, open_browser):
    """Preview COURSE_DIR in a local LMS with a tracking inspector, rebuilding on every save.

    \b
    Serves on 127.0.0.1 only. The page shows the course as an LMS runs it (scorm-again is the
    SCORM API) and, beside it, what the LMS records: status, score, location, suspend_data,
    interactions, objectives and every API call. Saving a course file rebuilds and reloads;
    a mistake is shown in the page over the last good build, and here. Ctrl-C stops.
    """
    from .preview import run

    console = _console()
    out = Console(highlight=False, soft_wrap=True)
    try:
        run(Path(course_dir), version=version, port=port, open_browser=open_browser,
            report=lambda line: console.print(Text(line)),
            show_problems=lambda problems: _print_problems(console, problems),
            ready=lambda url: (out.print(Text(f"preview of {course_dir} at {url} (Ctrl-C stops)")), out.file.flush()))
    except CourseError as exc:
        _print_problems(console, _course_problems(exc, course_dir))
        sys.exit(1)
    except KeyboardInterrupt:
        console.print(Text("preview stopped"))
        sys.exit(0)


@main.command()
@click.argument("course_dirs", nargs=-1, type=click.Path())
@click.option("--scorm", "scorm", metavar="VERSIONS",
              help="SCORM versions to explain, comma-separated; default: the course's own list.")
@click.option("--packaging", type=click.Choice(list(PACKAGINGS)), default=None,
              help="Explain the course as if packaged this way (default: its course.yaml's packaging).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="`json` prints the table as build-report.json holds it.")
def explain(course_dirs, scorm, packaging, fmt):
    """Show what the LMS records for each outcome of each COURSE_DIR (default: every course).

    For each SCORM version and SCO: the status values and score the player sends when the
    learner does nothing, reads only the pages, passes, fails with attempts left, uses up the
    attempts, or finishes before min_minutes; the pass mark in the manifest; and the longest
    suspend_data the SCO can need against the version's limit.
    """
    import dataclasses

    from .explain import explain as explain_course, format_text
    from .load import load_course_with_warnings

    console = _console()
    versions = _parse_versions(scorm)
    failed = 0
    tables = []
    for course_dir in _course_dirs(course_dirs):
        try:
            course, _warnings = load_course_with_warnings(Path(course_dir))
            if packaging and packaging != course.scorm.packaging:
                course = dataclasses.replace(course, scorm=dataclasses.replace(course.scorm, packaging=packaging))
            table = explain_course(course, versions)
        except CourseError as exc:
            _print_problems(console, _course_problems(exc, course_dir))
            failed += 1
            continue
        if fmt == "json":
            tables.append({"course": course.id, "tracking": table})
        else:
            click.echo(format_text(course, table) + "\n")
    if fmt == "json":
        click.echo(json.dumps(tables, indent=2))
    sys.exit(1 if failed else 0)


from .translate_cli import translate  # noqa: E402 - it uses this module's helpers

main.add_command(translate)
