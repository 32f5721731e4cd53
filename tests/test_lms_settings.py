"""What build-report.json (`lms_settings`) tells an LMS administrator to set, as measured in a
stock Moodle 5.0.6+ (README, "Tracking in an LMS")."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from builder.load import load_course
from builder.model import Reporting
from builder.scorm.lms_settings import lms_settings

ROOT = Path(__file__).resolve().parent / "roots" / "scorm-three-modules"


def settings_for(packaging: str = "single-sco", status: str = "passed/failed", versions=None) -> dict:
    course = load_course(ROOT)
    scorm = dataclasses.replace(course.scorm, packaging=packaging, reporting=Reporting(status=status),
                                versions=versions or course.scorm.versions)
    return lms_settings(dataclasses.replace(course, scorm=scorm))


def test_sco_per_module_2004_with_failed_modules_reported_completed_asks_for_passed_incomplete():
    """A failed SCORM 2004 module reports completed and failed: Moodle's "All SCOs must return
    completion status" and "Learning objects" count it as done (6 of 6 for six failed modules)."""
    notes = settings_for("sco-per-module", "passed/failed")["moodle"]["notes"]
    assert any("set scorm.reporting.status to passed/incomplete" in note for note in notes)
    assert any("Exit activity" in note for note in notes)
    notes = settings_for("sco-per-module", "passed/incomplete")["moodle"]["notes"]
    assert not any("passed/incomplete" in note for note in notes)
    assert any("Exit activity" in note for note in notes)


def test_sco_per_module_in_scorm_12_only_needs_the_settings():
    settings = settings_for("sco-per-module", versions=("1.2",))
    assert settings["moodle"]["notes"] == []
    assert settings["moodle"]["completion"].startswith("Require status: Passed, and All SCOs must return")


def test_what_was_not_measured_says_so():
    settings = settings_for()
    assert settings["moodle"]["measured"] == "Moodle 5.0.6+, stock"
    assert settings["totara"]["measured"] is False
    assert any(note.startswith("not measured") for note in settings["totara"]["notes"])
    assert settings["cornerstone"]["measured"] is False
