"""WebVTT captions read at build time, so that the player can add them itself.

Chromium refuses a `<track>` file to a page opened from disk (a `file:` page has an opaque origin,
so the .vtt counts as cross-origin): the captions would be missing exactly where a course is
tried out first. The build reads each captions file instead, checks it like a compiler (a
mistake is an error at its line) and hands the cues to the player's data; the player adds them
with the TextTrack API, which works the same from disk and in an LMS frame.

What is kept of a cue: its start and end (seconds), its text (WebVTT cue text, tags such as
<i> or <v Name> included: the browser's caption renderer reads them, never as HTML) and its
settings as VTTCue properties (`align:start` -> align "start", `line:10%` -> line 10 with
snapToLines false, ...). A setting a browser would ignore (unknown, or a value out of its range)
is ignored here too, as are `region:` and the NOTE, STYLE and REGION blocks.
"""

from __future__ import annotations

import re

from .errors import Problem
from .model import Cue

_TIMESTAMP = re.compile(r"(?:(\d+):)?([0-5]\d):([0-5]\d)\.(\d{3})\Z")
_HEADER = re.compile(r"WEBVTT(?:[ \t].*)?\Z")
_SKIPPED_BLOCKS = re.compile(r"(NOTE|STYLE|REGION)(?:[ \t].*)?\Z")
_PERCENT = r"(\d+(?:\.\d+)?)%"
# Each cue setting as WebVTT writes it, and the VTTCue properties it sets.
_SETTINGS = {
    "vertical": (re.compile(r"(rl|lr)\Z"), lambda m: {"vertical": m[1]}),
    "line": (re.compile(rf"(?:{_PERCENT}|(-?\d+))(?:,(start|center|end))?\Z"),
             lambda m: {"line": float(m[1]) if m[1] else int(m[2]), "snapToLines": not m[1]}
             | ({"lineAlign": m[3]} if m[3] else {})),
    "position": (re.compile(rf"{_PERCENT}(?:,(line-left|center|line-right))?\Z"),
                 lambda m: {"position": float(m[1])} | ({"positionAlign": m[2]} if m[2] else {})),
    "size": (re.compile(rf"{_PERCENT}\Z"), lambda m: {"size": float(m[1])}),
    "align": (re.compile(r"(start|center|end|left|right)\Z"), lambda m: {"align": m[1]}),
}
_HINT = "write each cue as a line like 00:00:01.000 --> 00:00:04.000, then its text, with a blank line between cues"


def read_cues(text: str, shown: str) -> tuple[tuple[Cue, ...], list[Problem]]:
    """The cues of a WebVTT file (decoded, without a byte order mark) and its problems."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    problems: list[Problem] = []

    def report(line: int, message: str, hint: str = _HINT) -> None:
        problems.append(Problem(shown, line, 1, f"captions: {message}", hint, code="CS614"))

    if not _HEADER.match(lines[0]):
        report(1, "the first line must be WEBVTT", "export the captions again as WebVTT")
        return (), problems
    cues: list[Cue] = []
    for first, block in _blocks(lines):
        if _SKIPPED_BLOCKS.match(block[0]):
            continue
        timing = 0 if "-->" in block[0] else 1
        if timing >= len(block) or "-->" not in block[timing]:
            report(first, f"{block[0]!r} is neither a cue nor a NOTE")
            continue
        cue = _cue(block, timing, first, report)
        if cue is None:
            continue
        if cues and cue.start < cues[-1].start:
            report(first + timing, f"this cue starts at {block[timing].split('-->')[0].strip()}, before the "
                    "cue above it: cues must be in the order they are shown",
                    "move the cue to its place in time")
            continue
        cues.append(cue)
    if not cues and not problems:
        report(1, "the file has no cues", "add the captions, or export them again as WebVTT")
    return tuple(cues), problems


def _blocks(lines: list[str]):
    """(line number of its first line, its lines) of each block after the header."""
    block: list[str] = []
    start = 0
    in_header = True
    for number, line in enumerate(lines, 1):
        if line.strip() == "":
            if block and not in_header:
                yield start, block
            block, in_header = [], False
            continue
        if in_header:
            continue
        if not block:
            start = number
        block.append(line)
    if block and not in_header:
        yield start, block


def _cue(block: list[str], timing: int, first: int, report) -> Cue | None:
    line = first + timing
    left, _, right = block[timing].partition("-->")
    start_text = left.strip()
    end_text, *settings = right.split() or [""]
    start, end = _seconds(start_text), _seconds(end_text)
    if start is None or end is None:
        wrong = start_text if start is None else end_text or "(nothing)"
        report(line, f"{wrong!r} is not a time", "write times as 00:01.500 or 00:00:01.500 (hours optional)")
        return None
    if end <= start:
        report(line, f"the cue ends at {end_text}, not after it starts ({start_text})",
                "give every cue an end later than its start")
        return None
    text = block[timing + 1:]
    for offset, row in enumerate(text, timing + 1):
        if "-->" in row:
            report(first + offset, "a cue's text cannot contain -->; is a blank line missing before this cue?")
            return None
    return Cue(start=start, end=end, text="\n".join(text), settings=_settings(settings))


def _settings(words: list[str]) -> tuple[tuple[str, object], ...]:
    """VTTCue properties from a timing line's settings (`align:start line:0`), in a fixed order."""
    found: dict[str, object] = {}
    for word in words:
        name, _, value = word.partition(":")
        if name in _SETTINGS and 0 <= _percent_of(value) <= 100 and (match := _SETTINGS[name][0].match(value)):
            found.update(_SETTINGS[name][1](match))
    return tuple(sorted(found.items()))


def _percent_of(value: str) -> float:
    """A percentage's number (0 for any other value): browsers drop percentages over 100."""
    match = re.match(rf"{_PERCENT}(?:,|\Z)", value)
    return float(match[1]) if match else 0


def _seconds(stamp: str) -> float | None:
    match = _TIMESTAMP.match(stamp)
    if not match:
        return None
    hours, minutes, seconds, millis = match.groups()
    return int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds) + int(millis) / 1000
