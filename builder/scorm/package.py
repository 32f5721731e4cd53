"""One SCORM zip per edition: manifest + schemas + the player's files, checked, then zipped
byte-for-byte reproducibly.

Same course, same coursesmith, same bytes: entries are sorted (imsmanifest.xml first, where
LMS importers look for it), every entry has the same timestamp (SOURCE_DATE_EPOCH, else the
course's last commit, else 2020-01-01: see builder.sourcedate), mode 0644, deflate level 9,
and there are no directory entries.
"""

from __future__ import annotations

import calendar
import io
import os
import stat
import time
import zipfile
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path

from dataclasses import replace

from builder.errors import CourseError, refuse
from builder.model import Course
from builder.sco import Sco
from builder.scorm.checks import MANIFEST_NAME, check_package, validate_manifest
from builder.editions import edition
from builder.scorm.manifest import manifest_xml
from builder.scorm.schemas import schema_files
from builder.sourcedate import source_date as course_source_date

ZIP_EPOCH_MIN = calendar.timegm((1980, 1, 1, 0, 0, 0))      # the zip format cannot store earlier
ZIP_EPOCH_MAX = calendar.timegm((2107, 12, 31, 23, 59, 58))
FILE_MODE = 0o644


def package_name(course: Course, version: str) -> str:
    """`<course-id>-<course-version>-<tag>.zip`, tag scorm12 | scorm2004-3rd | scorm2004-4th."""
    return f"{course.id}-{course.version}-{edition(version).file_tag}.zip"


def write_package(
    course: Course,
    version: str,
    files: Mapping[str, bytes],
    scos: Sequence[Sco],
    zip_path: Path,
    source_date: datetime | None = None,
    schema_root: Path | None = None,
) -> None:
    """Write the `version` package of the player's `files` (bytes by package path) to `zip_path`.

    Every zip entry is dated `source_date` (default: SOURCE_DATE_EPOCH, else the course folder's
    last commit, else 2020-01-01). Raises CourseError, writing nothing, when the manifest or the
    package breaks a rule.
    """
    try:
        entries = checked_entries(course, version, files, scos, schema_root)
    except CourseError as error:
        # Place each problem in the package the user asked for (the manifest itself is never
        # written anywhere): `course-1.0.0-scorm12.zip/imsmanifest.xml:40:1`.
        raise CourseError([replace(p, path=f"{zip_path.name}/{p.path}" if p.path else zip_path.name)
                           for p in error.problems]) from None
    date = source_date or course_source_date(course.source_dir)
    data = deterministic_zip(entries, int(date.timestamp()))
    temporary = zip_path.with_name(zip_path.name + ".part")
    temporary.write_bytes(data)
    os.replace(temporary, zip_path)


def checked_entries(
    course: Course, version: str, files: Mapping[str, bytes], scos: Sequence[Sco], schema_root: Path | None = None,
) -> dict[str, bytes]:
    """Every zip entry by name (manifest, schemas, the player's files), validated and checked."""
    ed = edition(version)
    content = dict(sorted(files.items()))
    schemas = schema_files(ed, schema_root)
    _refuse_collisions(content, schemas)
    manifest = manifest_xml(course, version, scos, sorted(content), schema_names=list(schemas))
    document = validate_manifest(manifest, version, schema_root)
    entries = {MANIFEST_NAME: manifest, **schemas, **content}
    check_package(document, entries, version)
    return entries


def _refuse_collisions(content: dict[str, bytes], schemas: dict[str, bytes]) -> None:
    reserved = {MANIFEST_NAME.casefold(): MANIFEST_NAME} | {n.casefold(): n for n in schemas}
    clashes = sorted(name for name in content if name.casefold() in reserved)
    if clashes:
        raise refuse(
            "CS705", "the SCO files clash with the manifest or schema files the package needs at its root: "
            + ", ".join(clashes),
            hint="keep player and course files out of the zip root names used by SCORM",
        )


def deterministic_zip(entries: dict[str, bytes], epoch: int) -> bytes:
    """A zip whose bytes depend only on `entries` and `epoch` (and zlib's level-9 deflate)."""
    date_time = time.gmtime(min(max(epoch, ZIP_EPOCH_MIN), ZIP_EPOCH_MAX))[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in zip_order(entries):
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.create_system = 3                           # Unix, so the mode below is honoured
            info.external_attr = (stat.S_IFREG | FILE_MODE) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, entries[name], compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return buffer.getvalue()


def zip_order(names) -> list[str]:
    """imsmanifest.xml first, then every other name in plain code-point order."""
    return sorted(names, key=lambda name: (name != MANIFEST_NAME, name))
