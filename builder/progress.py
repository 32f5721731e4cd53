"""Progress on long work: a line per step with its time, and on a terminal a live bar too.

On an interactive terminal (and not in CI) a `LiveProgress` draws a rich progress bar while a
course loads and while the PDFs render, above which the step lines scroll. Anywhere else (CI
logs, pipes, files, `TERM=dumb`) `Progress` prints the same step lines and nothing that redraws,
so logs stay readable. Colour follows rich, which honours `NO_COLOR`.

Both are callables taking a line, so anything that only reports lines (`build_course`'s
`report`) can take either.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from typing import Callable, Iterator

from rich.console import Console
from rich.text import Text

Advance = Callable[[], None]


class Progress:
    """Step lines only: for CI and pipes."""

    def __init__(self, console: Console):
        self.console = console

    def __call__(self, line: str) -> None:
        self.console.print(Text(line))

    @contextmanager
    def bar(self, description: str, total: int | None = None) -> Iterator[Advance]:
        yield lambda: None


class LiveProgress(Progress):
    """Step lines, and a live bar while something long runs: for a person at a terminal."""

    @contextmanager
    def bar(self, description: str, total: int | None = None) -> Iterator[Advance]:
        # Imported here: only a person at a terminal sees a bar, and rich's progress costs time.
        from rich.progress import BarColumn, Progress as RichProgress, TaskProgressColumn, TextColumn, TimeElapsedColumn

        columns = [TextColumn("{task.description}"), BarColumn()]
        if total is not None:
            columns.append(TaskProgressColumn())
        columns.append(TimeElapsedColumn())
        with RichProgress(*columns, console=self.console, transient=True) as live:
            task = live.add_task(description, total=total)
            yield lambda: live.advance(task)


def live_wanted(console: Console) -> bool:
    """A live bar only for a person: a terminal that can redraw, and not a CI runner."""
    return console.is_terminal and not console.is_dumb_terminal and not os.environ.get("CI")


def progress_for(console: Console) -> Progress:
    return LiveProgress(console) if live_wanted(console) else Progress(console)


def no_bar(description: str, total: int | None = None):
    """For a `report` that is a plain function: the work runs without a bar."""
    return Progress(Console(quiet=True)).bar(description, total)
