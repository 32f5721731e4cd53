"""Resolve a file an author refers to (an image, a download, a logo) safely inside the course folder."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .assets import ALLOWED_SUFFIXES, ALLOWED_SUFFIXES_HINT
from .suggest import closest

SAFE_DATA_IMAGE = re.compile(r"data:image/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]*\Z", re.I)
SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
ASCII_NAME = re.compile(r"[A-Za-z0-9._/-]+\Z")
# Characters browsers drop from a URL before reading its scheme ("java\tscript:" is javascript:).
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")


@dataclass(frozen=True)
class Resolved:
    course_path: str | None = None      # course-relative posix path of a local file
    error: str = ""
    hint: str = ""


def url_scheme(url: str) -> str:
    match = SCHEME.match(_INVISIBLE.sub("", unquote(url)))
    return match.group(1).lower() if match else ""


def resolve_local(reference: str, base_dir: Path, course_dir: Path) -> Resolved:
    """Find `reference` (relative to `base_dir`) as a file inside `course_dir`, after resolving symlinks."""
    if not reference.strip():
        return Resolved(error="empty file reference", hint="name a file, e.g. ../../assets/picture.svg")
    if "\\" in unquote(reference):
        return Resolved(error=f"{reference!r} uses backslashes",
                        hint="use forward slashes in paths, e.g. ../../assets/picture.svg")
    path_part = unquote(urlsplit(reference).path)
    if path_part.startswith("/") or re.match(r"^[A-Za-z]:", path_part):
        return Resolved(error=f"{reference!r} is an absolute path",
                        hint="refer to files relative to this file, inside the course folder")
    root = course_dir.resolve()
    try:
        target = (base_dir / path_part).resolve()
    except (RuntimeError, OSError):     # symbolic links that go round in a loop
        return Resolved(error=f"{reference!r} is a symbolic link that points to itself (a loop)",
                        hint="replace the link with the real file")
    if target != root and root not in target.parents:
        return Resolved(error=f"{reference!r} points outside the course folder",
                        hint=_suggestion(path_part, base_dir, root)
                        or "copy the file into the course's assets/ folder and refer to it there")
    if target.is_dir():
        return Resolved(error=f"{reference!r} is a folder, not a file",
                        hint="name a file in it, e.g. ../../assets/picture.svg")
    if not target.is_file():
        return Resolved(error=f"file {reference!r} does not exist", hint=_missing_hint(path_part, base_dir, root))
    relative = target.relative_to(root).as_posix()
    if not ASCII_NAME.match(relative):
        return Resolved(error=f"file name {relative!r} has spaces or non-ASCII characters",
                        hint="rename it with letters, digits, '-', '_' and '.' only: some LMSs cannot serve other names")
    if target.suffix.lower() not in ALLOWED_SUFFIXES:
        return Resolved(error=f"{reference!r}: files of type {target.suffix.lower() or '(none)'!r} cannot go into a package",
                        hint=_PAGE_LINK_HINT if target.suffix.lower() == ".md" else ALLOWED_SUFFIXES_HINT)
    return Resolved(course_path=relative)


_PAGE_LINK_HINT = ("pages are not files to download: learners reach every page through the course menu; "
                   "name the page by its title in the text instead of linking to its .md file")


def _missing_hint(reference: str, base_dir: Path, root: Path) -> str:
    """Did you mean the course file closest to `reference`, written relative to the same folder."""
    return _suggestion(reference, base_dir, root) or \
        f"check the spelling and case; paths here are relative to {_relative_to(base_dir, root)}, so it should be at " \
        f"{_shown((base_dir / reference).resolve(), root)}"


def _suggestion(reference: str, base_dir: Path, root: Path) -> str:
    suggestion = closest(reference, base_dir.resolve(), root, want_dir=False)
    if not suggestion:
        return ""
    return f"did you mean {suggestion!r}? (paths here are relative to {_relative_to(base_dir, root)})"


def _relative_to(base_dir: Path, root: Path) -> str:
    return "the course folder" if base_dir.resolve() == root else "the page's own folder"


def _shown(target: Path, root: Path) -> str:
    try:
        return target.relative_to(root).as_posix()
    except ValueError:
        return str(target)
