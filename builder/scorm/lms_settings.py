"""Which LMS settings record a course's own rules, for the build report and the README.

Measured in a stock Moodle 5.0 (mod/scorm), whose SCORM code Totara shares: activity completion
"Require status" counts any one SCO of any attempt that reports passed or completed; "Require
all SCOs to return completion status" asks each SCO for one of them; "Grading method" Highest
takes the best SCO's score, Average the mean of the SCOs whose score is not 0, Learning objects
the number of SCOs passed or completed. Moodle's SCORM 2004 API stays terminated once a SCO has
called Terminate, so a multi-SCO 2004 package records only the first SCO of each visit.
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
            "completion": "Require status: Passed, and Require all SCOs to return completion status: "
                          "every module passed",
            "grading_method": "Learning objects, with Maximum grade = the number of modules: modules passed "
                              "(no setting gives the course score: Highest takes the best module, Average "
                              "leaves out modules scored 0)",
            "attempts_grading": "Highest attempt (the default)",
            "force_completed": "No (the default)",
            "notes": ["SCORM 2004: Moodle records one module per visit; the learner must leave the activity "
                      "(Exit activity) and open it again for each module. SCORM 1.2 has no such limit."]
                     if any(v.startswith("2004") for v in course.scorm.versions) else [],
        }
    return {
        "packaging": course.scorm.packaging,
        "reporting": {"status": reporting.status, "score_on_completion": reporting.score_on_completion,
                      "finish_request": reporting.finish_request},
        "moodle": dict(moodle, measured="Moodle 5.0.6+, stock"),
        "totara": dict(moodle, notes=moodle["notes"] + ["not measured: Totara's SCORM activity has Moodle's "
                                                        "settings and code and reads them the same way."]),
        "cornerstone": {
            "measured": False,
            "completion": f"the defaults: the package sends SCORM 1.2 lesson_status {passed_word}, SCORM 2004 "
                          "completion_status completed with success_status passed, only for a passed course",
            "notes": [] if course.scorm.packaging == "single-sco" else [
                "Cornerstone completes a multi-SCO course when every SCO reports its status."],
        },
    }


def _completion(status_pair: str) -> str:
    """Moodle's "Require status" for one SCO reporting `status_pair` (README, "Tracking in an LMS")."""
    if status_pair == "passed/failed":
        return ("Require status: Passed (a failed SCORM 2004 course is reported completed and failed, which "
                "'Completed' and 'Passed or Completed' count as done)")
    if status_pair == "passed/incomplete":
        return "Require status: Passed, or Passed or Completed"
    if status_pair == "completed/failed":
        return ("Require status: Completed for SCORM 1.2 (a passed course is reported completed); "
                "Passed for SCORM 2004 (a failed course is reported completed and failed)")
    return "Require status: Completed, or Passed or Completed"
