"""The question types: one vocabulary that the schema, the rules, the model, the player, its state
codec and the handouts take their names and properties from.

`fields` are the model fields a type uses (`Question` keeps the others at their defaults);
`choices` the one of them that lists what the learner picks from or arranges (its length is the
question's `size` in the player's data); `answer` the shape of a learner's answer, which decides
how the player's state codec stores it (see suspend_data.py and templates/player/state.js).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class QuestionType:
    name: str                       # as written in quiz.yaml: `type: single`
    fields: tuple[str, ...]         # model fields beyond id, type, prompt and feedback
    choices: str | None             # the field listing the learner's choices, or None
    answer: str                     # "one" | "some" | "true-false" | "arrangement" | "typed"
    scored: bool = True             # False: a survey question, thanked and never scored


QUESTION_TYPES: dict[str, QuestionType] = {t.name: t for t in (
    QuestionType("single", ("options",), "options", "one"),
    QuestionType("multiple", ("options",), "options", "some"),
    QuestionType("true-false", ("answer",), None, "true-false"),
    QuestionType("fill-in", ("answers", "case_sensitive"), None, "typed"),
    QuestionType("numeric", ("answer", "tolerance"), None, "typed"),
    QuestionType("matching", ("pairs",), "pairs", "arrangement"),
    QuestionType("ordering", ("items",), "items", "arrangement"),
    QuestionType("likert", ("scale",), "scale", "one", scored=False),
)}
