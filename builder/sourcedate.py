"""The one date a build may write into its artefacts: when the course's source last changed."""

from __future__ import annotations

import os
import subprocess
from datetime import datetime, timezone
from pathlib import Path

# Used when neither SOURCE_DATE_EPOCH nor git can say (a course folder outside any repository).
FALLBACK = datetime(2020, 1, 1, tzinfo=timezone.utc)


def fell_back(course_dir: Path) -> bool:
    """No SOURCE_DATE_EPOCH and no git history: the handouts would print FALLBACK as their date."""
    return source_date(course_dir) == FALLBACK and not os.environ.get("SOURCE_DATE_EPOCH", "").strip().isdigit()


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
