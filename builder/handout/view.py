"""What one edition of a handout shows, worked out from the model before any template sees it.

Templates only lay out; the decisions live here: which pages are printed, how long each session
runs, in which order matching and ordering questions print their items, and what the answer key says.
"""

from __future__ import annotations

import hashlib
import random
import re
from dataclasses import dataclass
from datetime import datetime, timezone

from builder import ui_text
from builder.model import Course, Module, Page, Question, Quiz
from builder.timings import module_parts

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
EDITION_NAMES = {"participant": "participant-handout", "facilitator": "facilitator-guide"}   # message keys
ENGLISH = ui_text.words(ui_text.FALLBACK)


@dataclass(frozen=True)
class Choice:
    letter: str
    text: str


@dataclass(frozen=True)
class MatchRow:
    number: int
    left: str
    answer_letter: str      # the letter of its right-hand match, printed only for facilitators


@dataclass(frozen=True)
class OrderItem:
    letter: str
    text: str
    position: int           # its place in the correct order, printed only for facilitators


@dataclass(frozen=True)
class QuestionView:
    question: Question
    number: int
    anchor: str
    choices: tuple[Choice, ...] = ()          # options as printed (see printed_options), lettered
    options: tuple = ()                       # the model's options in that order
    match_rows: tuple[MatchRow, ...] = ()
    match_choices: tuple[Choice, ...] = ()
    order_items: tuple[OrderItem, ...] = ()
    answer: str = ""                          # the answer key's line; "" for a survey question

    @property
    def type(self) -> str:
        return self.question.type


@dataclass(frozen=True)
class QuizView:
    quiz: Quiz
    anchor: str
    questions: tuple[QuestionView, ...]


@dataclass(frozen=True)
class PageView:
    page: Page
    anchor: str
    html: str               # the body this edition prints, fitted into the handout
    start_minute: int       # minutes since the session started, for the facilitator's plan


@dataclass(frozen=True)
class PlanRow:
    """One line of the facilitator's session plan: a page, an activity on it, or a quiz."""
    kind: str               # "page" | "activity" | "quiz"
    title: str
    minutes: int | None
    start_minute: int


@dataclass(frozen=True)
class ModuleView:
    module: Module
    number: int
    anchor: str
    pages: tuple[PageView, ...]
    quiz: QuizView | None
    plan: tuple[PlanRow, ...] = ()

    @property
    def minutes(self) -> int:
        return sum(row.minutes or 0 for row in self.plan)

    @property
    def online_only(self) -> bool:
        """Every page is left out of handouts and there is no quiz to print."""
        return not self.pages and self.quiz is None


@dataclass(frozen=True)
class HandoutView:
    course: Course
    edition: str
    modules: tuple[ModuleView, ...]
    source_date: datetime

    @property
    def facilitator(self) -> bool:
        return self.edition == "facilitator"

    @property
    def words(self) -> ui_text.Words:
        return ui_text.for_course(self.course)

    @property
    def edition_name(self) -> str:
        return self.words.text(EDITION_NAMES[self.edition])

    @property
    def document_title(self) -> str:
        return f"{self.course.title}: {self.edition_name}"

    @property
    def date_text(self) -> str:
        return self.words.date(_utc(self.source_date).date())

    @property
    def date_w3c(self) -> str:
        return _utc(self.source_date).strftime("%Y-%m-%dT%H:%M:%SZ")

    @property
    def session_minutes(self) -> int:
        return sum(m.minutes for m in self.modules)

    @property
    def quizzes(self) -> tuple[tuple[ModuleView, QuizView], ...]:
        return tuple((m, m.quiz) for m in self.modules if m.quiz)


def build_view(course: Course, edition: str, source_date: datetime, fit_html) -> HandoutView:
    """`fit_html(html, anchor)` adapts a page body to the shared document (see fragments.py)."""
    facilitator = edition == "facilitator"
    modules, elapsed = [], 0
    for number, module in enumerate(course.modules, start=1):
        pages, plan, starts = [], [], {}
        for part in module_parts(module):
            plan.append(PlanRow(part.kind, part.title, part.minutes, elapsed))
            starts.setdefault(part.page, elapsed)
            elapsed += part.minutes or 0
        for page in (p for p in module.pages if p.handout):
            anchor = anchor_for("page", page.id)
            body = page.facilitator_html if facilitator else page.html
            pages.append(PageView(page, anchor, fit_html(body, anchor), starts[page]))
        quiz = quiz_view(module, ui_text.for_course(course)) if module.quiz else None
        modules.append(ModuleView(module, number, anchor_for("module", module.id), tuple(pages), quiz, tuple(plan)))
    return HandoutView(course, edition, tuple(modules), source_date)


def quiz_view(module: Module, words: ui_text.Words = ENGLISH) -> QuizView:
    questions = tuple(question_view(q, n, words) for n, q in enumerate(module.quiz.questions, start=1))
    return QuizView(module.quiz, anchor_for("quiz", module.id), questions)


def question_view(question: Question, number: int, words: ui_text.Words = ENGLISH) -> QuestionView:
    anchor = anchor_for("question", question.id)
    choices_field = question.kind.choices
    if choices_field == "options":
        options = printed_options(question)
        choices = tuple(Choice(LETTERS[i], o.text) for i, o in enumerate(options))
        correct = [f"{c.letter}: {c.text}" for c, o in zip(choices, options) if o.correct]
        return QuestionView(question, number, anchor, choices=choices, options=options, answer=words.table["list-separator"].join(correct))
    if choices_field == "pairs":
        return _matching_view(question, number, anchor)
    if choices_field == "items":
        return _ordering_view(question, number, anchor)
    return QuestionView(question, number, anchor, answer=answer_text(question, words))


def answer_text(question: Question, words: ui_text.Words = ENGLISH) -> str:
    if question.kind.answer == "true-false":
        return words.text("true" if question.answer else "false")
    if question.kind.controls == "text":
        accepted = words.table["answers-or"].join(question.answers)
        return words.text("case-sensitive", answer=accepted) if question.case_sensitive else accepted
    if question.kind.controls == "number":
        text = format_number(question.answer)
        return text + (f" (± {format_number(question.tolerance)})" if question.tolerance else "")
    return ""


def _matching_view(question: Question, number: int, anchor: str) -> QuestionView:
    rights = printed_order([pair.right for pair in question.pairs])
    letter_of = {text: LETTERS[i] for i, text in enumerate(rights)}
    rows = tuple(MatchRow(i, pair.left, letter_of[pair.right])
                 for i, pair in enumerate(question.pairs, start=1))
    return QuestionView(
        question, number, anchor,
        match_rows=rows,
        match_choices=tuple(Choice(LETTERS[i], text) for i, text in enumerate(rights)),
        answer=", ".join(f"{row.number}\u2013{row.answer_letter}" for row in rows))


def _ordering_view(question: Question, number: int, anchor: str) -> QuestionView:
    shown = printed_order(list(question.items))
    position_of = {text: question.items.index(text) + 1 for text in question.items}
    items = tuple(OrderItem(LETTERS[i], text, position_of[text]) for i, text in enumerate(shown))
    in_order = sorted(items, key=lambda item: item.position)
    boxes = ", ".join(f"{item.letter} {item.position}" for item in items)
    return QuestionView(question, number, anchor, order_items=items,
                        answer=f"write {boxes} (in order: {', '.join(item.letter for item in in_order)})")


def printed_options(question: Question) -> tuple:
    """The options in the order the handouts print them: shuffled the same way in every build and
    both editions (the shuffle is seeded by the question's id), so that the right answer is not
    "A" whenever the author wrote it first; never the authored order when there is another.
    `shuffle: false` on the question keeps the authored order ("All of the above" last)."""
    options = list(question.options)
    if not question.shuffle or len(options) < 2:
        return tuple(options)
    seed = int.from_bytes(hashlib.sha256(question.id.encode("utf-8")).digest()[:8], "big")
    random.Random(seed).shuffle(options)
    if options == list(question.options):
        options = options[1:] + options[:1]
    return tuple(options)


def printed_order(texts: list[str]) -> list[str]:
    """A fixed order that does not give the answer away.

    Matching and ordering questions are authored in their correct order, so printing them as
    authored would print the answer. Alphabetical order is fixed (the same every build and in
    both editions); when it happens to be the authored order, it is rotated by one.
    """
    shown = sorted(texts, key=lambda text: (text.casefold(), text))
    if shown == texts and len(texts) > 1:
        shown = shown[1:] + shown[:1]
    return shown


def format_number(value: float | None) -> str:
    if value is None:
        return ""
    text = f"{value:.10f}".rstrip("0").rstrip(".")
    return text.replace("-", "\u2212") if text != "-0" else "0"


def format_clock(minutes: int) -> str:
    """Elapsed session time as h:mm, for the facilitator's session plan."""
    return f"{minutes // 60}:{minutes % 60:02d}"


def _utc(moment: datetime) -> datetime:
    """Source dates are UTC (commit times, SOURCE_DATE_EPOCH); a naive one is taken as UTC too."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def anchor_for(kind: str, identifier: str) -> str:
    return f"{kind}-" + re.sub(r"[^A-Za-z0-9_-]+", "-", identifier).strip("-")
