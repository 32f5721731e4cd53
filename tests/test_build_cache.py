"""The output cache (builder/cache.py): a rebuild takes from it only what its inputs have not
changed, and a cached build is byte for byte the build made afresh (`--no-cache`)."""

from __future__ import annotations

from pathlib import Path

import builder.build
import builder.handout
import builder.webfonts
from builder.handout.render import handout_sources
from builder.load import load_course
from builder.player import FONT_FACES
from helpers import coursesmith as _coursesmith
from helpers import snapshot

COURSE = "handout-full"


def build(course: Path, out: Path, cache: Path, *options: str):
    result = _coursesmith("build", course, "--out", out, "--quiet", *options,
                          env={"SOURCE_DATE_EPOCH": "1700000000", "XDG_CACHE_HOME": str(cache)})
    assert result.returncode == 0, result.stderr
    return snapshot(out)


def _date():
    from datetime import datetime, timezone
    return datetime.fromtimestamp(1700000000, timezone.utc)


def test_after_a_one_page_edit_the_cached_build_is_the_clean_build(course_root, tmp_path):
    course, cache = course_root(COURSE, copy=True), tmp_path / "cache"
    first = build(course, tmp_path / "first", cache)
    outputs = [name for name in first if name.endswith((".pdf", ".zip"))]
    assert len(outputs) == 3
    # each package and handout, each part a handout was printed in (builder/handout/merge.py),
    # each face of the player's font as the build cut it, and the build's own record
    # (builder/unchanged.py); beside them, what the tool remembered of itself and its libraries
    # (tool-*, remembered-*) and the compiled templates (.templates)
    parts = sum(len(handout_sources(load_course(course), edition, source_date=_date()).parts)
                for edition in ("participant", "facilitator"))
    kept = [entry for entry in (cache / "coursesmith").iterdir() if not entry.name.startswith(("tool-", "remembered-", "."))]
    assert len(kept) == len(outputs) + parts + len(FONT_FACES) + 1
    page = sorted(course.glob("modules/*/*.md"))[0]
    page.write_text(page.read_text(encoding="utf-8") + "\nA sentence added after the first build.\n", encoding="utf-8")
    cached = build(course, tmp_path / "cached", cache)
    clean = build(course, tmp_path / "clean", tmp_path / "unused", "--no-cache")
    assert cached == clean
    changed = {name for name in cached if cached[name] != first[name]}
    assert any(name.endswith(".pdf") for name in changed) and any(name.endswith(".zip") for name in changed)
    assert not (tmp_path / "unused").exists()                  # --no-cache writes none either


def test_a_rebuild_with_nothing_changed_makes_no_output_again(course_root, tmp_path, monkeypatch):
    course, cache = course_root(COURSE, copy=True), tmp_path / "cache"
    first = build(course, tmp_path / "first", cache)

    def not_again(*_args, **_kwargs):
        raise AssertionError("an output was made again although nothing changed")
    monkeypatch.setattr(builder.handout, "print_part", not_again)   # the forked workers inherit it
    monkeypatch.setattr("builder.scorm.write_package", not_again)
    monkeypatch.setattr(builder.webfonts, "woff2_subset", not_again)
    assert build(course, tmp_path / "again", cache) == first
