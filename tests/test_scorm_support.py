"""The SCORM test helpers (tests/helpers.py) check themselves: without them the suite proves nothing."""

from __future__ import annotations

import pytest
from lxml import etree

from builder.model import SCORM_VERSIONS
from helpers import IMPORTS_2004, OFFICIAL_IMPORTS, OFFICIAL_SCHEMAS, SCHEMA_CHECKSUMS, official_schema, read_checksums


@pytest.mark.parametrize("version", SCORM_VERSIONS)
def test_official_schema_refuses_a_manifest_without_resources(version):
    namespace = next(iter((OFFICIAL_IMPORTS[version][1] or IMPORTS_2004)))
    broken = f'<manifest xmlns="{namespace}" identifier="m"><organizations/></manifest>'.encode()
    root = etree.fromstring(broken)
    assert not official_schema(version).validate(root)
    assert "resources" in str(official_schema(version).error_log)


def test_official_schemas_are_present_and_listed():
    # The acceptance criteria validate against these files: without them the suite proves nothing.
    listed = read_checksums(SCHEMA_CHECKSUMS)
    assert "README.md" in listed and (OFFICIAL_SCHEMAS / "README.md").is_file()
    for folder in ("scorm12", "scorm2004-3rd", "scorm2004-4th"):
        assert any((OFFICIAL_SCHEMAS / folder).glob("*.xsd"))
        assert any(name.startswith(f"{folder}/") and name.endswith(".xsd") for name in listed)
