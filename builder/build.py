"""The build: a short list of steps from a course folder to `dist/<course-id>/`."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import platform
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import __version__, releases
from .cache import REPORTED_LIBRARIES, OutputCache, file_sha256 as _sha256, library_version, remember_in
from .errors import CourseError, refuse
from .limits import package_size_warnings
from .load import load_course_with_warnings
from .model import Course
from .options import BuildOptions
from .scorm.lms_settings import lms_settings
from .output import staged_directory
from .player import PlayerFiles
from .progress import no_bar
from .sourcedate import fallback_problems, source_date
from .templating import keep_compiled
from .workers import Workers

Report = Callable[[str], None]


@dataclass
class BuildResult:
    course: Course
    out_dir: Path
    outputs: list[Path] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    release: releases.ReleasePlan | None = None
    record_written: bool = False

    @property
    def course_id(self) -> str:
        return self.course.id


class _Timer:
    def __init__(self, report: Report, course_id: str):
        self.report, self.course_id, self.timings = report, course_id, {}

    def record(self, name: str, elapsed: float) -> None:
        self.timings[name] = round(elapsed, 3)
        self.report(f"{self.course_id}: {name} ({elapsed:.2f}s)")


def build_course(course_dir: Path, options: BuildOptions, report: Report = lambda _line: None,
                 warn: Callable[[tuple], None] = lambda _problems: None) -> BuildResult:
    """Load, check and build one course. Raises CourseError; `dist/` is then untouched."""
    started = time.perf_counter()
    remember_in(options.cache)                      # a library's slow data, kept between builds
    bar = getattr(report, "bar", no_bar)            # a live bar on a terminal (progress.py)
    with bar(f"{course_dir}: loading"):
        course, warnings = load_course_with_warnings(course_dir)
    release = releases.plan(course, Path(course_dir).name, strict=options.strict)
    translations = _translations(course, str(course_dir), options.strict)
    undated = fallback_problems(course, str(course_dir)) if options.pdf else []
    problems = (tuple(warnings) + release.problems + tuple(undated)
                + tuple(p for _variant, _plan, found in translations for p in found))
    if options.strict and problems:
        raise CourseError(tuple(dataclasses.replace(p, severity="error") for p in problems))
    warn(problems)
    if course.id in options.built_ids:
        raise refuse("CS903", f"another course in this build already has the id {course.id!r}",
                     "give each course its own id in course.yaml", path=f"{course_dir}/course.yaml")
    options.built_ids.add(course.id)
    timer = _Timer(report, course.id)
    timer.timings["load and validate"] = round(time.perf_counter() - started, 3)
    report(f"{course.id}: loaded and checked {len(course.pages)} pages, {len(course.questions)} questions "
           f"({timer.timings['load and validate']:.2f}s)")
    final = options.out_dir / course.id
    _refuse_to_replace_other_things(final, course)
    date = source_date(course.source_dir)
    for line in release.changes.lines():
        report(f"{course.id}: {line}")
    cache = OutputCache(options.cache)
    keep_compiled(options.cache)
    languages = [(course, release)] + [(variant, plan) for variant, plan, _found in translations]
    with staged_directory(final, options.before_publish) as staging, Workers(options.jobs) as workers:
        for language_course, language_release in languages:
            _write_language(language_course, language_release, options, staging, date, workers, timer,
                            warn, cache, report, bar)
        outputs = sorted(p for p in staging.iterdir() if p.is_file())
        versions = tuple(options.scorm_versions or course.scorm.versions)
        _write_report(course, staging, outputs, timer.timings if options.timings else None, versions, release,
                      [variant for variant, _plan in languages[1:]], cache.folder)
    written = options.record_release and _record(course, release, report)
    for variant, plan in languages[1:]:
        written = (options.record_release and _record(variant, plan, report)) or written
    return BuildResult(course, final, [final / p.name for p in outputs], timer.timings, release, written)


def _translations(course: Course, course_dir: str, strict: bool) -> list[tuple[Course, releases.ReleasePlan, tuple]]:
    """The course in each further language of `languages:`, its release plan and its warnings."""
    if len(course.languages) < 2:
        return []
    from .translated import translated

    found = []
    for tag in course.languages[1:]:
        variant, problems = translated(course, tag, course_dir)
        plan = releases.plan(variant, Path(course_dir).name, strict=strict, lock=releases.lock_name(tag))
        found.append((variant, plan, problems + plan.problems))
    return found


def _write_language(course: Course, release: releases.ReleasePlan, options: BuildOptions, staging: Path, date,
                    workers: Workers, timer: "_Timer", warn, cache: OutputCache, report: Report, bar) -> None:
    """The packages and handouts of the course in one language (a translation's timings named by its tag)."""
    if course.id != timer.course_id:
        language_timer = _Timer(report, course.id)
        _write_language(course, release, options, staging, date, workers, language_timer, warn, cache, report, bar)
        timer.timings.update({f"{course.language}: {name}": seconds for name, seconds in language_timer.timings.items()})
        return
    handouts = None
    if options.pdf and course.handout.editions:
        # The facilitator's version note says what changed since the release before; a
        # first release has nothing to say.
        note = release.changes.lines() if release.changes.old_version else []
        handouts = _start_handouts(course, staging, date, note, workers, cache, report)
    elif options.pdf:
        report(f"{course.id}: no PDF handouts: `handout: editions:` in course.yaml lists none")
    player = PlayerFiles(course, release.record, cache)   # renders each page once for all the versions
    _write_packages(player, options.scorm_versions or course.scorm.versions, staging, date,
                    workers if handouts is None else Workers(1), timer, warn, cache)
    if handouts is not None:
        handouts.finish(workers, timer, bar)


def _record(course: Course, release: releases.ReleasePlan, report: Report) -> bool:
    """Keep this release in the course folder's releases.lock, once the build is complete.

    A folder that cannot be written (a read-only checkout in CI) leaves the build as it is and
    says so: the packages are fine, only the next release cannot know this one. A record that
    could not be read is left as it is, for the author to restore (the build warned about it).
    """
    if release.record.problems:
        report(f"{course.id}: {release.lock} not updated: it could not be read")
        return False
    try:
        written = releases.write_record(course.source_dir, release.next_record(), release.lock)
    except OSError as exc:
        report(f"{course.id}: {release.lock} not updated ({exc.strerror or exc}): "
               f"the next release will not know what {course.version} contained")
        return False
    if written:
        report(f"{course.id}: recorded version {course.version} in {release.lock} (commit it with the course)")
    return written


REPORT_NAME = "build-report.json"


def _refuse_to_replace_other_things(final: Path, course: Course) -> None:
    """A build replaces OUT/<course-id>/ as a whole: make sure it holds only files a build wrote.

    What a build wrote is what its build-report.json lists, with the same bytes (its sha256):
    anything else there is the user's (`<id>-budget.xlsx` saved beside the packages, an output
    edited by hand) and the build stops with the files named instead of deleting them.
    """
    if final.is_symlink():
        # Replacing the link's target would delete whatever folder it points to.
        raise refuse("CS902", f"the output folder {final} is a symbolic link, so it is not replaced",
                     "remove the link, or write the build somewhere else with --out", path=str(final))
    final_resolved = final.resolve()
    source = course.source_dir.resolve()
    if final_resolved == source or final_resolved in source.parents:
        raise refuse("CS902", f"the output folder {final_resolved} is the course folder or holds it, so the build would delete the course",
                     "write the build somewhere else, e.g. --out dist", path=str(final_resolved))
    if not final.is_dir():
        return
    entries = sorted(final.iterdir())
    if not entries:
        return
    written = _files_written_by_a_build(final, course)
    foreign = [entry.name for entry in entries if entry.name not in written or entry.is_symlink()
               or not entry.is_file() or (written[entry.name] and _sha256(entry) != written[entry.name])]
    if foreign:
        shown = ", ".join(foreign[:10]) + (f" and {len(foreign) - 10} more" if len(foreign) > 10 else "")
        raise refuse("CS902", f"{final} is not a previous build of this course: it holds files a build did not write "
                     f"({shown}), so it is not replaced",
                     "move those files somewhere else, or write the build to another folder with --out", path=str(final))


def _files_written_by_a_build(folder: Path, course: Course) -> dict[str, str]:
    """File name -> sha256 ("" for the report itself) of what the previous build's report lists."""
    try:
        report = json.loads((folder / REPORT_NAME).read_text(encoding="utf-8"))
        if report["course"]["id"] != course.id:
            return {}
        written = {str(item["path"]): str(item["sha256"]) for item in report["outputs"]}
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    if any("/" in name or name in ("", ".", "..") for name in written):
        return {}
    return written | {REPORT_NAME: ""}


def _write_packages(player: PlayerFiles, versions, staging: Path, date, workers: Workers, timer: "_Timer",
                    warn: Callable[[tuple], None], cache: OutputCache) -> None:
    """One zip per SCORM version; in workers when they are free (while PDFs render, they are not:
    the packages are then made here, beside them)."""
    if workers.parallel:
        player.render()        # before the workers fork, so they share the pages
    for version in versions:
        workers.add(f"SCORM {version} package", lambda v=version: _write_scorm(player, v, staging, date, cache))
    workers.finish(lambda name, warnings, seconds: (timer.record(name, seconds), warn(warnings)))


def _write_scorm(player: PlayerFiles, version: str, staging: Path, date, cache: OutputCache) -> tuple:
    from .scorm import package_name, write_package

    course = player.course
    zip_path = staging / package_name(course, version)
    files = player.files(version)
    # The manifest is made from the model and the SCOs; the zip holds the files and the date.
    key = cache.key("scorm", version, date.isoformat(), repr(course), repr(player.scos),
                    *(f"{name}:{hashlib.sha256(data).hexdigest()}" for name, data in sorted(files.items())))
    if not cache.copy_to(key, zip_path):
        write_package(course, version, files, player.scos, zip_path, source_date=date)
        cache.store(key, zip_path)
    shown = {asset: str(course.source_dir / asset) for asset in course.assets}
    return tuple(package_size_warnings(zip_path, shown))


@dataclass
class _Handouts:
    """The PDF editions under way: their parts queued in the workers, the longest edition first."""
    course: Course
    editions: int                       # all of them, the ones copied from the cache too
    jobs: list                          # the ones to print
    started: float
    report: Report

    def finish(self, workers: Workers, timer: "_Timer", bar) -> None:
        editions = self.editions
        steps = sum(len(job.sources.parts) for job in self.jobs) + len(self.jobs)
        label = f"{self.course.id}: rendering {editions} PDF handout{'s' * (editions != 1)}"
        with bar(label, steps) as advance:
            def part_done(name, result, _seconds):
                job, index = self._steps[name]
                job.pdfs[index], printed = result
                job.printed += printed
                advance()
            workers.finish(part_done)
            for job in self.jobs:
                parts = len(job.sources.parts)
                self.report(f"{self.course.id}: {job.edition} handout: printed {job.printed} of {parts} "
                            f"part{'s' * (parts != 1)}, {parts - job.printed} from the cache")
                workers.add(f"PDF {job.edition} handout", job.finish)
            workers.finish(lambda _name, _result, _seconds: advance())
        timer.record("PDF handouts", time.perf_counter() - self.started)

    def start(self, workers: Workers) -> "_Handouts":
        self._steps = {}
        for job in self.jobs:
            for index, part in enumerate(job.sources.parts):
                name = f"PDF {job.edition} handout, {part.name}"
                self._steps[name] = (job, index)
                workers.add(name, lambda j=job, i=index: j.part(i))
        return self


def _start_handouts(course: Course, staging: Path, date, version_note: list[str], workers: Workers,
                    cache: OutputCache, report: Report) -> _Handouts:
    from .handout import edition_job

    # The facilitator's edition is the longer: started first, it does not finish last alone.
    editions = tuple(sorted(course.handout.editions, key=lambda edition: edition != "facilitator"))
    jobs = [edition_job(course, edition, staging, source_date=date, version_note=tuple(version_note), cache=cache)
            for edition in editions]
    printing = [job for job in jobs if not job.from_cache()]
    for job in jobs:
        if job not in printing:
            report(f"{course.id}: {job.edition} handout: from the cache")
    return _Handouts(course, len(jobs), printing, time.perf_counter(), report).start(workers)


def _write_report(course: Course, staging: Path, outputs: list[Path], timings: dict | None,
                  versions: tuple[str, ...], release: releases.ReleasePlan, translated: list[Course],
                  cache_folder: Path | None) -> None:
    """build-report.json: the same bytes for the same inputs, so a rebuild can be compared with
    the release it claims to reproduce; timings only when asked for (`build --timings`)."""
    from .explain import explain

    report = {
        "course": {"id": course.id, "title": course.title, "version": course.version},
        "release": release.changes.as_json(),
        "tool": {"coursesmith": __version__, "python": platform.python_version(),
                 "dependencies": {name: library_version(name, cache_folder) for name in REPORTED_LIBRARIES}},
        "inputs": [{"path": rel, "sha256": _sha256(course.source_dir / rel)}
                   for rel in sorted(set(course.input_files) | set(course.assets) | _record_file(course, release)
                                     | {f for variant in translated for f in variant.input_files})],
        "outputs": [{"path": p.name, "size": p.stat().st_size, "sha256": _sha256(p)} for p in outputs],
        "tracking": explain(course, versions),
        "lms_settings": lms_settings(course),
    }
    if translated:
        report["languages"] = [{"language": c.language, "id": c.id} for c in [course, *translated]]
    if timings is not None:
        report["timings_seconds"] = timings
    (staging / REPORT_NAME).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


def _record_file(course: Course, release: releases.ReleasePlan) -> set[str]:
    """releases.lock, when it holds other versions than this one: the earlier layouts in the
    packages come from it. A record of only this version changes nothing in the packages, and
    leaving it out keeps the first build and a rebuild (after the first wrote the record) identical."""
    earlier = any(entry.version != course.version for entry in release.record.releases)
    return {releases.LOCK_NAME} if earlier and (course.source_dir / releases.LOCK_NAME).is_file() else set()
