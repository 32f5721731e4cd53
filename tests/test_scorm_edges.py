"""Packages for courses at the edges of what the course format allows, built from real folders.

tests/roots/scorm-reserved-names: the course id and two module folders are the names of the
manifest's own shared and schema resources, and the titles are longer than SCORM's 200 characters.
"""

from __future__ import annotations

import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from lxml import etree

from builder.load import load_course
from builder.model import SCORM_VERSIONS, ScormSettings
from builder.player import PlayerFiles
from builder.scorm import edition, package_name, write_package
from helpers import ROOTS, assert_officially_valid

RESERVED = ROOTS / "scorm-reserved-names"
TITLE_LIMIT = 200      # the smallest maximum SCORM requires an LMS to store for <title>


def build(course, version: str, tmp_path: Path) -> etree._Element:
    player = PlayerFiles(course)
    zip_path = tmp_path / package_name(course, version)
    write_package(course, version, player.files(version), player.scos, zip_path)
    manifest = zipfile.ZipFile(zip_path).read("imsmanifest.xml")
    return assert_officially_valid(manifest, version)


@pytest.fixture(scope="module")
def course():
    return load_course(RESERVED)


@pytest.mark.parametrize("packaging", ["sco-per-module", "single-sco"])
@pytest.mark.parametrize("version", SCORM_VERSIONS)
def test_course_and_module_names_cannot_clash_with_the_manifests_own_identifiers(
        course, version, packaging, tmp_path):
    course = replace(course, scorm=ScormSettings(versions=course.scorm.versions, packaging=packaging))
    root = build(course, version, tmp_path)
    identifiers = [e.get("identifier") for e in root.iter() if e.get("identifier")]
    assert len(identifiers) == len(set(identifiers))
    cp = f"{{{edition(version).cp}}}"
    items = [item.get("identifier") for item in root.iter(f"{cp}item")]
    if packaging == "sco-per-module":
        assert items == ["item-shared-files", "item-schema-files", "item-01-long"]
    else:
        assert items == ["item-schema-files"]


@pytest.mark.parametrize("version", SCORM_VERSIONS)
def test_titles_longer_than_an_lms_must_store_are_shortened_at_a_word(course, version, tmp_path):
    root = build(course, version, tmp_path)
    cp = f"{{{edition(version).cp}}}"
    titles = [element.findtext(f"{cp}title") for element in root.iter(f"{cp}organization", f"{cp}item")]
    assert len(titles) == 4
    for title in titles:
        assert len(title) <= TITLE_LIMIT
    organization, _, _, long_module = titles
    assert organization.endswith("…") and course.title.startswith(organization[:-1].rstrip())
    assert long_module.endswith("…") and course.modules[2].title.startswith(long_module[:-1].rstrip())
    assert not organization[:-1].endswith(" ")        # cut at a word, not inside one
    assert course.title[len(organization) - 1] in " ,"
    # Short titles are left alone, and the catalogue metadata keeps the whole title.
    assert titles[1] == "Shared files"
    assert course.title in etree.tostring(root, encoding="unicode")
