"""The one date a build may write into its artefacts: when the course's source last changed."""

from __future__ import annotations

import os
import subprocess
from datetime import datetime, timezone
from pathlib import Path

from .errors import Problem

# Used when neither SOURCE_DATE_EPOCH nor git can say (a course folder outside any repository).
FALLBACK = datetime(2020, 1, 1, tzinfo=timezone.utc)


def fallback_problems(course, shown_dir: str) -> list[Problem]:
    """A warning when the handout covers would print FALLBACK: no SOURCE_DATE_EPOCH, no git history."""
    if not course.handout.editions or os.environ.get("SOURCE_DATE_EPOCH", "").strip().isdigit() \
            or source_date(course.source_dir) != FALLBACK:
        return []
    return [Problem(os.path.join(shown_dir, "course.yaml"), 1, 1,
                    "the course folder has no git history and SOURCE_DATE_EPOCH is not set, "
                    f"so the handout covers would be dated {FALLBACK.day} January {FALLBACK.year}",
                    "commit the course to git, or set SOURCE_DATE_EPOCH to the time of the last change "
                    "(seconds since 1970)", "warning", code="CS803")]


def source_date(course_dir: Path) -> datetime:
    """SOURCE_DATE_EPOCH if set, else the course folder's last git commit, else a fixed date.

    Never the clock: the same inputs must give the same bytes.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
    try:
        result = subprocess.run(
            ["git", "log", "-1", "--format=%ct", "--", "."], cwd=course_dir,
            capture_output=True, text=True, timeout=10, check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return FALLBACK
    stamp = result.stdout.strip()
    return datetime.fromtimestamp(int(stamp), tz=timezone.utc) if stamp.isdigit() else FALLBACK
