"""Course releases under a strict LMS (scorm-again): a learner part-way through 1.0.0 resumes in
1.1.0 after each kind of change, for SCORM 1.2 and 2004, one SCO and one SCO per module.

Both releases are built by the real build (`build_course`), which keeps releases.lock in the
course folder; the 1.1.0 packages carry the 1.0.0 layout from it. The learner of 1.0.0 has read
Welcome and Hand hygiene, started "Check your understanding" with q-single and q-multiple
answered, read Consent and passed "Consent quiz" (so module 2, and with one SCO a module its SCO,
is passed and completed in the LMS), whose finished attempt stays there to review. Each test
asserts what is kept, what is reset, the notice the learner gets, and that no status the LMS holds
moves back.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from builder.build import BuildOptions, build_course
from builder.load import load_course
from builder.scorm import package_name
from player_support import ROOTS, PlayerDriver

VERSIONS = ("1.2", "2004-4th")
PACKAGINGS = ("single-sco", "sco-per-module")
QUIZ_1, QUIZ_2 = "Check your understanding", "Consent quiz"
KEPT = "This course has been updated since your last visit; your progress has been kept."

STATE = """() => {
    const P = Coursesmith.player, d = P.data;
    const titles = d.steps.filter(s => s.kind === "page").map(s => s.title);
    const notice = document.getElementById("cs-release-notice");
    return {
        viewed: titles.filter((_, i) => P.state.pagesSeen[i]),
        quizzes: Object.fromEntries(d.quizzes.map((q, i) => {
            const s = P.state.quizzes[i];
            return [q.track, {used: s.used, best: s.best,
                answered: s.attempt ? Object.keys(s.attempt.answers).map(k => q.questions[k].id).sort() : null,
                reviewable: Boolean(s.finished)}];
        })),
        notice: notice.hidden ? "" : notice.textContent,
    };
}"""


# --------------------------------------------------------------------------- the releases

def set_version(folder: Path, version: str) -> None:
    course = folder / "course.yaml"
    course.write_text(re.sub(r"(?m)^version: .*$", f"version: {version}", course.read_text()))


def add_page(module: Path, name: str, title: str) -> None:
    (module / name).write_text(f"---\ntitle: {title}\n---\nA new page about {title.lower()}.\n")
    listing = module / "module.yaml"
    text = listing.read_text()
    listed = re.findall(r"(?m)^  - .*\.md$", text)
    if listed:                                     # without a `pages:` list, file order counts
        listing.write_text(text.replace(listed[-1], f"{listed[-1]}\n  - {name}"))


def page_added(folder: Path) -> None:
    add_page(folder / "modules/02-next-steps", "02-capacity.md", "Capacity")


def page_removed(folder: Path) -> None:
    module = folder / "modules/01-first-steps"
    (module / "01-welcome.md").unlink()
    listing = module / "module.yaml"
    listing.write_text(listing.read_text().replace("  - 01-welcome.md\n", ""))


def pages_reordered(folder: Path) -> None:
    """Renumbered files, as authors reorder: the tracking ids ignore the numbers."""
    module = folder / "modules/01-first-steps"
    (module / "01-welcome.md").rename(module / "02-welcome.md")
    (module / "02-hand-hygiene.md").rename(module / "01-hand-hygiene.md")
    listing = module / "module.yaml"
    listing.write_text(listing.read_text().replace("  - 01-welcome.md\n  - 02-hand-hygiene.md\n",
                                                   "  - 01-hand-hygiene.md\n  - 02-welcome.md\n"))


def page_text_edited(folder: Path) -> None:
    page = folder / "modules/01-first-steps/01-welcome.md"
    page.write_text(page.read_text() + "\nOne more sentence, fixed after the first release.\n")


def question_added(folder: Path) -> None:
    quiz = folder / "modules/01-first-steps/quiz.yaml"
    quiz.write_text(quiz.read_text().rstrip("\n") + "\n  - id: q-new\n    type: true-false\n"
                    "    prompt: Gloves replace hand washing.\n    answer: false\n")


def answer_key_changed(folder: Path) -> None:
    quiz = folder / "modules/01-first-steps/quiz.yaml"
    text = quiz.read_text()
    first = "      - text: Before touching a person\n        correct: true\n"
    assert first in text
    text = text.replace(first, "      - text: Before touching a person\n")
    text = text.replace("      - text: Only at the end of a shift\n",
                        "      - text: Only at the end of a shift\n        correct: true\n", 1)
    quiz.write_text(text)


def module_added(folder: Path) -> None:
    module = folder / "modules/03-more-steps"
    module.mkdir()
    (module / "01-gloves.md").write_text("---\ntitle: Gloves\n---\nWhen to wear gloves.\n")
    course = folder / "course.yaml"
    course.write_text(course.read_text().replace("  - modules/02-next-steps\n",
                                                 "  - modules/02-next-steps\n  - modules/03-more-steps\n"))


CHANGES = {
    "page-added": page_added,
    "page-removed": page_removed,
    "pages-reordered": pages_reordered,
    "page-text-edited": page_text_edited,
    "question-added": question_added,
    "answer-key-changed": answer_key_changed,
    "module-added": module_added,
}


def build_release(folder: Path, version: str, out: Path) -> Path:
    """The real build of one SCORM version (no PDFs); returns the extracted package."""
    result = build_course(folder, BuildOptions(out, scorm_versions=(version,), pdf=False))
    archive = result.out_dir / package_name(result.course, version)
    extracted = out / f"package-{result.course.version}"
    with zipfile.ZipFile(archive) as zipped:
        zipped.extractall(extracted)
    return extracted


# --------------------------------------------------------------------------- the learner of 1.0.0

class Journey:
    """The 1.0.0 course folder (with its releases.lock) and what the LMS stored per SCO."""

    def __init__(self, folder: Path, records: dict):
        self.folder, self.records = folder, records


_journeys: dict = {}


def journey(version, packaging, page, lms, tmp_path_factory) -> Journey:
    if (version, packaging) in _journeys:
        return _journeys[version, packaging]
    root = tmp_path_factory.mktemp("release-1.0.0")
    folder = root / "player-basic"
    shutil.copytree(ROOTS / "player-basic", folder)
    course_file = folder / "course.yaml"
    course_file.write_text(course_file.read_text().replace("packaging: single-sco", f"packaging: {packaging}"))
    package = build_release(folder, version, root / "dist")
    assert (folder / "releases.lock").is_file()
    course = load_course(folder)
    records = {}
    if packaging == "single-sco":
        launch = lms.launch(page, package)
        player = PlayerDriver(launch.frame, course).ready()
        player.next()
        part_way(player)
        player.open_step("Consent")
        player.take_quiz(QUIZ_2)
        records["index.html"] = launch.close_like_tab()
        launch.assert_clean()
    else:
        launch = lms.launch(page, package, launch_href="01-first-steps.html")
        player = PlayerDriver(launch.frame, course).ready()
        player.next()
        part_way(player)
        records["01-first-steps.html"] = launch.close_like_tab()
        launch.assert_clean()
        launch = lms.launch(page, package, launch_href="02-next-steps.html")
        player = PlayerDriver(launch.frame, course).ready()
        player.take_quiz(QUIZ_2)
        records["02-next-steps.html"] = launch.close_like_tab()
        launch.assert_clean()
    _journeys[version, packaging] = Journey(folder, records)
    return _journeys[version, packaging]


def part_way(player: PlayerDriver) -> None:
    player.open_step(QUIZ_1)
    player.start_quiz()
    player.answer("q-single")
    player.answer("q-multiple")


def statuses(record) -> dict:
    if record.version == "1.2":
        return {"status": record.get("cmi.core.lesson_status")}
    result = {"completion": record.get("cmi.completion_status"), "success": record.get("cmi.success_status")}
    for key, value in record.data.items():
        match = re.fullmatch(r"cmi\.objectives\.(\d+)\.id", key)
        if match:
            base = f"cmi.objectives.{match[1]}."
            result[value] = (record.get(base + "completion_status"), record.get(base + "success_status"))
    return result


RANK = {"not attempted": 0, "unknown": 0, "incomplete": 1, "failed": 1, "completed": 2, "passed": 3, "": 0}


def assert_nothing_moved_back(before, after) -> None:
    old, new = statuses(before), statuses(after)
    for key, value in old.items():
        if isinstance(value, tuple):
            assert all(RANK[n] >= RANK[o] for o, n in zip(value, new[key])), (key, old, new)
        else:
            assert RANK[new[key]] >= RANK[value], (key, old, new)


# --------------------------------------------------------------------------- the tests

def expected_single_sco(change: str) -> dict:
    viewed = ["Welcome", "Hand hygiene", "Consent"]
    answered = ["q-multiple", "q-single"]
    notice = KEPT
    pages = 3
    if change == "page-added":
        pages = 4
    elif change == "page-removed":
        viewed, pages = ["Hand hygiene", "Consent"], 2
        notice += " 1 of the pages you had viewed are no longer in the course."
    elif change == "pages-reordered":
        viewed = ["Hand hygiene", "Welcome", "Consent"]
    elif change == "page-text-edited":
        notice = ""                                    # the same layout: nothing to carry over
    elif change == "answer-key-changed":
        answered = ["q-multiple"]
        notice += " Questions changed: 1 of your answers in a quiz you were taking were reset."
    elif change == "module-added":
        pages = 4
    return {"viewed": viewed, "answered": answered, "notice": notice, "pages": pages}


@pytest.mark.parametrize("change", list(CHANGES))
@pytest.mark.parametrize("packaging", PACKAGINGS)
@pytest.mark.parametrize("version", VERSIONS)
def test_a_learner_part_way_through_keeps_their_progress(page, lms, tmp_path, tmp_path_factory,
                                                          version, packaging, change):
    first = journey(version, packaging, page, lms, tmp_path_factory)
    folder = tmp_path / "player-basic"
    shutil.copytree(first.folder, folder)
    CHANGES[change](folder)
    set_version(folder, "1.1.0")
    package = build_release(folder, version, tmp_path / "dist")
    course = load_course(folder)
    expected = expected_single_sco(change)

    if packaging == "single-sco":
        record = first.records["index.html"]
        launch = lms.launch(page, package, previous=record)
        player = PlayerDriver(launch.frame, course).ready()
        state = player.frame.evaluate(STATE)
        assert state["viewed"] == expected["viewed"]
        assert player.progress_text() == f"{len(expected['viewed'])} of {expected['pages']} pages viewed"
        assert state["quizzes"]["first-steps"] == {"used": 1, "best": None, "answered": expected["answered"],
                                                   "reviewable": False}
        assert state["quizzes"]["next-steps"] == {"used": 1, "best": 100, "answered": None, "reviewable": True}
        assert state["notice"] == expected["notice"]
        assert player.current_title() == QUIZ_2                     # the place is kept too
        expect(player.quiz_section().get_by_role("button", name="Review your answers")).to_be_visible()
        assert_resumed_quiz(player, expected["answered"])
        after = launch.close_like_tab()
        launch.assert_clean()
        assert_nothing_moved_back(record, after)
        return

    # One SCO a module: each SCO resumes from its own record.
    first_module = [t for t in expected["viewed"] if t != "Consent"]
    record = first.records["01-first-steps.html"]
    launch = lms.launch(page, package, launch_href="01-first-steps.html", previous=record)
    player = PlayerDriver(launch.frame, course).ready()
    state = player.frame.evaluate(STATE)
    assert state["viewed"] == first_module
    assert state["quizzes"] == {"first-steps": {"used": 1, "best": None, "answered": expected["answered"],
                                                "reviewable": False}}
    module_1_changed = change in ("page-removed", "pages-reordered", "answer-key-changed", "question-added")
    notice = expected["notice"] if module_1_changed else ""
    if change == "question-added":
        notice = KEPT
    assert state["notice"] == notice
    assert_resumed_quiz(player, expected["answered"])
    after = launch.close_like_tab()
    launch.assert_clean()
    assert_nothing_moved_back(record, after)

    record = first.records["02-next-steps.html"]
    launch = lms.launch(page, package, launch_href="02-next-steps.html", previous=record)
    player = PlayerDriver(launch.frame, course).ready()
    state = player.frame.evaluate(STATE)
    assert state["viewed"] == ["Consent"]
    assert state["quizzes"] == {"next-steps": {"used": 1, "best": 100, "answered": None, "reviewable": True}}
    assert state["notice"] == (KEPT if change == "page-added" else "")
    after = launch.close_like_tab()
    launch.assert_clean()
    assert_nothing_moved_back(record, after)
    # A page added to a passed module: the learner has it to read, and stays passed.
    if change == "page-added":
        assert statuses(after) == statuses(record)


def assert_resumed_quiz(player: PlayerDriver, answered: list[str]) -> None:
    """The attempt in progress shows the kept answers locked, and the reset ones open."""
    player.open_step(QUIZ_1)
    for question_id in ("q-single", "q-multiple"):
        verdict = player.block(question_id).locator('[data-role="feedback"] [data-verdict]:not([hidden])')
        assert verdict.count() == (1 if question_id in answered else 0), question_id


@pytest.mark.parametrize("version", VERSIONS)
def test_a_state_from_an_unrecorded_release_starts_afresh_with_a_message(page, lms, tmp_path, tmp_path_factory,
                                                                         version):
    first = journey(version, "single-sco", page, lms, tmp_path_factory)
    folder = tmp_path / "player-basic"
    shutil.copytree(first.folder, folder)
    (folder / "releases.lock").unlink()                  # the record of 1.0.0 is lost
    question_added(folder)
    set_version(folder, "1.1.0")
    package = build_release(folder, version, tmp_path / "dist")
    record = first.records["index.html"]
    launch = lms.launch(page, package, previous=record)
    player = PlayerDriver(launch.frame, load_course(folder)).ready()
    state = player.frame.evaluate(STATE)
    assert state["viewed"] == ["Welcome"]
    assert state["notice"] == ("Your earlier progress was saved by a version of this course that this one "
                               "cannot read, so the course starts from the beginning.")
    assert player.problems() == []
    after = launch.close_like_tab()
    launch.assert_clean()
    assert_nothing_moved_back(record, after)


@pytest.mark.parametrize("version", VERSIONS)
def test_a_learner_who_passed_stays_passed_when_a_release_adds_pages_and_raises_the_pass_mark(
        page, lms, tmp_path, version):
    folder = tmp_path / "v1" / "player-basic"
    shutil.copytree(ROOTS / "player-basic", folder)
    package = build_release(folder, version, tmp_path / "v1" / "dist")
    course = load_course(folder)
    launch = lms.launch(page, package)
    player = PlayerDriver(launch.frame, course).ready()
    player.read_all_pages()
    player.take_quiz(QUIZ_1, wrong=("q-single",))          # 85%, pass mark 60%
    player.take_quiz(QUIZ_2)
    record = launch.close_like_tab()
    assert statuses(record)[("status" if version == "1.2" else "success")] == "passed"

    page_added(folder)
    quiz = folder / "modules/01-first-steps/quiz.yaml"
    quiz.write_text(quiz.read_text().replace("pass_mark: 60%", "pass_mark: 90%"))
    set_version(folder, "1.1.0")
    package = build_release(folder, version, tmp_path / "v2")
    again = lms.launch(page, package, previous=record)
    player = PlayerDriver(again.frame, load_course(folder)).ready()
    assert player.progress_text() == "3 of 4 pages viewed"
    assert player.status_text() == "Passed"
    after = again.close_like_tab()
    again.assert_clean()
    assert statuses(after) == statuses(record)
