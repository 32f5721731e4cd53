"""The learner's player: from the model to the files of each SCO, in memory.

For every SCO there is one HTML page (all of its pages and quizzes rendered by Jinja, shown one at
a time by the player), with the structure and rules the JavaScript needs embedded as JSON; beside
it the player's scripts and stylesheet, the theme's font and every course asset. Everything
except imsmanifest.xml and the schemas, which the packaging step adds.

`PlayerFiles` hands these to the packaging step as bytes by package path. Only the embedded data
differs between SCORM versions, so each page is rendered once per build and every other file read
once; each version gets the same bytes with its own data put in.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from markupsafe import Markup

from . import releases, suspend_data, ui_text, webfonts
from .cache import OutputCache
from .editions import runtime
from .errors import refuse
from .model import COLOUR, Course, Module, Question
from .paths import shipped_fonts, templates_dir
from .questions import QUESTION_TYPES
from .sco import Sco
from .svg import safe_svg_bytes
from .templating import environment

# Whose recorded layouts a player reads: a runtime name or the preview stores as much as 4th Edition.
EDITION_LAYOUTS = {"2004": "2004-4th", "none": "2004-4th"}
PLAYER_DIR = "player"
SCRIPTS = ("lms.js", "state.js", "quiz.js", "completion.js", "ordering.js", "quiz-view.js", "player.js")
PAGE_TEMPLATE = "player/index.html.j2"
DATA_FORMAT = 1
# Stands in for the embedded data while a page is rendered once for every version: NUL cannot
# come from a course (the loader refuses it), so it is never anything else.
_DATA_SLOT = "\x00coursesmith-player-data\x00"
FONT_FACES = {          # file name ending -> (weight, style), the shipped fonts' naming
    "-Regular.ttf": (400, "normal"),
    "-Bold.ttf": (700, "normal"),
    "-Italic.ttf": (400, "italic"),
    "-BoldItalic.ttf": (700, "italic"),
}


@dataclass(frozen=True)
class _Unit:
    """One SCO and the modules it covers."""

    sco: Sco
    modules: tuple[Module, ...]


class PlayerFiles:
    """The SCOs of one course and their files, for each version a build asks for.

    Raises CourseError when the learner's state could outgrow a version's suspend_data limit,
    or when the theme or an asset cannot be used.
    """

    def __init__(self, course: Course, record: releases.ReleaseRecord | None = None,
                 cache: OutputCache | None = None):
        self.course = course
        self.cache = cache or OutputCache(None)      # where the cut font faces are kept between builds
        self.units = _units(course)
        # The earlier releases whose learner states the player must read (default: releases.lock).
        self.record = releases.read_record(course.source_dir) if record is None else record

    @property
    def scos(self) -> tuple[Sco, ...]:
        return tuple(unit.sco for unit in self.units)

    def files(self, version: str) -> dict[str, bytes]:
        """Every file of the SCOs by package-relative path, for `version` ("1.2", "2004-3rd",
        "2004-4th" or "none": a standalone preview)."""
        runtime(version)                         # an unknown version is refused before anything else
        pages = self._pages
        data = {unit.sco.launch: player_data(self.course, unit.sco, version, self.record) for unit in self.units}
        pages = {launch: pages[launch].replace(_DATA_SLOT, str(embedded_json(data[launch]))).encode("utf-8")
                 for launch in data}
        return {**pages, **self._shared}

    def render(self) -> None:
        """Render the pages and cut the font now rather than for the first version asked for:
        worker processes forked after this share them (builder/workers.py)."""
        self._shared

    @cached_property
    def _pages(self) -> dict[str, str]:
        """Each SCO's page with a slot for its data, rendered once whatever the versions."""
        _check_theme(self.course)
        fonts = _font_files(self.course.theme.font)
        pages = {}
        for unit in self.units:
            page = _render_page(self.course, unit, _steps(unit.modules), fonts)
            assert page.count(_DATA_SLOT) == 1, "the page template embeds the player's data once"
            pages[unit.sco.launch] = page
        return pages

    @cached_property
    def _shared(self) -> dict[str, bytes]:
        """The player's own files, the theme's font and the course's assets: the same in every version."""
        font = self.course.theme.font
        files = _player_files()
        files.update(_font_faces(font, _font_files(font), self._shown_characters(files), self.cache))
        # What this release gives learners, so `coursesmith diff` can compare built packages.
        files[releases.PACKAGE_RELEASE_FILE] = (
            json.dumps(releases.summary(self.course), indent=1, ensure_ascii=False) + "\n").encode("utf-8")
        files.update(_assets(self.course, reserved={unit.sco.launch for unit in self.units}))
        return files

    def _shown_characters(self, player_files: dict[str, bytes]) -> str:
        """Every character the SCOs can show: their pages, the data their scripts read (titles,
        answers, captions, the player's strings) and the scripts and stylesheet themselves."""
        data = [json.dumps(player_data(self.course, unit.sco, "none", self.record), ensure_ascii=False)
                for unit in self.units]
        scripts = [content.decode("utf-8") for content in player_files.values()]
        return webfonts.shown_characters(*self._pages.values(), *data, *scripts)


def write_scos(course: Course, folder: Path, version: str,
               record: releases.ReleaseRecord | None = None) -> tuple[Sco, ...]:
    """Write every file the SCOs of `course` need into `folder`; return the SCOs.

    For looking at a player on disk (a standalone preview, the tests); a build hands the files to
    the packaging step in memory instead (`PlayerFiles`).
    """
    player = PlayerFiles(course, record)
    files = player.files(version)                # every check passes before anything is written
    for name, data in files.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return player.scos


def scos_for(course: Course) -> tuple[Sco, ...]:
    """The SCOs of `course`, without rendering anything."""
    return tuple(unit.sco for unit in _units(course))


def worst_case_suspend_data_length(course: Course, sco: Sco, version: str = "1.2") -> int:
    """The longest suspend_data the player can send for `sco` in SCORM `version` (characters)."""
    pages, quizzes = _codec_shape(course, _modules_of(course, sco))
    text_bytes = suspend_data.text_budget(len(pages), quizzes, runtime(version).suspend_data_limit) or 0
    return suspend_data.worst_case_length(len(pages), quizzes, text_bytes)


# ---------- SCOs ----------

def _units(course: Course) -> tuple[_Unit, ...]:
    if course.scorm.packaging == "sco-per-module":
        return tuple(
            _Unit(Sco(module.id, module.title, f"{module.id}.html", (module.id,), _mastery(course, (module,))),
                  (module,))
            for module in course.modules
        )
    modules = course.modules
    return (_Unit(Sco(course.id, course.title, "index.html", tuple(m.id for m in modules),
                      _mastery(course, modules)), modules),)


def _mastery(course: Course, modules: tuple[Module, ...]) -> int | None:
    """The pass mark an LMS may judge the SCO's score by; None when it must take the player's word.

    With one required quiz the SCO's score is that quiz's best score, so an LMS judging it by the
    quiz's pass mark agrees with the player. With several, no single mark can: the player passes
    when *each* quiz reaches its own mark, and a mean score can clear any shared threshold while
    one quiz has failed (100% and 50% against marks of 60% and 80%: mean 75%, mean mark 70%). A
    SCORM 2004 LMS with a passing score judges success by it and overrides the player's failed,
    so such a SCO carries no mastery score and the LMS records the status the player reports.
    Only a ".../failed" status pair can carry one: an LMS judging the score would report failed
    itself, where ".../incomplete" promises "incomplete".
    """
    if not course.scorm.reporting.status.endswith("/failed"):
        return None
    marks = [m.quiz.pass_mark for m in modules if m.quiz and _required(course, m)]
    return marks[0] if len(marks) == 1 else None


def _required(course: Course, module: Module) -> bool:
    return module.quiz is not None and module.id in course.completion.required_quizzes


def _modules_of(course: Course, sco: Sco) -> tuple[Module, ...]:
    return tuple(course.module(module_id) for module_id in sco.module_ids)


# ---------- the JSON the player reads ----------

def _question_data(question: Question) -> dict:
    data = {"id": question.id, "type": question.type, "size": releases.question_size(question),
            "key": releases.question_key(question)}
    for field in question.kind.fields:
        data.update(_FIELD_DATA.get(field, _nothing)(question))
    return data | question.kind.player_facts()


def _nothing(question: Question) -> dict:
    return {}


# What the player's JavaScript gets of each model field a question type uses (questions.py);
# fields the player needs nothing of (ordering's items, likert's scale) are on the page only.
_FIELD_DATA = {
    # `shuffle: false` pins the authored order online as in print ("All of the above" stays last)
    "options": lambda q: {"correct": [i for i, option in enumerate(q.options) if option.correct]}
                         | ({} if q.shuffle else {"pinned": True}),
    # true-false's answer is a bool, numeric's a number
    "answer": lambda q: {"answer": q.answer if isinstance(q.answer, bool) else float(q.answer or 0)},
    "answers": lambda q: {"answers": list(q.answers)},
    "case_sensitive": lambda q: {"caseSensitive": q.case_sensitive},
    "tolerance": lambda q: {"tolerance": float(q.tolerance)},
    "pairs": lambda q: {"rights": _matching_rights(q)},
}


def _matching_rights(question: Question) -> list[int]:
    """Each left item's right item as the learner can choose it: equal right texts are one choice
    (the first), so either "Fruit box" is right for a fruit."""
    first = {}
    for index, pair in enumerate(question.pairs):
        first.setdefault(pair.right, index)
    return [first[pair.right] for pair in question.pairs]


def _matching_choices(question: Question) -> list[dict]:
    """The right items a matching question offers: each text once, with its number."""
    return [{"index": index, "text": question.pairs[index].right} for index in sorted(set(_matching_rights(question)))]


def _codec_shape(course: Course, modules: tuple[Module, ...]) -> tuple[list, list[dict]]:
    """The SCO's pages and its quizzes as the player (and the codec) sees them."""
    pages = [(index, page) for index, module in enumerate(modules) for page in module.pages]
    tracks = releases.module_tracks(course)
    quizzes = [
        {
            "module": module.id,
            "track": tracks[module.id],
            "required": _required(course, module),
            "passMark": module.quiz.pass_mark,
            "attempts": module.quiz.attempts,
            "shuffle": module.quiz.shuffle,
            "showAnswers": module.quiz.show_answers,
            "survey": not module.quiz.scored_questions,      # unscored questions only: thanked, never scored
            "asked": min(module.quiz.asked, len(module.quiz.questions)),
            "questions": [_question_data(q) for q in module.quiz.questions],
        }
        for module in modules if module.quiz
    ]
    return pages, quizzes


def _min_seconds(course: Course, modules: tuple[Module, ...]) -> int:
    """min_minutes for this SCO. With one SCO per module each gets its share by page count, so
    the modules together ask for the course's minimum, not one minimum each."""
    total = course.completion.min_minutes * 60
    if len(modules) == len(course.modules) or not total:
        return total
    all_pages = len(course.pages)
    own_pages = sum(len(m.pages) for m in modules)
    share = own_pages / all_pages if all_pages else len(modules) / len(course.modules)
    return math.ceil(total * share)


def _steps(modules: tuple[Module, ...]) -> list[dict]:
    steps, page_index, quiz_index = [], 0, 0
    for module_index, module in enumerate(modules):
        for page in module.pages:
            steps.append({"id": page.id, "kind": "page", "title": page.title, "module": module_index,
                          "page": page_index, "quiz": None})
            page_index += 1
        if module.quiz:
            quiz_id = _free_id(f"{module.id}/quiz", {page.id for page in module.pages})
            steps.append({"id": quiz_id, "kind": "quiz", "title": module.quiz.title, "module": module_index,
                          "page": None, "quiz": quiz_index})
            quiz_index += 1
    for number, step in enumerate(steps):
        step["dom"] = f"cs-step-{number}"
    return steps


def _free_id(wanted: str, taken: set[str]) -> str:
    """`wanted`, or `wanted-assessment`, `-assessment-2`, ... when pages already use it."""
    candidate, number = wanted, 1
    while candidate in taken:
        candidate = f"{wanted}-assessment" + (f"-{number}" if number > 1 else "")
        number += 1
    return candidate


def _module_data(modules: tuple[Module, ...], pages: list) -> list[dict]:
    """Each module's page numbers and quiz number within the SCO, for its SCORM 2004 objective."""
    result, quiz_number = [], 0
    for position, module in enumerate(modules):
        result.append({"id": module.id,
                       "pages": [i for i, (module_index, _) in enumerate(pages) if module_index == position],
                       "quiz": quiz_number if module.quiz else None})
        quiz_number += 1 if module.quiz else 0
    return result


def player_data(course: Course, sco: Sco, version: str, record: releases.ReleaseRecord | None = None) -> dict:
    """What the player's JavaScript reads: structure, rules and the suspend_data codec's settings.

    `version` is a package version ("1.2", "2004-3rd", "2004-4th", "none") or a runtime ("2004").
    `record`: earlier releases, whose layouts the player gets to read their learners' states.
    """
    target = runtime(version)
    modules = _modules_of(course, sco)
    pages, quizzes = _codec_shape(course, modules)
    limit = target.suspend_data_limit
    text_bytes = suspend_data.text_budget(len(pages), quizzes, limit)
    if text_bytes is None:
        needed = suspend_data.worst_case_length(len(pages), quizzes, 0)
        raise refuse(
            "CS701", f"{sco.launch}: the learner's progress in {sco.title!r} can need {needed} characters of "
            f"suspend_data, more than SCORM {version} allows ({limit})",
            hint="use scorm.packaging: sco-per-module, or split the course, so each SCO has fewer pages and questions",
        )
    page_tracks = releases.page_tracks(course)
    tracks = [page_tracks[page.id] for _, page in pages]
    fingerprint = suspend_data.layout_fingerprint(tracks, quizzes, text_bytes)
    edition = EDITION_LAYOUTS.get(version, version)
    earlier = [_with_codecs(layout) for layout in record.earlier_layouts(sco.identifier_stem, edition, fingerprint)] \
        if record else []
    return {
        "format": DATA_FORMAT,
        "version": target.name,
        # How the runtime's LMS wants times and responses written (None without an LMS): lms.js formats by it.
        "lms": target.formats.data() if target.formats else None,
        "course": {"id": course.id, "title": course.title, "version": course.version, "language": course.language},
        "sco": sco.identifier_stem,
        "storageKey": f"coursesmith:{course.id}:{sco.identifier_stem}",
        "rules": {"pagesViewed": course.completion.pages_viewed, "minSeconds": _min_seconds(course, modules)},
        "lmsPassMark": sco.mastery_percent,      # the manifest's; an LMS may judge the score by it
        "reporting": {
            "status": course.scorm.reporting.status,
            # Only where the course has no required quiz at all: with sco-per-module a quiz-less
            # module's 100 would otherwise stand beside (or, graded "highest", over) quiz scores.
            "scoreOnCompletion": course.scorm.reporting.score_on_completion and not course.completion.required_quizzes,
            "finishRequest": course.scorm.reporting.finish_request,
        },
        "pages": [{"id": page.id, "track": page_tracks[page.id], "module": module_index}
                  for module_index, page in pages],
        "modules": _module_data(modules, pages),
        "steps": _steps(modules),
        "quizzes": quizzes,
        "nextModule": _next_module_title(course, modules),
        "captions": _captions(course, modules),
        "text": dict(ui_text.for_course(course).table),
        "codec": {
            "fingerprint": fingerprint,
            "legacyFingerprint": suspend_data.legacy_fingerprint(len(pages), quizzes, text_bytes),
            "textBytes": text_bytes,
            "limit": limit,
            "worstCase": suspend_data.worst_case_length(len(pages), quizzes, text_bytes),
            "earlier": earlier,
        },
    }


def _captions(course: Course, modules: tuple[Module, ...]) -> dict[str, list]:
    """The cues of each captions file the SCO's pages use, [start, end, text] each and its
    settings when it has some: the player adds them itself (builder/captions.py says why)."""
    paths = dict.fromkeys(path for module in modules for page in module.pages for path in page.captions)
    return {path: [[cue.start, cue.end, cue.text] + ([dict(cue.settings)] if cue.settings else [])
                   for cue in course.cues(path)]
            for path in paths}


def _with_codecs(layout: dict) -> dict:
    """An earlier release's layout with each question's player facts: state.js reads answers by
    their codec, and quiz.js plans the attempt (what is drawn) by whether questions are scored."""
    quizzes = [quiz | {"questions": [q | QUESTION_TYPES[q["type"]].player_facts() for q in quiz["questions"]]}
               for quiz in layout["quizzes"]]
    return layout | {"quizzes": quizzes}


def _next_module_title(course: Course, modules: tuple[Module, ...]) -> str | None:
    """The module the learner opens next in the LMS, when this SCO is one module of several."""
    if len(modules) == len(course.modules):
        return None
    after = course.modules.index(modules[-1]) + 1
    return course.modules[after].title if after < len(course.modules) else None


def embedded_json(data: dict) -> Markup:
    """JSON safe inside <script type="application/json">: no "</script>", no "<!--", no "&" entity."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return Markup(text)


# ---------- the page ----------

def _check_theme(course: Course) -> None:
    """The colours go into a <style> element, where autoescaping does not protect: only #rrggbb."""
    theme = course.theme
    for name, colour in (("primary_colour", theme.primary_colour), ("accent_colour", theme.accent_colour)):
        if not COLOUR.fullmatch(colour):
            raise refuse("CS706", f"theme {name} {colour!r} is not a #rrggbb colour", hint='write it like "#005eb8"')


def _render_page(course: Course, unit: _Unit, steps: list[dict], fonts: list[str]) -> str:
    """The SCO's page, with `_DATA_SLOT` where the player's data goes."""
    theme = course.theme
    words = ui_text.for_course(course)
    context = {
        "language": course.language,
        "direction": words.direction,
        "title": unit.sco.title,
        "course_title": course.title,
        "logo": theme.logo,
        "primary_colour": theme.primary_colour,
        "accent_colour": theme.accent_colour,
        "font_family": theme.font,
        "font_faces": [face for name in fonts if (face := _font_face(theme.font, name))],
        "modules": _module_views(course, unit.modules, steps),
        "data_json": Markup(_DATA_SLOT),
        "scripts": [f"{PLAYER_DIR}/{name}" for name in SCRIPTS],
        "t": words.text,
        "plural": words.plural,
        "slot": _slot,
    }
    return environment().get_template(PAGE_TEMPLATE).render(context).lstrip()


def _slot(name: str) -> Markup:
    """An empty element the player fills in, placed inside a catalogue sentence."""
    return Markup('<strong data-slot="{}"></strong>').format(name)


def _choice_hint(question: Question, words: ui_text.Words) -> str:
    """"Choose all that apply." under a multiple-choice prompt, unless the prompt says it already."""
    hint = words.table["choose-all"]
    if question.kind.answer != "some" or hint.rstrip(".").lower() in question.prompt.lower():
        return ""
    return hint


def _module_views(course: Course, modules: tuple[Module, ...], steps_data: list[dict]) -> list[dict]:
    """The template's view: modules with their steps, each step with what its markup needs."""
    pages = [page for module in modules for page in module.pages]
    views = [{"id": m.id, "title": m.title, "objectives": m.objectives, "steps": []} for m in modules]
    words = ui_text.for_course(course)
    for index, step in enumerate(steps_data):
        module = modules[step["module"]]
        steps = views[step["module"]]["steps"]
        view = {"id": step["id"], "dom_id": step["dom"], "index": index, "kind": step["kind"],
                "title": step["title"], "first_in_module": not steps}
        if step["kind"] == "page":
            view["page"] = pages[step["page"]]
        else:
            view.update(quiz=module.quiz, quiz_index=step["quiz"], quiz_required=_required(course, module),
                        survey=not module.quiz.scored_questions,
                        questions=[{"question": q, "index": i, "dom_id": f"q-{q.id}", "hint": _choice_hint(q, words),
                                    "choices": _matching_choices(q) if q.kind.choices == "pairs" else []}
                                   for i, q in enumerate(module.quiz.questions)])
        steps.append(view)
    return views


# ---------- the files beside the pages ----------

def _font_files(font: str) -> list[str]:
    if font not in shipped_fonts():
        raise refuse("CS706", f"theme font {font!r} is not a font coursesmith ships",
                     hint="use one of " + ", ".join(shipped_fonts()))
    folder = templates_dir() / "fonts" / font
    # The faces and their licence; anything else there (e.g. the handout's stylesheet) is not ours.
    return sorted(p.name for p in folder.iterdir() if p.is_file() and p.suffix in (".ttf", ".txt"))


def _font_face(font: str, file_name: str) -> dict | None:
    for ending, (weight, style) in FONT_FACES.items():
        if file_name.endswith(ending):
            return {"href": _shipped_path(font, file_name), "weight": weight, "style": style}
    return None


def _shipped_path(font: str, file_name: str) -> str:
    """Where a file of the theme font goes in the package: a face as its WOFF2 cut (webfonts.py)."""
    shipped = Path(file_name).with_suffix(".woff2").name if file_name.endswith(".ttf") else file_name
    return f"{PLAYER_DIR}/fonts/{font}/{shipped}"


def _player_files() -> dict[str, bytes]:
    """The player's scripts and stylesheet."""
    source = templates_dir() / "player"
    return {f"{PLAYER_DIR}/{path.name}": path.read_bytes()
            for path in sorted(source.iterdir()) if path.is_file() and not path.name.endswith(".j2")}


def _font_faces(font: str, fonts: list[str], characters: str, cache: OutputCache) -> dict[str, bytes]:
    """The theme font's faces, each holding `characters` only, and its licence."""
    folder = templates_dir() / "fonts" / font
    return {_shipped_path(font, name): _cut_face(folder / name, characters, cache) if name.endswith(".ttf")
            else (folder / name).read_bytes()
            for name in fonts}


def _cut_face(face: Path, characters: str, cache: OutputCache) -> bytes:
    """The face's WOFF2 cut, from the cache when a build made it before (the key covers the font
    files, fontTools and brotli through coursesmith's templates and libraries)."""
    key = cache.key("woff2", f"{face.parent.name}/{face.name}", characters)
    data = cache.read(key)
    if data is None:
        data = webfonts.woff2_subset(face, characters)
        cache.store_bytes(key, data)
    return data


def _assets(course: Course, reserved: set[str]) -> dict[str, bytes]:
    """Every asset at its course-relative path, so page HTML's `assets/x.svg` works from the root."""
    root = course.source_dir.resolve()
    files = {}
    for relative in course.assets:
        source = (root / relative).resolve()
        if root not in source.parents or not source.is_file():
            raise refuse("CS602", f"asset {relative} is missing or outside the course folder", path=relative)
        if relative in reserved or relative.split("/")[0] == PLAYER_DIR:
            raise refuse("CS705", f"asset {relative} would overwrite a player file",
                         hint=f"keep course files out of {PLAYER_DIR}/ and the SCO pages' names")
        # SVGs go in as the checked rewrite, never the original.
        files[relative] = safe_svg_bytes(source, relative) if source.suffix.lower() == ".svg" else source.read_bytes()
    return files
