"""Releases without a browser: `coursesmith diff` on the pairs the browser tests resume across
(tests/browser/test_player_releases.py), from folders, git revisions and built zips; the release
record the build keeps; the same-version warning and --strict; the summary in build-report.json
and the facilitator handout; the worst-case suspend_data with several releases recorded."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "browser"))

from builder import releases, suspend_data  # noqa: E402
from builder.editions import EDITIONS  # noqa: E402
from builder.build import BuildOptions, build_course  # noqa: E402
from builder.errors import CourseError  # noqa: E402
from builder.load import load_course  # noqa: E402
from builder.player import player_data, scos_for, worst_case_suspend_data_length  # noqa: E402
from test_player_releases import CHANGES, ROOTS, set_version  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
KEEP = "Learners who already completed or passed keep that status: the LMS's record is never moved back."
NOTHING_RESET = "Nothing is reset for learners part-way through: their progress carries over."

EXPECTED = {
    "page-added": [
        "- New page 'Capacity' in 'Next steps': learners part-way through have it still to view.",
        NOTHING_RESET, KEEP],
    "page-removed": [
        "- Page 'Welcome' removed from 'First steps'.",
        "Reset for learners part-way through:",
        "- Having viewed the removed page 'Welcome' no longer counts.", KEEP],
    "pages-reordered": ["- Pages of 'First steps' are in a new order.", NOTHING_RESET, KEEP],
    "page-text-edited": [
        "- Text of page 'Welcome' edited: learners who viewed it keep it viewed.", NOTHING_RESET],
    "question-added": [
        "- New question 'q-new' in 'Check your understanding': an attempt in progress asks it too.",
        NOTHING_RESET, KEEP],
    "answer-key-changed": [
        "- Answer key or options of question 'q-single' in 'Check your understanding' changed.",
        "Reset for learners part-way through:",
        "- An answer to question 'q-single' given in an attempt in progress is reset (finished attempts keep their scores).",
        KEEP],
    "module-added": ["- New module 'More steps' (1 page).", NOTHING_RESET, KEEP],
}


def copy_course(tmp_path: Path, name: str = "v1") -> Path:
    folder = tmp_path / name / "player-basic"
    shutil.copytree(ROOTS / "player-basic", folder)
    return folder


def coursesmith(*args, cwd=REPO):
    return subprocess.run([sys.executable, "-m", "builder", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, timeout=300)


@pytest.mark.parametrize("change", list(CHANGES))
def test_diff_says_what_each_change_means_for_learners(tmp_path, change):
    old = copy_course(tmp_path)
    new = copy_course(tmp_path, "v2")
    CHANGES[change](new)
    set_version(new, "1.1.0")
    result = coursesmith("diff", old, new)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["Version 1.0.0 to 1.1.0:"] + EXPECTED[change]


def test_diff_reads_git_revisions_and_built_zips(tmp_path):
    folder = copy_course(tmp_path)
    repo = folder.parent
    git = lambda *args: subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)
    git("init", "-q")
    git("-c", "user.name=t", "-c", "user.email=t@example.invalid", "add", ".")
    git("-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qm", "1.0.0")
    git("tag", "v1.0.0")
    old_dist = build_course(folder, BuildOptions(tmp_path / "old", scorm_versions=("1.2",), pdf=False))
    CHANGES["answer-key-changed"](folder)
    set_version(folder, "1.1.0")
    new_dist = build_course(folder, BuildOptions(tmp_path / "new", scorm_versions=("1.2",), pdf=False))
    expected = ["Version 1.0.0 to 1.1.0:"] + EXPECTED["answer-key-changed"]

    from_git = coursesmith("diff", "v1.0.0:player-basic", "player-basic", cwd=repo)
    assert from_git.returncode == 0, from_git.stderr
    assert from_git.stdout.splitlines() == expected
    zips = [next(p for p in result.outputs if p.suffix == ".zip") for result in (old_dist, new_dist)]
    from_zips = coursesmith("diff", *zips)
    assert from_zips.returncode == 0, from_zips.stderr
    assert from_zips.stdout.splitlines() == expected
    as_json = json.loads(coursesmith("diff", *zips, "--format", "json").stdout)
    assert as_json["resets"] == [EXPECTED["answer-key-changed"][2][2:]] and as_json["structureChanged"]

    unknown = coursesmith("diff", "no-such-tag:player-basic", "player-basic", cwd=repo)
    assert unknown.returncode == 1 and "git cannot give player-basic at no-such-tag" in unknown.stderr
    assert "Traceback" not in unknown.stderr


def test_the_build_keeps_a_reviewable_record_and_reports_the_release(tmp_path):
    folder = copy_course(tmp_path)
    first = build_course(folder, BuildOptions(tmp_path / "dist", scorm_versions=("1.2",), pdf=False))
    assert first.record_written
    lock = (folder / "releases.lock").read_text()
    record = json.loads(lock)
    assert [r["version"] for r in record["releases"]] == ["1.0.0"]
    assert '{"id": "01-first-steps/01-welcome", "track": "first-steps/welcome"' in lock   # a page a line
    assert set(record["releases"][0]["codec"]["player-basic"]) == {"1.2", "2004-3rd", "2004-4th"}
    # Built again unchanged: nothing to record.
    again = build_course(folder, BuildOptions(tmp_path / "dist", scorm_versions=("1.2",), pdf=False))
    assert not again.record_written and (folder / "releases.lock").read_text() == lock

    CHANGES["page-removed"](folder)
    set_version(folder, "1.1.0")
    second = build_course(folder, BuildOptions(tmp_path / "dist", scorm_versions=("1.2",), pdf=False))
    report = json.loads((second.out_dir / "build-report.json").read_text())
    assert report["course"]["version"] == "1.1.0"
    assert report["release"]["from"] == "1.0.0" and report["release"]["to"] == "1.1.0"
    assert report["release"]["resets"] == ["Having viewed the removed page 'Welcome' no longer counts."]
    assert {"path": "releases.lock", "sha256": report["inputs"][-1]["sha256"]} in report["inputs"]
    assert [r["version"] for r in json.loads((folder / "releases.lock").read_text())["releases"]] == ["1.0.0", "1.1.0"]
    # The 1.1.0 player can read 1.0.0 states: it carries that layout.
    course = load_course(folder)
    codec = player_data(course, scos_for(course)[0], "1.2", releases.read_record(folder))["codec"]
    assert [layout["release"] for layout in codec["earlier"]] == ["1.0.0"]
    assert codec["earlier"][0]["pages"] == ["first-steps/welcome", "first-steps/hand-hygiene", "next-steps/consent"]


def test_changes_under_a_recorded_version_warn_and_strict_refuses(tmp_path):
    folder = copy_course(tmp_path)
    build_course(folder, BuildOptions(tmp_path / "dist", scorm_versions=("1.2",), pdf=False))
    CHANGES["question-added"](folder)                  # the version stays 1.0.0
    lock = (folder / "releases.lock").read_bytes()
    strict = coursesmith("build", folder, "--out", tmp_path / "strict", "--scorm", "1.2", "--no-pdf", "--strict")
    assert strict.returncode == 1
    assert "player-basic/course.yaml:4:1: error: version 1.0.0 is already recorded in releases.lock" in strict.stderr
    assert "give this release a new version number" in strict.stderr
    assert (folder / "releases.lock").read_bytes() == lock and not (tmp_path / "strict").exists()
    warned = coursesmith("build", folder, "--out", tmp_path / "warned", "--scorm", "1.2", "--no-pdf")
    assert warned.returncode == 0
    assert "player-basic/course.yaml:4:1: warning: version 1.0.0 is already recorded" in warned.stderr
    assert "New question 'q-new'" in warned.stderr


def test_a_damaged_record_is_a_warning_not_a_failed_build(tmp_path):
    folder = copy_course(tmp_path)
    (folder / "releases.lock").write_text("{not json")
    result = coursesmith("build", folder, "--out", tmp_path / "dist", "--scorm", "1.2", "--no-pdf")
    assert result.returncode == 0, result.stderr
    assert "player-basic/releases.lock:1:1: warning: the release record cannot be read" in result.stderr
    assert (folder / "releases.lock").read_text() == "{not json"          # left for the author to restore


def test_version_numbers_flow_into_every_output(tmp_path):
    folder = copy_course(tmp_path)
    set_version(folder, "2.3.4")
    result = build_course(folder, BuildOptions(tmp_path / "dist", scorm_versions=("1.2", "2004-4th")))
    names = sorted(p.name for p in result.outputs)
    assert names == ["player-basic-2.3.4-participant.pdf",
                     "player-basic-2.3.4-scorm12.zip", "player-basic-2.3.4-scorm2004-4th.zip"]
    import zipfile

    for name in names[1:]:
        with zipfile.ZipFile(result.out_dir / name) as archive:
            manifest = archive.read("imsmanifest.xml").decode()
            assert 'version="2.3.4"' in manifest
            assert json.loads(archive.read(releases.PACKAGE_RELEASE_FILE))["version"] == "2.3.4"
    assert json.loads((result.out_dir / "build-report.json").read_text())["course"]["version"] == "2.3.4"
    from pypdf import PdfReader

    text = "\n".join(page.extract_text() for page in PdfReader(result.out_dir / names[0]).pages[:2])
    assert "2.3.4" in text


def test_the_facilitator_handout_carries_the_version_note(tmp_path):
    folder = copy_course(tmp_path)
    course_file = folder / "course.yaml"
    course_file.write_text(course_file.read_text().replace("editions: [participant]", "editions: [facilitator]"))
    build_course(folder, BuildOptions(tmp_path / "dist1", scorm_versions=("1.2",), pdf=False))    # records 1.0.0
    CHANGES["answer-key-changed"](folder)
    set_version(folder, "1.1.0")
    result = build_course(folder, BuildOptions(tmp_path / "dist2", scorm_versions=("1.2",)))
    from pypdf import PdfReader

    pdf = next(p for p in result.outputs if p.suffix == ".pdf")
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(pdf).pages)
    assert "Version note" in text
    assert "Version 1.0.0 to 1.1.0:" in text
    assert "Answer key or options of question 'q-single'" in text
    assert "Version 1.1.0" in text                                # the footer


def write_big_course(root: Path) -> Path:
    """The capacity test's course cut to the largest a course may be (builder/limits.py MAX_PAGES)."""
    import test_player_capacity as capacity
    from builder.limits import MAX_PAGES

    modules = capacity.MODULES
    capacity.MODULES = MAX_PAGES // capacity.PAGES
    try:
        return capacity.write_big_course(root)
    finally:
        capacity.MODULES = modules


def test_the_largest_course_still_fits_scorm_12_with_several_releases_recorded(tmp_path):
    """The worst case for the largest course supported (1000 pages, 1000 questions, one SCO) stays
    within 4096 characters however many releases are recorded: the state
    is always written in the current layout, and a release costs the header nothing. Four earlier
    releases, each with a page fewer in the first module, are recorded before the current one."""
    folder = write_big_course(tmp_path / "capacity-course")
    course = load_course(folder)
    current = releases.summary(course)
    record = releases.ReleaseRecord()
    for number in range(4):
        earlier = json.loads(json.dumps(current))
        earlier["version"] = f"0.{number + 1}.0"
        del earlier["modules"][0]["pages"][: 4 - number]
        record = releases.recorded(record, earlier)
    record = releases.recorded(record, current)
    releases.write_record(folder, record)
    record = releases.read_record(folder)
    assert [r.version for r in record.releases] == ["0.1.0", "0.2.0", "0.3.0", "0.4.0", "1.0.0"]
    (sco,) = scos_for(course)
    worst = worst_case_suspend_data_length(course, sco, "1.2")
    data = player_data(course, sco, "1.2", record)
    assert [layout["release"] for layout in data["codec"]["earlier"]] == ["0.4.0", "0.3.0", "0.2.0", "0.1.0"]
    assert data["codec"]["worstCase"] == worst <= EDITIONS["1.2"].suspend_data_limit
    print(f"\nworst-case suspend_data, {len(course.pages)} pages, {len(course.questions)} questions, "
          f"{len(record.releases)} releases recorded: {worst} of 4096 characters "
          f"(typed answers kept up to {data['codec']['textBytes']} bytes); "
          f"releases.lock {len((folder / 'releases.lock').read_bytes())} bytes")
