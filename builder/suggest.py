""""Did you mean ...?" for a file or folder an author named that does not exist.

The suggestion is the closest name (by edit distance) among the files or folders of the course,
written the way the author wrote the reference (relative to the same folder), so it can be pasted
over the mistake as it is: `modules/02-giving-medicines`, `../../assets/pipeline.svg`.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

MAX_ENTRIES = 5000      # a course with more files gets no suggestion rather than a slow one


def closest(reference: str, base_dir: Path, course_dir: Path, *, want_dir: bool) -> str | None:
    """The course file (or folder) nearest to `reference`, relative to `base_dir` as the author
    writes it; None when nothing is close."""
    # A reference that leaves the course (`../../assets/logo.svg` in theme.yaml) is matched by name.
    wanted = _course_relative(base_dir / reference, course_dir) or reference.rstrip("/").rsplit("/", 1)[-1]
    match = _nearest(wanted, _entries(course_dir, want_dir))
    if match is None:
        return None
    suggestion = os.path.relpath(course_dir / match, base_dir).replace(os.sep, "/")
    return suggestion if suggestion != reference.rstrip("/") else None


def _nearest(wanted: str, candidates: list[str]) -> str | None:
    """The candidate whose name is closest to the wanted one's, the closer path on a tie: a file in
    the wrong folder is found by its name, not by an unrelated file in the folder named."""
    name = wanted.rsplit("/", 1)[-1]
    scored = []
    for candidate in candidates:
        by_name = difflib.SequenceMatcher(None, name, candidate.rsplit("/", 1)[-1]).ratio()
        if by_name >= 0.6:
            scored.append((by_name, difflib.SequenceMatcher(None, wanted, candidate).ratio(), candidate))
    return max(scored)[2] if scored else None


def similar_name(name: str, names: list[str]) -> str | None:
    """The one of `names` closest to `name`, or None."""
    match = difflib.get_close_matches(name, [n for n in names if n != name], n=1, cutoff=0.6)
    return match[0] if match else None


def _course_relative(path: Path, course_dir: Path) -> str | None:
    normal = Path(os.path.normpath(path))
    try:
        return normal.relative_to(course_dir).as_posix()
    except ValueError:
        return None


def _entries(course_dir: Path, want_dir: bool) -> list[str]:
    found: list[str] = []
    for folder, dirs, files in os.walk(course_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        names = dirs if want_dir else [f for f in files if not f.startswith(".")]
        relative = Path(folder).relative_to(course_dir)
        found.extend((relative / name).as_posix() for name in names)
        if len(found) > MAX_ENTRIES:
            return []
    return found
