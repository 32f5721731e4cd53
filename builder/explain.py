"""What an LMS records for each way a learner can leave a course: the tracking table.

Authors learn on the LMS, too late, whether a course tracks as they meant. This module works it
out at build time: for every SCORM version and SCO, and for each outcome a learner can reach
(nothing done, pages only, quiz passed, ...), the status values and score the player sends, the
pass mark the manifest gives the LMS, and the longest suspend_data the SCO can need.

It is the Python twin of templates/player/completion.js (evaluate, forLms) and of lms.js
(`report`, `reportedStatus`, `decimal`), like suspend_data.py is of state.js: the browser tests play
each outcome through the real player under scorm-again and compare what the runtime recorded
with this table. Change both together.

`explain` gives plain data (the shape written into build-report.json); `format_text` lays it
out for the terminal, and the facilitator handout prints the same data.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal

from . import suspend_data, ui_text
from .model import Course, Module
from .editions import runtime as player_runtime
from .player import scos_for, worst_case_suspend_data_length, _min_seconds, _modules_of, _required
from .sco import Sco

# The outcomes, in the order a learner meets them. Each is a learner's whole history in one SCO.
OUTCOMES = (
    ("nothing-done", "nothing done", "opened the course and left on the first page"),
    ("pages-only", "pages only", "read every page, took no quiz"),
    ("quiz-passed", "quiz passed", "read every page, passed every required quiz with all answers right"),
    ("quiz-failed-attempts-left", "quiz failed, attempts left",
     "read every page, answered the first required quiz all wrong once, passed the others"),
    ("attempts-used-up", "attempts used up",
     "read every page, answered the first required quiz all wrong in every attempt, passed the others"),
    ("min-time-not-reached", "min time not reached",
     "read every page and passed every required quiz before min_minutes was reached"),
)
OUTCOME_LABELS = {key: label for key, label, _ in OUTCOMES}
ENGLISH = ui_text.words(ui_text.FALLBACK)


def _say(words: ui_text.Words, key: str, **slots) -> str:
    """A message as plain text (the templates escape it; the terminal shows it as it is)."""
    return words.text(key, **slots).unescape()


def _why(key: str, **slots) -> str:
    """Why an outcome cannot happen, in English (the terminal's and build-report.json's words);
    the handout says it again in the course's language (`_why_in`)."""
    return _say(ENGLISH, key, **slots)


def _why_in(english: str, words: ui_text.Words) -> str:
    """`english` (made by `_why`) said in `words`' language: the message whose English it is."""
    for key in ("why-no-required-quiz", "why-one-attempt", "why-unlimited-attempts", "why-no-min-time"):
        pattern = re.escape(ENGLISH.table[key]).replace(re.escape("{module}"), "(?P<module>.+)")
        found = re.fullmatch(pattern, english)
        if found:
            return _say(words, key, **found.groupdict())
    return english
PASSED_SCORE = 100           # "all answers right"
FAILED_SCORE = 0             # "all answers wrong"


@dataclass(frozen=True)
class _QuizShape:
    module: str
    pass_mark: int
    attempts: int           # 0 = unlimited


@dataclass(frozen=True)
class _QuizState:
    best: float | None = None
    used: int = 0


@dataclass(frozen=True)
class _Result:
    completed: bool
    success: str            # "passed" | "failed" | "unknown"
    score: float | None


# ---------- the player's rules (completion.js), for one SCO ----------

def _quiz_outcome(quiz: _QuizShape, state: _QuizState) -> tuple[bool, bool, bool]:
    """(taken, passed, failed) as completion.js quizOutcome: no attempt is ever left open here."""
    taken = state.best is not None
    passed = taken and state.best >= quiz.pass_mark
    exhausted = quiz.attempts > 0 and state.used >= quiz.attempts
    return taken, passed, exhausted and not passed


def _evaluate(pages_total: int, pages_seen: int, pages_viewed: int, min_seconds: int, seconds: float,
              required: list[tuple[_QuizShape, _QuizState]], lms_judges_score: bool,
              score_on_completion: bool = False) -> _Result:
    enough_pages = pages_total == 0 or pages_seen * 100 >= pages_viewed * pages_total
    outcomes = [_quiz_outcome(quiz, state) for quiz, state in required]
    all_taken = all(taken for taken, _, _ in outcomes)
    all_passed = all(passed for _, passed, _ in outcomes)
    any_failed = any(failed for _, _, failed in outcomes)
    completed = enough_pages and seconds >= min_seconds and all_taken
    success = "failed" if any_failed else "passed" if completed and all_passed else "unknown"
    score = sum(state.best for _, state in required) / len(required) if required and all_taken else None
    if not required and completed and score_on_completion:
        score = 100
    if lms_judges_score and success == "unknown":         # forLms
        score = None
    return _Result(completed, success, score)


def _decimal(value: float) -> str:
    """lms.js `decimal`: a plain decimal with at most six places, no trailing zeros."""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _round(value: float, places: int) -> float:
    """JavaScript's Math.round(value * 10^places) / 10^places (halves round up, not to even)."""
    factor = 10 ** places
    return math.floor(value * factor + 0.5) / factor


def _reported_status(result: _Result, pair: str) -> tuple[str, str, str]:
    """lms.js reportedStatus for a first session: (1.2 lesson_status, 2004 completion, success)."""
    passed_word, failed_word = pair.split("/")
    if result.success == "failed":
        if failed_word == "failed":
            return "failed", "completed", "failed"
        return "incomplete", "incomplete", "unknown"
    if result.completed and result.success == "passed":
        return passed_word, "completed", "passed"
    return "incomplete", "incomplete", "unknown"


def lms_values(runtime: str, result: _Result, status_pair: str = "passed/failed") -> dict[str, str | None]:
    """The course-level CMI elements lms.js `report` leaves set for `result`; None = never set."""
    score = result.score
    lesson_status, completion, success = _reported_status(result, status_pair)
    if runtime == "1.2":
        return {"cmi.core.lesson_status": lesson_status,
                "cmi.core.score.raw": None if score is None else _decimal(_round(score, 2))}
    return {"cmi.completion_status": completion,
            "cmi.success_status": success,
            "cmi.score.scaled": None if score is None else _decimal(_round(score / 100, 4)),
            "cmi.score.raw": None if score is None else _decimal(_round(score, 2))}


def _exit(runtime: str, result: _Result) -> str:
    """lms.js exitValue(player.exitFor(result)): a failed course ends the attempt."""
    if result.success == "failed":
        return "" if runtime == "1.2" else "normal"
    return "suspend"


# ---------- the outcomes ----------

def _outcome(key: str, course: Course, modules: tuple[Module, ...], runtime: str,
             lms_judges_score: bool) -> dict:
    pages_total = sum(len(m.pages) for m in modules)
    required = [_QuizShape(m.id, m.quiz.pass_mark, m.quiz.attempts) for m in modules if _required(course, m)]
    min_seconds = _min_seconds(course, modules)
    not_possible = None
    seconds = float(min_seconds)                   # time is in, except where the outcome says not
    pages_seen = pages_total
    states = [_QuizState() for _ in required]
    passed = [_QuizState(PASSED_SCORE, 1) for _ in required]
    if key == "nothing-done":
        pages_seen = min(1, pages_total)           # the player opens the first step, a page
        seconds = 0.0 if min_seconds else seconds
    elif key == "pages-only":
        pass
    elif key == "quiz-passed":
        states = passed
    elif key in ("quiz-failed-attempts-left", "attempts-used-up"):
        if not required:
            not_possible = _why("why-no-required-quiz")
        else:
            first = required[0]
            if key == "quiz-failed-attempts-left" and first.attempts == 1:
                not_possible = _why("why-one-attempt", module=first.module)
            elif key == "attempts-used-up" and first.attempts == 0:
                not_possible = _why("why-unlimited-attempts", module=first.module)
            used = 1 if key == "quiz-failed-attempts-left" else first.attempts
            states = [_QuizState(FAILED_SCORE, used)] + passed[1:]
    elif key == "min-time-not-reached":
        if not min_seconds:
            not_possible = _why("why-no-min-time")
        states, seconds = passed, 0.0
    if key in ("quiz-passed",) and not required:
        not_possible = _why("why-no-required-quiz")
    if not_possible:
        return {"outcome": key, "label": OUTCOME_LABELS[key], "possible": False, "why_not": not_possible}
    reporting = course.scorm.reporting
    result = _evaluate(pages_total, pages_seen, course.completion.pages_viewed, min_seconds, seconds,
                       list(zip(required, states)), lms_judges_score,
                       reporting.score_on_completion and not course.completion.required_quizzes)
    return {"outcome": key, "label": OUTCOME_LABELS[key], "possible": True,
            "lms": lms_values(runtime, result, reporting.status), "exit": _exit(runtime, result)}


def _mastery_in_manifest(version: str, sco: Sco) -> str | None:
    """The text of the manifest's pass mark: 1.2 adlcp:masteryscore, 2004 minNormalizedMeasure."""
    if sco.mastery_percent is None:
        return None
    if version == "1.2":
        return str(sco.mastery_percent)
    return format(Decimal(sco.mastery_percent) / 100, "f")


def explain_sco(course: Course, sco: Sco, version: str) -> dict:
    target = player_runtime(version)
    runtime = target.name
    modules = _modules_of(course, sco)
    return {
        "sco": sco.identifier_stem,
        "title": sco.title,
        "launch": sco.launch,
        "mastery_in_manifest": _mastery_in_manifest(version, sco),
        "suspend_data": {"worst_case": worst_case_suspend_data_length(course, sco, version),
                         "limit": target.suspend_data_limit},
        "outcomes": [_outcome(key, course, modules, runtime, sco.mastery_percent is not None)
                     for key, _, _ in OUTCOMES],
    }


def explain(course: Course, versions: tuple[str, ...] | None = None) -> list[dict]:
    """The tracking table of `course` for each of `versions` (default: the course's own)."""
    scos = scos_for(course)
    return [{"version": version, "packaging": course.scorm.packaging,
             "scos": [explain_sco(course, sco, version) for sco in scos]}
            for version in versions or course.scorm.versions]


def outcome_descriptions() -> dict[str, str]:
    return {label: description for _, label, description in OUTCOMES}


# ---------- for people ----------

def columns(version: str) -> tuple[tuple[str, str], ...]:
    """(heading, CMI element) of the status and score columns of `version`'s table."""
    if player_runtime(version).name == "1.2":
        return (("lesson_status", "cmi.core.lesson_status"), ("score.raw", "cmi.core.score.raw"))
    return (("completion_status", "cmi.completion_status"), ("success_status", "cmi.success_status"),
            ("score.scaled", "cmi.score.scaled"))


def rows(version: str, sco: dict, words: ui_text.Words = ENGLISH) -> list[list[str]]:
    """The table's rows as text: outcome, then one cell per column, then exit. The outcomes and
    notes are in `words`' language; the status values stay SCORM's, as the LMS shows them."""
    result = []
    for outcome in sco["outcomes"]:
        label = _say(words, f"outcome-{outcome['outcome']}")
        if not outcome["possible"]:
            result.append([label, _say(words, "tracking-not-possible", why=_why_in(outcome["why_not"], words))])
            continue
        cells = [outcome["lms"][element] or _say(words, "tracking-not-set") for _, element in columns(version)]
        result.append([label, *cells, outcome["exit"] or '""'])
    return result


def tables_for_print(course: Course, table: list[dict] | None = None) -> list[dict]:
    """The table as the facilitator handout prints it, in the course's language: one small table
    per version, SCOs that record alike sharing one (a course of six modules would otherwise print
    eighteen)."""
    words = ui_text.for_course(course)
    printed: dict[tuple, dict] = {}
    for entry in table if table is not None else explain(course):
        version = entry["version"]
        for sco in entry["scos"]:
            body = rows(version, sco, words)
            key = (version, sco["mastery_in_manifest"], tuple(map(tuple, body)))
            limit = sco["suspend_data"]["limit"]
            same = printed.setdefault(key, {"version": version, "titles": [], "worst": 0, "limit": limit,
                                            "mastery": sco["mastery_in_manifest"] or _say(words, "tracking-no-mastery"),
                                            "headings": [_say(words, "tracking-outcome"),
                                                         *(h for h, _ in columns(version)), "exit"],
                                            "rows": body, "several": len(entry["scos"]) > 1})
            same["titles"].append(sco["title"])
            same["worst"] = max(same["worst"], sco["suspend_data"]["worst_case"])
    result = []
    for same in printed.values():
        caption = f"SCORM {same['version']}"
        if same["several"]:
            caption += ": " + "; ".join(same["titles"])
        result.append({"caption": caption, "mastery": same["mastery"], "headings": same["headings"],
                       "rows": same["rows"],
                       "suspend_data": _say(words, "tracking-suspend-data", used=same["worst"], limit=same["limit"])})
    return result


def format_text(course: Course, table: list[dict]) -> str:
    """The table laid out in fixed-width text for the terminal."""
    lines = [f"{course.id} {course.version}: what the LMS records"]
    for entry in table:
        version = entry["version"]
        headings = ["outcome", *(h for h, _ in columns(version)), "exit"]
        for sco in entry["scos"]:
            lines.append("")
            mastery = sco["mastery_in_manifest"]
            data = sco["suspend_data"]
            lines.append(f"SCORM {version}, {entry['packaging']}: {sco['title']} ({sco['launch']})")
            lines.append(f"  pass mark in the manifest: {mastery if mastery is not None else 'none (the LMS takes the player’s status)'}")
            lines.append(f"  suspend_data worst case: {data['worst_case']} of {data['limit']} characters")
            body = rows(version, sco)
            widths = [max(len(r[i]) for r in [headings, *body] if len(r) > i and len(r) == len(headings))
                      for i in range(len(headings))]
            lines.append("  " + "  ".join(h.ljust(w) for h, w in zip(headings, widths)).rstrip())
            for row in body:
                if len(row) != len(headings):
                    lines.append("  " + row[0].ljust(widths[0]) + "  " + row[1])
                else:
                    lines.append("  " + "  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip())
    lines.append("")
    lines.append("outcomes:")
    lines.extend(f"  {label}: {description}" for label, description in outcome_descriptions().items())
    return "\n".join(lines)
