"""The build: a short list of steps from a course folder to `dist/<course-id>/`."""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import platform
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import __version__
from .errors import BuildError
from .load import load_course_with_warnings
from .model import Course
from .output import staged_directory
from .sourcedate import source_date

Report = Callable[[str], None]
DEPENDENCIES = ("jinja2", "lxml", "weasyprint", "ruamel.yaml", "pydantic", "markdown-it-py", "nh3")


@dataclass
class BuildOptions:
    out_dir: Path = Path("dist")
    scorm_versions: tuple[str, ...] | None = None   # None: the course's own list
    pdf: bool = True
    built_ids: set = field(default_factory=set)     # course ids built in this run, to refuse a clash


@dataclass
class BuildResult:
    course: Course
    out_dir: Path
    outputs: list[Path] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


class _Timer:
    def __init__(self, report: Report, course_id: str):
        self.report, self.course_id, self.timings = report, course_id, {}

    def step(self, name: str, action: Callable[[], object]):
        started = time.perf_counter()
        result = action()
        elapsed = time.perf_counter() - started
        self.timings[name] = round(elapsed, 3)
        self.report(f"{self.course_id}: {name} ({elapsed:.2f}s)")
        return result


def build_course(course_dir: Path, options: BuildOptions, report: Report = lambda _line: None,
                 warn: Callable[[tuple], None] = lambda _problems: None) -> BuildResult:
    """Load, check and build one course. Raises CourseError / BuildError; `dist/` is then untouched."""
    started = time.perf_counter()
    course, warnings = load_course_with_warnings(course_dir)
    warn(warnings)
    if course.id in options.built_ids:
        raise BuildError(f"another course in this build already has the id {course.id!r}",
                         "give each course its own id in course.yaml", f"{course_dir}/course.yaml")
    options.built_ids.add(course.id)
    timer = _Timer(report, course.id)
    timer.timings["load and validate"] = round(time.perf_counter() - started, 3)
    report(f"{course.id}: loaded and checked {len(course.pages)} pages, {len(course.questions)} questions "
           f"({timer.timings['load and validate']:.2f}s)")
    final = options.out_dir / course.id
    _refuse_to_replace_other_things(final, course)
    date = source_date(course.source_dir)
    with staged_directory(final) as staging:
        for version in options.scorm_versions or course.scorm.versions:
            timer.step(f"SCORM {version} package", lambda v=version: _write_scorm(course, v, staging, date))
        if options.pdf and course.handout.editions:
            timer.step("PDF handouts", lambda: _write_handouts(course, staging, date))
        elif options.pdf:
            report(f"{course.id}: no PDF handouts: `handout: editions:` in course.yaml lists none")
        outputs = sorted(p for p in staging.iterdir() if p.is_file())
        _write_report(course, staging, outputs, timer.timings)
    return BuildResult(course, final, [final / p.name for p in outputs], timer.timings)


def _refuse_to_replace_other_things(final: Path, course: Course) -> None:
    """A build replaces OUT/<course-id>/ as a whole: make sure that holds only a previous build.

    `--out courses` for a course in courses/<course-id>, or `--out ~` for a course whose id is
    the name of a folder there, would otherwise delete the author's files.
    """
    final = final.resolve()
    source = course.source_dir.resolve()
    if final == source or final in source.parents:
        raise BuildError(f"the output folder {final} is the course folder or holds it, so the build would delete the course",
                         "write the build somewhere else, e.g. --out dist", str(final))
    if not final.is_dir():
        return
    entries = list(final.iterdir())
    previous_build = (final / "build-report.json").is_file() or all(
        entry.is_file() and entry.name.startswith(f"{course.id}-") for entry in entries)
    if not previous_build:
        raise BuildError(f"{final} exists and is not a previous build of this course, so it is not replaced",
                         "move it away, or write the build somewhere else with --out", str(final))


def _write_scorm(course: Course, version: str, staging: Path, date) -> None:
    from .player import write_scos
    from .scorm import package_name, write_package

    sco_dir = staging.parent / (staging.name + f"-sco-{version}")
    try:
        scos = write_scos(course, sco_dir, version)
        write_package(course, version, sco_dir, scos, staging / package_name(course, version), source_date=date)
    finally:
        shutil.rmtree(sco_dir, ignore_errors=True)


def _write_handouts(course: Course, staging: Path, date) -> None:
    from .handout import write_handouts

    write_handouts(course, staging, source_date=date)


def _write_report(course: Course, staging: Path, outputs: list[Path], timings: dict) -> None:
    report = {
        "course": {"id": course.id, "title": course.title, "version": course.version},
        "tool": {"coursesmith": __version__, "python": platform.python_version(),
                 "dependencies": {name: _version(name) for name in DEPENDENCIES}},
        "inputs": [{"path": rel, "sha256": _sha256(course.source_dir / rel)}
                   for rel in sorted(set(course.input_files) | set(course.assets))],
        "outputs": [{"path": p.name, "size": p.stat().st_size, "sha256": _sha256(p)} for p in outputs],
        "timings_seconds": timings,
    }
    (staging / "build-report.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"
