"""The official schemas: vendored byte for byte, compiled offline, never fetched from the network.

tests/data/scorm-schemas.sha256 is the `sha256sum` listing of the official files as they were copied
(ADL / IMS / IEEE, with their provenance README; see that README for sources and commits). It was
checked once against the published checksums when it was written, and changes only with them; the
tests here prove the vendored copy in templates/scorm/schemas matches it, file for file.
"""

from __future__ import annotations

import hashlib
import http.server
import re
import shutil
import threading
from pathlib import Path

import pytest
from lxml import etree

from builder.errors import CourseError
from builder.model import SCORM_VERSIONS
from builder.scorm import edition, manifest_xml, validate_manifest
from builder.scorm.schemas import (
    XML_NAMESPACE_URLS, default_schema_root, is_remote, load_schema, schema_errors, schema_files,
)
from helpers import OFFICIAL_SCHEMAS, SCHEMA_CHECKSUMS, make_course, make_scos, official_schema, read_checksums


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_vendored_schemas_are_byte_identical_to_the_official_files():
    official = read_checksums(SCHEMA_CHECKSUMS)
    vendored = _tree(default_schema_root())
    assert sorted(vendored) == sorted(official)       # nothing missing, nothing added
    different = [name for name, data in vendored.items() if hashlib.sha256(data).hexdigest() != official[name]]
    assert different == []
    for folder in ("scorm12", "scorm2004-3rd", "scorm2004-4th"):
        assert sum(name.startswith(f"{folder}/") for name in official) >= 4


def test_vendored_provenance_readme_is_the_official_one():
    # Sources, commits and licences of the files travel with them into the wheel.
    readme = (default_schema_root() / "README.md").read_bytes()
    assert hashlib.sha256(readme).hexdigest() == read_checksums(SCHEMA_CHECKSUMS)["README.md"]


def test_the_readme_publishes_the_same_checksums():
    readme = (default_schema_root() / "README.md").read_text(encoding="utf-8")
    published = dict((path, digest) for digest, path in re.findall(r"^([0-9a-f]{64})  (\S+)$", readme, re.M))
    assert len(published) > 60
    official = read_checksums(SCHEMA_CHECKSUMS)
    assert published == {name: digest for name, digest in official.items() if name != "README.md"}
    for path, digest in published.items():
        assert hashlib.sha256((default_schema_root() / path).read_bytes()).hexdigest() == digest, path


@pytest.mark.parametrize("version", SCORM_VERSIONS)
def test_schemas_compile_from_local_files_only(version):
    ed = edition(version)
    _, resolver = load_schema(ed, OFFICIAL_SCHEMAS)
    folder = (OFFICIAL_SCHEMAS / ed.schema_folder).resolve()
    assert resolver.refused == []
    for url in resolver.requested:
        # The one remote location in the official files (4th Edition's xml.xsd) is served locally.
        assert url in XML_NAMESPACE_URLS or Path(url).resolve().is_relative_to(folder), url


def test_scorm12_needs_the_in_memory_wildcard_fix_and_leaves_the_file_alone():
    folder = OFFICIAL_SCHEMAS / "scorm12"
    before = (folder / "imsmd_rootv1p2p1.xsd").read_bytes()
    wrapper = ('<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">'
               '<xs:import namespace="http://www.imsglobal.org/xsd/imsmd_rootv1p2p1" '
               'schemaLocation="imsmd_rootv1p2p1.xsd"/></xs:schema>')
    parser = etree.XMLParser(no_network=True)
    with pytest.raises(etree.XMLSchemaParseError) as refused:
        etree.XMLSchema(etree.fromstring(wrapper, parser, base_url=str(folder / "w.xsd")))
    assert any("not determinist" in entry.message for entry in refused.value.error_log)
    load_schema(edition("1.2"), OFFICIAL_SCHEMAS)          # compiles with the fix...
    assert (folder / "imsmd_rootv1p2p1.xsd").read_bytes() == before   # ...served from memory


@pytest.mark.parametrize("version", SCORM_VERSIONS)
def test_shipped_schema_set_is_closed_and_keeps_its_layout(version):
    ed = edition(version)
    files = schema_files(ed, OFFICIAL_SCHEMAS)
    named = {location for _, location in ed.schema_locations}
    assert named <= set(files)
    for name, data in files.items():
        assert data == (OFFICIAL_SCHEMAS / ed.schema_folder / name).read_bytes()
        # Every relative include/import of a shipped file is shipped too, at the same relative place.
        for location in _schema_locations(data):
            if location in XML_NAMESPACE_URLS:
                assert ed.xml_namespace_schema in files
            else:
                assert not is_remote(location)
                assert str(Path(name).parent / location).removeprefix("./") in files, (name, location)
    if ed.is_2004:
        assert {"common/dataTypes.xsd", "unique/strict.xsd", "vocab/strict.xsd", "extend/strict.xsd"} <= set(files)


def _schema_locations(data: bytes) -> list[str]:
    parser = etree.XMLParser(no_network=True, recover=True)   # ims_xml.xsd has a (harmless) NS error
    document = etree.fromstring(data, parser)
    return [e.get("schemaLocation") for e in document.iter() if e.get("schemaLocation")
            and etree.QName(e).localname in ("include", "import", "redefine")]


# --- never fetched: a local server proves nobody even tried ----------------------------------

@pytest.fixture
def http_server():
    """A real HTTP server on localhost that records every request it gets."""
    requests: list[str] = []

    class Recorder(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"/>')

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", requests
    server.shutdown()
    server.server_close()


def test_a_schema_importing_a_remote_file_is_refused_without_fetching(tmp_path, http_server):
    base, requests = http_server
    root = tmp_path / "schemas"
    shutil.copytree(OFFICIAL_SCHEMAS / "scorm2004-4th", root / "scorm2004-4th")
    adlcp = root / "scorm2004-4th" / "adlcp_v1p3.xsd"
    text = adlcp.read_text(encoding="utf-8")
    remote = f"{base}/evil.xsd"
    adlcp.write_text(text.replace(
        "</xs:annotation>",
        f'</xs:annotation>\n<xs:import namespace="urn:evil" schemaLocation="{remote}"/>', 1), encoding="utf-8")
    ed = edition("2004-4th")
    with pytest.raises(CourseError, match=re.escape(remote)):
        load_schema(ed, root)
    with pytest.raises(CourseError, match="remote"):
        schema_files(ed, root)
    assert requests == []


def test_a_manifest_naming_a_remote_schema_is_refused_without_fetching(http_server):
    base, requests = http_server
    course = make_course()
    manifest = manifest_xml(course, "2004-4th", make_scos(course), ["index.html"])
    remote = f"{base}/imscp_v1p1.xsd"
    manifest = manifest.replace(b"imscp_v1p1 imscp_v1p1.xsd", b"imscp_v1p1 " + remote.encode())
    with pytest.raises(CourseError, match="remote schema"):
        validate_manifest(manifest, "2004-4th", OFFICIAL_SCHEMAS)
    assert requests == []


def test_a_manifest_with_an_external_entity_does_not_load_it(tmp_path, http_server):
    base, requests = http_server
    course = make_course()
    manifest = manifest_xml(course, "1.2", make_scos(course), ["index.html"])
    manifest = manifest.replace(
        b'<?xml version="1.0" encoding="UTF-8"?>\n',
        f'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE manifest SYSTEM "{base}/x.dtd">\n'.encode())
    with pytest.raises(CourseError, match="DOCTYPE"):
        validate_manifest(manifest, "1.2", OFFICIAL_SCHEMAS)
    assert requests == []


@pytest.mark.parametrize("version", SCORM_VERSIONS)
def test_the_packagers_schemas_judge_like_the_readmes_recipe(version):
    """builder.scorm compiles the files its own way (in-memory fix, closed set); the README's recipe
    in tests/helpers.py is independent of it: the two must accept and refuse the same manifests."""
    course = make_course()
    manifest = manifest_xml(course, version, make_scos(course), ["index.html"])
    document = etree.ElementTree(etree.fromstring(manifest))
    assert schema_errors(document, edition(version)) == []
    assert schema_errors(document, edition(version), OFFICIAL_SCHEMAS) == []
    assert official_schema(version).validate(document)
    broken = etree.ElementTree(etree.fromstring(manifest.replace(b"<resources>", b"<resources><junk/>")))
    assert schema_errors(broken, edition(version)) and schema_errors(broken, edition(version), OFFICIAL_SCHEMAS)
    assert not official_schema(version).validate(broken)
