"""Errors are data: every problem a course has, with where it is and what to change."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    column: int
    message: str
    hint: str = ""
    severity: str = "error"         # "error" | "warning"

    def format(self) -> str:
        text = f"{self.path}:{self.line}:{self.column}: {self.severity}: {self.message}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text

    def format_github(self) -> str:
        kind = "error" if self.severity == "error" else "warning"
        message = self.message + (f" ({self.hint})" if self.hint else "")
        message = message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        path = self.path.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        path = path.replace(":", "%3A").replace(",", "%2C")  # GitHub's rule for property values
        return f"::{kind} file={path},line={self.line},col={self.column}::{message}"


class CourseError(Exception):
    """A course (or a build of it) has problems the author must fix. Never a bug in coursesmith."""

    def __init__(self, problems):
        self.problems = tuple(problems)
        super().__init__("\n".join(p.format() for p in self.problems))

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")


class BuildError(Exception):
    """An output step refused to write something invalid (a package, a PDF)."""

    def __init__(self, message: str, hint: str = "", path: str = ""):
        self.message, self.hint, self.path = message, hint, path
        super().__init__(message)
