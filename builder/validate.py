"""Checks on raw documents: the schema (with positions and "did you mean"), and the rules a schema
cannot express (one correct answer, enough options, unique ids, readable colours)."""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from .errors import Problem
from .schema import QUESTION_SCHEMAS, QuestionBase
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
    try:
        return schema.model_validate({} if data is None and not loc else data)
    except ValidationError as exc:
        for error in exc.errors():
            problems.append(_problem(doc, schema, loc, error))
        return None


def _problem(doc: Document, schema: type[BaseModel], prefix: tuple, error: dict) -> Problem:
    loc = prefix + tuple(error["loc"])
    name = _describe(loc)
    kind = error["type"]
    if kind == "extra_forbidden":
        known = _field_names(schema, tuple(error["loc"][:-1]))
        close = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6)
        hint = f"did you mean {close[0]!r}?" if close else f"allowed here: {', '.join(sorted(known))}"
        return doc.problem(loc, f"unknown key {loc[-1]!r}", hint, key=True)
    if kind == "missing":
        return doc.problem(loc[:-1], f"missing required key {loc[-1]!r}",
                           f"add a line `{loc[-1]}: ...`" + (f" under {_describe(loc[:-1])}" if loc[:-1] else ""))
    if kind in _TYPE_WORDS:
        return doc.problem(loc, f"{name} should be {_TYPE_WORDS[kind]}, not {_shown(error.get('input'))}")
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        close = difflib.get_close_matches(str(error.get("input")), [e.strip(" '") for e in expected.replace(" or ", ",").split(",")], n=1)
        hint = f"did you mean {close[0]!r}?" if close else f"use {expected}"
        return doc.problem(loc, f"{name} cannot be {_shown(error.get('input'))}", hint)
    if kind == "string_pattern_mismatch":
        return doc.problem(loc, f"{name} {_shown(error.get('input'))} has characters or a length that are not allowed",
                           _PATTERN_HINTS.get(loc[-1], "use lower-case letters, digits and hyphens"))
    if kind == "value_error":
        return doc.problem(loc, f"{name}: {error['msg'].removeprefix('Value error, ')}")
    if kind in ("too_short", "too_long"):
        return doc.problem(loc, f"{name} {error['msg'].replace('List should', 'should').replace('String should', 'should')}")
    return doc.problem(loc, f"{name}: {error['msg']}")


_PATTERN_HINTS = {
    "id": "use 3-64 lower-case letters, digits and hyphens, e.g. leading-in-social-care "
          "(question ids: letters, digits, '-' and '_', at most 64)",
}


def _describe(loc: tuple) -> str:
    parts = []
    for part in loc:
        parts.append(f"[{part + 1}]" if isinstance(part, int) else ("." if parts else "") + str(part))
    return "`" + "".join(parts) + "`" if parts else "the document"


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
        problems.append(doc.problem(loc, f"question {loc[-1] + 1} should be a mapping with id, type and prompt"))
        return None
    kind = raw.get("type")
    if kind not in QUESTION_SCHEMAS:
        close = difflib.get_close_matches(str(kind), list(QUESTION_SCHEMAS), n=1)
        where = loc + ("type",) if "type" in raw else loc
        message = "question has no `type`" if kind is None else f"unknown question type {_shown(kind)}"
        hint = f"did you mean {close[0]!r}?" if close else f"use one of: {', '.join(QUESTION_SCHEMAS)}"
        problems.append(doc.problem(where, message, hint))
        return None
    question = check_schema(doc, QUESTION_SCHEMAS[kind], raw, loc, problems)
    if question is not None:
        problems.extend(_question_rules(doc, question, loc))
    return question


def _question_rules(doc: Document, q: QuestionBase, loc: tuple) -> list[Problem]:
    found: list[Problem] = []

    def need(condition: bool, key: str, message: str, hint: str) -> None:
        if not condition:
            found.append(doc.problem(loc + (key,), message, hint))

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
    elif q.type == "likert":
        need(2 <= len(q.scale) <= 10, "scale", f"likert question {q.id!r} needs a scale of 2 to 10 labels",
             "e.g. scale: [Not at all confident, Somewhat confident, Very confident]")
    return found


# --- colours --------------------------------------------------------------------------------------

DARK_TEXT = "#212b32"


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
