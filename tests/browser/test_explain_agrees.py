"""`coursesmith explain` against the real player: each outcome of its table is played through
the player under scorm-again, and what the runtime recorded must be what the table says.

Courses: both default courses (the first packaged one SCO per module, for a SCO with a
limited-attempt quiz; the second one SCO with no required quiz), tests/roots/player-basic (one SCO, two required quizzes) and a variant of it
with min_minutes.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from playwright.sync_api import expect

from builder.explain import explain_sco
from builder.load import load_course
from builder.player import scos_for
from lms import read_manifest
from player_support import ROOTS, PlayerDriver, build_package, load_root

REPO = ROOTS.parents[1]
VERSIONS = ("1.2", "2004-4th")
MASTERY = {"1.2": "cmi.student_data.mastery_score", "2004-4th": "cmi.scaled_passing_score"}


def _course(name: str):
    if name == "player-basic-min-time":
        course = load_root("player-basic")
        return dataclasses.replace(course, completion=dataclasses.replace(course.completion, min_minutes=30))
    if name == "leading-in-social-care-per-module":      # the default course, one SCO per module
        course = load_course(REPO / "courses" / "leading-in-social-care")
        return dataclasses.replace(course, scorm=dataclasses.replace(course.scorm, packaging="sco-per-module"))
    if name in ("leading-in-social-care", "leadership-everyones-business"):
        return load_course(REPO / "courses" / name)
    return load_root(name)


@pytest.fixture(scope="module")
def packages(tmp_path_factory):
    built = {}

    def get(name: str, version: str):
        if (name, version) not in built:
            course = _course(name)
            built[name, version] = (course, build_package(course, version, tmp_path_factory.mktemp("explain")))
        return built[name, version]

    return get


def play(player: PlayerDriver, course, sco, outcome: str) -> None:
    """Do as the table's outcome says, through the player's controls."""
    if outcome == "nothing-done":
        return
    modules = [course.module(module_id) for module_id in sco.module_ids]
    for module in modules:
        for page in module.pages:
            player.open_step(page.title)
    if outcome == "pages-only":
        return
    required = [m for m in modules if m.quiz and m.id in course.completion.required_quizzes]
    for number, module in enumerate(required):
        failing = number == 0 and outcome in ("quiz-failed-attempts-left", "attempts-used-up")
        attempts = module.quiz.attempts if outcome == "attempts-used-up" and failing else 1
        everything = tuple(q.id for q in module.quiz.questions)
        player.open_step(module.quiz.title)
        for _ in range(attempts):
            player.start_quiz()
            player.answer_attempt(wrong=everything if failing else ())
            player.see_result()


def recorded(record, version: str) -> dict:
    elements = (("cmi.core.lesson_status", "cmi.core.score.raw") if version == "1.2" else
                ("cmi.completion_status", "cmi.success_status", "cmi.score.scaled", "cmi.score.raw"))
    return {element: record.get(element) or None for element in elements}


CASES = [
    ("player-basic", None), ("player-basic-min-time", None),
    ("leading-in-social-care-per-module", "02-two-approaches"),
    ("leadership-everyones-business", None),
]


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("name,sco_id", CASES)
def test_every_outcome_in_the_table_is_what_the_lms_records(page, lms, packages, name, sco_id, version):
    course, package = packages(name, version)
    sco = next(s for s in scos_for(course) if sco_id in (None, s.identifier_stem))
    table = explain_sco(course, sco, version)
    manifest = read_manifest(package)
    if manifest.launch_href == sco.launch:             # the first SCO: the manifest's own pass mark
        assert manifest.lms_data.get(MASTERY[version]) == table["mastery_in_manifest"]
    data = {MASTERY[version]: table["mastery_in_manifest"]} if table["mastery_in_manifest"] else {}
    played = 0
    for row in table["outcomes"]:
        if not row["possible"]:
            continue
        if name == "player-basic-min-time" and row["outcome"] != "min-time-not-reached":
            continue                                     # the others need the time in: see player-basic
        launch = lms.launch(page, package, launch_href=sco.launch, data=data)
        player = PlayerDriver(launch.frame, course).ready()
        play(player, course, sco, row["outcome"])
        player.finish()
        record = launch.finish_state()
        launch.assert_clean()
        assert player.problems() == []
        assert (row["outcome"], recorded(record, version), record.exit) == \
            (row["outcome"], row["lms"], row["exit"])
        played += 1
    assert played >= 1


def test_the_table_covers_the_outcomes_the_cases_need():
    """The cases above reach every outcome at least once as possible, so none goes untested."""
    reached = set()
    for name, sco_id in CASES:
        course = _course(name)
        sco = next(s for s in scos_for(course) if sco_id in (None, s.identifier_stem))
        for version in VERSIONS:
            reached |= {row["outcome"] for row in explain_sco(course, sco, version)["outcomes"] if row["possible"]}
    assert reached == {"nothing-done", "pages-only", "quiz-passed", "quiz-failed-attempts-left",
                       "attempts-used-up", "min-time-not-reached"}
