"""Checks on the files a course ships: only harmless types, and SVGs that cannot run anything.

A package is served from the LMS's own origin, so an SVG with a script or an HTML "download" would
run inside the learner's session: both are refused with the line that makes them unsafe.
"""

from __future__ import annotations

from pathlib import Path

from .errors import Problem
from .sniff import check_content
from .svg import clean_svg

ALLOWED_SUFFIXES = {
    ".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg",           # pictures
    ".mp3", ".m4a", ".ogg", ".wav", ".mp4", ".webm", ".vtt",     # sound, video, captions
    ".pdf", ".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp", ".txt", ".csv",  # downloads
}
ALLOWED_SUFFIXES_HINT = ("use pictures (png, jpg, svg, ...), sound or video, or documents (pdf, docx, ...); "
                         "HTML and scripts are refused because they would run inside the LMS")
MAX_ASSET_BYTES = 50 * 1024 * 1024


def check_asset(path: Path, shown: str) -> list[Problem]:
    """Problems with one course file that pages or the theme refer to."""
    suffix = path.suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        return [Problem(shown, 1, 1, f"files of type {suffix or '(none)'!r} cannot go into a package",
                        ALLOWED_SUFFIXES_HINT, code="CS606")]
    if path.stat().st_size > MAX_ASSET_BYTES:
        return [Problem(shown, 1, 1, f"file is larger than {MAX_ASSET_BYTES // (1024 * 1024)} MiB",
                        "compress it or link to it on a web page instead", code="CS606")]
    if suffix == ".svg":
        return check_svg(path, shown)
    return check_content(path, shown, suffix)


def check_svg(path: Path, shown: str) -> list[Problem]:
    return clean_svg(path.read_bytes(), shown)[1]
