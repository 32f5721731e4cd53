"""The three SCORM editions coursesmith packages for, and what differs between them.

Everything edition-specific (namespaces, the exact `schemaversion` text, which schema files the
manifest names, the spelling of the SCO-type attribute) lives here, so the manifest writer, the
validator and the checks read one table instead of branching on version strings.
"""

from __future__ import annotations

from dataclasses import dataclass

from builder.errors import refuse
from builder.model import SCORM_VERSIONS

XSI = "http://www.w3.org/2001/XMLSchema-instance"
IMSCP_12 = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
ADLCP_12 = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
IMSMD_12 = "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"
IMSCP_2004 = "http://www.imsglobal.org/xsd/imscp_v1p1"
ADLCP_2004 = "http://www.adlnet.org/xsd/adlcp_v1p3"
ADLSEQ = "http://www.adlnet.org/xsd/adlseq_v1p3"
ADLNAV = "http://www.adlnet.org/xsd/adlnav_v1p3"
IMSSS = "http://www.imsglobal.org/xsd/imsss"
LOM = "http://ltsc.ieee.org/xsd/LOM"


@dataclass(frozen=True)
class Edition:
    version: str                    # as written in course.yaml: "1.2", "2004-3rd", "2004-4th"
    name: str                       # for people: "SCORM 2004 4th Edition"
    file_tag: str                   # in the zip name: "scorm2004-4th"
    schema_folder: str              # folder of the official XSDs, under templates/scorm/schemas/
    schemaversion: str              # exact text of <schemaversion>
    namespaces: tuple[tuple[str | None, str], ...]       # prefix -> namespace, in manifest order
    schema_locations: tuple[tuple[str, str], ...]       # namespace -> XSD file at the zip root
    xml_namespace_schema: str       # the local file that defines xml:lang in this set
    scorm_type: str                 # "scormtype" (1.2) or "scormType" (2004)

    @property
    def is_2004(self) -> bool:
        return self.version != "1.2"

    @property
    def cp(self) -> str:
        return dict(self.namespaces)[None]

    @property
    def adlcp(self) -> str:
        return dict(self.namespaces)["adlcp"]

    @property
    def schema_location_attribute(self) -> str:
        return " ".join(f"{ns} {location}" for ns, location in self.schema_locations)


_SCORM_12 = Edition(
    version="1.2",
    name="SCORM 1.2",
    file_tag="scorm12",
    schema_folder="scorm12",
    schemaversion="1.2",
    namespaces=((None, IMSCP_12), ("adlcp", ADLCP_12), ("imsmd", IMSMD_12), ("xsi", XSI)),
    schema_locations=(
        (IMSCP_12, "imscp_rootv1p1p2.xsd"),
        (IMSMD_12, "imsmd_rootv1p2p1.xsd"),
        (ADLCP_12, "adlcp_rootv1p2.xsd"),
    ),
    xml_namespace_schema="ims_xml.xsd",
    scorm_type="scormtype",
)

_2004_NAMESPACES = (
    (None, IMSCP_2004),
    ("adlcp", ADLCP_2004),
    ("adlseq", ADLSEQ),
    ("adlnav", ADLNAV),
    ("imsss", IMSSS),
    ("lom", LOM),
    ("xsi", XSI),
)
_2004_LOCATIONS = (
    (IMSCP_2004, "imscp_v1p1.xsd"),
    (ADLCP_2004, "adlcp_v1p3.xsd"),
    (ADLSEQ, "adlseq_v1p3.xsd"),
    (ADLNAV, "adlnav_v1p3.xsd"),
    (IMSSS, "imsss_v1p0.xsd"),
    (LOM, "lom.xsd"),
)

_SCORM_2004_3RD = Edition(
    version="2004-3rd",
    name="SCORM 2004 3rd Edition",
    file_tag="scorm2004-3rd",
    schema_folder="scorm2004-3rd",
    schemaversion="2004 3rd Edition",
    namespaces=_2004_NAMESPACES,
    schema_locations=_2004_LOCATIONS,
    xml_namespace_schema="xml.xsd",
    scorm_type="scormType",
)

_SCORM_2004_4TH = Edition(
    version="2004-4th",
    name="SCORM 2004 4th Edition",
    file_tag="scorm2004-4th",
    schema_folder="scorm2004-4th",
    schemaversion="2004 4th Edition",
    namespaces=_2004_NAMESPACES,
    schema_locations=_2004_LOCATIONS,
    xml_namespace_schema="xml.xsd",
    scorm_type="scormType",
)

EDITIONS = {e.version: e for e in (_SCORM_12, _SCORM_2004_3RD, _SCORM_2004_4TH)}
assert tuple(EDITIONS) == SCORM_VERSIONS, "the model and the packager must agree on the versions"


def edition(version: str) -> Edition:
    try:
        return EDITIONS[version]
    except KeyError:
        raise refuse("CS708", f"unknown SCORM version {version!r}", hint="use one of " + ", ".join(EDITIONS)) from None
