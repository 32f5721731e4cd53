"""A course's translatable text as units, and a course rebuilt in another language from them.

A unit is one piece of text a translator translates at once: a title, an objective, a question's
prompt or option, one block of a page's Markdown (a paragraph, a list, a table, a heading, an
admonition's title or one block of its body, a facilitator note). Its id is stable: pages and
quizzes are named by their tracking ids (releases.py), which do not change when files are
renumbered, and questions by their `id`. Markdown inside a unit stays Markdown: the translator
edits the text around links and images, and `translated` refuses a translation whose link or
image targets differ from the source's.
"""

from __future__ import annotations

import re
import zlib
from collections import Counter
from dataclasses import dataclass

from . import model
from .markdown import block_tokens, discover_html, facilitator_note
from .releases import module_tracks, page_tracks
from .yamldoc import split_front_matter

ADMONITION_BODY_INDENT = "    "
_TITLE = re.compile(r'"((?:[^"\\]|\\.)*)"')


@dataclass(frozen=True)
class Unit:
    id: str                 # an XLIFF NMTOKEN: tracking ids with "." for "/"
    source: str
    where: str              # course-relative file (and line), for the translator
    markdown: bool = False  # a block of a page: its translation keeps the block's structure


@dataclass(frozen=True)
class Block:
    """A stretch of a page body's lines that is one unit; `kind` says how its text sits there."""

    start: int              # first line (0-based, in the body)
    end: int                # one past the last line
    text: str               # what the translator sees
    kind: str = "text"      # text | note (inside <!-- facilitator: -->) | title (an admonition's "...")
    indent: str = ""


# --------------------------------------------------------------------------- page blocks

def page_source(course: model.Course, module: model.Module, page: model.Page) -> tuple[str, str, int]:
    """(course-relative path, body, line of the body's first line) of a page, read as load reads it."""
    rel = f"{module.path}/{page.slug}.md"
    text = (course.source_dir / rel).read_text(encoding="utf-8")
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    _front, body, body_line = split_front_matter(text)
    return rel, body, body_line


def page_blocks(body: str) -> list[Block]:
    """The body's translatable blocks in order; code is not translated, text between blocks that
    markdown-it gives no block of its own (footnote definitions) is one block a run of lines."""
    lines = body.split("\n")
    blocks: list[Block] = []
    tokens = block_tokens(body)
    for index, token in enumerate(tokens):
        if token.level != 0 or not token.map or token.nesting == -1:
            continue
        start, end = token.map
        if token.type in ("fence", "code_block", "hr"):
            blocks.append(Block(start, end, "", kind="code"))
        elif token.type == "admonition_open":
            blocks.extend(_admonition_blocks(tokens, index, lines))
        elif token.type == "html_block" and (note := facilitator_note(token.content)):
            blocks.append(Block(start, _trimmed_end(lines, start, end), note[0], kind="note"))
        else:
            end = _trimmed_end(lines, start, end)
            blocks.append(Block(start, end, "\n".join(lines[start:end])))
    blocks.extend(_uncovered(lines, blocks))
    return sorted((b for b in blocks if b.kind != "code" and b.text.strip()), key=lambda b: b.start)


def _admonition_blocks(tokens, index: int, lines: list[str]) -> list[Block]:
    start, end = tokens[index].map
    header = _TITLE.search(lines[start])
    found = [Block(start, start + 1, _unescape(header.group(1)), kind="title")] if header else []
    covered = [Block(start, end, "", kind="code")]          # its lines are not text between blocks
    for token in tokens[index + 1:]:
        if token.type == "admonition_close" and token.level == 0:
            break
        if token.level == 1 and token.map and token.nesting != -1 and not token.type.startswith("admonition_title"):
            first, last = token.map[0], _trimmed_end(lines, *token.map)
            text = "\n".join(_dedent(line) for line in lines[first:last])
            kind = "code" if token.type in ("fence", "code_block") else "text"
            found.append(Block(first, last, text, kind=kind, indent=ADMONITION_BODY_INDENT))
    return covered + found


def _uncovered(lines: list[str], blocks: list[Block]) -> list[Block]:
    taken = {n for b in blocks for n in range(b.start, b.end)}
    runs, current = [], []
    for number, line in enumerate(lines):
        if number in taken or not line.strip():
            if current:
                runs.append(current)
            current = []
        else:
            current.append(number)
    if current:
        runs.append(current)
    return [Block(run[0], run[-1] + 1, "\n".join(lines[run[0]:run[-1] + 1])) for run in runs]


def _trimmed_end(lines: list[str], start: int, end: int) -> int:
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1
    return end


def _dedent(line: str) -> str:
    return line[min(len(ADMONITION_BODY_INDENT), len(line) - len(line.lstrip(" "))):]


def _unescape(title: str) -> str:
    return re.sub(r"\\(.)", r"\1", title)


def _escape(title: str) -> str:
    return title.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")


def rebuilt_body(body: str, blocks: list[Block], texts: list[str]) -> str:
    """The body with each block's lines replaced by its text in `texts` (same order)."""
    return rebuilt(body, blocks, texts)[0]


def rebuilt(body: str, blocks: list[Block], texts: list[str]) -> tuple[str, list[int]]:
    """`rebuilt_body`, and the line each block starts on in it (to say which unit a problem is in)."""
    lines = body.split("\n")
    out, position, starts = [], 0, []
    for block, text in zip(blocks, texts):
        out.extend(lines[position:block.start])
        starts.append(len(out))
        if text == block.text:
            out.extend(lines[block.start:block.end])     # as written, to the last space
        elif block.kind == "title":
            line = lines[block.start]
            match = _TITLE.search(line)
            out.append(f'{line[:match.start()]}"{_escape(text)}"{line[match.end():]}')
        else:
            if block.kind == "note":
                text = f"<!-- facilitator: {text} -->"
            out.extend(f"{block.indent}{line}" if line.strip() else "" for line in text.split("\n"))
        position = block.end
    out.extend(lines[position:])
    return "\n".join(out), starts


# --------------------------------------------------------------------------- the units

def unit_id(*parts) -> str:
    return ".".join(str(p).replace("/", ".") for p in parts)


def captions_id(path: str) -> str:
    return format(zlib.crc32(path.encode("utf-8")), "08x")


def units(course: model.Course) -> list[Unit]:
    """Every translatable unit of the course, in the order a reader meets them."""
    found = list(course_units(course))
    modules, pages = module_tracks(course), page_tracks(course)
    for module in course.modules:
        found.extend(module_units(module, modules[module.id]))
        for page in module.pages:
            text = page_text(course, module, page, pages[page.id])
            found.extend((text.title, *text.units))
        if module.quiz:
            title, questions = quiz_units(module, modules[module.id])
            found.extend((title, *(u for named in questions.values() for u in named.values())))
    for captions in course.captions:
        found.extend(cue_units(captions))
    return [u for u in found if u.source.strip()]


# Each function below names the units of one part of the course: extract lists them, the build
# (translated.py) looks each one up, so the two can never name a unit differently.

def course_units(course: model.Course) -> tuple[Unit, Unit]:
    return (Unit("course.title", course.title, "course.yaml"),
            Unit("course.description", course.description, "course.yaml"))


def module_units(module: model.Module, track: str) -> list[Unit]:
    """The module's title, then its objectives."""
    where = f"{module.path}/module.yaml"
    return [Unit(unit_id("module", track, "title"), module.title, where)] + [
        Unit(unit_id("module", track, "objective", n), text, where) for n, text in enumerate(module.objectives, 1)]


@dataclass(frozen=True)
class PageText:
    rel: str                        # course-relative file
    body: str
    body_line: int
    blocks: list[Block]
    title: Unit
    units: list[Unit]               # one a block


def page_text(course: model.Course, module: model.Module, page: model.Page, track: str) -> PageText:
    rel, body, body_line = page_source(course, module, page)
    blocks = page_blocks(body)
    return PageText(rel, body, body_line, blocks, Unit(unit_id("page", track, "title"), page.title, rel),
                    [Unit(unit_id("page", track, n), block.text, f"{rel}:{body_line + block.start}",
                          markdown=block.kind != "title") for n, block in enumerate(blocks, 1)])


def quiz_units(module: model.Module, track: str) -> tuple[Unit, dict[str, dict[str, Unit]]]:
    """The quiz's title, and question id -> unit name (`prompt`, `option.2`, ...) -> unit."""
    where = f"{module.path}/quiz.yaml"
    return (Unit(unit_id("quiz", track, "title"), module.quiz.title, where),
            {q.id: {name: Unit(unit_id("question", q.id, name), text, f"{where}:{q.location.line}")
                    for name, text in question_texts(q)} for q in module.quiz.questions})


def cue_units(captions: model.Captions) -> list[Unit]:
    return [Unit(unit_id("captions", captions_id(captions.path), n), cue.text, captions.path)
            for n, cue in enumerate(captions.cues, 1)]


def question_texts(q: model.Question) -> list[tuple[str, str]]:
    """(unit name, text) of every translatable text of a question; the answer key stays as it is."""
    texts = [("prompt", q.prompt), ("feedback.correct", q.feedback.correct),
             ("feedback.incorrect", q.feedback.incorrect)]
    for n, option in enumerate(q.options, 1):
        texts += [(f"option.{n}", option.text), (f"option.{n}.feedback", option.feedback)]
    if q.answers:
        # One answer a line: the translator gives the answers accepted in the language, as many as fit.
        texts.append(("answers", "\n".join(q.answers)))
    for n, pair in enumerate(q.pairs, 1):
        texts += [(f"pair.{n}.left", pair.left), (f"pair.{n}.right", pair.right)]
    texts += [(f"item.{n}", item) for n, item in enumerate(q.items, 1)]
    texts += [(f"scale.{n}", label) for n, label in enumerate(q.scale, 1)]
    return texts


# --------------------------------------------------------------------------- what a translation keeps

def structure(text: str) -> str:
    """The Markdown blocks of `text` without their words, e.g. "ul li p li p" for a list of two
    items: a translation must give the same."""
    return " ".join(t.tag or t.type for t in block_tokens(text)
                    if t.nesting == 1 or t.type in ("html_block", "hr", "fence", "code_block"))

def targets(text: str) -> Counter:
    """The link and image targets a unit's Markdown (and its raw HTML) names."""
    found: Counter = Counter()
    for token in block_tokens(text):
        for child in token.children or ():
            if child.type == "link_open":
                found[child.attrGet("href")] += 1
            elif child.type == "image":
                found[child.attrGet("src")] += 1
            elif child.type == "html_inline":
                found.update(value for _tag, name, value in discover_html(child.content) if name in ("href", "src"))
        if token.type == "html_block":
            found.update(value for _tag, name, value in discover_html(token.content) if name in ("href", "src"))
    return found
