"""What a build is asked to do: the command line's options, shared by the build and the check
that answers a rebuild with nothing changed before anything is loaded (unchanged.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable


@dataclass
class BuildOptions:
    out_dir: Path = Path("dist")
    scorm_versions: tuple[str, ...] | None = None   # None: the course's own list
    pdf: bool = True
    timings: bool = False                           # step timings in build-report.json (then it differs per run)
    built_ids: set = field(default_factory=set)     # course ids built in this run, to refuse a clash
    strict: bool = False                            # every warning is an error: nothing is built
    record_release: bool = True                     # keep releases.lock in the course folder
    jobs: int = 1                                   # worker processes for the PDFs and packages
    cache: Path | None = None                       # outputs by the digest of their inputs (builder/cache.py)
    # Called before a complete course replaces OUT/<course-id>/: several courses built at once
    # wait there for the courses before them (courses_at_once.py), so dist/ changes in order.
    before_publish: Callable[[], None] = lambda: None
