"""SCORM packaging: imsmanifest.xml per edition, offline schema validation, deterministic zips."""

from builder.editions import EDITIONS, Edition, edition
from builder.scorm.checks import check_package, validate_manifest
from builder.scorm.manifest import manifest_xml
from builder.scorm.package import package_name, write_package

__all__ = [
    "EDITIONS",
    "Edition",
    "check_package",
    "edition",
    "manifest_xml",
    "package_name",
    "validate_manifest",
    "write_package",
]
