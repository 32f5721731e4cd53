"""The player's rules on their own, in Chromium without a page around them: the suspend_data
codec (round trips, damaged data, the worst case against builder/suspend_data.py), the attempt
layouts, the completion rules and the SCORM time formats."""

from __future__ import annotations

import copy
import dataclasses

import pytest

from builder.paths import templates_dir
from builder.player import player_data, scos_for, worst_case_suspend_data_length
from player_support import load_root

SCRIPTS = ("lms.js", "state.js", "quiz.js", "completion.js")
BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


@pytest.fixture
def js(page):
    page.set_content("<!DOCTYPE html><html lang='en'><title>rules</title></html>")
    for name in SCRIPTS:
        page.add_script_tag(path=str(templates_dir() / "player" / name))
    return page


@pytest.fixture(scope="module")
def course():
    return load_root("player-basic")


def data_for(course, version="1.2", draw=None):
    if draw:
        module = course.modules[0]
        quiz = dataclasses.replace(module.quiz, draw=draw, shuffle=True)
        course = dataclasses.replace(course, modules=(dataclasses.replace(module, quiz=quiz),) + course.modules[1:])
    sco = scos_for(course)[0]
    return course, sco, player_data(course, sco, {"1.2": "1.2"}.get(version, "2004"))


def structure_of(data) -> dict:
    return {"pages": len(data["pages"]), "quizzes": data["quizzes"],
            "fingerprint": data["codec"]["fingerprint"], "textBytes": data["codec"]["textBytes"],
            "tracks": [p["track"] for p in data["pages"]], "legacyFingerprint": data["codec"]["legacyFingerprint"],
            "earlier": data["codec"]["earlier"]}


RANDOM_STATE = """([structure, seed]) => {
    let s = seed;
    const rnd = () => { s = (s * 1103515245 + 12345) % 2147483648; return s / 2147483648; };
    const pick = n => Math.floor(rnd() * n);
    const letters = Array.from("aé€😀 Z<>&\\"").concat(["\\ud800"]);     // a lone surrogate too
    const text = () => Array.from({length: pick(structure.textBytes + 8)}, () => letters[pick(letters.length)]).join("");
    const answer = q => {
        const all = Array.from({length: q.size}, (_, i) => i);
        switch (q.type) {
            case "single": case "likert": return pick(q.size);
            case "true-false": return rnd() < 0.5;
            case "multiple": return all.filter(() => rnd() < 0.5);
            case "matching": return all.map(() => pick(q.size));
            case "ordering": return all.sort(() => rnd() - 0.5);
            default: return {text: q.type === "numeric" ? String(pick(100000)) : text(), correct: rnd() < 0.5};
        }
    };
    const state = Coursesmith.state.fresh(structure);
    state.pagesSeen = state.pagesSeen.map(() => rnd() < 0.5);
    state.quizzes = structure.quizzes.map(quiz => {
        const used = pick(quiz.attempts || 300);
        const best = rnd() < 0.3 ? null : pick(101);
        const qs = {used: quiz.attempts ? used : Math.min(used, 255), best: best,
                    last: best === null ? null : pick(best + 1), attempt: null, finished: null};
        const kept = rnd();
        if (kept < 0.8) {
            const attempt = {seed: pick(65536), answers: {}};
            Coursesmith.quiz.plan(quiz, attempt.seed).order.forEach(i => {
                if (kept >= 0.5 || rnd() < 0.8) attempt.answers[i] = answer(quiz.questions[i]);
            });
            if (kept < 0.5) qs.attempt = attempt;
            else qs.finished = attempt;               // the last finished one, every question answered
        }
        return qs;
    });
    return state;
}"""

ROUND_TRIP = """([structure, state]) => {
    const text = Coursesmith.state.encode(structure, state);
    return {text: text, back: Coursesmith.state.decode(structure, text)};
}"""


@pytest.mark.parametrize("version,draw", [("1.2", None), ("2004", None), ("1.2", 3)])
def test_the_codec_gives_back_every_state_it_stores(js, course, version, draw):
    _, _, data = data_for(course, version, draw)
    structure = structure_of(data)
    limit = data["codec"]["textBytes"]
    for seed in range(1, 151):
        state = js.evaluate(RANDOM_STATE, [structure, seed])
        result = js.evaluate(ROUND_TRIP, [structure, state])
        assert len(result["text"]) <= data["codec"]["worstCase"]
        assert set(result["text"]) <= set(BASE64URL)
        expected = js.evaluate(
            """([state, limit]) => { state.quizzes.forEach(q => {
                   const kept = q.attempt || q.finished;
                   if (!kept) return;
                   Object.values(kept.answers).forEach(a => {
                       if (a && typeof a === "object" && "text" in a
                           && Coursesmith.state.utf8Length(a.text) > limit) a.text = null;
                       if (a && typeof a === "object" && "text" in a && a.text === "") a.text = null;
                   });
               }); return state; }""",
            [state, limit])
        assert result["back"] == expected, f"seed {seed}"


def test_the_codec_refuses_other_data(js, course):
    _, _, data = data_for(course)
    structure = structure_of(data)
    results = js.evaluate(
        """structure => {
            const state = Coursesmith.state.fresh(structure);
            state.pagesSeen[0] = true;
            const good = Coursesmith.state.encode(structure, state);
            const other = Object.assign({}, structure, {fingerprint: (structure.fingerprint + 1) % 1048576});
            return [Coursesmith.state.decode(structure, good) !== null,
                    Coursesmith.state.decode(other, good),
                    Coursesmith.state.decode(structure, "not base64!"),
                    Coursesmith.state.decode(structure, good.slice(0, 2)),
                    Coursesmith.state.decode(structure, "")];
        }""",
        structure)
    assert results == [True, None, None, None, None]


# Written by the codec version 2 player (before finished attempts were kept) for player-basic in
# SCORM 1.2: Welcome and Hand hygiene seen; "Check your understanding" in progress (seed 4321,
# q-single, q-multiple and q-fill-in answered); "Consent quiz" finished once with 100.
VERSION_2_STATE = "LsA1yAARDheERmaXZlAAAHLlA"


def test_a_state_from_before_finished_attempts_were_kept_is_still_read(js, course):
    _, _, data = data_for(course)
    structure = structure_of(data)
    result = js.evaluate("""([structure, text]) => {
        const back = Coursesmith.state.restore(structure, text);
        const again = Coursesmith.state.encode(structure, back.state);
        return {back: back, again: Coursesmith.state.decode(structure, again), first: again.charAt(0)};
    }""", [structure, VERSION_2_STATE])
    assert result["back"]["unreadable"] is False and result["back"]["release"] is None
    expected = {
        "pagesSeen": [True, True, False],
        "quizzes": [
            {"used": 1, "best": None, "last": None, "finished": None,
             "attempt": {"seed": 4321, "answers": {"0": 0, "1": [0, 1], "3": {"text": "five", "correct": True}}}},
            {"used": 1, "best": 100, "last": 100, "attempt": None, "finished": None},
        ],
    }
    assert result["back"]["state"] == expected
    assert result["again"] == expected
    assert BASE64URL.index(result["first"]) >> 2 == 3      # written back by codec version 3 (its first 4 bits)


def test_a_finished_attempt_is_kept_across_a_release_only_when_its_questions_are_unchanged(js, course):
    """The next release changes the answer key of one question in the first quiz: that quiz's
    finished attempt can no longer be reviewed as it was marked, the second quiz's still can."""
    _, _, data = data_for(course)
    old = structure_of(data)
    state = next(state for state in (js.evaluate(RANDOM_STATE, [old, seed]) for seed in range(1, 200))
                 if all(q["finished"] for q in state["quizzes"]))
    layout = {"release": "1.0.0", "pages": old["tracks"], "quizzes": old["quizzes"],
              "textBytes": old["textBytes"], "fingerprint": old["fingerprint"]}
    quizzes = copy.deepcopy(old["quizzes"])
    quizzes[0]["questions"][0]["key"] += "-changed"
    new = dict(old, quizzes=quizzes, fingerprint=old["fingerprint"] ^ 1, earlier=[layout])
    result = js.evaluate("""([old, state, structure]) =>
        Coursesmith.state.restore(structure, Coursesmith.state.encode(old, state))""", [old, state, new])
    assert result["release"] == "1.0.0"
    assert result["state"]["quizzes"][0]["finished"] is None
    assert result["state"]["quizzes"][0]["best"] == state["quizzes"][0]["best"]
    kept = result["state"]["quizzes"][1]["finished"]
    assert kept["seed"] == state["quizzes"][1]["finished"]["seed"]
    assert kept["answers"].keys() == state["quizzes"][1]["finished"]["answers"].keys()
    assert result["changes"]["answersReset"] == []       # nothing the learner was still answering


@pytest.mark.parametrize("version,draw", [("1.2", None), ("2004", None), ("1.2", 3), ("1.2", 5)])
def test_javascript_and_python_agree_on_the_worst_case(js, course, version, draw):
    course, sco, data = data_for(course, version, draw)
    expected = worst_case_suspend_data_length(course, sco, "1.2" if version == "1.2" else "2004-4th")
    assert js.evaluate("s => Coursesmith.state.worstCaseLength(s)", structure_of(data)) == expected


def test_attempt_layouts_follow_the_seed(js, course):
    _, _, data = data_for(course, draw=3)
    quiz = data["quizzes"][0]
    plans = js.evaluate("quiz => Array.from({length: 40}, (_, seed) => Coursesmith.quiz.plan(quiz, seed))", quiz)
    again = js.evaluate("quiz => Coursesmith.quiz.plan(quiz, 7)", quiz)
    assert again == plans[7]                                     # resumable: same seed, same layout
    orders = {tuple(p["order"]) for p in plans}
    assert all(len(order) == 3 and len(set(order)) == 3 and max(order) < 8 for order in orders)
    assert len(orders) > 10                                      # draw and shuffle vary per attempt
    ordering = next(i for i, q in enumerate(quiz["questions"]) if q["type"] == "ordering")
    matching = next(i for i, q in enumerate(quiz["questions"]) if q["type"] == "matching")
    for plan in plans:
        assert plan["items"][str(ordering)] != [0, 1, 2, 3]      # never shown already in order
        assert plan["rights"][str(matching)] != [0, 1, 2]
        assert sorted(plan["options"]["0"]) == [0, 1, 2]


def test_a_question_with_shuffle_false_keeps_its_options_in_the_authored_order(js, course):
    module = course.modules[0]
    questions = tuple(dataclasses.replace(q, shuffle=False) if i == 0 else q
                      for i, q in enumerate(module.quiz.questions))
    quiz = dataclasses.replace(module.quiz, shuffle=True, questions=questions)
    pinned = dataclasses.replace(course, modules=(dataclasses.replace(module, quiz=quiz),) + course.modules[1:])
    _, _, data = data_for(pinned)
    quiz = data["quizzes"][0]
    assert quiz["questions"][0]["type"] in ("single", "multiple") and quiz["questions"][0]["pinned"]
    plans = js.evaluate("quiz => Array.from({length: 40}, (_, seed) => Coursesmith.quiz.plan(quiz, seed))", quiz)
    assert all(plan["options"]["0"] == list(range(quiz["questions"][0]["size"])) for plan in plans)
    others = [plan["options"][key] for plan in plans for key in plan["options"] if key != "0"]
    assert others and any(order != sorted(order) for order in others)      # the rest still shuffle


def evaluate(js, data, state, seconds=0):
    return js.evaluate("([d, s, t]) => Coursesmith.completion.evaluate(d, s, t)", [data, state, seconds])


def quiz_state(used=0, best=None, attempt=None):
    return {"used": used, "best": best, "last": best, "attempt": attempt}


def test_completion_rules(js, course):
    _, _, data = data_for(course)
    all_pages = [True, True, True]
    taken = [quiz_state(1, 100), quiz_state(1, 100)]

    result = evaluate(js, data, {"pagesSeen": all_pages, "quizzes": taken})
    assert (result["completed"], result["success"], result["score"], result["progress"]) == (True, "passed", 100, 1)

    # A quiz not yet taken: not completed, no score yet.
    result = evaluate(js, data, {"pagesSeen": all_pages, "quizzes": [quiz_state(1, 100), quiz_state()]})
    assert (result["completed"], result["success"], result["score"]) == (False, "unknown", None)
    assert 0 < result["progress"] < 1

    # Below the pass mark with an attempt left: completed, not yet passed or failed.
    result = evaluate(js, data, {"pagesSeen": all_pages, "quizzes": [quiz_state(1, 100), quiz_state(1, 50)]})
    assert (result["completed"], result["success"], result["score"]) == (True, "unknown", 75)

    # Out of attempts below the pass mark: failed; completion still follows the pages.
    failed = [quiz_state(1, 100), quiz_state(2, 50)]
    result = evaluate(js, data, {"pagesSeen": [True, False, True], "quizzes": failed})
    assert (result["completed"], result["success"]) == (False, "failed")
    objectives = {o["id"]: o for o in result["objectives"]}
    assert objectives["02-next-steps"]["success"] == "failed" and objectives["02-next-steps"]["completed"]
    assert objectives["01-first-steps"]["completed"] is False and objectives["01-first-steps"]["score"] == 100

    # An attempt in progress is not out of attempts yet.
    busy = [quiz_state(1, 100), quiz_state(2, 50, {"seed": 1, "answers": {}})]
    assert evaluate(js, data, {"pagesSeen": all_pages, "quizzes": busy})["success"] == "unknown"

    # pages_viewed is a share; min_minutes holds completion back until the time is in.
    rules = dict(data, rules={"pagesViewed": 60, "minSeconds": 120})
    state = {"pagesSeen": [True, True, False], "quizzes": taken}
    assert evaluate(js, rules, state, 119)["completed"] is False
    assert evaluate(js, rules, state, 120)["completed"] is True
    assert evaluate(js, rules, {"pagesSeen": [True, False, False], "quizzes": taken}, 500)["completed"] is False

    # No required quiz: passed once completed, and no score.
    open_course = dict(data, quizzes=[dict(q, required=False) for q in data["quizzes"]])
    result = evaluate(js, open_course, {"pagesSeen": all_pages, "quizzes": [quiz_state(), quiz_state()]})
    assert (result["completed"], result["success"], result["score"]) == (True, "passed", None)


def test_time_formats(js):
    formats = js.evaluate("""() => {
        const f = Coursesmith.lms.format;
        return {
            t12: [0, 90.5, 3725.456, 0.004].map(f.timespan12),
            d04: [0, 0.5, 60, 90.5, 3725.456, 7200].map(f.duration2004),
            parsed: ["0001:02:05.46", "PT1H2M5.46S", "P1DT1S", "PT0S", "junk"].map(f.parseDuration),
            clock: f.clockTime12(new Date(2024, 4, 1, 9, 5, 7)),
            stamp: f.timestamp2004(new Date(2024, 4, 1, 9, 5, 7)),
            decimals: [1e-7, 12, -0.5, 2.25, 1/3].map(f.decimal),
        };
    }""")
    assert formats["t12"] == ["0000:00:00.00", "0000:01:30.50", "0001:02:05.46", "0000:00:00.00"]
    assert formats["d04"] == ["PT0S", "PT0.5S", "PT1M", "PT1M30.5S", "PT1H2M5.46S", "PT2H"]
    assert formats["parsed"] == pytest.approx([3725.46, 3725.46, 86401, 0, 0])
    assert formats["clock"] == "09:05:07"
    assert formats["stamp"] == "2024-05-01T09:05:07"
    assert formats["decimals"] == ["0", "12", "-0.5", "2.25", "0.333333"]


def test_a_drawn_attempt_always_asks_a_scored_question(js):
    """One true-false question among three likert ones, one drawn: never a survey-only attempt,
    which would score 100% without a single scored answer."""
    course = load_root("player-edge")
    quiz = player_data(course, scos_for(course)[0], "1.2")["quizzes"][1]
    asked = js.evaluate("""quiz => {
        const seen = new Set();
        for (let seed = 0; seed < 65536; seed++) {
            const order = Coursesmith.quiz.plan(quiz, seed).order;
            if (order.length !== 1) return ["length " + order.length];
            seen.add(quiz.questions[order[0]].type);
        }
        return Array.from(seen);
    }""", quiz)
    assert asked == ["true-false"]
    # An attempt that asks no likert question is drawn as before.
    _, _, data = data_for(load_root("player-basic"), draw=3)
    orders = js.evaluate("q => [1, 2, 3, 99, 4000].map(s => Coursesmith.quiz.plan(q, s).order)", data["quizzes"][0])
    assert all(len(order) == 3 and len(set(order)) == 3 for order in orders)


def test_numbers_are_read_as_people_type_them(js):
    typed = ["1000", "1,000", "1 000", "1\u00a0000", "1,000.5", "1.000,5", "21,5", "2.5", "-2.5", "\u22122.5",
             "+3", ".5", "5.", "1e3", "1,000,000", "1.000.000", "12,34,5", "1,2.3", "", "-", "abc", "1 5", "--2"]
    english = js.evaluate("t => t.map(x => Coursesmith.quiz.parseNumber(x, 'en-GB'))", typed)
    german = js.evaluate("t => t.map(x => Coursesmith.quiz.parseNumber(x, 'de-DE'))", typed)
    assert english == [1000, 1000, 1000, 1000, 1000.5, 1000.5, 21.5, 2.5, -2.5, -2.5,
                       3, 0.5, 5, 1000, 1000000, 1000000, None, None, None, None, None, None, None]
    # In German "1,000" is one, with a decimal comma; everything else reads the same.
    assert german[1] == 1 and german[:1] + german[2:] == english[:1] + english[2:]
    assert js.evaluate("() => Coursesmith.quiz.parseNumber('1,000', 'not a language!')") == 1000


def test_objectives_and_what_the_lms_recorded(js, course):
    _, _, data = data_for(course)
    open_course = dict(data, quizzes=[dict(q, required=False) for q in data["quizzes"]])
    result = evaluate(js, open_course, {"pagesSeen": [True, True, False], "quizzes": [quiz_state(2, 0), quiz_state()]})
    objectives = {o["id"]: o for o in result["objectives"]}
    # Without a required quiz a module is passed once it is completed, like the course; an
    # optional quiz, even failed, gives it no score, as it gives the course none.
    assert (objectives["01-first-steps"]["completed"], objectives["01-first-steps"]["success"],
            objectives["01-first-steps"]["score"]) == (True, "passed", None)
    assert (objectives["02-next-steps"]["completed"], objectives["02-next-steps"]["success"]) == (False, "unknown")
    assert objectives["02-next-steps"]["progress"] == 0

    # A resumed attempt keeps what the LMS recorded, whatever the state says now.
    fresh = {"pagesSeen": [True, False, False], "quizzes": [quiz_state(), quiz_state()]}
    kept = js.evaluate("""([d, s]) => Coursesmith.completion.keepRecorded(
        Coursesmith.completion.evaluate(d, s, 0), {completed: true, passed: true, score: 90})""", [data, fresh])
    assert (kept["completed"], kept["success"], kept["score"], kept["progress"]) == (True, "passed", 90, 1)
    better = {"pagesSeen": [True, True, True], "quizzes": [quiz_state(1, 100), quiz_state(1, 100)]}
    kept = js.evaluate("""([d, s]) => Coursesmith.completion.keepRecorded(
        Coursesmith.completion.evaluate(d, s, 0), {completed: true, passed: false, score: 50})""", [data, better])
    assert (kept["success"], kept["score"]) == ("passed", 100)
    # A score recorded without a pass is not brought back (the LMS could judge it again).
    kept = js.evaluate("""([d, s]) => Coursesmith.completion.keepRecorded(
        Coursesmith.completion.evaluate(d, s, 0), {completed: false, passed: false, score: 42})""", [data, fresh])
    assert (kept["success"], kept["score"]) == ("unknown", None)
    # With a pass mark at the LMS, the score waits for the verdict.
    open_verdict = {"pagesSeen": [True, True, True], "quizzes": [quiz_state(1, 100), quiz_state(1, 50)]}
    told = js.evaluate("""([d, s]) => [true, false].map(judges => Coursesmith.completion.forLms(
        Coursesmith.completion.evaluate(d, s, 0), judges).score)""", [data, open_verdict])
    assert told == [None, 75]
    decided = {"pagesSeen": [True, True, True], "quizzes": [quiz_state(1, 100), quiz_state(2, 50)]}
    assert js.evaluate("""([d, s]) => Coursesmith.completion.forLms(
        Coursesmith.completion.evaluate(d, s, 0), true).score""", [data, decided]) == 75
    same = js.evaluate("""([d, s]) => Coursesmith.completion.keepRecorded(
        Coursesmith.completion.evaluate(d, s, 0), null)""", [data, fresh])
    assert (same["completed"], same["success"], same["score"]) == (False, "unknown", None)
