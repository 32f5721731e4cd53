"""The `coursesmith` command line: build, check, new."""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

import click
from rich.console import Console
from rich.text import Text

from . import __version__
from .build import BuildOptions, build_course
from .errors import BuildError, CourseError, Problem
from .load import load_course_with_warnings
from .model import SCORM_VERSIONS
from .output import Interrupted
from .paths import templates_dir

EXAMPLES = {
    "build": "\b\nExamples:\n  coursesmith build                          # every course under courses/\n"
             "  coursesmith build courses/my-course --scorm 1.2,2004-4th --no-pdf\n"
             "  coursesmith build courses/my-course --out /tmp/release",
    "check": "\b\nExamples:\n  coursesmith check courses/my-course\n"
             "  coursesmith check courses/* --format github   # annotations in a GitHub Actions log",
    "new": "\b\nExample:\n  coursesmith new courses/fire-safety --title \"Fire safety at work\"",
}


def _console() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


def _course_dirs(given: tuple[str, ...]) -> list[str]:
    if given:
        return list(given)
    found = sorted(str(p.parent) for p in Path("courses").glob("*/course.yaml"))
    if not found:
        raise click.UsageError("no course folders named, and none found under courses/ (name one: coursesmith build courses/my-course)")
    return found


def _print_problems(console: Console, problems, fmt: str = "text") -> None:
    for problem in problems:
        if fmt == "github":
            click.echo(problem.format_github())
            continue
        style = "bold red" if problem.severity == "error" else "bold yellow"
        line = Text(f"{problem.path}:{problem.line}:{problem.column}: ")
        line.append(f"{problem.severity}:", style=style)
        line.append(f" {problem.message}")
        console.print(line)
        if problem.hint:
            console.print(Text(f"    hint: {problem.hint}", style="dim"))


def _summary(problems) -> str:
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    return f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"


def _parse_versions(value: str | None) -> tuple[str, ...] | None:
    if not value:
        return None
    versions = tuple(v.strip() for v in value.split(",") if v.strip())
    unknown = [v for v in versions if v not in SCORM_VERSIONS]
    if unknown:
        raise click.BadParameter(f"{', '.join(unknown)}: use {', '.join(SCORM_VERSIONS)} (comma-separated)")
    return versions


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="coursesmith")
def main() -> None:
    """Build SCORM packages and printable handouts from plain course files.

    A course is a folder of YAML and Markdown files (see the authoring guide in README.md).
    `check` finds every mistake in it, `build` turns it into SCORM zips and PDF handouts
    in dist/, and `new` starts a course you can edit.
    """


@main.command(epilog=EXAMPLES["build"])
@click.argument("course_dirs", nargs=-1, type=click.Path(file_okay=False))
@click.option("--out", "out_dir", default="dist", show_default=True, type=click.Path(file_okay=False),
              help="Folder to write into; each course goes to OUT/<course-id>/.")
@click.option("--scorm", "scorm", metavar="VERSIONS",
              help="SCORM versions to build, comma-separated (1.2, 2004-3rd, 2004-4th); default: the course's own list.")
@click.option("--no-pdf", is_flag=True, help="Skip the PDF handouts.")
@click.option("-q", "--quiet", is_flag=True, help="Print only problems, no progress lines.")
def build(course_dirs, out_dir, scorm, no_pdf, quiet):
    """Build SCORM packages and handouts for each COURSE_DIR (default: every course under courses/).

    Each course is checked first; a course with errors is not built and its old output in
    dist/ is left exactly as it was. Outputs replace the previous build only when complete.
    """
    console = _console()
    options = BuildOptions(Path(out_dir), _parse_versions(scorm), not no_pdf)
    report = (lambda _line: None) if quiet else (lambda line: console.print(Text(line)))
    failed = 0
    for course_dir in _course_dirs(course_dirs):
        started = time.perf_counter()
        try:
            result = build_course(Path(course_dir), options, report,
                                  warn=lambda warnings: _print_problems(console, warnings))
        except CourseError as exc:
            _print_problems(console, exc.problems)
            console.print(Text(f"{course_dir}: not built ({_summary(exc.problems)})", style="bold red"))
            failed += 1
            continue
        except BuildError as exc:
            _print_problems(console, [Problem(exc.path or course_dir, 1, 1, exc.message, exc.hint)])
            console.print(Text(f"{course_dir}: not built", style="bold red"))
            failed += 1
            continue
        except Interrupted as exc:
            console.print(Text(f"interrupted ({exc}): {out_dir} left as it was", style="bold red"))
            sys.exit(130)
        if not quiet:
            names = ", ".join(p.name for p in result.outputs)
            console.print(Text(f"{result.course.id}: built {names} in {result.out_dir} "
                               f"({time.perf_counter() - started:.1f}s)", style="green"))
            if no_pdf:
                console.print(Text(f"{result.course.id}: PDF handouts not built (--no-pdf)"))
    sys.exit(1 if failed else 0)


@main.command(epilog=EXAMPLES["check"])
@click.argument("course_dirs", nargs=-1, type=click.Path(file_okay=False))
@click.option("--format", "fmt", type=click.Choice(["text", "github"]), default="text", show_default=True,
              help="`github` prints GitHub Actions annotations on stdout.")
def check(course_dirs, fmt):
    """Check each COURSE_DIR for mistakes and write nothing (default: every course under courses/).

    Prints every problem as `file:line:column: error: message` with a hint on what to change,
    and exits with status 1 if any course has errors.
    """
    console = _console()
    failed = 0
    for course_dir in _course_dirs(course_dirs):
        try:
            course, warnings = load_course_with_warnings(Path(course_dir))
        except CourseError as exc:
            _print_problems(console, exc.problems, fmt)
            if fmt == "text":
                console.print(Text(f"{course_dir}: {_summary(exc.problems)}", style="bold red"))
            failed += bool(exc.errors)
            continue
        _print_problems(console, warnings, fmt)
        if fmt == "text":
            console.print(Text(f"{course_dir}: ok ({len(course.modules)} modules, {len(course.pages)} pages, "
                               f"{len(course.questions)} questions)", style="green"))
    sys.exit(1 if failed else 0)


@main.command(epilog=EXAMPLES["new"])
@click.argument("course_dir", type=click.Path(file_okay=False))
@click.option("--title", default=None, help="The course title (default: from the folder name).")
def new(course_dir, title):
    """Start a new course in COURSE_DIR: a small course that passes `check` and builds.

    The folder must not exist yet. The course id comes from the folder name.
    """
    target = Path(course_dir)
    if target.exists():
        raise click.UsageError(f"{course_dir} already exists; name a new folder")
    course_id = _course_id(target.name)
    shutil.copytree(templates_dir() / "new-course", target)
    course_file = target / "course.yaml"
    text = course_file.read_text(encoding="utf-8")
    text = text.replace("id: my-first-course", f"id: {course_id}")
    text = text.replace("title: My first course", f"title: {_yaml_text(title or _title(course_id))}")
    course_file.write_text(text, encoding="utf-8")
    _console().print(Text(f"created {course_dir}; next: coursesmith check {course_dir} && coursesmith build {course_dir}"))


def _course_id(name: str) -> str:
    import re

    cleaned = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    if len(cleaned) < 3:
        raise click.UsageError(f"cannot make a course id from {name!r}; use a folder name like fire-safety")
    return cleaned[:64].strip("-")


def _title(course_id: str) -> str:
    return course_id.replace("-", " ").capitalize()


def _yaml_text(value: str) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid double-quoted YAML scalar
