"""`coursesmith translate extract` and `translate apply`: a course's text out to a translator as
XLIFF 2.1, and the translation back into the course folder, where `languages:` builds it."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import click
from rich.text import Text

from .cli import _console, _course_problems, _count, _print_problems, _summary
from .errors import CourseError

EXAMPLES = ("\b\nExamples:\n  coursesmith translate extract courses/fire-safety --to cy -o fire-safety.cy.xlf\n"
            "  coursesmith translate apply fire-safety.cy.xlf courses/fire-safety")


def _language_tag(_context, _parameter, value: str) -> str:
    from .schema import LANGUAGE

    if not LANGUAGE.match(value):
        raise click.BadParameter(f"{value!r} is not a language tag; use a BCP 47 tag such as cy, pl or pt-BR")
    return value


@click.group(epilog=EXAMPLES)
def translate() -> None:
    """Translate a course's content: extract its text as XLIFF 2.1, apply the translation."""


@translate.command(epilog=EXAMPLES)
@click.argument("course_dir", type=click.Path())
@click.option("--to", "tag", required=True, callback=_language_tag, help="The language to translate into, a BCP 47 tag such as cy or pl.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), default=None,
              help="The XLIFF file to write (default: <course-id>.<tag>.xlf here).")
def extract(course_dir, tag, output):
    """Write every translatable text of COURSE_DIR as units of an XLIFF 2.1 file.

    Units the course's translations/<tag>.xlf already translates, from the same source text,
    keep their translation; the others are left for the translator.
    """
    from . import translate as units_of, xliff
    from .translated import translation_path

    course = _loaded(course_dir)
    units = units_of.units(course)
    kept = {}
    earlier = course.source_dir / translation_path(tag)
    if earlier.is_file():
        try:
            entries = xliff.read(earlier, os.path.join(course_dir, translation_path(tag))).entries
        except CourseError as exc:
            _print_problems(_console(), exc.problems)
            entries = {}
        kept = {u.id: entries[u.id].target for u in units
                if u.id in entries and entries[u.id].source == u.source and entries[u.id].target is not None}
    target = Path(output or f"{course.id}.{tag}.xlf")
    _write_atomically(target, xliff.write(units, course.id, course.language, tag, kept))
    click.echo(f"{target}: {_count(units, 'unit')} to translate from {course.language} into {tag}"
               + (f", {len(kept)} already translated" if kept else ""))


@translate.command(epilog=EXAMPLES)
@click.argument("file", type=click.Path(dir_okay=False))
@click.argument("course_dir", type=click.Path())
def apply(file, course_dir):
    """Check the translation FILE against COURSE_DIR and store it as COURSE_DIR/translations/<tag>.xlf.

    Stale units (the source changed since), missing units and changed link targets are reported
    as the build reports them; a translation with errors is not stored.
    """
    from . import xliff
    from .translated import translated, translation_path

    console = _console()
    course = _loaded(course_dir)
    try:
        translation = xliff.read(Path(file), file)
        _variant, problems = translated(course, translation.target_language, course_dir, translation)
    except CourseError as exc:
        _print_problems(console, exc.problems)
        console.print(Text(f"{file}: not applied ({_summary(exc.problems)})", style="bold red"))
        sys.exit(1)
    _print_problems(console, problems)
    tag = translation.target_language
    stored = course.source_dir / translation_path(tag)
    stored.parent.mkdir(exist_ok=True)
    _write_atomically(stored, Path(file).read_bytes())
    listed = tag in course.languages
    click.echo(f"{os.path.join(course_dir, translation_path(tag))}: stored ({_summary(problems)})"
               + ("" if listed else f"; add {tag} to `languages:` in course.yaml to build it"))


def _loaded(course_dir: str):
    from .load import load_course_with_warnings

    try:
        return load_course_with_warnings(Path(course_dir))[0]
    except CourseError as exc:
        _print_problems(_console(), _course_problems(exc, course_dir))
        _console().print(Text(f"{course_dir}: {_summary(exc.problems)}", style="bold red"))
        sys.exit(1)


def _write_atomically(path: Path, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent if str(path.parent) else ".")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
