"""YAML syntax errors in an author's words: what is wrong on which line, and the line as it should read.

The parser reports where it gave up, in its own terms ("mapping values are not allowed here",
"expected <block end>"). Authors make a handful of mistakes over and over (the catalogue in the
README's "Ten common YAML mistakes"): each rule below recognises one from the parser's complaint
and the text of the lines around it, names the line the mistake is on (not always the line the
parser stopped at) and, where the fix is obvious, gives the corrected line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# `key: value`, possibly as a list item (`- key: value`); the first ": " ends the key.
KEY_LINE = re.compile(r"^(?P<lead>[ ]*(?:-[ ]+)?)(?P<key>[^\s:#'\"\[{-][^:]*?):(?:[ ]+(?P<value>.*?))?[ ]*$")
# `key:value` with no space after the colon (and not a web address).
NO_SPACE = re.compile(r"^(?P<lead>[ ]*(?:-[ ]+)?)(?P<key>[A-Za-z_][\w-]*):(?P<value>[^\s/].*)$")
# Spaces that look like spaces but are not (pasted from web pages and word processors).
ODD_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
LEADING = re.compile(f"[ \t{ODD_SPACES}]*")


@dataclass(frozen=True)
class Diagnosis:
    line: int            # 1-based, in the text given
    column: int
    message: str
    hint: str
    fixed: str = ""      # the line as it should read, when that is obvious


def quoted(text: str) -> str:
    """`text` as a YAML quoted scalar: double quotes unless the text holds them or a backslash."""
    if '"' not in text and "\\" not in text:
        return f'"{text}"'
    return "'" + text.replace("'", "''") + "'"


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _previous(lines: list[str], index: int) -> int | None:
    """Index of the nearest line above `index` holding something other than a comment."""
    for i in range(index - 1, -1, -1):
        if lines[i].strip() and not lines[i].lstrip().startswith("#"):
            return i
    return None


def odd_indentation(text: str) -> Diagnosis | None:
    """A line indented with non-breaking (or other look-alike) spaces: YAML reads them as text, so
    the parser's complaint, if any, lands on another line or past the end of the file."""
    for number, line in enumerate(text.split("\n"), 1):
        lead = LEADING.match(line).group()
        odd = next((i for i, ch in enumerate(lead) if ch in ODD_SPACES), None)
        if odd is not None and line.strip(ODD_SPACES + " \t"):
            return Diagnosis(number, odd + 1, "this line is indented with non-breaking spaces "
                             "(often pasted from a web page or a word processor)",
                             "replace them with ordinary spaces", " " * len(lead) + line[len(lead):])
    return None


def explain(text: str, problem: str, problem_at: tuple[int, int] | None, context: str,
            context_at: tuple[int, int] | None) -> Diagnosis | None:
    """The author's version of a parser error, or None when no rule recognises it.

    `problem_at` and `context_at` are the parser's (line, column), 1-based."""
    lines = text.split("\n")
    for rule in _RULES:
        found = rule(lines, problem or "", problem_at, context or "", context_at)
        if found is not None:
            return found
    return None


def _line(lines: list[str], number: int) -> str:
    return lines[number - 1] if 0 < number <= len(lines) else ""


def _special_start(lines, problem, at, context, context_at):
    """Text starting with a character YAML gives a meaning: * & @ ` % | >."""
    if at is None:
        return None
    if "undefined alias" in problem:
        char = "*"
    elif "scanning an anchor" in context:
        char = "&"
    elif "cannot start any token" in problem and "'\\t'" not in problem:
        char = problem.split("'")[1] if "'" in problem else "?"
    elif "scanning a block scalar" in context and "line break" in problem:
        char = _line(lines, context_at[0])[context_at[1] - 1:context_at[1]] if context_at else "|"
    else:
        return None
    number = (context_at or at)[0] if char in "|>" else at[0]
    return special_start(_line(lines, number), number, char)


def _value_starts_specially(lines, problem, at, context, context_at):
    """Whatever the parser made of it, a value starting with * & @ ` % | > ! was meant as text."""
    for number in {(at or (0, 0))[0], (context_at or (0, 0))[0]} - {0}:
        match = KEY_LINE.match(_line(lines, number))
        value = match.group("value") if match else None
        if value and value[0] in SPECIAL_STARTS:
            return special_start(lines[number - 1], number, value[0])
    return None


SPECIAL_STARTS = "*&@`%|>!"


def special_start(line: str, number: int, char: str) -> Diagnosis:
    """The Diagnosis for a value on `line` that starts with `char`."""
    meaning = {"*": "a reference to another value", "&": "a name for this value", "!": "a type tag",
               "|": "the start of a block of text", ">": "the start of a block of text",
               "@": "nothing (it is reserved)", "`": "nothing (it is reserved)", "%": "a directive"}.get(char, "")
    match = KEY_LINE.match(line)
    column = (match.start("value") + 1) if match and match.group("value") else 1
    fixed = f"{match.group('lead')}{match.group('key')}: {quoted(match.group('value'))}" \
        if match and match.group("value") else ""
    return Diagnosis(number, column, f"text cannot start with {char} in YAML, which reads it as {meaning}",
                     "put the whole text in quotes", fixed)


def _tab(lines, problem, at, context, context_at):
    if "'\\t'" not in problem or at is None:
        return None
    line = _line(lines, at[0])
    above = _previous(lines, at[0] - 1)
    indent = 0
    if above is not None:
        indent = _indent(lines[above]) + (2 if lines[above].rstrip().endswith(":") else 0)
    return Diagnosis(at[0], at[1], "this line is indented with a tab",
                     "indent with spaces: YAML does not allow tabs",
                     " " * indent + line.lstrip(" \t"))


def _colon_in_value(lines, problem, at, context, context_at):
    """`title: Roles: who does what`: the second colon starts a key where none can be."""
    if "mapping values are not allowed" not in problem or at is None:
        return None
    line = _line(lines, at[0])
    match = KEY_LINE.match(line)
    if not match or not match.group("value") or at[1] - 1 < match.start("value"):
        return None
    value = match.group("value")
    return Diagnosis(at[0], at[1], f"the text after `{match.group('key')}:` has a colon followed by a space, "
                     "which YAML reads as the start of another key",
                     "put the whole text in quotes", f"{match.group('lead')}{match.group('key')}: {quoted(value)}")


def _no_space_after_colon(lines, problem, at, context, context_at):
    """`minutes:3`: without a space the colon is part of the text, so the key is never closed."""
    if "could not find expected ':'" in problem and context_at:
        candidates = [context_at[0]]
    elif "mapping values are not allowed" in problem and at:
        above = _previous(lines, at[0] - 1)
        candidates = [above + 1] if above is not None else []
    else:
        return None
    for number in candidates:
        line = _line(lines, number)
        match = NO_SPACE.match(line)
        if match and "://" not in line:
            return Diagnosis(number, match.end("key") + 1, f"`{match.group('key')}:` needs a space after the colon",
                             "put a space between the colon and the value",
                             f"{match.group('lead')}{match.group('key')}: {match.group('value')}")
    return None


def _dash_without_space(lines, problem, at, context, context_at):
    if "could not find expected ':'" not in problem or not context_at:
        return None
    line = _line(lines, context_at[0])
    stripped = line.lstrip(" ")
    if not (stripped.startswith("-") and len(stripped) > 1 and stripped[1] not in " -"):
        return None
    return Diagnosis(context_at[0], _indent(line) + 1, "a list item needs a space after its '-'",
                     "put a space between the '-' and the item", " " * _indent(line) + "- " + stripped[1:])


def _bare_line(lines, problem, at, context, context_at):
    """A line of text alone, neither `key: value` nor `- item`."""
    if "could not find expected ':'" not in problem or not context_at:
        return None
    number = context_at[0]
    line = _line(lines, number)
    above = _previous(lines, number - 1)
    if above is not None and lines[above].lstrip().startswith("- ") and _indent(lines[above]) == _indent(line):
        return Diagnosis(number, _indent(line) + 1, "this line is neither `key: value` nor a list item",
                         "if it is another item of the list above, start it with '- '",
                         " " * _indent(line) + "- " + line.strip())
    return Diagnosis(number, _indent(line) + 1, "this line is neither `key: value` nor a list item",
                     "if it continues the text of the line above, put that whole text in quotes; "
                     "if it is a key, add a colon and a space after the key's name")


def _indented_under_value(lines, problem, at, context, context_at):
    """`title: Welcome` then `  minutes: 3`: indented further, the key reads as part of the title."""
    if "mapping values are not allowed" not in problem or at is None:
        return None
    line = _line(lines, at[0])
    above = _previous(lines, at[0] - 1)
    if above is None or _indent(line) <= _indent(lines[above]) or lines[above].rstrip().endswith(":"):
        return None
    fixed = " " * _indent(lines[above]) + line.strip()
    return Diagnosis(at[0], _indent(line) + 1, "this line is indented further than the line above it, "
                     "so YAML reads it as more of that line's text",
                     "start it in the same column as the line above", fixed)


def _closing_quote_then_text(lines, problem, at, context, context_at):
    """`title: "Roles" and more` or `title: 'It's here'`: the quoted text ended early."""
    if "expected <block end>, but found '<scalar>'" not in problem or at is None:
        return None
    line = _line(lines, at[0])
    match = KEY_LINE.match(line)
    value = match.group("value") if match else None
    if not value or value[0] not in "'\"[{":
        return None
    head = f"{match.group('lead')}{match.group('key')}: "
    if value[0] == "'" and value.endswith("'") and value.count("'") == 3:
        return Diagnosis(at[0], at[1], "an apostrophe inside text quoted with '...' ends the text early",
                         "put the text in double quotes instead (or write the apostrophe twice: '')",
                         head + quoted(value[1:-1]))
    if value[0] in "[{":
        return Diagnosis(at[0], match.start("value") + 1,
                         f"text that starts with {value[0]} is read as a {'list' if value[0] == '[' else 'mapping'}, "
                         "and this one is followed by more text", "put the whole text in quotes", head + quoted(value))
    return Diagnosis(at[0], at[1], "the text goes on after its closing quote", "put the whole text in quotes",
                     head + quoted(value))


def _unknown_escape(lines, problem, at, context, context_at):
    if "escape" not in problem or "double-quoted" not in context or at is None or not context_at:
        return None
    line = _line(lines, context_at[0])
    match = KEY_LINE.match(line)
    value = match.group("value") if match else ""
    fixed = ""
    if value.startswith('"') and value.endswith('"') and "'" not in value:
        fixed = f"{match.group('lead')}{match.group('key')}: '{value[1:-1]}'"
    return Diagnosis(at[0], at[1], "a backslash inside double quotes starts an escape such as \\n, "
                     "and this one is not known", "use single quotes for text with backslashes, "
                     "such as a Windows folder", fixed)


def _unclosed(lines, problem, at, context, context_at):
    """A quote, [ or { opened and never closed: name the line it was opened on."""
    if not context_at:
        return None
    line = _line(lines, context_at[0])
    opener = line[context_at[1] - 1:context_at[1]]
    if "scanning a quoted scalar" in context and "end of stream" in problem:
        fixed = line.rstrip() + opener if line.count(opener) == 1 else ""
        return Diagnosis(context_at[0], context_at[1], f"the quote ({opener}) opened here is never closed",
                         f"end the text with a closing {opener}", fixed)
    if "parsing a flow" in context and opener in "[{":
        closer = "]" if opener == "[" else "}"
        fixed = line.rstrip() + closer if line.count(opener) > line.count(closer) else ""
        kind = "list" if opener == "[" else "mapping"
        return Diagnosis(context_at[0], context_at[1], f"the {opener} opened here is never closed",
                         f"close the {kind} with {closer} on the same line (or, if the {opener} is part of the "
                         "text, put the whole text in quotes)", fixed)
    return None


def _list_or_mapping(lines, problem, at, context, context_at):
    """A line that is a key among list items, a list item after a value, or indented off by one."""
    if "expected <block end>" not in problem or at is None or context_at is None:
        return None
    number = at[0]
    line = _line(lines, number)
    start = _line(lines, context_at[0])
    above = _previous(lines, number - 1)
    in_list = start[context_at[1] - 1:context_at[1]] == "-" and "block collection" in context
    if line.lstrip().startswith("- ") and "block mapping" in context:
        return Diagnosis(number, _indent(line) + 1, "a list item cannot go here: the key above it already has a value",
                         "list items go under a key that ends with a colon, e.g. `modules:`, "
                         "each indented by two spaces and starting with '- '")
    if in_list and _indent(line) == context_at[1] - 1:
        return Diagnosis(number, _indent(line) + 1, "this `key: value` line is among the items of a list "
                         "but does not start with '- '",
                         "if it is another item, start it with '- '; if it is a new key, move it left to "
                         "the column of the key the list belongs to")
    if above is not None:
        siblings = KEY_LINE.match(lines[above])
        column = len(siblings.group("lead")) if siblings else _indent(lines[above])
        if column != _indent(line):
            return Diagnosis(number, _indent(line) + 1, f"this line is indented by {_indent(line)} spaces, "
                             f"the line above by {column}", "keys that belong together start in the same column",
                             " " * column + line.strip())
    return None


_RULES = (_tab, _special_start, _value_starts_specially, _colon_in_value, _no_space_after_colon, _dash_without_space,
          _indented_under_value, _closing_quote_then_text, _unknown_escape, _unclosed, _list_or_mapping,
          _bare_line)
