"""A rebuild with nothing changed, answered before the course is loaded.

Loading and checking a course costs far more than the question "is anything different from the
last build?", so each successful build is remembered under one key made of everything it
depended on: every file under the course folder (its bytes, and where a symbolic link points),
the build's options, the source date, and coursesmith's own files and libraries. The record holds
the course id, each output's sha256 and the warnings the build printed. The next build with the
same key, whose `OUT/<course-id>/` still holds exactly those bytes, prints the same warnings and
leaves `dist/` as it is. Anything else (a file added, removed or renamed, an output edited or
deleted, other options, a new SOURCE_DATE_EPOCH) is a real build.

A build that wrote releases.lock (or a translation's lock) changed its own inputs: it is
remembered under the key made after it, which the next build will make, since that build reads
the lock just written and gives the same bytes. Not when the build warned about the lock (CS906,
CS907): the next build, reading the lock as now written, would not warn again. A build during
which anything else under the course folder changed (the author saved a file while it ran) is
not remembered.
"""

from __future__ import annotations

import dataclasses
import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .cache import OutputCache, file_sha256, tool_stamp
from .errors import Problem
from .options import BuildOptions
from .sourcedate import source_date

RECORD_VERSION = "whole build 1"


@dataclass(frozen=True)
class Unchanged:
    """The previous build, still in place: what the command line says about a build."""
    course_id: str
    out_dir: Path
    outputs: list[Path]


def build_or_replay(course_dir: Path, options: BuildOptions, report: Callable[[str], None],
                    warn: Callable[[tuple], None]):
    """The previous build when nothing changed (its warnings given to `warn` again), else
    `build.build_course` (imported only then: loading the pipeline is most of a rebuild's cost)."""
    cache = OutputCache(options.cache)
    before = _inputs(course_dir, options) if cache.folder is not None else None
    key = _key(cache, before)
    previous = _replay(cache, key, options, report, warn)
    if previous is not None:
        return previous
    from .build import build_course

    warned: list[Problem] = []

    def keep_and_warn(problems) -> None:
        warned.extend(problems)
        warn(problems)

    result = build_course(course_dir, options, report, warn=keep_and_warn)
    after = _inputs(course_dir, options) if key is not None else None
    if _only_locks_differ(before, after, result.record_written, warned):
        _remember(cache, _key(cache, after), result.course.id, [*result.outputs, result.out_dir / _REPORT_NAME], warned)
    return result


_LOCK_WARNINGS = {"CS906", "CS907"}


def _only_locks_differ(before, after, locks_written: bool, warned: list[Problem]) -> bool:
    """The course folder after the build is the one before it, but for the locks the build wrote."""
    if before is None or after is None:
        return False
    if not locks_written:
        return before == after
    if any(problem.code in _LOCK_WARNINGS for problem in warned):
        return False
    return _without_locks(before) == _without_locks(after)


def _without_locks(inputs: list[str]) -> list[str]:
    return [entry for entry in inputs if not _is_lock_entry(entry)]


def _is_lock_entry(entry: str) -> bool:
    """`file releases.lock <sha>` or `file releases.cy.lock <sha>` at the top of the course folder."""
    parts = entry.split(" ")
    return len(parts) == 3 and parts[0] == "file" and parts[1].startswith("releases.") and parts[1].endswith(".lock")


_REPORT_NAME = "build-report.json"


def _key(cache: OutputCache, inputs: list[str] | None) -> str | None:
    """The key of a build made from `inputs`; None without a cache, or when the course folder
    holds something that cannot be read as it stands (the real build then says what)."""
    return None if inputs is None else cache.key(RECORD_VERSION, *inputs, tool=tool_stamp())


def _inputs(course_dir: Path, options: BuildOptions) -> list[str] | None:
    """What a build's key is made of: its settings and every entry of the course folder."""
    root = Path(course_dir).resolve()
    try:
        tree = _tree(root, Path(options.out_dir).resolve())
    except OSError:
        return None
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    date = f"epoch {epoch}" if epoch.isdigit() else f"git {source_date(root).isoformat()}"
    settings = json.dumps([str(course_dir), str(root), options.scorm_versions, options.pdf, options.timings,
                           options.strict, options.record_release, date])
    return [settings, *tree]


def _tree(root: Path, out_dir: Path) -> list[str]:
    """Every entry under `root` (the output folder aside, when it is inside): its path and kind,
    a link's target, a file's sha256. A FIFO or device is never opened (reading could block)."""
    entries = []
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        here = Path(folder)
        if here == out_dir or out_dir in here.parents:
            dirs[:] = []
            continue
        for name in dirs + sorted(files):
            path = here / name
            shown = path.relative_to(root).as_posix()
            if path.is_symlink():
                entries.append(f"link {shown} -> {os.readlink(path)}")
            if name in dirs:
                entries.append(f"folder {shown}")
                continue
            try:
                mode = os.stat(path).st_mode
            except FileNotFoundError:
                entries.append(f"broken {shown}")
                continue
            if not stat.S_ISREG(mode):
                entries.append(f"special {shown} {mode:o}")
                continue
            entries.append(f"file {shown} {file_sha256(path)}")
    return entries


def _replay(cache: OutputCache, key: str | None, options: BuildOptions, report, warn) -> Unchanged | None:
    stored = cache.read(key)
    if stored is None:
        return None
    try:
        record = json.loads(stored)
        course_id, outputs = record["course_id"], record["outputs"]
        problems = tuple(Problem(**fields) for fields in record["problems"])
    except (ValueError, KeyError, TypeError):
        return None
    if course_id in options.built_ids:
        return None            # two courses with one id: the real build says so
    final = Path(options.out_dir) / course_id
    if not _still_there(final, outputs):
        return None
    warn(problems)
    options.built_ids.add(course_id)
    report(f"{course_id}: nothing changed since the last build, so {final} is left as it was")
    return Unchanged(course_id, final, [final / name for name in sorted(outputs) if name != _REPORT_NAME])


def _still_there(final: Path, outputs: dict[str, str]) -> bool:
    """`final` holds exactly the files the build wrote, with the bytes it wrote."""
    try:
        if final.is_symlink() or not final.is_dir() or sorted(os.listdir(final)) != sorted(outputs):
            return False
        return all(not (final / name).is_symlink() and (final / name).is_file()
                   and file_sha256(final / name) == digest for name, digest in outputs.items())
    except OSError:
        return False


def _remember(cache: OutputCache, key: str, course_id: str, outputs: list[Path], problems: list[Problem]) -> None:
    record = {"course_id": course_id,
              "outputs": {path.name: file_sha256(path) for path in outputs},
              "problems": [dataclasses.asdict(problem) for problem in problems]}
    cache.store_bytes(key, json.dumps(record, sort_keys=True).encode("utf-8"))

