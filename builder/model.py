"""The frozen domain model: the only thing the pipeline's steps share.

`load` assembles it from course files once `validate` has approved them; `player`, `scorm` and
`handout` only read it.
Every collection is a tuple and every class is a frozen dataclass, so nothing downstream can
change what validation approved.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .editions import DEFAULT_SCORM_VERSIONS, SCORM_VERSIONS  # noqa: F401 - the model's vocabulary too
from .questions import QUESTION_TYPES, QuestionType

PACKAGINGS = ("single-sco", "sco-per-module")
EDITIONS = ("participant", "facilitator")
PAPERS = ("A4", "letter")
ADMONITION_KINDS = ("note", "tip", "warning", "activity")
# A theme colour: it goes into CSS text (player and handout), so it must be nothing but a colour.
COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
SHOW_ANSWERS = ("after_each", "at_end", "never")   # when a quiz shows the right answers


@dataclass(frozen=True)
class Location:
    """Where a value came from: a path relative to the course folder's parent, 1-based line/column."""

    path: str
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Option:
    text: str
    correct: bool = False
    feedback: str = ""


@dataclass(frozen=True)
class Pair:
    left: str
    right: str


@dataclass(frozen=True)
class QuestionFeedback:
    correct: str = ""
    incorrect: str = ""


@dataclass(frozen=True)
class Question:
    """One question. Only the fields of its `type` (questions.py) carry meaning; the rest keep their defaults."""

    id: str
    type: str
    prompt: str
    location: Location
    feedback: QuestionFeedback = QuestionFeedback()
    options: tuple[Option, ...] = ()          # single, multiple
    answer: bool | float | None = None        # true-false (bool), numeric (float)
    answers: tuple[str, ...] = ()             # fill-in: accepted strings
    case_sensitive: bool = False              # fill-in
    tolerance: float = 0.0                    # numeric
    pairs: tuple[Pair, ...] = ()              # matching
    items: tuple[str, ...] = ()               # ordering, in the correct order
    scale: tuple[str, ...] = ()               # likert labels, low to high
    objective: int | None = None              # which of the module's objectives it tests, 1-based
    shuffle: bool = True                      # single, multiple: false pins the option order (player, print)

    @property
    def kind(self) -> QuestionType:
        return QUESTION_TYPES[self.type]

    @property
    def scored(self) -> bool:
        return self.kind.scored

    @property
    def choices(self) -> tuple:
        """What the learner picks from or arranges (options, pairs, items, scale labels); () if typed."""
        return getattr(self, self.kind.choices) if self.kind.choices else ()


@dataclass(frozen=True)
class Quiz:
    title: str
    pass_mark: int                  # percent 0..100, already resolved against completion.pass_mark
    attempts: int                   # 0 = unlimited
    shuffle: bool
    draw: int | None                # ask a random `draw` of the questions; None = all
    questions: tuple[Question, ...]
    location: Location
    show_answers: str = "after_each"   # one of SHOW_ANSWERS
    minutes: int = 0                # session time: `minutes:`, else worked out from the questions asked

    @property
    def scored_questions(self) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.scored)

    @property
    def asked(self) -> int:
        """How many questions one attempt asks."""
        return self.draw if self.draw else len(self.questions)


@dataclass(frozen=True)
class Activity:
    """An `!!! activity` box on a page: the session plan gives it a row of its own."""

    title: str
    minutes: int | None             # `!!! activity "Title" minutes: 10`; None when not given


@dataclass(frozen=True)
class Page:
    id: str                         # "<module-id>/<page-slug>", unique in the course
    slug: str                       # file name without ".md", e.g. "01-not-the-same"
    title: str
    minutes: int | None
    handout: bool
    html: str                       # sanitised body for learners (player, participant handout)
    facilitator_html: str           # the same with facilitator notes rendered in place
    facilitator_notes: tuple[str, ...]
    location: Location
    activities: tuple[Activity, ...] = ()
    captions: tuple[str, ...] = ()  # course paths of the captions files its video and sound use


@dataclass(frozen=True)
class Cue:
    """One caption of a WebVTT file (builder/captions.py)."""

    start: float                    # seconds
    end: float
    text: str                       # WebVTT cue text
    settings: tuple[tuple[str, object], ...] = ()   # VTTCue properties: (("align", "start"), ...)


@dataclass(frozen=True)
class Captions:
    path: str                       # course-relative, e.g. "assets/clip.vtt"
    cues: tuple[Cue, ...]


@dataclass(frozen=True)
class Module:
    id: str                         # folder name, e.g. "01-leadership-and-management"
    path: str                       # course-relative folder, e.g. "modules/01-leadership-and-management"
    title: str
    objectives: tuple[str, ...]
    pages: tuple[Page, ...]
    quiz: Quiz | None
    location: Location


@dataclass(frozen=True)
class CompletionRules:
    pages_viewed: int = 100         # percent of pages a learner must open
    required_quizzes: tuple[str, ...] = ()   # module ids whose quiz must be passed
    pass_mark: int = 80             # default pass mark, percent
    min_minutes: int = 0


@dataclass(frozen=True)
class Reporting:
    """What the LMS is told, where LMSs read SCORM differently (README, "Tracking in an LMS")."""

    status: str = "passed/failed"   # what a passed / a failed course reports
    score_on_completion: bool = True     # no required quiz: score 100 once completed
    finish_request: str = "suspendAll"   # SCORM 2004 adl.nav.request on "Save and finish"


@dataclass(frozen=True)
class ScormSettings:
    versions: tuple[str, ...] = DEFAULT_SCORM_VERSIONS
    packaging: str = "single-sco"
    reporting: Reporting = Reporting()


@dataclass(frozen=True)
class HandoutSettings:
    editions: tuple[str, ...] = EDITIONS
    paper: str = "A4"


@dataclass(frozen=True)
class Theme:
    primary_colour: str = "#005eb8"
    accent_colour: str = "#ffb81c"
    logo: str | None = None         # course-relative path
    font: str = "atkinson-hyperlegible"


@dataclass(frozen=True)
class Course:
    id: str
    title: str
    version: str
    language: str
    description: str
    authors: tuple[str, ...]
    duration_minutes: int
    modules: tuple[Module, ...]
    completion: CompletionRules
    scorm: ScormSettings
    handout: HandoutSettings
    theme: Theme
    source_dir: Path                # absolute, symlinks resolved
    assets: tuple[str, ...] = ()    # course-relative paths of every file pages or theme reference
    captions: tuple[Captions, ...] = ()   # every captions file pages use, read at load
    input_files: tuple[str, ...] = field(default=(), compare=False)  # course-relative, read by load
    languages: tuple[str, ...] = ()       # `languages:`: the first is `language`, the others built from translations/
    strings: tuple[tuple[str, str], ...] = ()   # the course's own wording of player/handout messages
    # The same for each further language of `languages:` (from locale/<tag>.po): (tag, wording).
    language_strings: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()

    @property
    def pages(self) -> tuple[Page, ...]:
        return tuple(page for module in self.modules for page in module.pages)

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(q for m in self.modules if m.quiz for q in m.quiz.questions)

    def cues(self, path: str) -> tuple[Cue, ...]:
        return next((c.cues for c in self.captions if c.path == path), ())

    def module(self, module_id: str) -> Module:
        return next(m for m in self.modules if m.id == module_id)
