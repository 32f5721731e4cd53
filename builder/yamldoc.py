"""Read YAML into plain data while remembering where every key and value stood.

We compose ruamel's node graph and build Python values from it ourselves instead of letting a
constructor do it: only the YAML core types can come out (a `!!python/...` tag is refused before
anything could be built), aliases are refused (no billion-laughs expansion), duplicate keys are
errors, and every value keeps its line and column for error messages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml as libyaml
from yaml._yaml import CParser
from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import MappingEndEvent, MappingStartEvent, SequenceEndEvent, SequenceStartEvent
from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode
from ruamel.yaml.resolver import VersionedResolver

from .errors import CourseError, Problem
from .memo import Memo
from .yamlhelp import Diagnosis, explain, odd_indentation, special_start

Path_ = tuple  # a location inside a document: keys and list indexes, e.g. ("questions", 2, "type")

MAX_DEPTH = 20
MAX_NODES = 50_000
_CORE = "tag:yaml.org,2002:"
# C0/C1 controls, and Unicode noncharacters (U+FFFE, U+FDD0...): XML (the manifest) cannot carry them.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef"
                     + "".join(f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(17))
                     + "]")
_INT = re.compile(r"[-+]?(0|[1-9][0-9_]*)$")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?$")


@dataclass
class Document:
    """One YAML document: its data and, for each path inside it, the (line, column) of the value and key."""

    path: str
    data: Any = None
    values: dict = field(default_factory=dict)
    keys: dict = field(default_factory=dict)
    line_offset: int = 0

    def where(self, loc: Path_ = (), *, key: bool = False) -> tuple[int, int]:
        """Best position for `loc`: the key or value itself, else the nearest enclosing one."""
        loc = tuple(loc)
        table = self.keys if key else self.values
        while loc:
            if loc in table:
                return table[loc]
            if loc in self.values:
                return self.values[loc]
            loc = loc[:-1]
        return self.values.get((), (1 + self.line_offset, 1))

    def problem(self, loc: Path_, message: str, hint: str = "", *, code: str, key: bool = False,
                severity: str = "error") -> Problem:
        line, column = self.where(loc, key=key)
        return Problem(self.path, line, column, message, hint, severity, code=code)


def _refuse(path: str, line: int, column: int, message: str, hint: str, code: str) -> CourseError:
    return CourseError([Problem(path, line, column, message, hint, code=code)])


def _refuse_diagnosed(text: str, path: str, line_offset: int, found: Diagnosis, code: str = "CS201") -> CourseError:
    """The author's version of a syntax error, with the line as written and, if obvious, as it should read."""
    return CourseError([Problem(path, found.line + line_offset, found.column, f"YAML syntax: {found.message}",
                                found.hint, code=code, source=_line(text, found.line), fixed=found.fixed)])


def _line(text: str, number: int) -> str:
    """Line `number` (1-based) of `text` as written; "" past either end."""
    lines = text.split("\n")
    return lines[number - 1] if 0 < number <= len(lines) else ""


_memo: Memo | None = None


def remember_parses(memo: Memo | None) -> None:
    """Use `memo` for every later parse_yaml in this process (None: parse afresh each time)."""
    global _memo
    _memo = memo


def parse_yaml(text: str, path: str, line_offset: int = 0) -> Document:
    """Parse `text` (one YAML document). Raises CourseError with the parser's own position."""
    memo = _memo
    key = (text, path, line_offset)
    if memo is not None and (known := memo.get(key)) is not None:
        return known
    doc = _parse_yaml(text, path, line_offset)
    if memo is not None:
        memo.put(key, doc)
    return doc


def _parse_yaml(text: str, path: str, line_offset: int) -> Document:
    odd = odd_indentation(text)
    if odd is not None:
        raise _refuse_diagnosed(text, path, line_offset, odd)
    if FAST_PATH:
        try:
            return _build(_compose_fast(text), text, path, line_offset)
        except (_NotPlain, CourseError, libyaml.YAMLError):
            pass      # the positional parser says what is wrong, exactly as it always has
    return _parse_positional(text, path, line_offset)


def _build(node, text: str, path: str, line_offset: int) -> Document:
    doc = Document(path=path, line_offset=line_offset)
    if node is not None:
        doc.data = _Builder(doc, text).build(node, (), 0)
    return doc


def _parse_positional(text: str, path: str, line_offset: int) -> Document:
    try:
        node = _compose(text, path, line_offset)
    except MarkedYAMLError as exc:
        at, context_at = _position(exc.problem_mark), _position(exc.context_mark)
        found = explain(text, exc.problem, at, exc.context, context_at)
        if found is not None:
            raise _refuse_diagnosed(text, path, line_offset, found) from None
        line, column = at or context_at or (1, 1)
        message = f"YAML syntax: {_plain_words(exc.problem or exc.context)}"
        raise _refuse(path, line + line_offset, column, message, _syntax_hint(message), "CS201") from None
    except YAMLError as exc:
        raise _refuse(path, 1 + line_offset, 1, f"YAML syntax: {exc}",
                      "check the indentation and quoting in this file", "CS201") from None
    return _build(node, text, path, line_offset)


# libyaml (C) reads a plain document several times faster than ruamel's pure-Python parser, which
# was most of a course's load. Its events become the same ruamel nodes, resolved by ruamel's own
# YAML 1.2 rules, so the values and positions are the same. It is trusted only with a plain
# document that builds without a problem: anything refused or unusual (an anchor, an alias, a
# tag, a second document, deep nesting, any error at all) is read again by the positional parser,
# which locates the problem as it always has.
FAST_PATH = True
_RESOLVER = VersionedResolver()
_YAML11_BREAKS = re.compile("[\t\r\x85\ufeff\u2028\u2029]")
_MARKERS = re.compile(r"^(---|\.\.\.|%)", re.M)
_BLOCK_HEADER = re.compile(r"[|>](?:[1-9][-+]?|[-+][1-9]?)?(?: +(?:#.*)?)?$")


class _NotPlain(Exception):
    """The document uses something only the positional parser reports on."""


def _compose_fast(text: str):
    if _YAML11_BREAKS.search(text) or _MARKERS.search(text):
        # Line breaks to libyaml (YAML 1.1) but text to ruamel, tabs and carriage returns each
        # reads its own way; document markers and directives libyaml takes more leniently.
        raise _NotPlain()
    parser = CParser(text)
    try:
        return _FastComposer(parser, text).document()
    finally:
        parser.dispose()


class _FastComposer:
    def __init__(self, parser, text: str):
        self.parser, self.lines = parser, text.split("\n")

    def next(self):
        event = self.parser.get_event()
        if getattr(event, "anchor", None) is not None or isinstance(event, libyaml.AliasEvent):
            raise _NotPlain()
        if getattr(event, "tag", None) not in (None, "!"):
            raise _NotPlain()
        return event

    def document(self):
        self.next()                                          # the stream's start
        event = self.next()
        if isinstance(event, libyaml.StreamEndEvent):
            return None
        node = self.node(self.next(), 0)
        self.next()                                          # the document's end
        if not isinstance(self.next(), libyaml.StreamEndEvent):
            raise _NotPlain()                                # a second document
        return node

    def node(self, event, depth: int, *, mapping_value: bool = False):
        if depth >= MAX_DEPTH and not isinstance(event, libyaml.ScalarEvent):
            raise _NotPlain()           # too deep: the positional parser's event scan says where
        if isinstance(event, libyaml.ScalarEvent):
            if event.value == "" and not event.style and not mapping_value:
                raise _NotPlain()       # where an empty value stands, the parsers disagree (_Builder places a mapping's)
            if event.style in ("|", ">"):
                header = self.lines[event.start_mark.line][event.start_mark.column:]
                if not _BLOCK_HEADER.match(header):
                    raise _NotPlain()   # libyaml takes headers such as `|#` that YAML 1.2 refuses
            tag = _RESOLVER.resolve(ScalarNode, event.value, event.implicit)
            return ScalarNode(tag, event.value, event.start_mark, event.end_mark, style=event.style or None)
        if isinstance(event, libyaml.SequenceStartEvent):
            items = []
            while not isinstance(following := self.next(), libyaml.SequenceEndEvent):
                items.append(self.node(following, depth + 1))
            return SequenceNode(_RESOLVER.resolve(SequenceNode, None, event.implicit), items,
                                event.start_mark, following.end_mark, flow_style=event.flow_style)
        if isinstance(event, libyaml.MappingStartEvent):
            pairs = []
            while not isinstance(following := self.next(), libyaml.MappingEndEvent):
                pairs.append((self.node(following, depth + 1),
                              self.node(self.next(), depth + 1, mapping_value=True)))
            return MappingNode(_RESOLVER.resolve(MappingNode, None, event.implicit), pairs,
                               event.start_mark, following.end_mark, flow_style=event.flow_style)
        raise _NotPlain()


def _compose(text: str, path: str, line_offset: int):
    """ruamel's node graph of `text`. Composing is recursive, so `[[[[...` a few thousand levels
    deep exhausts Python's stack: only then is the text read again, as events, to say where it
    nests too deep (_Builder does the same for a depth past MAX_DEPTH the composer survives)."""
    try:
        return YAML(typ="rt", pure=True).compose(text)
    except RecursionError:
        _check_nesting(text, path, line_offset)
        raise _refuse(path, 1 + line_offset, 1, f"the YAML is nested more than {MAX_DEPTH} levels deep",
                      "course files need only a few levels; flatten this structure", "CS204") from None


def _check_nesting(text: str, path: str, line_offset: int) -> None:
    """Refuse deep nesting from the event stream, before composing: ruamel builds nested values
    recursively, and `[[[[...` a few thousand levels deep would exhaust Python's stack."""
    depth = 0
    for event in YAML(typ="rt", pure=True).parse(text):
        if isinstance(event, (MappingStartEvent, SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                mark = event.start_mark
                raise _refuse(path, mark.line + 1 + line_offset, mark.column + 1,
                              f"the YAML is nested more than {MAX_DEPTH} levels deep",
                              "course files need only a few levels; flatten this structure", "CS204")
        elif isinstance(event, (MappingEndEvent, SequenceEndEvent)):
            depth -= 1


def _position(mark) -> tuple[int, int] | None:
    return (mark.line + 1, mark.column + 1) if mark is not None else None


def _plain_words(problem: str) -> str:
    """The parser's complaint without its token names, for mistakes no rule in yamlhelp recognises."""
    if "expected <block end>" in problem:
        return "this line does not line up with the lines above it"
    return re.sub(r"'?<(block|flow) [a-z ]+>'?", "more YAML", problem)


def _syntax_hint(message: str) -> str:
    if "'\\t'" in message:
        return "indent with spaces, not tabs: YAML does not allow a tab character here"
    if "another document" in message:
        return "a course file holds one document: remove the second --- line and what follows, or merge it"
    return "check the indentation and quoting on this line and the one above"


class _Builder:
    def __init__(self, doc: Document, text: str = ""):
        self.doc = doc
        self.text = text
        self.count = 0
        self.seen: set[int] = set()

    def fail(self, node, message: str, hint: str, code: str) -> None:
        line, column = self.position(node)
        source = _line(self.text, node.start_mark.line + 1)
        raise CourseError([Problem(self.doc.path, line, column, message, hint, code=code, source=source)])

    def fail_special_start(self, node, char: str) -> None:
        """A plain value that starts with & or ! is read as an anchor or a tag: the author meant text."""
        number = node.start_mark.line + 1
        raise _refuse_diagnosed(self.text, self.doc.path, self.doc.line_offset,
                                special_start(_line(self.text, number), number, char), "CS202")

    def position(self, node) -> tuple[int, int]:
        mark = node.start_mark
        return mark.line + 1 + self.doc.line_offset, mark.column + 1

    def build(self, node, loc: tuple, depth: int) -> Any:
        self.count += 1
        if id(node) in self.seen:
            self.fail(node, "this anchored value (&name) is reused through an alias (*name); "
                      "aliases are not allowed in course files",
                      "write the value out in full wherever it is needed", "CS202")
        self.seen.add(id(node))
        if isinstance(node, ScalarNode) and getattr(node, "anchor", None):
            self.fail_special_start(node, "&")
        if depth >= MAX_DEPTH and isinstance(node, (MappingNode, SequenceNode)):
            # The collection one level too deep: the event stream says where it starts.
            _check_nesting(self.text, self.doc.path, self.doc.line_offset)
            self.fail(node, f"the YAML is nested more than {MAX_DEPTH} levels deep",
                      "course files need only a few levels; flatten this structure", "CS204")
        if self.count > MAX_NODES:
            self.fail(node, f"the YAML document has more than {MAX_NODES} values",
                      "split the content over several files", "CS204")
        self.doc.values[loc] = self.position(node)
        self.check_tag(node)
        if isinstance(node, MappingNode):
            return self.mapping(node, loc, depth)
        if isinstance(node, SequenceNode):
            return [self.build(item, loc + (i,), depth + 1) for i, item in enumerate(node.value)]
        return self.scalar(node)

    def refuse_control_characters(self, node, text: str) -> None:
        # Escapes such as "\v" or "\x01" put invisible characters into titles that XML
        # manifests and PDFs cannot carry.
        match = CONTROL.search(text)
        if match:
            self.fail(node, f"text contains an invisible control character (U+{ord(match.group()):04X})",
                      "remove it; in double quotes, write only \\n for a new line or \\t for a tab", "CS104")

    def check_tag(self, node) -> None:
        tag = node.tag if isinstance(node.tag, str) else getattr(node.tag, "value", None) or str(node.tag)
        allowed = {"str", "int", "float", "bool", "null", "map", "seq", "timestamp"}
        if tag and tag.startswith(_CORE) and tag[len(_CORE):] in allowed:
            return
        if tag in (None, "", "?", "!"):
            return
        if tag == _CORE + "merge":
            self.fail(node, "YAML merge keys (<<) are not allowed in course files", "write the keys out in full", "CS202")
        if isinstance(node, ScalarNode) and tag.startswith("!") and not tag.startswith("!!") and node.style is None:
            self.fail_special_start(node, "!")     # `title: !Important news`: meant as text
        self.fail(node, f"YAML tag {tag!r} is not allowed",
                  "course files hold plain text, numbers, lists and mappings; remove the tag", "CS202")

    def mapping(self, node: MappingNode, loc: tuple, depth: int) -> dict:
        result: dict = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                self.fail(key_node, "a key must be a plain word", "write keys like `title:`", "CS202")
            self.check_tag(key_node)
            key = self.scalar(key_node)
            if not isinstance(key, str):
                key = str(key).lower() if isinstance(key, bool) else key_node.value or "~"
            if key in result:
                first = self.doc.keys[loc + (key,)][0]
                self.fail(key_node, f"duplicate key {key!r} (first given on line {first})",
                          "keep one of the two; YAML would silently use the last", "CS203")
            self.doc.keys[loc + (key,)] = self.position(key_node)
            result[key] = self.build(value_node, loc + (key,), depth + 1)
            if _is_empty(value_node):
                # An empty value has no text of its own; the parser places it on the next line.
                self.doc.values[loc + (key,)] = (key_node.end_mark.line + 1 + self.doc.line_offset,
                                                 key_node.end_mark.column + 2)
        return result

    def scalar(self, node: ScalarNode) -> Any:
        text = node.value
        if node.style != ">":
            self.refuse_control_characters(node, text)
        tag = node.tag if isinstance(node.tag, str) else getattr(node.tag, "value", str(node.tag))
        if node.style == ">":
            return text.replace("\a", "")  # ruamel marks fold points with BEL for round-tripping
        if node.style in ("'", '"', "|") or tag == _CORE + "str":
            return text
        if tag == _CORE + "null" or text in ("", "~", "null", "Null", "NULL"):
            return None
        if tag == _CORE + "bool" or text in ("true", "True", "TRUE", "false", "False", "FALSE"):
            return text.lower() == "true"
        if _INT.match(text):
            return int(text.replace("_", ""))
        if _FLOAT.match(text) and any(ch.isdigit() for ch in text):
            return float(text.replace("_", ""))
        return text


def _is_empty(node) -> bool:
    return isinstance(node, ScalarNode) and node.value == "" and node.style is None


FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)^(?:---|\.\.\.)[ \t]*\r?$\n?", re.S | re.M)


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """Return (front matter text or None, body, line number where the body starts, 1-based)."""
    match = FRONT_MATTER.match(text)
    if not match:
        return None, text, 1
    body_start = text.count("\n", 0, match.end()) + 1
    return match.group(1), text[match.end():], body_start
