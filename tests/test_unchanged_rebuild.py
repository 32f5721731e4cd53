"""A rebuild with nothing changed (builder/unchanged.py) is answered before the course is loaded,
and only then: every input of the build, changed, makes a real build again. Whether a build
was real is counted at `build.build_course`, never timed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import builder.build
import builder.cache
import builder.unchanged
from helpers import coursesmith, modules_loaded, snapshot

EPOCH = "1700000000"
UNCHANGED = "nothing changed since the last build"


@pytest.fixture
def builds(monkeypatch):
    """The real builds made so far (each call of build.build_course)."""
    made = []
    real = builder.build.build_course

    def counted(*args, **kwargs):
        made.append(args[0])
        return real(*args, **kwargs)
    monkeypatch.setattr(builder.build, "build_course", counted)
    return made


@pytest.fixture
def course(course_root, tmp_path):
    folder = course_root("minimal", copy=True)
    (folder / "releases.lock").unlink(missing_ok=True)   # left by a build in place; tests start unrecorded
    return folder


def build(course: Path, out: Path, *options: str, epoch: str = EPOCH, cache: Path | None = None):
    env = {"SOURCE_DATE_EPOCH": epoch, "XDG_CACHE_HOME": str(cache or out.parent / "cache")}
    result = coursesmith("build", course, "--out", out, "--no-pdf", "--scorm", "1.2", *options, env=env)
    assert result.returncode == 0, result.output
    return result


def recorded(course: Path, out: Path, builds: list) -> None:
    """The first build: it writes releases.lock, and is remembered as it left the course folder."""
    build(course, out)
    assert len(builds) == 1 and (course / "releases.lock").is_file()


def test_a_rebuild_with_nothing_changed_leaves_dist_as_it_was_and_builds_nothing(course, tmp_path, builds):
    out = tmp_path / "dist"
    recorded(course, out, builds)
    before = snapshot(out)
    again = build(course, out)
    assert len(builds) == 1
    assert snapshot(out) == before
    assert UNCHANGED in again.stderr
    assert "minimal-course: built minimal-course-0.1.0-scorm12.zip in" in again.stderr


def test_the_build_that_writes_releases_lock_is_remembered_with_the_lock_it_wrote(course, tmp_path, builds):
    out, clean = tmp_path / "dist", tmp_path / "clean"
    build(course, out)
    assert (course / "releases.lock").is_file()
    assert UNCHANGED in build(course, out).stderr
    assert len(builds) == 1
    build(course, clean, "--no-cache")           # what a real build reading that lock makes
    assert snapshot(clean) == snapshot(out)


def test_a_build_that_warned_about_its_lock_is_not_remembered(course, tmp_path, builds):
    """The lock rewritten after a CS907 warning no longer warns: replaying the warning would be wrong."""
    out = tmp_path / "dist"
    recorded(course, out, builds)
    module = course / "modules/01-getting-started"
    (module / "03-more.md").write_text("---\ntitle: One more page\n---\nText.\n", encoding="utf-8")
    listing = module / "module.yaml"       # a page added: new structure under the same version
    listing.write_text(listing.read_text(encoding="utf-8") + "  - 03-more.md\n", encoding="utf-8")
    warned = build(course, out)
    assert "CS907" in warned.output or "already recorded" in warned.output
    again = build(course, out)
    assert UNCHANGED not in again.stderr and "already recorded" not in again.output
    assert UNCHANGED in build(course, out).stderr
    assert len(builds) == 3


def _edit_page(course: Path) -> None:
    page = course / "modules/01-getting-started/01-welcome.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")


def _add_file(course: Path) -> None:
    (course / "assets" / "notes.txt").write_text("kept beside the course\n", encoding="utf-8")


def _remove_file(course: Path) -> None:
    (course / "spare.txt").unlink()


def _rename_file(course: Path) -> None:
    (course / "spare.txt").rename(course / "spare-renamed.txt")


def _change_lock(course: Path) -> None:
    lock = course / "releases.lock"
    lock.write_text(lock.read_text(encoding="utf-8") + "\n", encoding="utf-8")


def _link_elsewhere(course: Path) -> None:
    (course / "spare-link").unlink()
    (course / "spare-link").symlink_to("releases.lock")


@pytest.mark.parametrize("change", [_edit_page, _add_file, _remove_file, _rename_file, _change_lock, _link_elsewhere])
def test_a_changed_added_removed_or_renamed_course_file_is_built_again(course, tmp_path, builds, change):
    (course / "spare.txt").write_text("a file the course does not use\n", encoding="utf-8")
    (course / "spare-link").symlink_to("spare.txt")
    out = tmp_path / "dist"
    recorded(course, out, builds)
    change(course)
    assert UNCHANGED not in build(course, out).stderr
    assert len(builds) == 2
    assert UNCHANGED in build(course, out).stderr
    assert len(builds) == 2


@pytest.mark.parametrize("options", [("--scorm", "2004-4th"), ("--strict",), ("--timings",)])
def test_other_options_build_again(course, tmp_path, builds, options):
    out = tmp_path / "dist"
    recorded(course, out, builds)
    assert UNCHANGED not in build(course, out, *options).stderr
    assert len(builds) == 2


def test_with_pdfs_or_without_is_another_build(course, tmp_path, builds):
    out, env = tmp_path / "dist", {"SOURCE_DATE_EPOCH": EPOCH, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    recorded(course, out, builds)
    with_pdf = coursesmith("build", course, "--out", out, "--scorm", "1.2", env=env)
    assert with_pdf.returncode == 0, with_pdf.output
    assert UNCHANGED not in with_pdf.stderr
    assert any(name.endswith(".pdf") for name in snapshot(out / "minimal-course"))


def test_another_source_date_builds_again(course, tmp_path, builds):
    out = tmp_path / "dist"
    recorded(course, out, builds)
    assert UNCHANGED not in build(course, out, epoch="1800000000").stderr
    assert len(builds) == 2


def test_a_change_to_coursesmith_builds_again(course, tmp_path, builds, monkeypatch):
    out = tmp_path / "dist"
    recorded(course, out, builds)
    monkeypatch.setattr(builder.unchanged, "tool_stamp", lambda: "another coursesmith")
    assert UNCHANGED not in build(course, out).stderr
    assert len(builds) == 2


def test_the_tool_stamp_follows_each_template_file(tmp_path, monkeypatch):
    templates = tmp_path / "templates"
    (templates / "player").mkdir(parents=True)
    template = templates / "player" / "page.html.j2"
    template.write_text("<p>one</p>", encoding="utf-8")
    monkeypatch.setattr(builder.cache, "templates_dir", lambda: templates)
    first = builder.cache.tool_stamp()
    assert builder.cache.tool_stamp() == first
    template.write_text("<p>two, longer</p>", encoding="utf-8")
    assert builder.cache.tool_stamp() != first
    (templates / "player" / "extra.css").write_text("", encoding="utf-8")
    assert len({first, builder.cache.tool_stamp()}) == 2


def test_an_output_deleted_from_dist_is_made_again(course, tmp_path, builds):
    out = tmp_path / "dist"
    recorded(course, out, builds)
    clean = snapshot(out)
    package = out / "minimal-course" / "minimal-course-0.1.0-scorm12.zip"
    package.write_bytes(package.read_bytes())      # the same bytes: still the build
    assert UNCHANGED in build(course, out).stderr
    package.unlink()
    assert UNCHANGED not in build(course, out).stderr
    assert snapshot(out) == clean
    shutil.rmtree(out / "minimal-course")
    assert UNCHANGED not in build(course, out).stderr
    assert snapshot(out) == clean
    assert len(builds) == 3


def test_an_output_edited_in_dist_is_refused_as_before_not_replayed(course, tmp_path, builds):
    out = tmp_path / "dist"
    recorded(course, out, builds)
    package = out / "minimal-course" / "minimal-course-0.1.0-scorm12.zip"
    package.write_bytes(package.read_bytes() + b"edited")
    env = {"SOURCE_DATE_EPOCH": EPOCH, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    refused = coursesmith("build", course, "--out", out, "--no-pdf", "--scorm", "1.2", env=env)
    assert refused.returncode == 1 and len(builds) == 2
    assert "is not a previous build of this course" in refused.output


def test_a_file_of_the_users_in_dist_is_still_refused(course, tmp_path, builds):
    out = tmp_path / "dist"
    recorded(course, out, builds)
    (out / "minimal-course" / "budget.xlsx").write_bytes(b"the user's")
    env = {"SOURCE_DATE_EPOCH": EPOCH, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    refused = coursesmith("build", course, "--out", out, "--no-pdf", "--scorm", "1.2", env=env)
    assert refused.returncode == 1
    assert "is not a previous build of this course" in refused.output and "budget.xlsx" in refused.output


def test_no_cache_never_replays(course, tmp_path, builds):
    out = tmp_path / "dist"
    recorded(course, out, builds)
    assert UNCHANGED not in build(course, out, "--no-cache").stderr
    assert len(builds) == 2


def test_the_replayed_warnings_are_the_fresh_builds(course, tmp_path, builds):
    module = course / "modules/01-getting-started"
    (module / "03-left-out.md").write_text("---\ntitle: Not listed\n---\nText.\n", encoding="utf-8")
    out = tmp_path / "dist"
    fresh = build(course, out, "--format", "json")
    replayed = build(course, out, "--format", "json")
    assert len(builds) == 1 and UNCHANGED in replayed.stderr
    document = json.loads(replayed.stdout)
    assert document == json.loads(fresh.stdout)
    assert [p["code"] for p in document["courses"][0]["problems"]] == ["CS404"]
    assert "'03-left-out.md' is in the folder but not listed" in build(course, out).stderr


def test_two_courses_with_one_id_are_refused_on_a_rebuild_too(course, tmp_path, builds, course_root):
    twin = course_root("minimal", to=tmp_path / "twin")
    (twin / "releases.lock").unlink(missing_ok=True)
    out = tmp_path / "dist"
    recorded(course, out, builds)
    env = {"SOURCE_DATE_EPOCH": EPOCH, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    both = coursesmith("build", course, twin, "--out", out, "--no-pdf", "--scorm", "1.2", env=env)
    assert both.returncode == 1
    assert "another course in this build already has the id" in both.output


def test_a_rebuild_with_nothing_changed_loads_nothing_of_the_pipeline(course, tmp_path, builds):
    out = tmp_path / "dist"
    recorded(course, out, builds)
    modules, printed = modules_loaded("build", course, "--out", out, "--no-pdf", "--scorm", "1.2",
                                      env={"SOURCE_DATE_EPOCH": EPOCH, "XDG_CACHE_HOME": str(tmp_path / "cache")})
    assert UNCHANGED in printed
    assert "builder.unchanged" in modules
    assert not [m for m in modules if m in ("builder.load", "builder.build", "ruamel", "pydantic", "jinja2")]
