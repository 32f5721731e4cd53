"""Read a course folder and assemble the frozen model, collecting every problem on the way.

`load_course` walks the folder the way course.yaml and each module.yaml describe it and reads
every file once (text, size, links that stay inside the course). It hands each document to
`validate` for its schema and the course rules, and assembles the `Course` only from what passed:
it returns the course or raises `CourseError` with all problems found (never the first only).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import course_strings, model, ui_text
from .assets import check_asset
from .captions import read_cues
from .errors import CourseError, Problem
from .markdown import render_page
from .references import resolve_local
from .suggest import closest, similar_name
from .timings import default_quiz_minutes
from .questions import QUESTION_TYPES
from .schema import CourseDoc, ModuleDoc, OptionDoc, PageFrontMatter, PairDoc, QuizDoc, ThemeDoc
from .validate import (QuestionIds, check_question, check_schema, course_problems, objective_problems,
                       quiz_problems, required_quizzes, theme_problems, unprintable_problems)
from .yamldoc import CONTROL, Document, parse_yaml, split_front_matter

MAX_FILE_BYTES = 2 * 1024 * 1024
# Module folders and page files become ids in SCORM manifests, URLs and bookmarks.
SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,99}\Z")


@dataclass
class _Loader:
    course_dir: Path            # resolved
    shown_dir: str              # as the user named it, for messages
    problems: list[Problem] = field(default_factory=list)
    inputs: list[str] = field(default_factory=list)
    printed: list[tuple[str, str, int]] = field(default_factory=list)   # (shown path, text, first line) in handouts
    assets: list[str] = field(default_factory=list)
    question_ids: QuestionIds = field(default_factory=QuestionIds)
    words: ui_text.Words = field(default_factory=lambda: ui_text.words(ui_text.FALLBACK))  # pages' own messages

    def shown(self, path: Path) -> str:
        return os.path.join(self.shown_dir, path.relative_to(self.course_dir).as_posix())

    def add(self, problem: Problem) -> None:
        self.problems.append(problem)

    def read_text(self, path: Path) -> str | None:
        shown = self.shown(path)
        unusable = self.not_a_course_file(path)
        if unusable:
            self.add(Problem(shown, 1, 1, unusable[0], unusable[1], code="CS102"))
            return None
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                self.add(Problem(shown, 1, 1, f"file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB",
                                 "split the content over several pages or files", code="CS103"))
                return None
            data = path.read_bytes()
        except OSError as exc:
            self.add(Problem(shown, 1, 1, f"file cannot be read: {exc.strerror or exc}",
                             "check that the file exists and that you may read it", code="CS102"))
            return None
        self.inputs.append(path.relative_to(self.course_dir).as_posix())
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            self.add(Problem(shown, line, 1, "file is not UTF-8 text",
                             "save the file as UTF-8 in your editor (Save As... > Encoding: UTF-8)", code="CS104"))
            return None
        if "\x00" in text:
            self.add(Problem(shown, text.count("\n", 0, text.index("\x00")) + 1, 1,
                             "file contains a NUL character", "this looks like a binary file; course files are text", code="CS104"))
            return None
        control = CONTROL.search(text.replace("\f", ""))
        if control:
            line = text.count("\n", 0, control.start()) + 1
            self.add(Problem(shown, line, 1, f"file contains an invisible control character (U+{ord(control.group()):04X})",
                             "delete it (it is often pasted in from another program); course files are plain text", code="CS104"))
            return None
        # Line numbers in messages count \n, \r\n and old Mac \r endings alike.
        return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")

    def suggest(self, reference: str, base: Path, *, want_dir: bool) -> str:
        close = closest(reference, base, self.course_dir, want_dir=want_dir)
        return f"did you mean {close!r}?" if close else "check the spelling and the case of the name"

    def not_a_course_file(self, path: Path) -> tuple[str, str] | None:
        """Why `path` cannot be read as a course file (message, hint), or None when it can."""
        target = _resolve(path)
        if target is None:
            return "this symbolic link points to itself (a loop)", "replace the link with the real file"
        if target != self.course_dir and self.course_dir not in target.parents:
            return ("this file is a symbolic link to a place outside the course folder",
                    "copy the file into the course folder instead of linking to it")
        if not target.exists():
            return "this symbolic link is broken: the file it points to does not exist", "fix or remove the link"
        if target.is_dir():
            return "this is a folder, not a file", "course files are plain text files; rename or remove the folder"
        if not target.is_file():
            return "this is not a regular file", "course files are plain text files"
        return None

    def read_yaml(self, path: Path, *, text: str | None = None, line_offset: int = 0) -> Document | None:
        if text is None:
            text = self.read_text(path)
            if text is None:
                return None
        try:
            return parse_yaml(text, self.shown(path), line_offset)
        except CourseError as exc:
            self.problems.extend(exc.problems)
            return None

    def inside_course(self, reference: str, doc: Document, loc: tuple, *, want_dir: bool,
                      written: tuple[str, Path] | None = None) -> Path | None:
        """The course-internal file or folder that `reference` names, or None after reporting why not.

        `written`: the reference as the author wrote it and the folder it is relative to, when
        that is not the course folder (a page in module.yaml), for the "did you mean"."""
        example = "a folder inside the course, e.g. modules/01-introduction" if want_dir else \
            "a page file in the module's folder, e.g. 01-welcome.md"
        target = _resolve(self.course_dir / reference)
        if target is None:
            self.add(doc.problem(loc, f"{reference!r} is a symbolic link that points to itself (a loop)",
                                 "replace the link with the real " + ("folder" if want_dir else "file"), code="CS401"))
            return None
        if target != self.course_dir and self.course_dir not in target.parents or os.path.isabs(reference):
            self.add(doc.problem(loc, f"{reference!r} points outside the course folder", f"name {example}", code="CS401"))
            return None
        if target == self.course_dir:
            self.add(doc.problem(loc, f"{reference!r} is the course folder itself", f"name {example}", code="CS401"))
            return None
        if want_dir and target.is_file():
            self.add(doc.problem(loc, f"{reference!r} is a file, not a folder", f"name {example}", code="CS401"))
            return None
        if not want_dir and target.is_dir():
            self.add(doc.problem(loc, f"{reference!r} is a folder, not a page file", f"name {example}", code="CS401"))
            return None
        exists = target.is_dir() if want_dir else target.is_file()
        if not exists:
            kind = "folder" if want_dir else "file"
            reference, base = written or (reference, self.course_dir)
            self.add(doc.problem(loc, f"{kind} {reference!r} does not exist",
                                 self.suggest(reference, base, want_dir=want_dir), code="CS401"))
            return None
        return target


def _resolve(path: Path) -> Path | None:
    """`path` with every symbolic link followed, or None when the links go round in a loop."""
    try:
        return path.resolve()
    except (RuntimeError, OSError):
        return None


def _present(path: Path) -> bool:
    """Something is at `path`: a file, a folder, or a symbolic link (even a broken one)."""
    return os.path.lexists(path)


def load_course(course_dir: Path | str) -> model.Course:
    return load_course_with_warnings(course_dir)[0]


def load_course_with_warnings(course_dir: Path | str) -> tuple[model.Course, tuple[Problem, ...]]:
    """The course and the warnings it loaded with (a page left out of `pages:`, for instance)."""
    shown_dir = str(course_dir).rstrip("/") or "."
    if Path(course_dir).name == "course.yaml" and Path(course_dir).is_file():
        shown_dir = str(Path(shown_dir).parent)     # the course file named instead of its folder
        course_dir = Path(course_dir).parent
    root = _resolve(Path(course_dir))
    if root is None or not root.is_dir():
        exists = root is not None and root.exists()
        raise CourseError([Problem(shown_dir, 1, 1, "this is a file, not a course folder" if exists else
                                   "course folder does not exist", _course_folder_hint(shown_dir), code="CS101")])
    loader = _Loader(root, shown_dir)
    course_file = root / "course.yaml"
    if not _present(course_file):
        raise CourseError([Problem(loader.shown(course_file), 1, 1, "course.yaml is missing",
                                   "every course folder needs a course.yaml; `coursesmith new` makes one", code="CS101")])
    try:
        course = _load(loader, course_file)
    except OSError as exc:
        # A file that vanished or became unreadable while we read the course (the checks above
        # catch the usual cases): still the author's folder, never a traceback.
        where = exc.filename if isinstance(exc.filename, str) else shown_dir
        raise CourseError(loader.problems + [Problem(where, 1, 1, f"cannot be read: {exc.strerror or exc}",
                                                     "check that the file exists and that you may read it", code="CS102")]) from None
    if course is None and not loader.problems:
        loader.add(Problem(loader.shown(course_file), 1, 1, "the course could not be loaded",
                           "this is a bug in coursesmith; please report it with the course", code="CS999"))
    errors = [p for p in loader.problems if p.severity == "error"]
    if errors or course is None:
        raise CourseError(sorted(loader.problems, key=lambda p: (p.path, p.line, p.column)))
    return course, tuple(loader.problems)


def _course_folder_hint(shown_dir: str) -> str:
    """Did you mean a course folder beside the one named (a folder holding a course.yaml)?"""
    parent = Path(shown_dir).parent
    try:
        courses = [p.name for p in parent.iterdir() if (p / "course.yaml").is_file()] if parent.is_dir() else []
    except OSError:
        courses = []
    close = similar_name(Path(shown_dir).name, courses)
    if close:
        return f"did you mean {os.path.join(os.path.dirname(shown_dir), close)!r}?"
    return "name a folder that holds a course.yaml, e.g. courses/my-course"


def _load(loader: _Loader, course_file: Path) -> model.Course | None:
    doc = loader.read_yaml(course_file)
    if doc is None:
        return None
    if doc.data is None:
        loader.add(doc.problem((), "course.yaml is empty",
                               "add at least id, title, version and modules (see `coursesmith new`)", code="CS305"))
        return None
    if not isinstance(doc.data, dict):
        loader.add(doc.problem((), "course.yaml should be a mapping of keys such as id, title and modules",
                               "write `key: value` lines, e.g. `id: my-course`; `coursesmith new` shows a complete example", code="CS305"))
        return None
    spec = check_schema(doc, CourseDoc, problems=loader.problems)
    strings = _course_strings(loader, doc, spec) if spec else {}
    if spec:
        loader.words = ui_text.words(spec.language, strings.get(spec.language, {}))
    completion = spec.completion if spec else None
    modules = _load_modules(loader, doc, completion)
    theme = _load_theme(loader)
    _check_asset_names(loader)
    captions = []
    for asset in sorted(loader.assets):
        path = loader.course_dir / asset
        problems = check_asset(path, loader.shown(path))
        loader.problems.extend(problems)
        if path.suffix.lower() == ".vtt" and not problems:
            captions.append(_read_captions(loader, asset, path))
    if spec is None or theme is None:
        return None
    return _assemble(loader, doc, spec, modules, theme, tuple(captions), strings)


def _course_strings(loader: _Loader, doc: Document, spec: CourseDoc) -> dict[str, dict[str, str]]:
    """The course's own wording of the player's messages in each language it is built in: its
    locale/<language>.po under course.yaml's `strings:` (for `language:`); a warning for a language
    neither coursesmith nor the course has a catalogue for."""
    found: dict[str, dict[str, str]] = {}
    tags = [(spec.language, ("language",))] + [(tag, ("languages", n)) for n, tag in enumerate(spec.languages) if n]
    for tag, loc in tags:
        path = course_strings.locale_file(loader.course_dir, tag)
        text = loader.read_text(path) if path is not None else None
        wording, problems = course_strings.po_strings(text, loader.shown(path), tag) if text is not None else ({}, [])
        loader.problems.extend(problems)
        loader.problems.extend(course_strings.no_catalogue_problem(
            tag, (doc.path, doc.where(loc, key=loc == ("language",))[0]), own=path is not None))
        found[tag] = wording
    own, problems = course_strings.yaml_strings(doc, spec.strings, spec.language)
    loader.problems.extend(problems)
    found[spec.language] = {**found[spec.language], **own}
    return found


def _read_captions(loader: _Loader, asset: str, path: Path) -> model.Captions:
    """The cues of a captions file the asset checks passed (UTF-8 text that starts with WEBVTT)."""
    cues, problems = read_cues(path.read_text(encoding="utf-8-sig"), loader.shown(path))
    loader.problems.extend(problems)
    return model.Captions(asset, cues)


RESERVED_ASSET_FOLDER = "player"      # the player's own files live there in the package


def _check_asset_names(loader: _Loader) -> None:
    """Names that would clash in the package: the player's folder, and names differing only in
    case (one overwrites the other when an LMS on Windows or macOS unpacks the zip)."""
    seen: dict[str, str] = {}
    for asset in sorted(loader.assets):
        shown = loader.shown(loader.course_dir / asset)
        if asset.split("/")[0].lower() == RESERVED_ASSET_FOLDER:
            loader.add(Problem(shown, 1, 1, f"course files cannot be in a folder named {asset.split('/')[0]}/: "
                               "the player's own files go there in the package",
                               "move the file to assets/ and change the references to it", code="CS705"))
        other = seen.setdefault(asset.lower(), asset)
        if other != asset:
            loader.add(Problem(shown, 1, 1, f"{asset} and {other} differ only in upper and lower case",
                               "rename one of them: an LMS on Windows or macOS would keep only one", code="CS403"))


def _listed_again(loader: _Loader, doc: Document, loc: tuple[str, int], target: Path, seen: dict[Path, int],
                  kind: str, name: str) -> bool:
    """True, with a problem, when `target` (a module folder or a page) is already in the list;
    else it is remembered at its index. `kind` and `name` say what it is: "page", "01-a.md"."""
    if target in seen:
        loader.add(doc.problem(loc, f"{kind} {name!r} is listed twice",
                               f"it is already {kind} {seen[target] + 1}; remove one", code="CS402"))
        return True
    seen[target] = loc[1]
    return False


def _module_entries(doc: Document) -> list[tuple[int, str]]:
    raw = doc.data.get("modules") if isinstance(doc.data, dict) else None
    return [(i, m) for i, m in enumerate(raw or []) if isinstance(m, str) and m] if isinstance(raw, list) else []


def _load_modules(loader: _Loader, doc: Document, completion) -> list[model.Module]:
    modules, seen = [], {}
    default_pass = completion.pass_mark if completion else 80
    for index, reference in _module_entries(doc):
        folder = loader.inside_course(reference, doc, ("modules", index), want_dir=True)
        if folder is None:
            continue
        if _listed_again(loader, doc, ("modules", index), folder, seen, "module", reference):
            continue
        clash = next((i for f, i in seen.items() if f.name.lower() == folder.name.lower() and f != folder), None)
        if clash is not None:
            # The folder name is the module's id in the package, its bookmarks and its pages' ids;
            # names differing only in case clash in zips and on Windows or macOS checkouts.
            loader.add(doc.problem(("modules", index), f"module folder name {folder.name!r} is already used by module {clash + 1}",
                                   "give each module folder its own name, e.g. 02-more-practice", code="CS403"))
            continue
        if not SAFE_NAME.match(folder.name):
            loader.add(doc.problem(("modules", index), f"module folder name {folder.name!r} has characters that are not allowed",
                                   "rename the folder with letters, digits, '-' and '_' only, e.g. 01-introduction", code="CS403"))
            continue
        module = _load_module(loader, folder, default_pass, model.Location(doc.path, *doc.where(("modules", index))))
        if module is not None:
            modules.append(module)
    return modules


def _load_module(loader: _Loader, folder: Path, default_pass: int, location: model.Location) -> model.Module | None:
    module_file = folder / "module.yaml"
    spec, mdoc = ModuleDoc(), None
    if _present(module_file):
        mdoc = loader.read_yaml(module_file)
        if mdoc is None:
            return None
        spec = check_schema(mdoc, ModuleDoc, problems=loader.problems) if mdoc.data is not None else ModuleDoc()
        if spec is None:
            return None
    module_id = folder.name
    names = _page_names(loader, folder, spec, mdoc, location)
    pages = [page for name, _ in names if (page := _load_page(loader, folder / name, module_id))]
    quiz = (_load_quiz(loader, folder / "quiz.yaml", default_pass, len(spec.objectives))
            if _present(folder / "quiz.yaml") else None)
    title = spec.title or _title_from_folder(module_id)
    return model.Module(
        id=module_id, path=folder.relative_to(loader.course_dir).as_posix(), title=title,
        objectives=tuple(spec.objectives), pages=tuple(pages), quiz=quiz, location=location,
    )


def _title_from_folder(name: str) -> str:
    words = name.split("-")
    if words and words[0].isdigit():
        words = words[1:]
    text = " ".join(words) or name
    return text[:1].upper() + text[1:]


def _page_names(loader: _Loader, folder: Path, spec: ModuleDoc, mdoc: Document | None,
                location: model.Location) -> list[tuple[str, int | None]]:
    """The module's page files in order, each with its index in `pages:` (None when not listed)."""
    # Anything named *.md but a folder is meant as a page: a broken link must not vanish silently.
    on_disk = sorted(p.name for p in folder.glob("*.md") if not p.is_dir())
    if spec.pages == []:
        loader.add(mdoc.problem(("pages",), "`pages:` lists no pages",
                                "list the module's page files, or remove `pages:` to use every .md file in the folder", code="CS404"))
    if spec.pages is None and not on_disk:
        loader.add(Problem(location.path, location.line, location.column,
                           f"module {folder.relative_to(loader.course_dir).as_posix()!r} has no pages",
                           f"add a page such as 01-introduction.md, with a `title:` in its front matter, "
                           f"to the folder {loader.shown(folder)}", code="CS404"))
    if spec.pages is None:
        names = [(name, None) for name in on_disk]
    else:
        names, seen = [], {}
        for index, name in enumerate(spec.pages):
            target = loader.inside_course(os.path.join(folder.relative_to(loader.course_dir), name), mdoc,
                                          ("pages", index), want_dir=False, written=(name, folder))
            if target is None:
                continue
            if _listed_again(loader, mdoc, ("pages", index), target, seen, "page", name):
                continue
            names.append((name, index))
        listed = set(spec.pages)
        for name in on_disk if spec.pages else ():     # `pages: []` is already an error
            if name not in listed:
                loader.add(mdoc.problem(("pages",), f"page {name!r} is in the folder but not listed in `pages:`",
                                        "add it to the list if learners should see it", key=True, severity="warning", code="CS404"))
    safe = []
    for name, index in names:
        if SAFE_NAME.match(name.removesuffix(".md")):
            safe.append((name, index))
            continue
        path, (line, column) = (mdoc.path, mdoc.where(("pages", index))) if index is not None else \
            (loader.shown(folder / name), (1, 1))
        loader.add(Problem(path, line, column,
                           f"page file name {name!r} has characters that are not allowed",
                           "rename it with letters, digits, '-' and '_' only, e.g. 01-welcome.md", code="CS403"))
    return safe


def _load_page(loader: _Loader, path: Path, module_id: str) -> model.Page | None:
    text = loader.read_text(path)
    if text is None:
        return None
    shown = loader.shown(path)
    front, body, body_line = split_front_matter(text)
    if front is None:
        loader.add(_front_matter_problem(shown, text))
        return None
    doc = loader.read_yaml(path, text=front, line_offset=1)
    if doc is None:
        return None
    if not isinstance(doc.data, dict):
        loader.add(doc.problem((), "front matter should be `key: value` lines with at least a title",
                               "write it like: ---, title: Your page title, --- (each on its own line)", code="CS305"))
        return None
    spec = check_schema(doc, PageFrontMatter, problems=loader.problems)
    slug = path.stem
    if spec is not None and spec.handout:
        loader.printed.append((shown, text, 1))
    rendered = render_page(body, path=shown, first_line=body_line, page_dir=path.parent,
                           course_dir=loader.course_dir, page_key=f"{module_id}-{slug}", words=loader.words)
    loader.problems.extend(rendered.problems)
    loader.assets.extend(a for a in rendered.assets if a not in loader.assets)
    if spec is None:
        return None
    return model.Page(
        id=f"{module_id}/{slug}", slug=slug, title=spec.title, minutes=spec.minutes, handout=spec.handout,
        html=rendered.html, facilitator_html=rendered.facilitator_html,
        facilitator_notes=rendered.facilitator_notes, location=model.Location(shown, 1, 1),
        activities=tuple(rendered.activities),
        captions=tuple(rendered.captions),
    )


def _front_matter_problem(shown: str, text: str) -> Problem:
    """Why the page's front matter was not found: missing, not at the top, or never closed."""
    lines = text.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is not None and lines[first].rstrip() == "---":
        if first > 0:
            return Problem(shown, first + 1, 1, "the front matter must start on the first line of the file",
                           "remove the blank lines above this ---", code="CS405")
        return Problem(shown, 1, 1, "the front matter is not closed",
                       "add a line with only --- after the front matter (after `title: ...`), before the page text", code="CS405")
    return Problem(shown, 1, 1, "page has no front matter",
                   "start the file with three lines: ---, title: Your page title, ---", code="CS405")


def _load_quiz(loader: _Loader, path: Path, default_pass: int, objective_count: int) -> model.Quiz | None:
    text = loader.read_text(path)
    doc = loader.read_yaml(path, text=text) if text is not None else None
    if doc is None:
        return None
    if not isinstance(doc.data, dict):
        loader.add(doc.problem((), "quiz.yaml should be a mapping with `questions:`",
                               "start with `title: ...` and `questions:` lines; see the quiz format in the authoring guide", code="CS305"))
        return None
    spec = check_schema(doc, QuizDoc, problems=loader.problems)
    loader.printed.append((doc.path, text, 1))
    raw_questions = doc.data.get("questions") if isinstance(doc.data.get("questions"), list) else []
    questions = []
    for index, raw in enumerate(raw_questions):
        checked = check_question(doc, raw, ("questions", index), loader.problems)
        if checked is not None:
            questions.append(_question(loader, doc, checked, ("questions", index)))
            loader.problems.extend(objective_problems(doc, checked, ("questions", index), objective_count))
    if spec is None or len(questions) != len(raw_questions):
        return None
    loader.problems.extend(quiz_problems(doc, spec, questions))
    return model.Quiz(
        title=spec.title, pass_mark=default_pass if spec.pass_mark is None else spec.pass_mark,
        attempts=spec.attempts, shuffle=spec.shuffle, draw=spec.draw, questions=tuple(questions),
        show_answers=spec.show_answers, location=model.Location(doc.path, *doc.where(())),
        minutes=spec.minutes if spec.minutes is not None else default_quiz_minutes(spec.draw or len(questions)),
    )


def _question(loader: _Loader, doc: Document, q, loc: tuple) -> model.Question:
    location = model.Location(doc.path, *doc.where(loc + ("id",)))
    loader.problems.extend(loader.question_ids.problems(doc, loc + ("id",), q.id))
    fields = {name: _model_value(getattr(q, name)) for name in QUESTION_TYPES[q.type].fields}
    return model.Question(id=q.id, type=q.type, prompt=q.prompt, location=location, objective=q.objective,
                          feedback=model.QuestionFeedback(q.feedback.correct, q.feedback.incorrect),
                          shuffle=getattr(q, "shuffle", True), **fields)


def _model_value(value):
    """A checked document value as the frozen model holds it: lists become tuples, options and pairs
    their model classes."""
    if isinstance(value, list):
        return tuple(_model_value(item) for item in value)
    if isinstance(value, OptionDoc):
        return model.Option(value.text, value.correct, value.feedback)
    if isinstance(value, PairDoc):
        return model.Pair(value.left, value.right)
    return value


def _load_theme(loader: _Loader) -> model.Theme | None:
    path = loader.course_dir / "theme.yaml"
    if not _present(path):
        return model.Theme()
    doc = loader.read_yaml(path)
    if doc is None:
        return None
    spec = check_schema(doc, ThemeDoc, problems=loader.problems) if doc.data is not None else ThemeDoc()
    if spec is None:
        return None
    unreadable = theme_problems(doc, spec)
    loader.problems.extend(unreadable)
    ok = not unreadable
    logo = None
    if spec.logo:
        resolved = resolve_local(spec.logo, loader.course_dir, loader.course_dir)
        if resolved.error:
            loader.add(doc.problem(("logo",), resolved.error, resolved.hint, code="CS602"))
            ok = False
        else:
            logo = resolved.course_path
            if logo not in loader.assets:
                loader.assets.append(logo)
    return model.Theme(spec.primary_colour, spec.accent_colour, logo, spec.font) if ok else None


def _assemble(loader: _Loader, doc: Document, spec: CourseDoc, modules: list[model.Module],
              theme: model.Theme, captions: tuple[model.Captions, ...],
              strings: dict[str, dict[str, str]]) -> model.Course | None:
    required = required_quizzes(doc, spec, modules, loader.problems)
    errors_so_far = any(p.severity == "error" for p in loader.problems)
    loader.problems.extend(course_problems(doc, spec, modules, len(loader.question_ids), errors_so_far))
    if required is None or len(modules) != len(_module_entries(doc)):
        return None
    if spec.handout.editions:
        loader.problems.extend(unprintable_problems(loader.printed, theme.font))
    duration = spec.duration_minutes
    if duration is None:
        duration = sum(p.minutes or 0 for m in modules for p in m.pages)
    return model.Course(
        id=spec.id, title=spec.title, version=spec.version, language=spec.language,
        description=spec.description, authors=tuple(spec.authors), duration_minutes=duration,
        modules=tuple(modules),
        completion=model.CompletionRules(spec.completion.pages_viewed, required, spec.completion.pass_mark,
                                         spec.completion.min_minutes),
        scorm=model.ScormSettings(tuple(dict.fromkeys(spec.scorm.versions)), spec.scorm.packaging,
                                  model.Reporting(**spec.scorm.reporting.model_dump())),
        handout=model.HandoutSettings(tuple(dict.fromkeys(spec.handout.editions)), spec.handout.paper),
        theme=theme, source_dir=loader.course_dir, assets=tuple(sorted(loader.assets)), captions=captions,
        input_files=tuple(sorted(set(loader.inputs))), languages=tuple(spec.languages),
        strings=tuple(sorted(strings[spec.language].items())),
        language_strings=tuple((tag, tuple(sorted(wording.items()))) for tag, wording in strings.items()
                               if tag != spec.language),
    )
