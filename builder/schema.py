"""The shape of each course file, as COURSE-FORMAT.md states it (pydantic, strict, no unknown keys).

These classes describe raw documents only: `validate` checks documents against them (and adds the
rules no schema can express), and `load` assembles the frozen model from what passed.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from .editions import DEFAULT_SCORM_VERSIONS, SCORM_VERSIONS
from .model import COLOUR, EDITIONS, PACKAGINGS, PAPERS
from .questions import QUESTION_TYPES
from .paths import shipped_fonts

ID_PATTERN = r"^[a-z0-9][a-z0-9-]{1,62}[a-z0-9]$"
QUESTION_ID_PATTERN = r"^[A-Za-z0-9_-]{1,64}$"
SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?\Z")
LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*\Z")


def _percent(value):
    """`80%`, or a bare number 0..100 (an extension: authors often forget the sign).

    Whole percentages only: rounding 80.5% (or reading 0.8 as 0.8%) would silently change a pass mark.
    """
    if isinstance(value, bool):
        raise ValueError("should be a percentage such as 80%")
    shown = value
    if isinstance(value, str):
        match = re.fullmatch(r"\s*([-+]?\d+(?:\.\d+)?)\s*%\s*", value)
        if not match:
            raise ValueError(f"{value!r} is not a percentage; write it like 80%")
        value = float(match.group(1))
    if not isinstance(value, (int, float)) or value != value:
        raise ValueError("should be a percentage such as 80%")
    if not 0 <= value <= 100:
        raise ValueError(f"{value:g}% is out of range; use 0% to 100%")
    if 0 < value < 1 and not isinstance(shown, str):
        raise ValueError(f"{value:g} would mean {value:g}%; write percentages like 80% (not 0.8)")
    if value != int(value):
        raise ValueError(f"{value:g}% is not a whole percentage; use a whole number such as {int(value)}% or {int(value) + 1}%")
    return int(value)


def _text(value: str) -> str:
    if not value.strip():
        raise PydanticCustomError("blank_text", "is blank")
    return value


def _scorm_version(value):
    # YAML reads a bare 1.2 as a number; the format allows it bare or quoted.
    text = format(value, "g") if isinstance(value, float) and not isinstance(value, bool) else value
    if text not in SCORM_VERSIONS:
        raise ValueError(f"{value!r} is not a SCORM version; use one of: {', '.join(SCORM_VERSIONS)}")
    return text


def _without_final_newlines(value):
    """`version: |` or a pasted "1.0.0\n" ends in a new line that would go into every file name;
    the pattern then checks the rest with \\Z (Python's $ accepts a final new line)."""
    return value.rstrip("\r\n") if isinstance(value, str) else value


def _semver(value):
    value = _without_final_newlines(value)
    if not isinstance(value, str) or not SEMVER.match(value):
        raise ValueError(f"{value!r} is not a semantic version; write it like 1.0.0 (quote it if YAML reads a number)")
    return value


def _language(value):
    value = _without_final_newlines(value)
    if not isinstance(value, str) or not LANGUAGE.match(value):
        raise ValueError(f"{value!r} is not a language tag; use a BCP 47 tag such as en-GB")
    return value


def _colour(value):
    value = _without_final_newlines(value)
    if not isinstance(value, str) or not COLOUR.fullmatch(value):
        raise ValueError(f"{value!r} is not a colour; write it as \"#005eb8\" (quoted)")
    return value


Percent = Annotated[int, BeforeValidator(_percent)]
ScormVersion = Annotated[str, BeforeValidator(_scorm_version)]
SemVer = Annotated[str, BeforeValidator(_semver)]
Language = Annotated[str, BeforeValidator(_language)]
Colour = Annotated[str, BeforeValidator(_colour)]
Text = Annotated[str, Field(min_length=1), AfterValidator(_text)]
Number = Annotated[float, Field(allow_inf_nan=False)]
Minutes = Annotated[int, Field(ge=0, le=10_000)]


class Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class CompletionDoc(Strict):
    pages_viewed: Percent = 100
    quizzes: Literal["all", "none"] | list[Text] = "all"
    pass_mark: Percent = 80
    min_minutes: Minutes = 0


class ReportingDoc(Strict):
    status: Literal["passed/failed", "passed/incomplete", "completed/failed", "completed/incomplete"] = "passed/failed"
    score_on_completion: bool = True
    finish_request: Literal["suspendAll", "exitAll", "none"] = "suspendAll"


class ScormDoc(Strict):
    versions: list[ScormVersion] = Field(default=list(DEFAULT_SCORM_VERSIONS), min_length=1)
    packaging: Literal[PACKAGINGS] = "single-sco"
    reporting: ReportingDoc = ReportingDoc()


class HandoutDoc(Strict):
    editions: list[Literal[EDITIONS]] = list(EDITIONS)
    paper: Literal[PAPERS] = "A4"


class CourseDoc(Strict):
    id: Annotated[str, Field(pattern=ID_PATTERN)]
    title: Text
    version: SemVer
    language: Language = "en-GB"
    languages: list[Language] = []
    strings: dict[str, str] = {}       # the course's own wording of player/handout messages (course_strings.py)
    description: str = ""
    authors: list[Text] = []
    duration_minutes: Minutes | None = None
    modules: list[Text] = Field(min_length=1)
    completion: CompletionDoc = CompletionDoc()
    scorm: ScormDoc = ScormDoc()
    handout: HandoutDoc = HandoutDoc()


class ModuleDoc(Strict):
    title: Text | None = None
    objectives: list[Text] = []
    pages: list[Text] | None = None


class PageFrontMatter(Strict):
    title: Text
    minutes: Minutes | None = None
    handout: bool = True


class FeedbackDoc(Strict):
    correct: str = ""
    incorrect: str = ""


class OptionDoc(Strict):
    text: Text
    correct: bool = False
    feedback: str = ""


class PairDoc(Strict):
    left: Text
    right: Text


class QuestionBase(Strict):
    id: Annotated[str, Field(pattern=QUESTION_ID_PATTERN)]
    type: str
    prompt: Text
    feedback: FeedbackDoc = FeedbackDoc()
    objective: Annotated[int, Field(ge=1)] | None = None   # 1-based, into the module's objectives


class ChoiceQuestion(QuestionBase):
    options: list[OptionDoc]
    shuffle: bool = True        # false: the options keep the authored order, online and in print


class TrueFalseQuestion(QuestionBase):
    answer: bool


class FillInQuestion(QuestionBase):
    answers: list[Text] = Field(min_length=1)
    case_sensitive: bool = False


class NumericQuestion(QuestionBase):
    answer: Number
    tolerance: Annotated[Number, Field(ge=0)] = 0.0


class MatchingQuestion(QuestionBase):
    pairs: list[PairDoc]


class OrderingQuestion(QuestionBase):
    items: list[Text]


class LikertQuestion(QuestionBase):
    scale: list[Text]


_SCHEMA_OF_TYPE = {
    "single": ChoiceQuestion,
    "multiple": ChoiceQuestion,
    "true-false": TrueFalseQuestion,
    "fill-in": FillInQuestion,
    "numeric": NumericQuestion,
    "matching": MatchingQuestion,
    "ordering": OrderingQuestion,
    "likert": LikertQuestion,
}
# In the vocabulary's order (the order "use one of: ..." hints list the types in).
QUESTION_SCHEMAS: dict[str, type[QuestionBase]] = {name: _SCHEMA_OF_TYPE[name] for name in QUESTION_TYPES}
assert set(_SCHEMA_OF_TYPE) == set(QUESTION_TYPES), "every question type needs its schema"


class QuizDoc(Strict):
    title: Text = "Check your understanding"
    pass_mark: Percent | None = None
    attempts: Annotated[int, Field(ge=0, le=100)] = 0
    shuffle: bool = False
    draw: Annotated[int, Field(ge=1)] | None = None
    show_answers: Literal["after_each", "at_end", "never"] = "after_each"
    minutes: Annotated[int, Field(ge=0, le=600)] | None = None
    questions: list[Any] = Field(min_length=1)   # each checked against QUESTION_SCHEMAS by its type


class ThemeDoc(Strict):
    primary_colour: Colour = "#005eb8"
    accent_colour: Colour = "#ffb81c"
    logo: Text | None = None
    font: Literal[shipped_fonts()] = "atkinson-hyperlegible"
