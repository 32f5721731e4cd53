"""Errors are data: every problem a course (or a build of it) has, with where it is and what to change.

There is one error type. Each step either collects `Problem`s (loading and checking a course
finds them all, not the first only) or raises a `CourseError` carrying them (an output step that
refuses to write something invalid). The command line prints them with one formatter per output
format (`FORMATTERS`) and exits 1. Anything else that escapes a step is a bug in coursesmith.
"""

from __future__ import annotations

from dataclasses import dataclass

from .codes import CODES

SEVERITIES = ("error", "warning")


@dataclass(frozen=True)
class Problem:
    path: str                       # as the author named it; "" = the course folder itself
    line: int                       # 1-based
    column: int                     # 1-based
    message: str                    # what is wrong, in the author's terms
    hint: str = ""                  # what to change
    severity: str = "error"         # "error" | "warning"
    code: str = ""                  # stable code from builder/codes.py, e.g. "CS301"
    source: str = ""                # the offending line as written, shown with a caret under `column`
    fixed: str = ""                 # that line as it should read, when the fix is obvious

    def __post_init__(self):
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity {self.severity!r} is not one of {SEVERITIES}")
        if self.code and self.code not in CODES:
            raise ValueError(f"problem code {self.code!r} is not in builder/codes.py")

    def format(self) -> str:
        return format_text(self)


class CourseError(Exception):
    """A course (or a build of it) has problems the author must fix. Never a bug in coursesmith."""

    def __init__(self, problems):
        self.problems = tuple(problems)
        super().__init__("\n".join(p.format() for p in self.problems))

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")


def refuse(code: str, message: str, hint: str = "", *, path: str = "", line: int = 1,
           column: int = 1) -> CourseError:
    """The error an output step raises for one problem: `raise refuse("CS706", "...", "...")`."""
    return CourseError([Problem(path, line, column, message, hint, code=code)])


# --- formatters: one per output format ----------------------------------------------------------

def text_parts(problem: Problem) -> list[tuple[str, str]]:
    """The text format as (text, style) runs, so a terminal can colour it and a file cannot."""
    style = "bold red" if problem.severity == "error" else "bold yellow"
    parts = [(f"{problem.path}:{problem.line}:{problem.column}: ", ""), (f"{problem.severity}:", style),
             (f" {problem.message}", "")]
    gutter = " " * len(str(problem.line))
    if problem.source:
        parts.append((f"\n    {problem.line} | {problem.source}\n    {gutter} | {' ' * (problem.column - 1)}^", ""))
    if problem.hint:
        parts.append((f"\n    hint: {problem.hint}" + (", like this:" if problem.fixed and not problem.hint.endswith("?") else ""), "dim"))
    if problem.fixed:
        parts.append((f"\n    {problem.line} | {problem.fixed}", ""))
    return parts


def format_text(problem: Problem) -> str:
    """`path:line:column: severity: message`, and the hint on the next line: as compilers print."""
    return "".join(text for text, _style in text_parts(problem))


def format_github(problem: Problem) -> str:
    """A GitHub Actions workflow command, which the Actions log shows as an annotation on the file."""
    message = problem.message + (f" ({problem.hint})" if problem.hint else "")
    if problem.fixed:
        message += f"\nline {problem.line} would read: {problem.fixed}"
    message = message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    path = problem.path.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    path = path.replace(":", "%3A").replace(",", "%2C")  # GitHub's rule for property values
    return f"::{problem.severity} file={path},line={problem.line},col={problem.column}::{message}"


FORMATTERS = {"text": format_text, "github": format_github}
