"""The SCORM editions coursesmith builds for, and everything that differs between them: one table.

Each edition names the player runtime it runs under (the JavaScript adapter in lms.js: "1.2" or
"2004", with the time and interaction formats of `FORMATS` that the player is handed), how much suspend_data the
player may count on, and, for the packaging step, the namespaces, the exact `schemaversion`
text, the schema set the manifest names and ships, the spelling of the SCO-type attribute and
of the course's metadata.
The player, the suspend_data budget and the packager all read this table instead of branching on
version strings. `RUNTIMES` covers what the player also runs as without a package (a runtime name
stands for the most its editions allow; "none" is the standalone preview).
"""

from __future__ import annotations

from dataclasses import dataclass

from builder.errors import refuse

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
class Formats:
    """How a runtime spells what the player writes: times, and an interaction's responses.

    The player gets this in its embedded data (`data()`), and lms.js formats by it instead of
    branching on the version. Response patterns follow the interaction type of the question
    (questions.py): `choice` and `sequencing` list choice ids, `matching` lists pairs of them.
    """

    duration: str                   # session time and latency: "timespan" (CMITimespan HHHH:MM:SS.SS) or "iso8601" (PT1H2M5.46S)
    interaction_time: str           # the interaction's element, "time" (HH:MM:SS) or "timestamp" (YYYY-MM-DDThh:mm:ss)
    learner_response: str           # the interaction's element for the learner's answer
    incorrect: str                  # the result of a wrong answer
    describes: bool                 # whether an interaction carries a description (the question's prompt)
    list_separator: str             # between choice ids, or between pairs
    pair_separator: str             # between a matching pair's two ids
    true_false: tuple[str, str]     # how true and false are written
    text: str                       # a typed text: "cut" (kept as typed, cut at 255) or "localized" (SCORM 2004's one-line form)
    correct_texts: int              # how many accepted fill-in answers the LMS is given
    case_matters: str               # put before a case-sensitive fill-in pattern
    numeric_range: str              # between a numeric pattern's bounds; "" gives the answer itself

    def data(self) -> dict:
        return {"duration": self.duration, "interactionTime": self.interaction_time,
                "learnerResponse": self.learner_response, "incorrect": self.incorrect,
                "describes": self.describes, "listSeparator": self.list_separator,
                "pairSeparator": self.pair_separator, "trueFalse": list(self.true_false), "text": self.text,
                "correctTexts": self.correct_texts, "caseMatters": self.case_matters,
                "numericRange": self.numeric_range}


FORMATS = {
    "1.2": Formats(duration="timespan", interaction_time="time", learner_response="student_response",
                   incorrect="wrong", describes=False, list_separator=",", pair_separator=".",
                   true_false=("t", "f"), text="cut", correct_texts=1, case_matters="", numeric_range=""),
    "2004": Formats(duration="iso8601", interaction_time="timestamp", learner_response="learner_response",
                    incorrect="incorrect", describes=True, list_separator="[,]", pair_separator="[.]",
                    true_false=("true", "false"), text="localized", correct_texts=5,
                    case_matters="{case_matters=true}", numeric_range="[:]"),
}


@dataclass(frozen=True)
class Runtime:
    name: str                       # the player's adapter: "1.2", "2004", or "none" (no LMS)
    suspend_data_limit: int         # characters of suspend_data it may count on

    @property
    def formats(self) -> Formats | None:
        """How this runtime's LMS wants times and responses written; None without an LMS."""
        return FORMATS.get(self.name)


@dataclass(frozen=True)
class Metadata:
    """How an edition's manifest spells the course's metadata: SCORM 1.2 inlines IMS Meta-data
    1.2.1, SCORM 2004 IEEE LOM; the same few facts under other names."""

    namespace: str
    string: str                     # the element holding one language's text
    language_attribute: str         # how that element names its language
    identifier_catalog: bool        # LOM writes the identifier as catalog + entry, IMS MD as text
    lifecycle: str
    learning_time: str
    learning_time_value: str


_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
IMSMD_METADATA = Metadata(IMSMD_12, "langstring", _XML_LANG, identifier_catalog=False,
                          lifecycle="lifecycle", learning_time="typicallearningtime", learning_time_value="datetime")
LOM_METADATA = Metadata(LOM, "string", "language", identifier_catalog=True,
                        lifecycle="lifeCycle", learning_time="typicalLearningTime", learning_time_value="duration")


@dataclass(frozen=True)
class Edition:
    version: str                    # as written in course.yaml: "1.2", "2004-3rd", "2004-4th"
    name: str                       # for people: "SCORM 2004 4th Edition"
    runtime: str                    # the player's adapter for it: "1.2" or "2004"
    # The SCORM books' smallest permitted maximum: 2004 3rd Edition promises 4000 characters,
    # the 4th raised it to 64000.
    suspend_data_limit: int
    file_tag: str                   # in the zip name: "scorm2004-4th"
    schema_folder: str              # folder of the official XSDs, under templates/scorm/schemas/
    schemaversion: str              # exact text of <schemaversion>
    namespaces: tuple[tuple[str | None, str], ...]       # prefix -> namespace, in manifest order
    schema_locations: tuple[tuple[str, str], ...]       # namespace -> XSD file at the zip root
    xml_namespace_schema: str       # the local file that defines xml:lang in this set
    scorm_type: str                 # "scormtype" (1.2) or "scormType" (2004)
    metadata: Metadata              # the manifest's metadata vocabulary

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
    runtime="1.2",
    suspend_data_limit=4096,
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
    metadata=IMSMD_METADATA,
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

def _scorm_2004(edition: str, suspend_data_limit: int) -> Edition:
    """SCORM 2004's editions share namespaces, schema layout and runtime; they differ in name,
    schema files and the suspend_data they promise."""
    return Edition(
        version=f"2004-{edition}",
        name=f"SCORM 2004 {edition} Edition",
        runtime="2004",
        suspend_data_limit=suspend_data_limit,
        file_tag=f"scorm2004-{edition}",
        schema_folder=f"scorm2004-{edition}",
        schemaversion=f"2004 {edition} Edition",
        namespaces=_2004_NAMESPACES,
        schema_locations=_2004_LOCATIONS,
        xml_namespace_schema="xml.xsd",
        scorm_type="scormType",
        metadata=LOM_METADATA,
    )


_SCORM_2004_3RD = _scorm_2004("3rd", suspend_data_limit=4000)
_SCORM_2004_4TH = _scorm_2004("4th", suspend_data_limit=64000)

EDITIONS = {e.version: e for e in (_SCORM_12, _SCORM_2004_3RD, _SCORM_2004_4TH)}
SCORM_VERSIONS = tuple(EDITIONS)
DEFAULT_SCORM_VERSIONS = ("1.2", "2004-4th")        # what a course.yaml without `scorm: versions:` gets
RUNTIMES = {
    runtime: Runtime(runtime, max(e.suspend_data_limit for e in EDITIONS.values() if e.runtime == runtime))
    for runtime in dict.fromkeys(e.runtime for e in EDITIONS.values())
} | {"none": Runtime("none", 64000)}


def edition(version: str) -> Edition:
    try:
        return EDITIONS[version]
    except KeyError:
        raise refuse("CS708", f"unknown SCORM version {version!r}", hint="use one of " + ", ".join(EDITIONS)) from None


def runtime(version: str) -> Runtime:
    """What the player runs as for an edition ("2004-3rd") or a runtime name ("2004", "none"):
    the adapter, and the suspend_data it may count on (the edition's own limit, where one is named)."""
    if version in EDITIONS:
        ed = EDITIONS[version]
        return Runtime(ed.runtime, ed.suspend_data_limit)
    try:
        return RUNTIMES[version]
    except KeyError:
        raise refuse("CS708", f"unknown player version {version!r}",
                     hint="use one of " + ", ".join(dict.fromkeys([*EDITIONS, *RUNTIMES]))) from None

