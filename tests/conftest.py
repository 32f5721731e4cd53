"""Fixtures every test file may use (plain helpers are in tests/helpers.py).

- ``course_root(name)``: the folder of a test course (tests/roots/NAME) or a default course
  (courses/NAME) to read; ``course_root(name, copy=True)`` (or ``to=path``) a private copy in the
  test's tmp_path that the test may change. Tests never write into tests/roots or courses/.
- ``built_course(name, *options)`` (session): ``coursesmith build`` of that course run once per test
  session, for tests that only read its outputs. Returns (output folder, what the build printed).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from helpers import Ran, coursesmith, course_path


@pytest.fixture(autouse=True, scope="session")
def _output_cache_of_this_run(tmp_path_factory):
    """Builds keep their output cache (builder/cache.py) in a folder of this test run, never the user's."""
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))


@pytest.fixture
def course_root(tmp_path):
    def get(name: str, *, copy: bool = False, to: Path | None = None) -> Path:
        source = course_path(name)
        if not copy and to is None:
            return source
        target = to if to is not None else tmp_path / name
        # A test root's releases.lock is what an earlier build in place left (it is git-ignored):
        # a copy starts as a fresh clone has it, whatever ran before.
        ignored = shutil.ignore_patterns("releases.lock", "releases.*.lock") if source.parent.name == "roots" else None
        shutil.copytree(source, target, symlinks=True, ignore=ignored)
        return target
    return get


@pytest.fixture(scope="session")
def built_course(tmp_path_factory):
    builds: dict[tuple, tuple[Path, Ran]] = {}

    def get(name: str, *options: str) -> tuple[Path, Ran]:
        key = (name, *options)
        if key not in builds:
            out = tmp_path_factory.mktemp(f"built-{name}")
            result = coursesmith("build", course_path(name), "--out", out, *options,
                                 env={"SOURCE_DATE_EPOCH": "1700000000"})
            assert result.returncode == 0, result.output
            builds[key] = (out, result)
        return builds[key]
    return get
