"""Where `coursesmith diff` finds a release: a course folder, a git revision of one, or a built zip.

Each gives the same thing, the release summary of builder/releases.py: a folder is loaded and
checked as the build would, a git revision is exported to a temporary folder first, and a zip
carries the summary its build wrote (player/release.json).
"""

from __future__ import annotations

import dataclasses
import io
import json
import subprocess
import tarfile
import tempfile
import zipfile
from pathlib import Path

from . import releases
from .errors import CourseError, refuse
from .load import load_course


def _unreadable(message: str, hint: str = "") -> CourseError:
    """OLD or NEW names nothing diff can read; `hint` says what to give instead."""
    return refuse("CS908", message, hint)


def summary_of(source: str) -> dict:
    """The release summary of `source`; CourseError (located at `source`) when it cannot be read."""
    try:
        return _summary_of(source)
    except CourseError as exc:
        raise CourseError([p if p.path else dataclasses.replace(p, path=source) for p in exc.problems]) from None


def _summary_of(source: str) -> dict:
    path = Path(source)
    if path.is_dir():
        return releases.summary(load_course(path))
    if path.is_file():
        return _from_zip(path)
    if ":" in source:
        return _from_git(*source.split(":", 1))
    raise _unreadable(f"{source} is not a course folder, a zip or a git revision",
                      "give a course folder, a SCORM zip, or REVISION:PATH such as v1.0.0:courses/my-course")


def _from_zip(path: Path) -> dict:
    try:
        with zipfile.ZipFile(path) as archive:
            data = archive.read(releases.PACKAGE_RELEASE_FILE)
    except zipfile.BadZipFile:
        raise _unreadable(f"{path} is not a zip file", "give a SCORM zip that coursesmith built") from None
    except KeyError:
        raise _unreadable(f"{path} has no {releases.PACKAGE_RELEASE_FILE}: it was not built by this coursesmith",
                          "rebuild the release, or compare the course folders (or git revisions) instead") from None
    try:
        summary = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise _unreadable(f"{path}: {releases.PACKAGE_RELEASE_FILE} cannot be read ({exc})") from None
    if not isinstance(summary, dict) or summary.get("format") != releases.SUMMARY_FORMAT:
        raise _unreadable(f"{path}: {releases.PACKAGE_RELEASE_FILE} is in a form this coursesmith does not read",
                          "compare with the coursesmith that built it, or compare the course folders")
    return summary


def _from_git(revision: str, folder: str) -> dict:
    """The course folder `folder` (relative to the current folder) as it was at `revision`."""
    relative = folder.strip("/") or "."
    try:
        exported = subprocess.run(["git", "archive", "--format=tar", f"{revision}:./{relative}"],
                                  capture_output=True, check=False, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise _unreadable(f"cannot run git to read {revision}:{folder} ({exc})", "install git, or compare folders") from None
    if exported.returncode != 0:
        reason = exported.stderr.decode("utf-8", "replace").strip().splitlines()
        raise _unreadable(f"git cannot give {folder} at {revision}: {reason[-1] if reason else 'unknown error'}",
                          "name a revision git knows (a tag, branch or commit) and the course folder as seen "
                          "from here, e.g. v1.0.0:courses/my-course")
    with tempfile.TemporaryDirectory(prefix="coursesmith-diff-") as temporary:
        target = Path(temporary) / (Path(relative).name if relative != "." else Path.cwd().name)
        target.mkdir()
        with tarfile.open(fileobj=io.BytesIO(exported.stdout)) as archive:
            archive.extractall(target, filter="data")
        return releases.summary(load_course(target))
