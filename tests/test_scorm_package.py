"""The SCORM zips: built from real course folders, opened, and checked rule by rule."""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import zipfile
import zlib
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import pytest
from lxml import html

from builder.errors import CourseError
from builder.load import load_course
from builder.model import SCORM_VERSIONS, ScormSettings
from builder.player import PlayerFiles
from builder.sco import Sco
from builder.scorm import check_package, edition, manifest_xml, package_name, validate_manifest, write_package
from builder.scorm.schemas import schema_files
from helpers import (
    ROOTS, OFFICIAL_SCHEMAS, STAGING, assert_officially_valid, make_course, make_scos,
)

EPOCH = 1_700_000_000            # 2023-11-14 22:13:20 UTC
XS_ID = re.compile(r"[A-Za-z_][A-Za-z0-9._-]*\Z")


@pytest.fixture(autouse=True)
def fixed_source_date(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))


def with_packaging(course, packaging):
    return replace(course, scorm=ScormSettings(versions=course.scorm.versions, packaging=packaging))


def stage(course, tmp_path: Path) -> tuple[Path, tuple[Sco, ...]]:
    """A stand-in player's hand-over (tests/roots/scorm-staging): small files a test can break."""
    staging = tmp_path / "staging"
    shutil.copytree(STAGING, staging, ignore=shutil.ignore_patterns("sco"))
    (staging / "sco").mkdir()
    for module in course.modules:
        shutil.copy(STAGING / "sco" / "01-safe-moving.html", staging / "sco" / f"{module.id}.html")
    return staging, make_scos(course)


def files_in(folder: Path) -> dict[str, bytes]:
    """A folder's files by package path: how a test hands its stand-in player's files over."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def build_zip(course, version, tmp_path: Path, **kwargs) -> tuple[Path, tuple[Sco, ...]]:
    """What `coursesmith build` does for one version: the real player, then the packager."""
    player = PlayerFiles(course)
    tmp_path.mkdir(parents=True, exist_ok=True)
    zip_path = tmp_path / package_name(course, version)
    write_package(course, version, player.files(version), player.scos, zip_path, **kwargs)
    return zip_path, player.scos


# --- names ----------------------------------------------------------------------------------

def test_package_names_carry_course_id_version_and_scorm_version():
    course = load_course(ROOTS / "scorm-three-modules")
    assert [package_name(course, v) for v in SCORM_VERSIONS] == [
        "3-module-course-2.1.0-scorm12.zip",
        "3-module-course-2.1.0-scorm2004-3rd.zip",
        "3-module-course-2.1.0-scorm2004-4th.zip",
    ]
    with pytest.raises(CourseError, match="unknown SCORM version"):
        package_name(course, "2004-2nd")


# --- end to end: every course root x packaging x version ------------------------------------

def raw_compressed(zip_path: Path, info: zipfile.ZipInfo) -> bytes:
    with zip_path.open("rb") as stream:
        stream.seek(info.header_offset)
        header = stream.read(30)
        name_length, extra_length = struct.unpack("<HH", header[26:30])
        stream.seek(info.header_offset + 30 + name_length + extra_length)
        return stream.read(info.compress_size)


def deflate9(data: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


CASES = [(root, packaging, version)
         for root in ("scorm-three-modules", "scorm-no-quizzes")
         for packaging in ("single-sco", "sco-per-module")
         for version in SCORM_VERSIONS]


@pytest.mark.parametrize("root, packaging, version", CASES)
def test_built_package_follows_every_manifest_and_zip_rule(root, packaging, version, tmp_path):
    course = with_packaging(load_course(ROOTS / root), packaging)
    zip_path, scos = build_zip(course, version, tmp_path)
    ed = edition(version)
    with zipfile.ZipFile(zip_path) as archive:
        infos = archive.infolist()
        names = [i.filename for i in infos]
        contents = {i.filename: archive.read(i) for i in infos}

    # Zip: manifest first, then sorted; files only; one timestamp, mode and compression for all.
    assert names[0] == "imsmanifest.xml" and names[1:] == sorted(names[1:])
    assert len(names) == len(set(n.casefold() for n in names))
    for info in infos:
        assert not info.is_dir()
        assert info.date_time == (2023, 11, 14, 22, 13, 20)
        assert info.external_attr >> 16 == 0o100644 and info.create_system == 3
        assert info.compress_type == zipfile.ZIP_DEFLATED
        assert raw_compressed(zip_path, info) == deflate9(contents[info.filename]), "deflate level 9"
        assert re.fullmatch(r"[A-Za-z0-9._~/-]+", info.filename), info.filename
        assert not info.filename.startswith("/") and ".." not in info.filename.split("/")
        assert "__MACOSX" not in info.filename and not info.filename.endswith(".DS_Store")

    # Manifest: UTF-8 without BOM or DOCTYPE, valid against the official schemas.
    manifest = contents["imsmanifest.xml"]
    assert manifest.startswith(b'<?xml version="1.0" encoding="UTF-8"?>') and b"<!DOCTYPE" not in manifest
    manifest.decode("utf-8")
    root_element = assert_officially_valid(manifest, version)
    n = {"cp": ed.cp, "adlcp": ed.adlcp}
    assert root_element.findtext("cp:metadata/cp:schema", namespaces=n) == "ADL SCORM"
    assert root_element.findtext("cp:metadata/cp:schemaversion", namespaces=n) == ed.schemaversion
    assert root_element.get("version") == course.version

    # Identifiers: valid xs:IDs, unique; the default organization exists.
    identified = [e for e in root_element.iter() if e.get("identifier")]
    identifiers = [e.get("identifier") for e in identified]
    assert all(XS_ID.match(i) for i in identifiers) and len(identifiers) == len(set(identifiers))
    organizations = root_element.find("cp:organizations", namespaces=n)
    assert organizations.get("default") in identifiers

    # Files: every href exists with exact case; every entry but the manifest is listed.
    listed = {f.get("href") for f in root_element.iter(f"{{{ed.cp}}}file")}
    assert listed == set(names) - {"imsmanifest.xml"}
    resources = root_element.findall(".//cp:resource", namespaces=n)
    launches = [r.get("href") for r in resources if r.get(f"{{{ed.adlcp}}}{ed.scorm_type}") == "sco"]
    assert launches and all(launch in names and launch in listed for launch in launches)
    items = root_element.findall(".//cp:item", namespaces=n)
    expected_scos = 1 if packaging == "single-sco" else len(course.modules)
    assert len(launches) == len(items) == expected_scos

    # Schemas: those xsi:schemaLocation names, and what they include, at the root, unchanged.
    locations = root_element.get("{http://www.w3.org/2001/XMLSchema-instance}schemaLocation").split()[1::2]
    assert locations and all(location in names for location in locations)
    shipped = [name for name in names if name.endswith(".xsd")]
    for name in shipped:
        assert contents[name] == (OFFICIAL_SCHEMAS / ed.schema_folder / name).read_bytes()
    if ed.is_2004:
        assert "common/elementTypes.xsd" in shipped and "vocab/strict.xsd" in shipped

    # Launch pages: language and encoding declared.
    for launch in launches:
        page = html.document_fromstring(contents[launch])
        assert page.get("lang") == course.language
        assert page.find(".//meta[@charset]").get("charset").lower() == "utf-8"

    # Pass marks: what the SCOs carry, where each edition wants it.
    masteries = [sco.mastery_percent for sco in scos]
    if root == "scorm-three-modules" and packaging == "sco-per-module":
        assert masteries == [75, None, 80]
    if version == "1.2":
        scores = [i.findtext("adlcp:masteryscore", namespaces=n) for i in items]
        assert scores == [None if m is None else str(m) for m in masteries]
    else:
        ss = "{http://www.imsglobal.org/xsd/imsss}"
        for item, mastery in zip(items, masteries):
            primary = item.find(f"{ss}sequencing/{ss}objectives/{ss}primaryObjective")
            measure = primary.findtext(f"{ss}minNormalizedMeasure")
            assert (measure is None) == (mastery is None)
            if mastery is not None:
                assert primary.get("satisfiedByMeasure") == "true" and float(measure) == mastery / 100


def test_rebuild_is_byte_identical(tmp_path):
    course = with_packaging(load_course(ROOTS / "scorm-three-modules"), "sco-per-module")
    for version in SCORM_VERSIONS:
        first = build_zip(course, version, tmp_path / version / "one")[0].read_bytes()
        second = build_zip(course, version, tmp_path / version / "elsewhere" / "two")[0].read_bytes()
        assert first == second
        assert b"elsewhere" not in second and str(tmp_path).encode() not in second


def test_source_date_epoch_changes_only_the_timestamps(tmp_path, monkeypatch):
    course = load_course(ROOTS / "scorm-three-modules")
    first = build_zip(course, "1.2", tmp_path / "a")[0]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1600000000")
    second = build_zip(course, "1.2", tmp_path / "b")[0]
    with zipfile.ZipFile(first) as a, zipfile.ZipFile(second) as b:
        assert {i.date_time for i in b.infolist()} == {(2020, 9, 13, 12, 26, 40)}
        assert [(i.filename, a.read(i)) for i in a.infolist()] == [(i.filename, b.read(i)) for i in b.infolist()]


def test_timestamps_come_from_the_courses_last_commit(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    repo = tmp_path / "repo"
    shutil.copytree(ROOTS / "scorm-three-modules", repo / "course")
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org",
           "GIT_AUTHOR_DATE": "@1500000000 +0000", "GIT_COMMITTER_DATE": "@1500000000 +0000"}
    for command in (["git", "init", "-q"], ["git", "add", "."], ["git", "commit", "-q", "-m", "course"]):
        subprocess.run(command, cwd=repo, env=env, check=True)
    course = load_course(repo / "course")
    with zipfile.ZipFile(build_zip(course, "2004-4th", tmp_path)[0]) as archive:
        assert {i.date_time for i in archive.infolist()} == {(2017, 7, 14, 2, 40, 0)}


def test_timestamps_fall_back_to_2020_outside_git(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    shutil.copytree(ROOTS / "scorm-three-modules", tmp_path / "course")
    course = load_course(tmp_path / "course")
    with zipfile.ZipFile(build_zip(course, "1.2", tmp_path)[0]) as archive:
        assert {i.date_time for i in archive.infolist()} == {(2020, 1, 1, 0, 0, 0)}


def test_an_explicit_source_date_is_used(tmp_path):
    course = load_course(ROOTS / "scorm-three-modules")
    date = datetime(2024, 5, 1, 10, 0, 0, tzinfo=timezone.utc)
    with zipfile.ZipFile(build_zip(course, "1.2", tmp_path, source_date=date)[0]) as archive:
        assert {i.date_time for i in archive.infolist()} == {(2024, 5, 1, 10, 0, 0)}


def test_packages_validate_with_the_vendored_schemas_too(tmp_path):
    # What an installed wheel uses (no ../shared next to it).
    course = load_course(ROOTS / "scorm-no-quizzes")
    for version in SCORM_VERSIONS:
        with zipfile.ZipFile(build_zip(course, version, tmp_path / version)[0]) as archive:
            validate_manifest(archive.read("imsmanifest.xml"), version)


# --- write_package refuses broken staging, and writes nothing -------------------------------

def refused(tmp_path, match, version="2004-4th", scos=None, change=None, packaging="single-sco"):
    course = with_packaging(load_course(ROOTS / "scorm-three-modules"), packaging)
    staging, default_scos = stage(course, tmp_path)
    if change:
        change(staging)
    zip_path = tmp_path / "out" / package_name(course, version)
    zip_path.parent.mkdir()
    with pytest.raises(CourseError, match=match) as error:
        write_package(course, version, files_in(staging), scos or default_scos, zip_path)
    assert list(zip_path.parent.iterdir()) == [], "nothing may be written"
    # The CLI shows each problem located in the package: its manifest line, or the file concerned.
    assert all(p.path.startswith(zip_path.name) for p in error.value.problems), error.value.problems
    return error.value


def _write(relative, data=b"x"):
    def change(staging):
        path = staging / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return change


def _edit(relative, old, new):
    def change(staging):
        path = staging / relative
        path.write_bytes(path.read_bytes().replace(old, new))
    return change


@pytest.mark.parametrize("version", SCORM_VERSIONS)
def test_missing_launch_file_is_refused(tmp_path, version):
    scos = (Sco("3-module-course", "Course", "start.html", ("01-safe-moving",), 80),)
    refused(tmp_path, "'start.html' names a file that is not in the package", version, scos=scos)


def test_launch_file_differing_in_case_is_refused(tmp_path):
    scos = (Sco("3-module-course", "Course", "Index.html", ("01-safe-moving",), 80),)
    error = refused(tmp_path, "case differs", scos=scos)
    assert "'index.html'" in str(error)


@pytest.mark.parametrize("name, match", [
    ("notes for me.txt", "without spaces"),
    ("café.txt", "ASCII"),
    ("__MACOSX/._index.html", "litter"),
    (".DS_Store", "litter"),
    ("assets/.DS_Store", "litter"),
    ("player/Player.js", "clash"),
    ("weird#name.js", "mishandle"),
])
def test_bad_file_names_are_refused(tmp_path, name, match):
    refused(tmp_path, match, change=_write(name))


@pytest.mark.parametrize("version, name", [("1.2", "imsmanifest.xml"), ("1.2", "ims_xml.xsd"),
                                           ("2004-4th", "common/dataTypes.xsd"), ("2004-3rd", "IMSManifest.xml")])
def test_player_files_may_not_shadow_manifest_or_schemas(tmp_path, version, name):
    refused(tmp_path, "clash with the manifest or schema files", version, change=_write(name))


def test_launch_page_without_language_is_refused(tmp_path):
    refused(tmp_path, "no lang attribute", change=_edit("index.html", b' lang="en-GB"', b""))


def test_launch_page_without_utf8_charset_is_refused(tmp_path):
    refused(tmp_path, "charset", change=_edit("index.html", b'<meta charset="utf-8">', b""))


def test_a_page_loading_from_a_cdn_is_refused(tmp_path):
    refused(tmp_path, "loads https://cdn.example.org/lib.js from outside the package",
            change=_edit("index.html", b'src="player/player.js"', b'src="https://cdn.example.org/lib.js"'))


def test_a_page_referring_to_a_missing_file_is_refused(tmp_path):
    refused(tmp_path, "assets/missing.svg, which is not in the package", packaging="sco-per-module",
            change=_edit("sco/02-reading-only.html", b"../assets/bed-edge.svg", b"../assets/missing.svg"))


# --- check_package: manifest and files must agree ------------------------------------------

def _package(version):
    course = make_course()
    content = {p.relative_to(STAGING).as_posix(): p.read_bytes() for p in sorted(STAGING.rglob("*")) if p.is_file()}
    schemas = schema_files(edition(version), OFFICIAL_SCHEMAS)
    manifest = manifest_xml(course, version, make_scos(course), sorted(content), schema_names=list(schemas))
    return manifest, {"imsmanifest.xml": manifest, **schemas, **content}


def _check(manifest, entries, version):
    document = validate_manifest(manifest, version, OFFICIAL_SCHEMAS)
    check_package(document, entries, version)


@pytest.mark.parametrize("version", SCORM_VERSIONS)
def test_check_package_accepts_the_unchanged_package(version):
    _check(*_package(version), version)


@pytest.mark.parametrize("version", SCORM_VERSIONS)
def test_a_file_not_listed_in_the_manifest_is_refused(version):
    manifest, entries = _package(version)
    manifest = manifest.replace(b'      <file href="course.json"/>\n', b"")
    with pytest.raises(CourseError, match="'course.json' is in the package but no <file> element lists it"):
        _check(manifest, {**entries, "imsmanifest.xml": manifest}, version)


@pytest.mark.parametrize("version", SCORM_VERSIONS)
def test_a_listed_file_missing_from_the_zip_is_refused(version):
    manifest, entries = _package(version)
    del entries["player/style.css"]
    with pytest.raises(CourseError, match="'player/style.css' names a file that is not in the package"):
        _check(manifest, entries, version)


@pytest.mark.parametrize("version", SCORM_VERSIONS)
def test_a_schema_named_but_not_shipped_is_refused(version):
    manifest, entries = _package(version)
    location = edition(version).schema_locations[-1][1]
    manifest = manifest.replace(f'      <file href="{location}"/>\n'.encode(), b"")
    del entries[location]
    with pytest.raises(CourseError, match=f"schema '{location}' named in xsi:schemaLocation is not shipped"):
        _check(manifest, {**entries, "imsmanifest.xml": manifest}, version)


def test_a_manifest_missing_from_the_root_is_refused():
    manifest, entries = _package("1.2")
    entries["course/imsmanifest.xml"] = entries.pop("imsmanifest.xml")
    with pytest.raises(CourseError, match="imsmanifest.xml is missing from the package root"):
        check_package(validate_manifest(manifest, "1.2", OFFICIAL_SCHEMAS), entries, "1.2")


def test_duplicate_entries_differing_in_case_are_refused():
    manifest, entries = _package("1.2")
    entries["Course.json"] = b"{}"
    with pytest.raises(CourseError, match="'course.json' and 'Course.json' clash"):
        _check(manifest, entries, "1.2")


def test_a_zip_path_with_backslash_or_dot_dot_is_refused():
    manifest, entries = _package("2004-3rd")
    with pytest.raises(CourseError) as error:
        _check(manifest, {**entries, "player\\x.js": b"", "../x.js": b"", "/abs.js": b""}, "2004-3rd")
    message = str(error.value)
    assert "backslash" in message and "'..'" in message and "absolute" in message
