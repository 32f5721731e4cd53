"""Every rule a course must follow, checked on its raw documents with their positions.

First the schema of each file (`check_schema`: pydantic's errors in the author's words, with
"did you mean"), then the rules no schema can express: a question can be answered as written,
question ids are unique across the course, a quiz draws no more questions than it has, a
question names an objective its module has, the theme's colours are readable, required quizzes
exist and can be passed, the course has pages and stays within the limits coursesmith supports, handouts hold more than quizzes. `load` reads the
files, calls these, and assembles the frozen model only from what they approved.
"""

from __future__ import annotations

import re
import types
import unicodedata
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

import posixpath

from . import model
from .cache import remembered
from .errors import Problem
from .limits import MAX_PAGES, MAX_QUESTIONS
from .suggest import similar_name
from .timings import session_minutes
from .schema import QUESTION_SCHEMAS, CourseDoc, QuestionBase, QuizDoc, ThemeDoc
from .yamldoc import Document


_TYPE_WORDS = {
    "string_type": "text", "int_type": "a whole number", "int_parsing": "a whole number",
    "int_from_float": "a whole number", "float_type": "a number", "bool_type": "true or false",
    "list_type": "a list (lines starting with '- ')", "dict_type": "a mapping (lines of `key: value`)",
    "model_type": "a mapping (lines of `key: value`)", "model_attributes_type": "a mapping (lines of `key: value`)",
}


def check_schema(doc: Document, schema: type[BaseModel], data: Any = None, loc: tuple = (),
                 problems: list[Problem] | None = None) -> BaseModel | None:
    """Validate `data` (default: the whole document) against `schema`; append located problems."""
    data = doc.data if data is None and not loc else data
    data = {} if data is None and not loc else data
    try:
        return schema.model_validate(data)
    except ValidationError as exc:
        for error in _author_errors(exc.errors(), data):
            problems.append(_problem(doc, schema, loc, error))
        return None


def _author_errors(errors: list[dict], data: Any) -> list[dict]:
    """pydantic's errors in the author's terms: one per place, located by keys and list positions only.

    For a value that may take several forms (`quizzes: all` or a list), pydantic reports every form
    that failed and adds the form's name to the location; the author needs only the closest one.
    """
    located = []
    for error in errors:
        loc, at_form = _data_location(tuple(error["loc"]), data, error["type"])
        located.append({**error, "loc": loc, "at_form": at_form})
    deeper = [e for e in located
              if not any(e["at_form"] and o["loc"][:len(e["loc"])] == e["loc"] and len(o["loc"]) > len(e["loc"])
                         for o in located)]
    chosen: dict[tuple, dict] = {}
    for error in deeper:
        previous = chosen.get(error["loc"])
        if previous is None or previous["type"] in _TYPE_WORDS and error["type"] not in _TYPE_WORDS:
            chosen[error["loc"]] = error
    return list(chosen.values())


def _data_location(loc: tuple, data: Any, kind: str) -> tuple[tuple, bool]:
    """Drop the parts of pydantic's location that name a form, not a key or list position."""
    kept, current, dropped_last = [], data, False
    for position, part in enumerate(loc):
        last = position == len(loc) - 1
        if isinstance(current, dict) and isinstance(part, str) and part in current:
            kept.append(part)
            current, dropped_last = current[part], False
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            kept.append(part)
            current, dropped_last = current[part], False
        elif last and kind in ("missing", "extra_forbidden"):
            kept.append(part)
        else:
            dropped_last = True
    return tuple(kept), dropped_last


def _problem(doc: Document, schema: type[BaseModel], prefix: tuple, error: dict) -> Problem:
    loc = prefix + tuple(error["loc"])
    name = _describe(loc, doc.data)
    kind = error["type"]
    value = error.get("input")
    ctx = error.get("ctx", {})
    key = next((str(part) for part in reversed(loc) if isinstance(part, str)), "")
    item = bool(loc) and isinstance(loc[-1], int)     # a list item: written `- value`, not `key: value`
    fill_in = "write the text after '- ', or remove the item" if item else "write the text after the colon, or remove the line"
    if kind == "extra_forbidden":
        known = _field_names(schema, tuple(error["loc"][:-1]))
        close = similar_name(str(loc[-1]), known)
        hint = f"did you mean {close!r}?" if close else f"allowed here: {', '.join(sorted(known))}"
        return doc.problem(loc, f"unknown key {loc[-1]!r}", hint, key=True, code="CS301")
    if kind == "missing":
        return doc.problem(loc[:-1], f"missing required key {loc[-1]!r}",
                           f"add a line `{loc[-1]}: ...`" + (f" under {_describe(loc[:-1], doc.data)}" if loc[:-1] else ""),
                           code="CS302")
    if kind in _TYPE_WORDS:
        hint = _type_hint(kind, "-" if item else f"{key}:", value, fill_in) if loc else \
            "write `key: value` lines, e.g. `title: ...`, starting at the left margin"
        keys = _field_names(schema, tuple(error["loc"]))
        if item and keys and kind in ("model_type", "model_attributes_type", "dict_type"):
            hint = f"write each item as `- {keys[0]}: ...`, with its other keys ({', '.join(keys[1:])}) indented below"
        return doc.problem(loc, f"{name} should be {_TYPE_WORDS[kind]}, not {_shown(value)}", hint, code="CS303")
    if kind == "literal_error":
        expected = ctx.get("expected", "")
        choices = [e.strip(" '") for e in expected.replace(" or ", ",").split(",")]
        close = similar_name(str(value), choices)
        hint = f"did you mean {close!r}?" if close else _FIELD_HINTS.get(key, f"use {expected}")
        return doc.problem(loc, f"{name} cannot be {_shown(value)}", hint, code="CS304")
    if kind == "string_pattern_mismatch":
        return doc.problem(loc, f"{name} {_shown(value)} has characters or a length that are not allowed",
                           _PATTERN_HINTS.get(loc[-1], "use lower-case letters, digits and hyphens"), code="CS304")
    if kind == "value_error":
        return doc.problem(loc, f"{name}: {error['msg'].removeprefix('Value error, ')}", code="CS304")
    if kind in ("string_too_short", "blank_text"):
        return doc.problem(loc, f"{name} is empty", fill_in, code="CS304")
    if kind in ("too_short", "too_long"):
        count = ctx.get("min_length" if kind == "too_short" else "max_length")
        bound = "at least" if kind == "too_short" else "at most"
        return doc.problem(loc, f"{name} should have {bound} {count} item{'s' * (count != 1)}, not {ctx.get('actual_length')}",
                           "list the items as lines starting with '- '" if kind == "too_short" else "remove some items",
                           code="CS304")
    if kind in _BOUNDS:
        limit = next(iter(ctx.values()), "")
        return doc.problem(loc, f"{name} cannot be {_shown(value)}; use {_BOUNDS[kind]} {limit}", _FIELD_HINTS.get(key, ""),
                           code="CS304")
    if kind == "finite_number":
        return doc.problem(loc, f"{name} should be an ordinary number, not {_shown(value)}", "write a number such as 42 or 3.5",
                           code="CS304")
    return doc.problem(loc, f"{name}: {error['msg']}", code="CS304")


_BOUNDS = {"greater_than_equal": "at least", "greater_than": "more than",
           "less_than_equal": "at most", "less_than": "less than"}


def _type_hint(kind: str, lead: str, value: Any, fill_in: str) -> str:
    """What to write instead, for a value of the wrong kind."""
    scalar = None if isinstance(value, (dict, list)) else value
    if kind == "string_type":
        if isinstance(value, (int, float)):
            return f'put it in quotes: {lead} "{_yaml_scalar(value)}"'
        if value is None:
            return fill_in
        return "put the text in quotes if it contains ': ', starts with [ { - or is split over lines"
    if kind == "bool_type":
        if isinstance(value, str) and value.strip().lower() in ("yes", "no", "on", "off", "y", "n", "true", "false"):
            return "write true or false, without quotes"
        return "write true or false"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return "write a whole number such as 5, without quotes or units"
    if kind == "float_type":
        return "write a number such as 42 or 3.5, without quotes or units"
    if kind == "list_type":
        if scalar is not None:
            return f"write a list, e.g. {lead} [{_yaml_scalar(scalar)}]"
        return "write the items on lines starting with '- ' under it, or as [first, second]"
    return "put `key: value` lines under it, indented by two spaces"


def _yaml_scalar(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value == int(value) and abs(value) < 1e15:
        return format(value, "g")
    return str(value)


_FIELD_HINTS = {
    "quizzes": "use all, none, or a list of module folders such as [modules/01-introduction]",
    "attempts": "0 means unlimited attempts",
    "draw": "the number of questions to ask from the quiz; leave it out to ask them all",
    "show_answers": "use after_each, at_end or never",
    "tolerance": "the largest difference from `answer` still marked correct",
    "minutes": "whole minutes, 0 or more",
}


_PATTERN_HINTS = {
    "id": "use 3-64 lower-case letters, digits and hyphens, e.g. leading-in-social-care "
          "(question ids: letters, digits, '-' and '_', at most 64)",
}


def _describe(loc: tuple, data: Any = None) -> str:
    """`loc` as the author finds it: keys and list positions, a question by its id."""
    question_id = _question_id(loc, data)
    if question_id is not None:
        rest = _describe(loc[2:])
        return f"question {question_id!r}" if not loc[2:] else f"{rest} of question {question_id!r}"
    parts = []
    for part in loc:
        parts.append(f"[{part + 1}]" if isinstance(part, int) else ("." if parts else "") + str(part))
    return "`" + "".join(parts) + "`" if parts else "the document"


def _question_id(loc: tuple, data: Any) -> str | None:
    """The id of the question `loc` is in (`("questions", 3, ...)` in a quiz), if it has one."""
    if len(loc) < 2 or loc[0] != "questions" or not isinstance(loc[1], int) or not isinstance(data, dict):
        return None
    questions = data.get("questions")
    if not isinstance(questions, list) or not 0 <= loc[1] < len(questions) or not isinstance(questions[loc[1]], dict):
        return None
    question_id = questions[loc[1]].get("id")
    return question_id if isinstance(question_id, str) and question_id else None


def _shown(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return text if len(text) < 40 else text[:37] + "..."


def _field_names(schema: type[BaseModel], loc: tuple) -> list[str]:
    """The keys allowed at `loc` inside `schema`, for "did you mean"."""
    current: Any = schema
    for part in loc:
        current = _unwrap(current)
        if isinstance(part, int):
            args = typing.get_args(current)
            current = args[0] if args else current
        elif isinstance(current, type) and issubclass(current, BaseModel) and part in current.model_fields:
            current = current.model_fields[part].annotation
        else:
            return []
    current = _unwrap(current)
    return list(current.model_fields) if isinstance(current, type) and issubclass(current, BaseModel) else []


def _unwrap(annotation: Any) -> Any:
    """Strip Optional/Annotated/union wrappers down to a model or list type."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            if arg is not type(None):
                inner = _unwrap(arg)
                if isinstance(inner, type) and issubclass(inner, BaseModel) or typing.get_origin(inner) is list:
                    return inner
    return annotation


# --- questions ----------------------------------------------------------------------------------

def check_question(doc: Document, raw: Any, loc: tuple, problems: list[Problem]) -> QuestionBase | None:
    if not isinstance(raw, dict):
        problems.append(doc.problem(loc, f"question {loc[-1] + 1} should be a mapping with id, type and prompt",
                                    "write the question as `- id: ...` followed by indented `type:` and `prompt:` lines",
                                    code="CS507"))
        return None
    kind = raw.get("type")
    if kind not in QUESTION_SCHEMAS:
        close = similar_name(str(kind), list(QUESTION_SCHEMAS))
        where = loc + ("type",) if "type" in raw else loc
        named = _describe(loc, doc.data) if _question_id(loc, doc.data) else "question"
        message = f"{named} has no `type`" if kind is None else f"unknown question type {_shown(kind)}"
        hint = f"did you mean {close!r}?" if close else f"use one of: {', '.join(QUESTION_SCHEMAS)}"
        problems.append(doc.problem(where, message, hint, code="CS507"))
        return None
    question = check_schema(doc, QUESTION_SCHEMAS[kind], raw, loc, problems)
    if question is not None:
        problems.extend(_question_rules(doc, question, loc))
    return question


def _question_rules(doc: Document, q: QuestionBase, loc: tuple) -> list[Problem]:
    found: list[Problem] = []

    def need(condition: bool, key: str, message: str, hint: str) -> None:
        if not condition:
            found.append(doc.problem(loc + (key,), message, hint, code="CS506"))

    if q.type in ("single", "multiple"):
        correct = sum(1 for o in q.options if o.correct)
        need(len(q.options) >= 2, "options", f"question {q.id!r} has {len(q.options)} option(s)",
             "give at least two options")
        need(correct > 0, "options", f"question {q.id!r} has no correct option",
             "mark the right answer with `correct: true`")
        if q.type == "single":
            need(correct <= 1, "options", f"single-choice question {q.id!r} has {correct} correct options",
                 "mark exactly one option `correct: true`, or make it `type: multiple`")
        texts = [o.text for o in q.options]
        need(len(set(texts)) == len(texts), "options", f"question {q.id!r} repeats an option", "make each option different")
    elif q.type == "matching":
        need(len(q.pairs) >= 2, "pairs", f"matching question {q.id!r} needs at least two pairs", "add more `- left: ... right: ...` pairs")
        lefts = [p.left for p in q.pairs]
        need(len(set(lefts)) == len(lefts), "pairs", f"matching question {q.id!r} repeats a left-hand item", "make each left item different")
    elif q.type == "ordering":
        need(len(q.items) >= 2, "items", f"ordering question {q.id!r} needs at least two items", "list the items in the right order")
        need(len(set(q.items)) == len(q.items), "items", f"ordering question {q.id!r} repeats an item", "make each item different")
    elif q.type == "numeric":
        found.extend(_numeric_rules(doc, q, loc))
    if q.type == "likert":
        need(2 <= len(q.scale) <= 10, "scale", f"likert question {q.id!r} needs a scale of 2 to 10 labels",
             "e.g. scale: [Not at all confident, Somewhat confident, Very confident]")
    found.extend(_invisible_characters(doc, q, loc))
    return found


# SCORM's CMIDecimal (real(10,7)): what the player sends as the correct-response range.
MAX_NUMERIC_MAGNITUDE = 1e10
NUMERIC_DECIMALS = 6


def _numeric_rules(doc: Document, q: QuestionBase, loc: tuple) -> list[Problem]:
    """A numeric answer the LMS can be told: no more than ten integer digits and six decimals
    (`1.0e+21` would reach the LMS as the pattern `1e+21[:]1e+21`, which it refuses)."""
    found = []
    for key, value in (("answer", q.answer), ("tolerance", q.tolerance)):
        if abs(q.answer) + q.tolerance >= MAX_NUMERIC_MAGNITUDE and key == "answer":
            found.append(doc.problem(loc + (key,), f"numeric answer {value:g} (with its tolerance) is too large for an LMS",
                                     f"use a number smaller than {MAX_NUMERIC_MAGNITUDE:.0f}, e.g. ask in thousands or millions",
                                     code="CS506"))
        elif value != round(value, NUMERIC_DECIMALS):
            found.append(doc.problem(loc + (key,), f"`{key}: {value!r}` has more than {NUMERIC_DECIMALS} decimal places, "
                                     "which an LMS cannot record", f"round it to {NUMERIC_DECIMALS} decimal places or fewer",
                                     code="CS506"))
    return found


# Characters nobody sees that make an answer impossible to type (pasted from a web page or a PDF).
INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def _invisible_characters(doc: Document, q: QuestionBase, loc: tuple) -> list[Problem]:
    texts: list[tuple[tuple, str]] = [(("id",), q.id)]
    if q.type in ("single", "multiple"):
        texts += [(("options", i, "text"), o.text) for i, o in enumerate(q.options)]
    elif q.type == "fill-in":
        texts += [(("answers", i), answer) for i, answer in enumerate(q.answers)]
    elif q.type == "matching":
        texts += [(("pairs", i, side), getattr(p, side)) for i, p in enumerate(q.pairs) for side in ("left", "right")]
    elif q.type == "ordering":
        texts += [(("items", i), item) for i, item in enumerate(q.items)]
    found = []
    for where, text in texts:
        match = INVISIBLE.search(text)
        if match:
            found.append(doc.problem(loc + where, f"{_describe(loc + where, doc.data)} has an invisible character "
                                     f"(U+{ord(match.group()):04X} {unicodedata.name(match.group(), 'format character')}) "
                                     f"at character {match.start() + 1}: learners cannot type it",
                                     "delete the text around it and type it again", severity="warning", code="CS506"))
    return found


# --- quizzes across the course ------------------------------------------------------------------

def quiz_problems(doc: Document, spec: QuizDoc, questions: list) -> list[Problem]:
    if spec.draw and spec.draw > len(questions):
        return [doc.problem(("draw",), f"`draw: {spec.draw}` asks for more questions than the quiz has ({len(questions)})",
                            f"use a number from 1 to {len(questions)}", code="CS508")]
    return []


def objective_problems(doc: Document, q: QuestionBase, loc: tuple, objective_count: int) -> list[Problem]:
    """`objective: N` must name one of the module's objectives, counted from 1 in module.yaml."""
    if q.objective is None or q.objective <= objective_count:
        return []
    have = f"the module has {objective_count} objective(s)" if objective_count else "the module has no `objectives:`"
    hint = (f"use a number from 1 to {objective_count}, counting the objectives in module.yaml from the top"
            if objective_count else "list the objectives in module.yaml, or remove `objective:`")
    return [doc.problem(loc + ("objective",), f"question {q.id!r} names objective {q.objective}, but {have}", hint,
                        code="CS509")]


class QuestionIds:
    """Question ids seen so far in the course: each becomes a SCORM interaction id, so it must be unique."""

    def __init__(self):
        self.first: dict[str, model.Location] = {}

    def __len__(self) -> int:
        return len(self.first)

    def problems(self, doc: Document, loc: tuple, question_id: str) -> list[Problem]:
        location = model.Location(doc.path, *doc.where(loc))
        if question_id not in self.first:
            self.first[question_id] = location
            return []
        return [doc.problem(loc, f"question id {question_id!r} is already used at {self.first[question_id]}",
                            "question ids must be unique across the whole course; they become SCORM interaction ids",
                            code="CS505")]


def required_quizzes(doc: Document, spec: CourseDoc, modules: list[model.Module],
                     problems: list[Problem]) -> tuple[str, ...] | None:
    """The module ids whose quiz completion requires, or None when `completion: quizzes:` names a
    module without one; a required quiz of likert questions only could never be passed."""
    required = _listed_quizzes(doc, spec, modules, problems)
    for module in modules:
        if required and module.id in required and not module.quiz.scored_questions:
            problems.append(Problem(module.quiz.location.path, module.quiz.location.line, 1,
                                    "this quiz is required for completion but has only likert questions, so it cannot be passed",
                                    "add a scored question, or leave this module out of `completion: quizzes:`", code="CS502"))
    return required


def _listed_quizzes(doc: Document, spec: CourseDoc, modules: list[model.Module],
                    problems: list[Problem]) -> tuple[str, ...] | None:
    quizzes = spec.completion.quizzes
    with_quiz = [m for m in modules if m.quiz is not None]
    if quizzes == "all":
        return tuple(m.id for m in with_quiz if m.quiz.scored_questions)
    if quizzes == "none":
        return ()
    by_reference = {m.path: m.id for m in with_quiz} | {m.id: m.id for m in with_quiz}
    required = []
    for index, reference in enumerate(quizzes):
        module_id = by_reference.get(posixpath.normpath(reference))
        if module_id is None:
            problems.append(doc.problem(("completion", "quizzes", index), f"{reference!r} is not a module with a quiz.yaml",
                                        "list module folders that have a quiz, e.g. modules/01-introduction", code="CS502"))
            return None
        required.append(module_id)
    return tuple(dict.fromkeys(required))


# --- the course as a whole ------------------------------------------------------------------------

def course_problems(doc: Document, spec: CourseDoc, modules: list[model.Module], questions: int,
                    errors_so_far: bool) -> list[Problem]:
    """Size limits, a course with no pages and a session plan that does not add up (both said
    only when nothing else explains them), and handouts that would print only quizzes."""
    found = []
    pages = sum(len(m.pages) for m in modules)
    if not pages and not errors_so_far:
        found.append(doc.problem(("modules",), "the course has no pages", "add a module folder with at least one page",
                                 code="CS503"))
    if pages > MAX_PAGES:
        found.append(doc.problem(("modules",), f"the course has {pages} pages; coursesmith supports up to {MAX_PAGES}",
                                 "split it into several courses", code="CS503"))
    if questions > MAX_QUESTIONS:
        found.append(doc.problem(("modules",), f"the course has more than {MAX_QUESTIONS} questions",
                                 "split it into several courses", code="CS503"))
    found.extend(language_problems(doc, spec.language))
    found.extend(languages_problems(doc, spec))
    if not errors_so_far:                   # a page or quiz that failed to load is missing from the sum
        found.extend(duration_problems(doc, spec.duration_minutes, modules))
    if pages and spec.handout.editions and not any(p.handout for m in modules for p in m.pages):
        found.append(doc.problem(("handout",), "every page has `handout: false`, so the handouts hold only quizzes",
                                 "set `handout: true` on the pages trainers should print, or list no editions",
                                 key=True, severity="warning", code="CS504"))
    return found


def unprintable_problems(printed: list[tuple[str, str, int]], font: str) -> list[Problem]:
    """Characters the handout fonts cannot draw, which the handout prints as their names."""
    if all(text.isascii() for _, text, _ in printed):
        return []
    from .handout.glyphs import FALLBACK_FONT, covered_characters, unprintable
    from .paths import templates_dir

    fonts = templates_dir() / "fonts"
    covered = covered_characters(fonts / font, fonts / FALLBACK_FONT)
    return [Problem(shown, first + number, 1, f"{ch} ({stand_in[1:-1]}) is in no font the handouts use, "
                    f"so the printed handouts show {stand_in} instead",
                    "keep it for the screen if you like; for print, write what it means in words",
                    "warning", code="CS802")
            for shown, text, first in printed for number, ch, stand_in in unprintable(text, covered)]


def duration_problems(doc: Document, duration: int | None, modules: list[model.Module]) -> list[Problem]:
    """`duration_minutes` should be what the session plan adds up to (pages, activities, quizzes)."""
    planned = session_minutes(modules)
    if duration is None or not planned or planned == duration:
        return []
    more = "more" if planned > duration else "less"
    return [doc.problem(("duration_minutes",), f"the session plan adds up to {planned} minutes, {more} than "
                        f"`duration_minutes: {duration}`",
                        f"set `duration_minutes: {planned}`, or change the minutes of the pages, activities "
                        "(`!!! activity \"...\" minutes: N`) or quizzes (`minutes:` in quiz.yaml)",
                        severity="warning", code="CS511")]


def languages_problems(doc: Document, spec: CourseDoc) -> list[Problem]:
    """`languages:` starts with the course's own `language:` (the source the others are translated
    from) and names each language once."""
    if not spec.languages:
        return []
    found = []
    if spec.languages[0] != spec.language:
        found.append(doc.problem(("languages", 0), f"`languages:` starts with {spec.languages[0]}, but the course is "
                                 f"written in {spec.language} (`language:`)",
                                 f"list {spec.language} first: the other languages are translated from it", code="CS624"))
    repeated = [tag for n, tag in enumerate(spec.languages) if tag.lower() in (t.lower() for t in spec.languages[:n])]
    if repeated:
        found.append(doc.problem(("languages",), f"`languages:` lists {repeated[0]} twice",
                                 "name each language once", code="CS624"))
    return found


def language_problems(doc: Document, tag: str) -> list[Problem]:
    """`language:` must be a tag of the IANA language subtag registry (read through langcodes, which
    carries the registry): screen readers, spell checkers, hyphenation in the handouts and the
    player's catalogue all go by it. A tag the registry does not know is an error; one it knows in
    another form (`en-UK`: the United Kingdom's code is GB) a warning with the standard form."""
    if not isinstance(doc.data, dict) or "language" not in doc.data:
        return []
    standard = remembered("standard language tag", (tag,), lambda: _standard_tag(tag))
    if standard is not None and standard.lower() == tag.lower():
        return []
    line = doc.where(("language",), key=True)[0]
    if standard is not None:
        return [Problem(doc.path, line, 1, f"`language: {tag}` is not the registered language tag",
                        f"did you mean {standard}?", "warning", code="CS510", fixed=f"language: {standard}")]
    close = _close_language_tag(tag)
    return [Problem(doc.path, line, 1, f"`language: {tag}` is not a language tag in the IANA registry",
                    f"did you mean {close}?" if close else "use a registered tag such as en-GB, cy (Welsh) or fr-FR",
                    code="CS510", fixed=f"language: {close}" if close else "")]


def _standard_tag(tag: str) -> str | None:
    import langcodes

    return langcodes.standardize_tag(tag) if langcodes.tag_is_valid(tag) else None


def _close_language_tag(tag: str) -> str | None:
    """A registered tag the author may have meant: the language named in English (`Welsh` -> cy),
    the tag without its unknown subtags (`cy-XQ` -> cy), or a close shipped catalogue's (`cyy` -> cy)."""
    import langcodes

    from .suggest import similar_name
    from .ui_text import shipped_languages

    try:
        return langcodes.find(tag).to_tag()
    except LookupError:
        pass
    primary = tag.split("-")[0]
    if primary != tag and langcodes.tag_is_valid(primary):
        return langcodes.standardize_tag(primary)
    return similar_name(primary.lower(), list(shipped_languages()))


# --- colours --------------------------------------------------------------------------------------

DARK_TEXT = "#212b32"
MIN_CONTRAST = 4.5          # WCAG AA for normal text


def theme_problems(doc: Document, spec: ThemeDoc) -> list[Problem]:
    """White text must be readable on the primary colour, dark text on the accent colour."""
    found = []
    primary = contrast_ratio(spec.primary_colour, "#ffffff")
    if primary < MIN_CONTRAST:
        found.append(doc.problem(("primary_colour",), f"primary colour {spec.primary_colour} is too light: white text on it "
                                 f"has a contrast of {primary:.1f}:1", "WCAG AA needs 4.5:1; choose a darker colour",
                                 code="CS501"))
    accent = contrast_ratio(spec.accent_colour, DARK_TEXT)
    if accent < MIN_CONTRAST:
        found.append(doc.problem(("accent_colour",), f"accent colour {spec.accent_colour} is too dark: dark text on it "
                                 f"has a contrast of {accent:.1f}:1", "WCAG AA needs 4.5:1; choose a lighter colour",
                                 code="CS501"))
    return found


def contrast_ratio(colour_a: str, colour_b: str) -> float:
    lighter, darker = sorted((_luminance(colour_a), _luminance(colour_b)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _luminance(colour: str) -> float:
    hex_digits = colour.lstrip("#")
    if len(hex_digits) == 3:
        hex_digits = "".join(ch * 2 for ch in hex_digits)
    channels = [int(hex_digits[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
