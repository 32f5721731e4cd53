"""How long each part of a facilitated session takes: one table of parts, read by the session plan
and by the check that the plan fits `duration_minutes`.

A module's parts, in order: each printed page (its `minutes:`), each activity on it (the
`minutes:` on its `!!! activity` line, added to the page's own), then the quiz (its `minutes:`,
else half a minute per question asked, rounded up).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .model import Module, Page

SECONDS_PER_QUESTION = 30


@dataclass(frozen=True)
class Part:
    kind: str               # "page" | "activity" | "quiz"
    title: str
    minutes: int | None     # None: not given (a page or activity without `minutes:`)
    page: Page | None = None


def default_quiz_minutes(asked: int) -> int:
    return math.ceil(asked * SECONDS_PER_QUESTION / 60)


def module_parts(module: Module, pages: tuple[Page, ...] | None = None) -> tuple[Part, ...]:
    """The session parts of `module`: `pages` (default: the pages printed in handouts), their
    activities, and the quiz."""
    parts = []
    for page in (pages if pages is not None else tuple(p for p in module.pages if p.handout)):
        parts.append(Part("page", page.title, page.minutes, page))
        parts.extend(Part("activity", a.title, a.minutes, page) for a in page.activities)
    if module.quiz is not None:
        parts.append(Part("quiz", module.quiz.title, module.quiz.minutes))
    return tuple(parts)


def total(parts) -> int:
    return sum(part.minutes or 0 for part in parts)


def session_minutes(modules) -> int:
    """The whole session plan's minutes: what `duration_minutes` should say."""
    return sum(total(module_parts(m)) for m in modules)
