"""`--out`: a build only ever replaces files it wrote itself; the user's files stay byte for byte.

A build replaces OUT/<course-id>/ as a whole. What it may replace is what the previous build's
build-report.json lists, with the bytes it recorded; anything else (a spreadsheet named like an
output, a file beside the report, an output edited by hand, a symbolic link to another folder) is
an error naming the files, and nothing is touched.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest

from builder.build import BuildOptions, build_course
from builder.errors import CourseError

MINIMAL = Path(__file__).parent / "roots" / "minimal"
COURSE_ID = "minimal-course"


def _options(out: Path) -> BuildOptions:
    return BuildOptions(out_dir=out, scorm_versions=("1.2",), pdf=False)


def _snapshot(folder: Path) -> dict[str, str]:
    """Every file under `folder` (following nothing) with its sha256."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            found[path.relative_to(folder).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


@pytest.fixture
def course(tmp_path) -> Path:
    target = tmp_path / "course"
    shutil.copytree(MINIMAL, target)
    return target


def test_a_previous_build_is_replaced(course, tmp_path):
    out = tmp_path / "dist"
    build_course(course, _options(out))
    first = _snapshot(out / COURSE_ID)
    result = build_course(course, _options(out))
    assert _snapshot(out / COURSE_ID).keys() == first.keys()
    assert all(path.is_file() for path in result.outputs)


def test_users_file_named_like_an_output_is_kept(course, tmp_path):
    out = tmp_path / "out"
    folder = out / COURSE_ID
    folder.mkdir(parents=True)
    budget = folder / f"{COURSE_ID}-budget.xlsx"
    budget.write_bytes(b"PK\x03\x04 the user's own budget " + bytes(range(256)))
    before = _snapshot(out)
    with pytest.raises(CourseError) as raised:
        build_course(course, _options(out))
    assert f"{COURSE_ID}-budget.xlsx" in str(raised.value)
    assert _snapshot(out) == before


def test_users_file_beside_a_build_report_is_kept(course, tmp_path):
    out = tmp_path / "out"
    build_course(course, _options(out))
    notes = out / COURSE_ID / "my-notes.docx"
    notes.write_bytes(b"the user's notes")
    budget = out / COURSE_ID / f"{COURSE_ID}-budget.xlsx"
    budget.write_bytes(b"the user's budget")
    before = _snapshot(out)
    with pytest.raises(CourseError) as raised:
        build_course(course, _options(out))
    assert "my-notes.docx" in str(raised.value) and f"{COURSE_ID}-budget.xlsx" in str(raised.value)
    assert _snapshot(out) == before


def test_an_output_edited_by_hand_is_kept(course, tmp_path):
    out = tmp_path / "out"
    result = build_course(course, _options(out))
    package = result.outputs[0]
    package.write_bytes(b"the user replaced the package with their own file")
    before = _snapshot(out)
    with pytest.raises(CourseError) as raised:
        build_course(course, _options(out))
    assert package.name in str(raised.value)
    assert _snapshot(out) == before


def test_a_hand_written_build_report_does_not_license_deleting_files(course, tmp_path):
    out = tmp_path / "out"
    folder = out / COURSE_ID
    folder.mkdir(parents=True)
    (folder / "build-report.json").write_text('{"course": {"id": "other-course"}, "outputs": []}')
    (folder / "thesis.odt").write_bytes(b"years of work")
    before = _snapshot(out)
    with pytest.raises(CourseError) as raised:
        build_course(course, _options(out))
    assert "thesis.odt" in str(raised.value)
    assert _snapshot(out) == before


def test_a_folder_inside_the_output_folder_is_kept(course, tmp_path):
    out = tmp_path / "out"
    build_course(course, _options(out))
    (out / COURSE_ID / "photos").mkdir()
    (out / COURSE_ID / "photos" / "team.jpg").write_bytes(b"\xff\xd8\xff a photo")
    before = _snapshot(out)
    with pytest.raises(CourseError) as raised:
        build_course(course, _options(out))
    assert "photos" in str(raised.value)
    assert _snapshot(out) == before


@pytest.mark.parametrize("previous_build", [False, True], ids=["empty-target", "target-holds-a-build"])
def test_a_symlinked_output_folder_is_refused(course, tmp_path, previous_build):
    out = tmp_path / "dist"
    documents = tmp_path / "documents"
    if previous_build:
        build_course(course, _options(tmp_path / "elsewhere"))
        shutil.copytree(tmp_path / "elsewhere" / COURSE_ID, documents)
    else:
        documents.mkdir()
    (documents / "letter.odt").write_bytes(b"a letter")
    out.mkdir()
    os.symlink(documents, out / COURSE_ID)
    before = _snapshot(documents)
    with pytest.raises(CourseError) as raised:
        build_course(course, _options(out))
    assert "symbolic link" in str(raised.value)
    assert (out / COURSE_ID).is_symlink()
    assert _snapshot(documents) == before


def test_cli_names_the_files_and_exits_non_zero(course, tmp_path):
    from helpers import coursesmith

    out = tmp_path / "out"
    (out / COURSE_ID).mkdir(parents=True)
    (out / COURSE_ID / f"{COURSE_ID}-budget.xlsx").write_bytes(b"budget")
    run = coursesmith("build", course, "--out", out, "--no-pdf")
    assert run.returncode != 0
    assert f"{COURSE_ID}-budget.xlsx" in run.stderr + run.stdout
    assert "Traceback" not in run.stderr
    assert (out / COURSE_ID / f"{COURSE_ID}-budget.xlsx").read_bytes() == b"budget"
