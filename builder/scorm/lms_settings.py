"""Which LMS settings record a course's own rules, for the build report and the README.

Measured in a stock Moodle 5.0.6+ (mod/scorm); Totara's SCORM activity comes from Moodle's but
was not measured. Activity completion "Require status" counts any one SCO of any attempt that
reports the required status; "All SCOs must return completion status" asks each SCO for passed or
completed; "Grading method" Highest takes the best SCO's score, Average the mean of the SCOs whose
score is not 0, Learning objects the number of SCOs whose lesson_status (1.2) or
completion_status (2004) is passed or completed, so a failed SCORM 2004 SCO (completed and
failed) counts. Moodle's SCORM 2004 API stays terminated once a SCO has called Terminate, so a
multi-SCO 2004 package records only the first SCO of each visit.
"""

from __future__ import annotations

from builder.model import Course


def lms_settings(course: Course) -> dict:
    """The settings an LMS administrator should use for `course`'s packages, per LMS."""
    reporting = course.scorm.reporting
    passed_word = reporting.status.split("/")[0]
    if course.scorm.packaging == "single-sco":
        moodle = {
            "completion": _completion(reporting.status),
            "grading_method": "Highest grade (the default): the course score",
            "attempts_grading": "Highest attempt (the default)",
            "force_completed": "No (the default)",
            "notes": [],
        }
    else:
        moodle = {
            "completion": "Require status: Passed, and All SCOs must return completion status: "
                          "every module passed",
            "grading_method": "Learning objects, with Maximum grade = the number of modules: modules passed "
                              "(no setting gives the course score: Highest takes the best module, Average "
                              "leaves out modules scored 0)",
            "attempts_grading": "Highest attempt (the default)",
            "force_completed": "No (the default)",
            "notes": _sco_per_module_notes(course),
        }
    return {
        "packaging": course.scorm.packaging,
        "reporting": {"status": reporting.status, "score_on_completion": reporting.score_on_completion,
                      "finish_request": reporting.finish_request},
        "moodle": dict(moodle, measured="Moodle 5.0.6+, stock"),
        "totara": dict(moodle, measured=False, notes=moodle["notes"] + [
            "not measured: Totara's SCORM activity comes from Moodle's and offers the same settings."]),
        "cornerstone": {
            "measured": False,
            "completion": f"the defaults: the package sends SCORM 1.2 lesson_status {passed_word}, SCORM 2004 "
                          "completion_status completed with success_status passed, only for a passed course",
            "notes": [] if course.scorm.packaging == "single-sco" else [
                "Cornerstone completes a multi-SCO course when every SCO reports its status."],
        },
    }


def _sco_per_module_notes(course: Course) -> list[str]:
    """What a multi-SCO package needs beyond the settings in SCORM 2004, where Moodle differs."""
    if not any(v.startswith("2004") for v in course.scorm.versions):
        return []
    notes = ["SCORM 2004: Moodle records one module per visit; the learner must leave the activity "
             "(Exit activity) and open it again for each module. SCORM 1.2 has no such limit."]
    if course.scorm.reporting.status.endswith("/failed"):
        notes.append("SCORM 2004: a failed module reports completed and failed, which All SCOs must return "
                     "completion status and Learning objects count as done; set scorm.reporting.status to "
                     "passed/incomplete so that a failed module reports incomplete.")
    return notes


def _completion(status_pair: str) -> str:
    """Moodle's "Require status" for one SCO reporting `status_pair` (README, "Tracking in an LMS")."""
    if status_pair == "passed/failed":
        return ("Require status: Passed (SCORM 1.2 reports a passed course as passed, which 'Completed' alone "
                "never counts; SCORM 2004 reports a failed course as completed and failed, which 'Completed' "
                "counts as done)")
    if status_pair == "passed/incomplete":
        return "Require status: Passed, or Passed or Completed"
    if status_pair == "completed/failed":
        return ("Require status: Completed for SCORM 1.2 (a passed course is reported completed); "
                "Passed for SCORM 2004 (a failed course is reported completed and failed)")
    return "Require status: Completed, or Passed or Completed"
