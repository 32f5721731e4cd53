"""The official SCORM XSDs: compile them offline, validate manifests, list the files to ship.

The schema files are data copied byte for byte from ADL/IMS/IEEE (templates/scorm/schemas/, see
its README). Two facts shape this module:
- nothing may ever be fetched from the network: a resolver serves the XML-namespace schema from
  the local copy and refuses every other remote URL, so a changed schema that points at http://
  fails the build instead of quietly downloading (or hanging on a hospital network);
- SCORM 1.2's IMS MD schema ends content models with `##any` wildcards that break XML Schema's
  unique-particle-attribution rule, so libxml2 refuses it. It is served with `##any` -> `##other`
  in memory only; that still validates every IMS MD element.
"""

from __future__ import annotations

import functools
import posixpath
from pathlib import Path
from urllib.parse import urlsplit

from lxml import etree

from builder.errors import refuse
from builder.paths import templates_dir
from builder.editions import Edition

XS = "http://www.w3.org/2001/XMLSchema"
# The only remote locations the official files use: all name the XML namespace's own schema.
XML_NAMESPACE_URLS = frozenset({
    "http://www.w3.org/2001/xml.xsd",
    "http://www.w3.org/2001/03/xml.xsd",
    "http://www.w3.org/XML/1998/namespace",
})
_LENIENT_IMSMD = "imsmd_rootv1p2p1.xsd"


def default_schema_root() -> Path:
    """The vendored copy, present in a checkout and in an installed wheel."""
    return templates_dir() / "scorm" / "schemas"


def schema_dir(edition: Edition, root: Path | None = None) -> Path:
    return (root or default_schema_root()) / edition.schema_folder


def is_remote(url: str) -> bool:
    scheme = urlsplit(url).scheme.lower()
    # One-letter "schemes" are Windows drive letters, not URLs.
    return len(scheme) > 1 and scheme != "file"


def safe_parser() -> etree.XMLParser:
    """A parser that never touches the network and never expands entities."""
    return etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False)


class OfflineResolver(etree.Resolver):
    """Serves schema files from one local folder; records every URL and refuses remote ones."""

    def __init__(self, folder: Path, edition: Edition):
        super().__init__()
        self.folder = folder
        self.edition = edition
        self.requested: list[str] = []
        self.refused: list[str] = []

    def resolve(self, url, pubid, context):
        self.requested.append(url)
        if url in XML_NAMESPACE_URLS:
            return self.resolve_filename(str(self.folder / self.edition.xml_namespace_schema), context)
        if is_remote(url):
            self.refused.append(url)
            raise refuse("CS707", f"remote schema location {url} refused")
        if url.endswith("/" + _LENIENT_IMSMD) and self.edition.version == "1.2":
            return self.resolve_string(_lenient_imsmd(Path(url)), context, base_url=url)
        return None


def _lenient_imsmd(path: Path) -> bytes:
    return path.read_bytes().replace(b'namespace="##any"', b'namespace="##other"')


def _wrapper(edition: Edition) -> bytes:
    """A schema importing every namespace a manifest of this edition may use."""
    root = etree.Element(f"{{{XS}}}schema", nsmap={"xs": XS})
    for namespace, location in edition.schema_locations:
        etree.SubElement(root, f"{{{XS}}}import", namespace=namespace, schemaLocation=location)
    return etree.tostring(root)


def load_schema(edition: Edition, root: Path | None = None) -> tuple[etree.XMLSchema, OfflineResolver]:
    """Compile the edition's schemas (uncached); returns the resolver too, for its URL record."""
    folder = schema_dir(edition, root)
    if not folder.is_dir():
        raise refuse("CS707", f"the {edition.name} schema folder is missing: {folder}")
    resolver = OfflineResolver(folder, edition)
    parser = safe_parser()
    parser.resolvers.add(resolver)
    try:
        wrapper = etree.fromstring(_wrapper(edition), parser, base_url=str(folder / "wrapper.xsd"))
        schema = etree.XMLSchema(wrapper)
    except (etree.XMLSchemaParseError, etree.XMLSyntaxError) as error:
        if resolver.refused:
            raise refuse("CS707", f"{edition.name} schemas refer to a remote location: " + ", ".join(resolver.refused),
                         hint="schemas are loaded offline only; ship the referenced file and point at it relatively",
                         ) from None
        raise refuse("CS707", f"the {edition.name} schemas in {folder} do not compile: {error}") from None
    return schema, resolver


@functools.lru_cache(maxsize=8)
def _cached_schema(edition: Edition, root: Path | None) -> etree.XMLSchema:
    return load_schema(edition, root)[0]


def compiled_schema(edition: Edition, root: Path | None = None) -> etree.XMLSchema:
    """The edition's compiled schema, compiled once per process and folder."""
    return _cached_schema(edition, root.resolve() if root else None)


def schema_errors(document: etree._ElementTree, edition: Edition, root: Path | None = None) -> list[tuple[int, str]]:
    """Each way `document` breaks the edition's schemas: (line in the manifest, message)."""
    schema = compiled_schema(edition, root)
    if schema.validate(document):
        return []
    return [(e.line, e.message) for e in schema.error_log]


def schema_files(edition: Edition, root: Path | None = None) -> dict[str, bytes]:
    """Every file the manifest's xsi:schemaLocation names, plus what they include/import.

    Paths are relative to the edition's folder (and so to the zip root), keeping the LOM
    binding's `common/`, `unique/`, `vocab/`, `extend/` layout that lom.xsd includes relatively.
    """
    folder = schema_dir(edition, root)
    found: dict[str, bytes] = {}
    pending = [location for _, location in edition.schema_locations]
    while pending:
        name = pending.pop()
        if name in found:
            continue
        path = folder / name
        if not path.is_file():
            raise refuse("CS707", f"{edition.name} schema file {name} is missing from {folder}")
        found[name] = path.read_bytes()
        pending.extend(_referenced_schemas(name, found[name], edition))
    return dict(sorted(found.items()))


def _referenced_schemas(name: str, data: bytes, edition: Edition) -> list[str]:
    # recover: the 2001-era ims_xml.xsd binds the xml namespace as its default, which libxml2
    # reports as an error although the file's import/include elements read fine.
    parser = etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False, recover=True)
    document = etree.fromstring(data, parser)
    references = []
    for element in document.iter(f"{{{XS}}}include", f"{{{XS}}}import", f"{{{XS}}}redefine"):
        location = element.get("schemaLocation")
        if location is None:
            continue
        if location in XML_NAMESPACE_URLS:
            references.append(edition.xml_namespace_schema)
        elif is_remote(location):
            raise refuse("CS707", f"{edition.name} schema {name} refers to the remote location {location}",
                         hint="schemas are loaded offline only; ship the referenced file and point at it relatively")
        else:
            joined = posixpath.normpath(posixpath.join(posixpath.dirname(name), location))
            if joined.startswith("../") or joined.startswith("/"):
                raise refuse("CS707", f"{edition.name} schema {name} points outside its folder: {location}")
            references.append(joined)
    return references
