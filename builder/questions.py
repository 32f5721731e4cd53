"""The question types: one vocabulary that the schema, the rules, the model, the player, its state
codec and the handouts take their names and properties from.

The templates and the player's JavaScript read these properties and compare no type names (the
player gets them in its embedded data, see `player_facts`); only the schema table (schema.py)
and the rules of each type (validate.check_question) are written per name. A new type is a row
here, its schema and rules, and the markup and code its new property values need.

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
    # The player's controls: the macro of templates/player/index.html.j2 that draws them, and how
    # quiz-view.js reads, fills and explains them. "options" are radio buttons for an answer of
    # "one", checkboxes for "some".
    controls: str                   # "options" | "true-false" | "scale" | "text" | "number" | "pairs" | "order"
    # How quiz.js decides whether an answer is right; None: never right or wrong (a survey).
    judge: str | None               # "correct-option" | "correct-options" | "answer" | "typed" | "rights" | "order"
    shuffled: str | None            # what each attempt puts in its own order: "options" | "rights" | "items"
    interaction: str                # SCORM's cmi.interactions.n.type, which also names its response format
    printed: str                    # the handout's layout: a macro of templates/handout/_questions.html.j2
    scored: bool = True             # False: a survey question, thanked and never scored

    def player_facts(self) -> dict:
        """What the player's JavaScript reads about a question of this type (beside its `type`)."""
        return {"codec": self.answer, "controls": self.controls, "judge": self.judge,
                "shuffled": self.shuffled, "interaction": self.interaction, "scored": self.scored}


QUESTION_TYPES: dict[str, QuestionType] = {t.name: t for t in (
    QuestionType("single", ("options",), "options", "one",
                 controls="options", judge="correct-option", shuffled="options", interaction="choice",
                 printed="tick-one"),
    QuestionType("multiple", ("options",), "options", "some",
                 controls="options", judge="correct-options", shuffled="options", interaction="choice",
                 printed="tick-all"),
    QuestionType("true-false", ("answer",), None, "true-false",
                 controls="true-false", judge="answer", shuffled=None, interaction="true-false",
                 printed="true-false"),
    QuestionType("fill-in", ("answers", "case_sensitive"), None, "typed",
                 controls="text", judge="typed", shuffled=None, interaction="fill-in",
                 printed="write-on"),
    QuestionType("numeric", ("answer", "tolerance"), None, "typed",
                 controls="number", judge="typed", shuffled=None, interaction="numeric",
                 printed="number"),
    QuestionType("matching", ("pairs",), "pairs", "arrangement",
                 controls="pairs", judge="rights", shuffled="rights", interaction="matching",
                 printed="matching"),
    QuestionType("ordering", ("items",), "items", "arrangement",
                 controls="order", judge="order", shuffled="items", interaction="sequencing",
                 printed="ordering"),
    QuestionType("likert", ("scale",), "scale", "one",
                 controls="scale", judge=None, shuffled=None, interaction="likert",
                 printed="scale", scored=False),
)}
