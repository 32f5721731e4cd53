"""Markdown to safe HTML, once per page.

Author HTML is untrusted (a package runs on the LMS's origin, inside the learner's session), so
raw HTML is checked against an allow-list and anything outside it is an *error with a line*,
not silently dropped; nh3 then cleans the final HTML as a second fence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.admon import admon_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin

from . import ui_text
from .errors import Problem
from .limits import page_limit_problems
from .memo import Memo
from .model import ADMONITION_KINDS, Activity
from .references import SAFE_DATA_IMAGE, resolve_local, url_scheme
from .templating import environment

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del",
    "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp", "section",
    "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead",
    "tr", "u", "ul", "var", "aside",
}
GLOBAL_ATTRIBUTES = {"class", "id", "lang", "dir", "title"}
# Raw author HTML gets fewer: an author's id or class could clobber or mimic the player's own
# elements. The renderer's own ids (footnotes) and classes (admonitions) still pass nh3.
AUTHOR_GLOBAL_ATTRIBUTES = {"lang", "dir", "title"}
TAG_ATTRIBUTES = {
    "a": {"href", "target", "rel"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start", "type"},
    "col": {"span"},
    "colgroup": {"span"},
    "details": {"open"},
}
# Elements only the renderer writes (video and sound from ![title](file.mp4)); raw author HTML
# may not use them, so the checker refuses them and only nh3 lets them through.
RENDERER_TAGS = {"video", "audio", "source"}
# data-captions names the captions file whose cues the player adds (builder/captions.py says why
# not a <track>).
RENDERER_ATTRIBUTES = {
    "video": {"controls", "preload", "playsinline", "poster", "data-captions"},
    "audio": {"controls", "preload", "data-captions"},
    "source": {"src", "type"},
}
VIDEO_TYPES = {".mp4": "video/mp4", ".webm": "video/webm"}
AUDIO_TYPES = {".mp3": "audio/mpeg", ".m4a": "audio/mp4", ".ogg": "audio/ogg", ".wav": "audio/wav"}
POSTER_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")
TRANSCRIPT_SUFFIXES = (".txt", ".pdf", ".docx", ".odt")
LINK_SCHEMES = {"http", "https", "mailto", "tel"}
FACILITATOR_MARK = "facilitator:"
LOOKS_LIKE_NOTE = re.compile(r"\A\s*<!--\s*(facilitat|trainer|presenter)", re.I)


@dataclass
class RenderedPage:
    html: str = ""
    facilitator_html: str = ""
    facilitator_notes: tuple[str, ...] = ()
    activities: list[Activity] = field(default_factory=list)
    assets: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)      # the captions files of its video and sound
    problems: list[Problem] = field(default_factory=list)


@dataclass
class _Context:
    """What one page's rendering needs to know to check references and report problems."""

    path: str                 # shown in messages
    first_line: int           # file line of the body's first line
    page_dir: Path
    course_dir: Path
    result: RenderedPage
    lines: tuple[str, ...] = ()   # the body, for showing a line as written and as it should read
    words: ui_text.Words = field(default_factory=lambda: ui_text.words(ui_text.FALLBACK))   # the page's language

    def problem(self, line_in_body: int, message: str, hint: str = "", *, code: str, severity: str = "error",
                fixed: str = "", column: int = 1) -> None:
        source = self.lines[line_in_body] if fixed and 0 <= line_in_body < len(self.lines) else ""
        self.result.problems.append(Problem(self.path, self.first_line + line_in_body, column, message, hint, severity,
                                            code=code, source=source, fixed=fixed))

    def line(self, line_in_body: int) -> str:
        return self.lines[line_in_body] if 0 <= line_in_body < len(self.lines) else ""


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    """The one parser, made once (its rules and plugins cost more to set up than a page to parse);
    each page sets its own link check (`validateLink`) before parsing."""
    md = MarkdownIt("commonmark", {"html": True, "typographer": False})
    md.enable("table").use(admon_plugin).use(footnote_plugin).use(deflist_plugin)
    image = md.renderer.rules["image"]

    def render_image(tokens, idx, options, env):
        media = tokens[idx].meta.get("media")
        return _media_html(media, env.get("words") or ui_text.words(ui_text.FALLBACK)) if media else image(tokens, idx, options, env)

    md.add_render_rule("image", lambda self, *args: render_image(*args))
    return md


def block_tokens(text: str) -> list:
    """The tokens markdown-it makes of `text`, as a page is parsed (translate.py splits pages by them)."""
    return _parser().parse(text, {"docId": "blocks"})


_memo: Memo | None = None


def remember_renders(memo: Memo | None) -> None:
    """Use `memo` for every later render_page in this process (None: render afresh each time)."""
    global _memo
    _memo = memo


# The messages a page's own HTML says (a video's fallback link, a facilitator note's label).
PAGE_MESSAGES = ("media-fallback", "transcript", "facilitator-note")


def render_page(body: str, *, path: str, first_line: int, page_dir: Path, course_dir: Path,
                page_key: str, words: ui_text.Words | None = None) -> RenderedPage:
    """Render one page body. `first_line` is where the body starts in the file (after front matter);
    `words` are the course's messages in its language (English when not given)."""
    memo = _memo
    words = words or ui_text.words(ui_text.FALLBACK)
    key = (body, path, first_line, str(page_dir), str(course_dir), page_key,
           words.tag, tuple(words.table[k] for k in PAGE_MESSAGES))
    if memo is not None and (known := memo.get(key)) is not None:
        return known
    result = _render_page(body, path=path, first_line=first_line, page_dir=page_dir, course_dir=course_dir,
                          page_key=page_key, words=words)
    if memo is not None:
        memo.put(key, result)
    return result


def _render_page(body: str, *, path: str, first_line: int, page_dir: Path, course_dir: Path,
                 page_key: str, words: ui_text.Words) -> RenderedPage:
    result = RenderedPage()
    ctx = _Context(path, first_line, page_dir, course_dir, result, tuple(body.split("\n")), words)
    result.problems.extend(page_limit_problems(body, path, first_line))
    if result.problems:
        return result       # parsing it would take minutes and gigabytes
    md = _parser()
    refused: list[str] = []
    md.validateLink = lambda url: _accept_link(url, refused)
    env = {"docId": re.sub(r"[^A-Za-z0-9_-]", "-", page_key), "words": words}
    tokens = md.parse(body, env)
    notes = _check_tokens(tokens, ctx, refused)
    _unwrap_media(tokens)
    result.facilitator_notes = tuple(note for _, note, _ in notes)
    learner = md.renderer.render(tokens, md.options, env)
    for number, (token, note, line) in enumerate(notes, 1):
        # A note is Markdown too, and reaches the facilitator handout: the same checks apply.
        note_env = {"docId": f"{env['docId']}-note{number}", "words": words}
        note_tokens = md.parse(note, note_env)
        _check_tokens(note_tokens, ctx, refused, first_line=line)
        token.content = _facilitator_note_html(md.renderer.render(note_tokens, md.options, note_env), words)
    _report_refused(tokens, notes, ctx, refused, body)
    facilitator = md.renderer.render(tokens, md.options, env)
    removed: list[tuple[str, str, str]] = []
    result.html = clean(learner, removed)
    result.facilitator_html = clean(facilitator, removed)
    already_refused = any(p.severity == "error" for p in result.problems)
    for tag, name, value in () if already_refused else dict.fromkeys(removed):
        # Only reachable when the page's HTML as a whole parses differently from its fragments.
        ctx.problem(_body_line(body, value), f"attribute {name}={value!r} on <{tag}> is not allowed",
                    "remove it; ids, classes and data: links in raw HTML are refused", code="CS601")
    return result


def _body_line(body: str, text: str) -> int:
    index = body.find(text) if text else -1
    return body.count("\n", 0, index) if index >= 0 else 0


def _accept_link(url: str, refused: list[str]) -> bool:
    scheme = url_scheme(url)
    if not scheme or scheme in LINK_SCHEMES or SAFE_DATA_IMAGE.match(url):
        return True
    refused.append(url)
    return False


def _check_tokens(tokens, ctx: _Context, refused: list[str], first_line: int = 0) -> list:
    """Check and rewrite tokens in place; return the facilitator notes as (token, text, body line).

    `first_line` is the body line the tokens start on (a facilitator note's own tokens start
    where the note does).
    """
    notes = []
    line = first_line
    depth = _HtmlDepth()
    heading = 0
    for index, token in enumerate(tokens):
        line = first_line + token.map[0] if token.map else line
        if token.type == "heading_open":
            heading = _check_heading_level(token, heading, ctx, line)
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + 1, 6)}"
        elif token.type == "admonition_open":
            _check_admonition(token, ctx, line)
            _check_admonition_body(tokens, index, ctx, line)
            _activity(tokens, index, ctx)
        elif token.type == "html_block":
            note = facilitator_note(token.content) if _check_comment(token.content, ctx, line) else None
            if note is not None:
                text, offset = note
                notes.append((token, text, line + _lines_before(token.content, offset)))
                token.content = ""
            else:
                check_raw_html(token.content, ctx, line, depth)
        elif token.type == "inline":
            _check_inline(token, ctx, line, refused, depth)
    return notes


def _check_comment(block: str, ctx: _Context, line: int) -> bool:
    """An HTML comment hides everything up to its `-->`: a forgotten one hides the rest of the page.

    False when the block is a broken comment (already reported)."""
    if not block.lstrip().startswith("<!--"):
        return True
    start = block.index("<!--")
    end = block.find("-->", start + 4)
    inner = block[start + 4:] if end < 0 else block[start + 4:end]
    if end < 0 or "<!--" in inner:
        ctx.problem(line, "this HTML comment is not closed, so it hides the rest of the page",
                    "end the comment with --> on the same line or a later one", code="CS601")
        return False
    if LOOKS_LIKE_NOTE.match(block) and facilitator_note(block) is None:
        hint, fixed = _mistyped_note_fix(block)
        ctx.result.problems.append(Problem(ctx.path, ctx.first_line + line, 1,
                                           "this comment looks like a facilitator note but is not one, so it is not printed",
                                           hint, "warning", code="CS605", fixed=fixed))
    return True


# `<!-- Facilitator note - text -->`, `<!-- trainer: text -->`: the word, what follows it, the text.
_NOTE_LOOKALIKE = re.compile(r"\A\s*<!--\s*(?P<word>[A-Za-z]+)(?P<extra>(?:\s+notes?)?)\s*(?P<mark>[-:\u2013\u2014.]*)\s*",
                             re.I)


def _mistyped_note_fix(block: str) -> tuple[str, str]:
    """What is wrong with a comment meant as a facilitator note (the word, not the punctuation,
    when it is the word), and the comment as it should read when it is one line."""
    match = _NOTE_LOOKALIKE.match(block)
    word, extra = match.group("word"), match.group("extra").strip()
    if word.lower() != "facilitator":
        hint = f"the word must be `facilitator`, not `{word}`: start the comment with <!-- facilitator:"
    elif extra:
        hint = f"remove the word `{extra}`: a facilitator note starts with <!-- facilitator: and then the note"
    else:
        hint = "put a colon right after the word: <!-- facilitator: your note -->"
    body = block.strip()[match.end() - (len(block) - len(block.lstrip())):].removesuffix("-->").strip()
    fixed = f"<!-- facilitator: {body} -->" if "\n" not in block.strip() and body else ""
    return hint, fixed


def facilitator_note(block: str) -> tuple[str, int] | None:
    """The text of `<!-- facilitator: text -->` and where it starts in `block`, or None.

    Plain string work, not a regular expression: a lazy pattern with `\\s*` around it takes
    quadratic time on a long run of spaces, which a hostile page could use to stall a build.
    """
    stripped = block.strip()
    if not (stripped.startswith("<!--") and stripped.endswith("-->")):
        return None
    start = block.index("<!--") + 4
    end = block.rindex("-->")
    head = start + len(block[start:end]) - len(block[start:end].lstrip())
    if block[head:head + len(FACILITATOR_MARK)].lower() != FACILITATOR_MARK:
        return None
    body_start = head + len(FACILITATOR_MARK)
    text = block[body_start:end].strip()
    return text, (block.index(text, body_start) if text else body_start)


def _lines_before(text: str, offset: int) -> int:
    return text.count("\n", 0, offset)


def _report_refused(tokens, notes, ctx: _Context, refused: list[str], body: str) -> None:
    """markdown-it drops a link it refuses; say where it was, so the author can change it."""
    for url in dict.fromkeys(refused):
        line = _line_of(tokens, notes, url)
        if not line and url in body:
            # A link reference definition (`[x]: javascript:...`) leaves no token behind.
            line = body.count("\n", 0, body.index(url))
        ctx.problem(line, f"unsafe link {url!r}",
                    "links may use http, https, mailto or a relative path; scripts and other schemes are refused", code="CS602")


def _line_of(tokens, notes, text: str) -> int:
    for token in tokens:
        if token.type == "inline" and text in token.content and token.map:
            return token.map[0] + _lines_before(token.content, token.content.index(text))
    for _, note, line in notes:
        if text in note:
            return line + _lines_before(note, note.index(text))
    return 0


ADMONITION_LINE = re.compile(r' ?(\S+)(?: +"(?P<title>(?:[^"\\]|\\.)*)")?(?: +minutes: *(?P<minutes>\d{1,3}))? *\Z')


def _check_admonition(token, ctx: _Context, line: int) -> None:
    """`!!! kind` or `!!! kind "Title"`: one word and a quoted title, nothing else (more words
    would become the author's own classes on the box)."""
    kind = token.meta.get("tag", "")
    if kind not in ADMONITION_KINDS:
        ctx.problem(line, f"unknown admonition kind {kind!r}",
                    f"use one of: {', '.join(ADMONITION_KINDS)}", code="CS604")
    elif not ADMONITION_LINE.match(token.info):
        ctx.problem(line, f"admonition line {('!!!' + token.info).strip()!r} has more than a kind and a quoted title",
                    f'write it as !!! {kind} "Your title" (or just !!! {kind}); an activity may end with minutes: 10',
                    code="CS604")
    elif ADMONITION_LINE.match(token.info).group("minutes") and kind != "activity":
        ctx.problem(line, f"only an activity can have minutes, not a {kind}",
                    f'write it as !!! activity "Your title" minutes: 10, or remove the minutes', code="CS604")
    token.attrs["class"] = f"admonition {kind}"


def _activity(tokens, index: int, ctx: _Context) -> None:
    """Record an `!!! activity "Title" minutes: 10` for the session plan, and print its title
    without the minutes (the plugin would take the whole rest of the line as the title)."""
    match = ADMONITION_LINE.match(tokens[index].info)
    if tokens[index].meta.get("tag") != "activity" or not match:
        return
    title = re.sub(r"\\(.)", r"\1", match.group("title")) if match.group("title") is not None else "Activity"
    minutes = match.group("minutes")
    ctx.result.activities.append(Activity(title, int(minutes) if minutes else None))
    heading = tokens[index + 2] if index + 2 < len(tokens) else None
    if minutes and heading is not None and heading.type == "inline" and match.group("title") is not None:
        heading.content = title
        heading.children = [Token("text", "", 0, content=title)]


def _check_heading_level(token, previous: int, ctx: _Context, line: int) -> int:
    """Headings go down one level at a time from the page title (printed above the page's `#`):
    a skipped level leaves screen-reader users guessing where they are."""
    level = int(token.tag[1])
    if level > previous + 1:
        marks, wanted = "#" * level, "#" * (previous + 1)
        above = "the page title" if previous == 0 else f"the `{'#' * previous}` heading above it"
        written = ctx.line(line)
        fixed = written.replace(marks, wanted, 1) if written.lstrip().startswith(marks + " ") else ""
        ctx.problem(line, f"this `{marks}` heading skips a level: it comes right under {above}",
                    f"make it a `{wanted}` heading (the page title is printed above a page's `#` headings)",
                    code="CS613", severity="warning", fixed=fixed)
    return level


def _check_admonition_body(tokens, index: int, ctx: _Context, line: int) -> None:
    """An admonition whose text is not indented by four spaces prints as an empty box, with the
    text after it as an ordinary paragraph."""
    depth = 0
    for token in tokens[index:]:
        if token.type == "admonition_open":
            depth += 1
        elif token.type == "admonition_close":
            depth -= 1
            if depth == 0:
                break
        elif depth == 1 and not token.type.startswith("admonition_title") and token.type != "inline":
            return
    following = next((number for number in range(line + 1, len(ctx.lines)) if ctx.lines[number].strip()), None)
    fixed = "    " + ctx.lines[following].strip() if following is not None else ""
    ctx.result.problems.append(Problem(ctx.path, ctx.first_line + (following if fixed else line), 1,
                                       "this admonition box is empty: the text under its !!! line is not "
                                       "indented by four spaces, so it prints after the box",
                                       "indent each line of the box's text by four spaces", "warning", code="CS612",
                                       source=ctx.lines[following] if fixed else "", fixed=fixed))


# `![alt](path)` or `[text](target)` that Markdown did not take as a picture or link.
_LEFT_AS_TEXT = re.compile(r"(!?)\[([^\]\n]*)\]\(([^)\n]*)\)")


def _check_left_as_text(text: str, ctx: _Context, line: int) -> None:
    for match in _LEFT_AS_TEXT.finditer(text):
        picture, target = match.group(1) == "!", match.group(3)
        if url_scheme(target) and url_scheme(target) not in LINK_SCHEMES:
            continue        # an unsafe link, refused as an error already
        kind = "picture" if picture else "link"
        written = ctx.line(line)
        if " " in target.strip():
            cause = f"the {'path' if picture or not url_scheme(target) else 'address'} has a space in it"
            hint = ("rename the file with '-' instead of spaces and write the path the same way"
                    if picture or not url_scheme(target) else "write the space in the address as %20")
            replacement = target.strip().replace(" ", "-" if picture or not url_scheme(target) else "%20")
            fixed = written.replace(match.group(0), match.group(0).replace(target, replacement), 1) \
                if match.group(0) in written else ""
        else:
            cause, hint, fixed = "Markdown did not read it as one", f"check the brackets and parentheses of the {kind}", ""
        ctx.problem(line, f"this {kind} is printed as text, not shown as a {kind}: {cause}", hint,
                    code="CS611", severity="warning", fixed=fixed, column=written.find(match.group(0)) + 1 or 1)


def _check_inline(token, ctx: _Context, line: int, refused: list[str], depth: "_HtmlDepth") -> None:
    for child in token.children or ():
        if child.type == "text" and "](" in child.content:
            _check_left_as_text(child.content, ctx, line)
        if child.type in ("softbreak", "hardbreak"):
            line += 1       # a paragraph spans lines: report each problem on its own line
        elif child.type == "html_inline":
            if facilitator_note(child.content) is not None:
                ctx.problem(line, "a facilitator note must stand on its own line",
                            "put <!-- facilitator: ... --> on a line of its own, with blank lines around it", code="CS605")
            check_raw_html(child.content, ctx, line, depth)
            line += child.content.count("\n")
        elif child.type == "image":
            _check_image(child, ctx, line)
        elif child.type == "link_open":
            _check_link(child, ctx, line)


def _check_image(token, ctx: _Context, line: int) -> None:
    src = token.attrGet("src") or ""
    alt = "".join(c.content for c in token.children or ()).strip()
    if not alt:
        ctx.problem(line, f"image {src!r} has no alt text",
                    "describe the image in the brackets: ![What the picture shows](path)", code="CS603")
    if SAFE_DATA_IMAGE.match(src):
        return
    if url_scheme(src):
        ctx.problem(line, f"external image {src!r} is not allowed",
                    "download the image into the course's assets/ folder and refer to it with a relative path", code="CS602")
        return
    local = _local_file(src, ctx, line)
    token.attrSet("src", local or "")
    if local and Path(local).suffix.lower() in VIDEO_TYPES | AUDIO_TYPES:
        token.meta["media"] = _media(local, alt, ctx, line)


def _media(course_path: str, title: str, ctx: _Context, line: int) -> dict:
    """A video or sound file and the files beside it: captions (`clip.vtt`, required for video),
    a poster picture (`clip.jpg`, `.png`, `.webp`) and a transcript (`clip-transcript.txt`, `.pdf`, ...)."""
    suffix = Path(course_path).suffix.lower()
    kind = "video" if suffix in VIDEO_TYPES else "audio"
    stem = course_path[: -len(suffix)]

    def beside(*names: str) -> str | None:
        for name in names:
            if (ctx.course_dir / name).is_file():
                return _local_file(name, _Context(ctx.path, ctx.first_line, ctx.course_dir, ctx.course_dir,
                                                  ctx.result), line)
        return None

    captions = beside(stem + ".vtt")
    if captions and captions not in ctx.result.captions:
        ctx.result.captions.append(captions)
    if kind == "video" and not captions:
        ctx.problem(line, f"video {course_path!r} has no captions: {stem}.vtt is missing",
                    f"add a WebVTT captions file at {stem}.vtt beside the video, so that learners who cannot "
                    "hear it can follow it", code="CS610")
    return {
        "kind": kind, "src": course_path, "mime": (VIDEO_TYPES | AUDIO_TYPES)[suffix], "title": title,
        "captions": captions,
        "poster": beside(*(stem + s for s in POSTER_SUFFIXES)) if kind == "video" else None,
        "transcript": beside(*(f"{stem}-transcript{s}" for s in TRANSCRIPT_SUFFIXES)),
    }


def _media_html(media: dict, words: ui_text.Words) -> str:
    return environment().get_template("partials/media.html.j2").render(t=words.text, **media)


def _unwrap_media(tokens) -> None:
    """A video alone in its paragraph becomes a figure of its own, not a figure inside a <p>."""
    for index, token in enumerate(tokens):
        if (token.type == "inline" and len(token.children or ()) == 1 and token.children[0].meta.get("media")
                and 0 < index < len(tokens) - 1 and tokens[index - 1].type == "paragraph_open"):
            tokens[index - 1].hidden = tokens[index + 1].hidden = True


def _check_link(token, ctx: _Context, line: int) -> None:
    href = token.attrGet("href") or ""
    scheme = url_scheme(href)
    if not scheme and href and not href.startswith("#"):
        token.attrSet("href", _local_file(href, ctx, line) or "")
    if scheme in ("http", "https") or (not scheme and href and not href.startswith("#")):
        # A web page or a course file opened in the SCO's own frame would unload the SCO.
        token.attrSet("target", "_blank")
        token.attrSet("rel", "noopener noreferrer")


def _local_file(reference: str, ctx: _Context, line: int) -> str | None:
    resolved = resolve_local(reference, ctx.page_dir, ctx.course_dir)
    if resolved.error:
        ctx.problem(line, resolved.error, resolved.hint, code="CS602")
        return None
    if resolved.course_path not in ctx.result.assets:
        ctx.result.assets.append(resolved.course_path)
    return resolved.course_path


# Every element name a browser knows, so that the sanitiser's discovery pass keeps them and the
# checker can name them; anything else is an unknown element that nh3 drops (its text stays).
KNOWN_TAGS = ALLOWED_TAGS | {
    "address", "area", "article", "audio", "base", "bdi", "bdo", "body", "button", "canvas", "data",
    "datalist", "dialog", "embed", "fieldset", "footer", "form", "frame", "frameset", "head", "header",
    "hgroup", "html", "iframe", "input", "label", "legend", "link", "main", "map", "math", "menu",
    "meta", "meter", "nav", "noembed", "noframes", "noscript", "object", "optgroup", "option", "output",
    "param", "picture", "plaintext", "portal", "progress", "rp", "rt", "ruby", "script", "search",
    "select", "slot", "source", "style", "svg", "template", "textarea", "time", "title", "track",
    "video", "wbr", "xmp", "applet", "marquee", "blink", "image", "isindex", "keygen", "listing",
    "mglyph", "mtext", "mi", "mo", "mn", "ms", "annotation-xml", "foreignobject", "use", "animate",
    "set", "nobr", "center", "font", "big", "tt", "strike", "dir", "acronym", "basefont", "bgsound",
}
# Schemes the discovery pass keeps, so that a refused one can be named (nh3 drops unknown ones).
_SEEN_SCHEMES = LINK_SCHEMES | {"javascript", "vbscript", "data", "file", "ftp", "blob", "about",
                                "filesystem", "ws", "wss", "jar", "view-source", "chrome", "livescript"}
# html5ever ignores these tags inside a page body, so nh3 never sees them; an author writing
# them still means something a page cannot do.
_DOCUMENT_TAGS = re.compile(r"<\s*(body|html|head|frameset)\b", re.I)


def discover_html(fragment: str) -> list[tuple[str, str | None, str | None]]:
    """(tag, attribute, value) for every element and attribute in `fragment`, as a browser parses it.

    The parse is nh3's (html5ever, the HTML5 algorithm browsers use), so comments such as `<!-->`,
    `--!>` and CDATA sections hide exactly what they hide in the browser; the checker reads the
    sanitiser's serialisation, never the author's text, so the two cannot disagree.
    """
    attributes: list[tuple[str, str, str]] = []

    def record(tag, name, value):
        attributes.append((tag, name, value))
        return value

    canonical = nh3.clean(fragment, tags=KNOWN_TAGS, clean_content_tags=set(), attributes={"*": set()},
                          generic_attribute_prefixes={""}, attribute_filter=record,
                          url_schemes=_SEEN_SCHEMES, link_rel=None, strip_comments=True)
    collector = _TagCollector()
    collector.feed(canonical)
    collector.close()
    found: list[tuple[str, str | None, str | None]] = [(tag, None, None) for tag in collector.tags]
    found += [(m.group(1).lower(), None, None) for m in _DOCUMENT_TAGS.finditer(fragment)]
    return found + attributes


class _TagCollector(HTMLParser):
    """Element names in nh3's canonical output (escaped text, quoted attributes, no comments)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    handle_startendtag = handle_starttag


def _raw_html_problems(fragment: str) -> list[tuple[int, str, str]]:
    """(line within the fragment, message, hint) for what raw author HTML may not do."""
    found, reported = [], set()
    for tag, name, value in discover_html(fragment):
        if (tag, name) in reported:
            continue
        reported.add((tag, name))
        if name is None:
            if tag not in ALLOWED_TAGS:
                found.append((_offset_of(fragment, f"<{tag}"), f"HTML element <{tag}> is not allowed",
                              "use Markdown for formatting; scripts, frames, forms and embeds are refused"))
            continue
        if tag not in ALLOWED_TAGS:
            continue        # the element itself is reported
        # target/rel are the renderer's to set: an author's target="_top" would unload the SCO.
        allowed = AUTHOR_GLOBAL_ATTRIBUTES | (TAG_ATTRIBUTES.get(tag, set()) - {"target", "rel"})
        if name not in allowed:
            found.append((_offset_of(fragment, name), f"attribute {name!r} on <{tag}> is not allowed",
                          "remove it; event handlers, inline styles, ids and classes are refused"))
        elif name in ("href", "src") and not _safe_url(value or "", tag):
            found.append((_offset_of(fragment, name), f"URL {value!r} is not allowed in <{tag} {name}>",
                          "in raw HTML, links may use http(s), mailto or #anchors; for pictures and "
                          "course files use Markdown: ![alt](../../assets/file.png), [text](../../assets/file.pdf)"))
    return found


def _offset_of(fragment: str, text: str) -> int:
    """The line (0-based) in the fragment where `text` first appears, for the message's position."""
    index = fragment.lower().find(text.lower())
    return fragment.count("\n", 0, index) if index > 0 else 0


def _safe_url(url: str, tag: str) -> bool:
    """Raw HTML may link out or to an anchor; local files go through Markdown, which resolves them."""
    if tag == "img":
        return bool(SAFE_DATA_IMAGE.match(url))
    scheme = url_scheme(url)
    return scheme in LINK_SCHEMES or (not scheme and url.strip().startswith("#"))


def check_raw_html(fragment: str, ctx: _Context, line: int, depth: "_HtmlDepth | None" = None) -> None:
    for offset, message, hint in _raw_html_problems(fragment):
        ctx.problem(line + offset, message, hint, code="CS601")
    if depth is not None and depth.feed(fragment):
        ctx.problem(line, f"the HTML on this page is nested more than {MAX_HTML_DEPTH} elements deep",
                    "use Markdown for structure; raw HTML should be a few simple elements", code="CS601")


MAX_HTML_DEPTH = 30
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _HtmlDepth(HTMLParser):
    """How deeply a page's raw HTML nests, across all its fragments: very deep nesting crashes
    browsers' and WeasyPrint's layout (recursion) and is never needed in a course page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.reported = False
        self.too_deep = False

    def handle_starttag(self, tag, attrs):
        if tag not in _VOID:
            self.depth += 1
            self.too_deep = self.too_deep or self.depth > MAX_HTML_DEPTH

    def handle_endtag(self, tag):
        if tag not in _VOID:
            self.depth = max(self.depth - 1, 0)

    def feed(self, data) -> bool:
        """Feed one fragment; True the first time the nesting gets too deep."""
        super().feed(data)
        if self.too_deep and not self.reported:
            self.reported = True
            return True
        return False


def _facilitator_note_html(note_html: str, words: ui_text.Words) -> str:
    template = environment().get_template("partials/facilitator-note.html.j2")
    return template.render(note_html=note_html, t=words.text)


# The only ids and classes a page's HTML may carry: the renderer's own (footnotes, admonitions,
# facilitator notes). An author's id or class, even one hidden from a checker, could clobber or
# mimic the player's elements, so the final clean removes any other and says where it was.
RENDERER_CLASSES = {"admonition", "admonition-title", *ADMONITION_KINDS, "footnote-ref", "footnotes-sep",
                    "footnotes", "footnotes-list", "footnote-item", "footnote-backref",
                    "facilitator-note", "facilitator-note-label",
                    "media", "media-video", "media-audio", "media-print", "media-transcript"}   # _media_html
FENCE_CLASS = re.compile(r"language-[A-Za-z0-9_+#.-]{1,40}\Z")     # ```html gives <code class="language-html">
RENDERER_ID = re.compile(r"fn(ref)?-[A-Za-z0-9_-]+-[0-9]+(:[0-9]+)?\Z")


def clean(html: str, removed: list[tuple[str, str, str]] | None = None) -> str:
    """The final fence: nh3 with the same allow-list the checker enforces; ids, classes and data:
    URLs only where the renderer puts them. What it removes is appended to `removed`."""
    attributes = {tag: set(names) for tag, names in TAG_ATTRIBUTES.items()}
    for tag, names in RENDERER_ATTRIBUTES.items():
        attributes[tag] = attributes.get(tag, set()) | names
    attributes["*"] = set(GLOBAL_ATTRIBUTES)

    def only_renderer_values(tag, name, value):
        keep = value
        if name == "id" and not RENDERER_ID.match(value):
            keep = None
        elif name == "class" and not all(word in RENDERER_CLASSES or (tag == "code" and FENCE_CLASS.match(word))
                                         for word in value.split()):
            keep = None
        elif name in ("href", "src") and url_scheme(value) == "data" and not (tag == "img" and SAFE_DATA_IMAGE.match(value)):
            keep = None
        if keep is None and removed is not None:
            removed.append((tag, name, value))
        return keep

    return nh3.clean(
        html,
        tags=ALLOWED_TAGS | RENDERER_TAGS,
        attributes=attributes,
        attribute_filter=only_renderer_values,
        url_schemes=LINK_SCHEMES | {"data"},
        link_rel=None,
        strip_comments=True,
        filter_style_properties=set(),
    )
