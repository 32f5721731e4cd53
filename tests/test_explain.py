"""`coursesmith explain`: the table of what the LMS records, read straight from the rules.

Whether the table is what the player really sends is proven in the browser
(tests/browser/test_explain_agrees.py); this checks the table's shape and its command.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from builder.explain import OUTCOMES, explain, explain_sco, format_text
from builder.load import load_course
from builder.player import scos_for

from helpers import Ran
from helpers import coursesmith as run_coursesmith

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent


def coursesmith(*args: str) -> Ran:
    return run_coursesmith(*args, cwd=REPO)


def outcome(table_sco: dict, key: str) -> dict:
    return next(row for row in table_sco["outcomes"] if row["outcome"] == key)


def test_two_required_quizzes_in_one_sco():
    course = load_course(TESTS / "roots" / "player-basic")
    sco = scos_for(course)[0]
    v12, v2004 = explain_sco(course, sco, "1.2"), explain_sco(course, sco, "2004-4th")
    # Two required quizzes: no single pass mark can judge the mean, so the manifest has none.
    assert v12["mastery_in_manifest"] is None and v2004["mastery_in_manifest"] is None
    assert [row["outcome"] for row in v12["outcomes"]] == [key for key, _, _ in OUTCOMES]
    assert outcome(v12, "quiz-passed")["lms"] == {"cmi.core.lesson_status": "passed", "cmi.core.score.raw": "100"}
    # One quiz failed once (0%), the other passed (100%): the mean is sent, the verdict waits.
    assert outcome(v12, "quiz-failed-attempts-left")["lms"] == {"cmi.core.lesson_status": "incomplete",
                                                                "cmi.core.score.raw": "50"}
    assert outcome(v2004, "attempts-used-up")["lms"] == {
        "cmi.completion_status": "completed", "cmi.success_status": "failed",
        "cmi.score.scaled": "0.5", "cmi.score.raw": "50"}
    assert outcome(v2004, "attempts-used-up")["exit"] == "normal"
    assert outcome(v12, "attempts-used-up")["exit"] == ""
    assert not outcome(v12, "min-time-not-reached")["possible"]
    assert v12["suspend_data"]["limit"] == 4096 and 0 < v12["suspend_data"]["worst_case"] <= 4096


def test_a_pass_mark_in_the_manifest_holds_the_score_back_until_the_verdict():
    course = load_course(REPO / "courses" / "leading-in-social-care")
    course = dataclasses.replace(course, scorm=dataclasses.replace(course.scorm, packaging="sco-per-module"))
    table = explain(course)
    assert [entry["version"] for entry in table] == list(course.scorm.versions)
    sco = table[0]["scos"][1]
    assert sco["mastery_in_manifest"] == "80"
    assert outcome(sco, "quiz-failed-attempts-left")["lms"]["cmi.core.score.raw"] is None
    assert table[1]["scos"][1]["mastery_in_manifest"] == "0.8"


def test_min_minutes_keeps_a_passed_learner_incomplete():
    course = load_course(TESTS / "roots" / "player-basic")
    course = dataclasses.replace(course, completion=dataclasses.replace(course.completion, min_minutes=20))
    row = outcome(explain_sco(course, scos_for(course)[0], "2004-4th"), "min-time-not-reached")
    assert row["possible"]
    assert row["lms"]["cmi.completion_status"] == "incomplete" and row["lms"]["cmi.success_status"] == "unknown"


def test_no_required_quiz():
    course = load_course(REPO / "courses" / "leadership-everyones-business")
    sco = explain(course, ("1.2",))[0]["scos"][0]
    # No required quiz: 100 once completed (scorm.reporting score_on_completion, the default).
    assert outcome(sco, "pages-only")["lms"] == {"cmi.core.lesson_status": "passed", "cmi.core.score.raw": "100"}
    assert outcome(sco, "quiz-passed") == {"outcome": "quiz-passed", "label": "quiz passed", "possible": False,
                                           "why_not": "no required quiz"}
    assert "pages only" in format_text(course, explain(course))


def test_the_command_prints_the_table_as_text_and_json():
    text = coursesmith("explain", "tests/roots/player-basic", "--scorm", "1.2")
    assert text.returncode == 0, text.stderr
    assert "SCORM 1.2, single-sco: Safe care basics (index.html)" in text.stdout
    assert "quiz failed, attempts left  incomplete     50" in text.stdout
    as_json = coursesmith("explain", "tests/roots/player-basic", "--format", "json")
    assert as_json.returncode == 0, as_json.stderr
    data = json.loads(as_json.stdout)
    course = load_course(TESTS / "roots" / "player-basic")
    assert data == [{"course": "player-basic", "tracking": explain(course)}]


def test_a_broken_course_is_located_not_explained(tmp_path):
    (tmp_path / "course.yaml").write_text("id: x\n")
    result = coursesmith("explain", str(tmp_path))
    assert result.returncode == 1
    assert "course.yaml:" in result.stderr and "Traceback" not in result.stderr


def test_the_command_explains_another_packaging():
    result = coursesmith("explain", "tests/roots/player-basic", "--scorm", "2004-4th", "--packaging", "sco-per-module",
                         "--format", "json")
    assert result.returncode == 0, result.stderr
    (entry,) = json.loads(result.stdout)[0]["tracking"]
    assert entry["packaging"] == "sco-per-module"
    assert [sco["launch"] for sco in entry["scos"]] == ["01-first-steps.html", "02-next-steps.html"]
    assert [sco["mastery_in_manifest"] for sco in entry["scos"]] == ["0.6", "0.8"]
