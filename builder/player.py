"""The learner's player: from the model to the staged files of each SCO.

For every SCO this writes one HTML page (all of its pages and quizzes rendered by Jinja, shown
one at a time by the player), with the structure and rules the JavaScript needs embedded as JSON.
It copies the player's scripts and stylesheet, the theme's font and every course asset beside
it. Everything except imsmanifest.xml and the schemas, which the packaging step adds.
"""

from __future__ import annotations

import json
import math
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from . import player_text, releases, suspend_data
from .errors import BuildError
from .svg import safe_svg_bytes
from .model import Course, Module, Question
from .paths import templates_dir
from .sco import Sco
from .templating import environment

RUNTIMES = {"1.2": "1.2", "2004-3rd": "2004", "2004-4th": "2004", "none": "none"}
# Whose recorded layouts a player reads: a runtime name or the preview stores as much as 4th Edition.
EDITION_LAYOUTS = {"2004": "2004-4th", "none": "2004-4th"}
PLAYER_DIR = "player"
SCRIPTS = ("lms.js", "state.js", "quiz.js", "completion.js", "ordering.js", "quiz-view.js", "player.js")
PAGE_TEMPLATE = "player/index.html.j2"
DATA_FORMAT = 1
COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
FONT_NAME = re.compile(r"[a-z0-9][a-z0-9-]*")
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


def write_scos(course: Course, staging_dir: Path, version: str,
               record: releases.ReleaseRecord | None = None) -> tuple[Sco, ...]:
    """Write every file the SCOs of `course` need into `staging_dir`; return the SCOs.

    `version` is "1.2", "2004-3rd", "2004-4th" or "none" (a standalone preview). `record` holds
    the earlier releases whose learner states the player must read (default: the course folder's
    releases.lock).
    Raises BuildError when the learner's state could outgrow the version's suspend_data limit,
    or when the theme or an asset cannot be used.
    """
    _runtime(version)                            # an unknown version is refused before anything else
    units = _units(course)
    _check_theme(course)
    fonts = _font_files(course.theme.font)
    if record is None:
        record = releases.read_record(course.source_dir)
    pages = {unit.sco.launch: _render_page(course, unit, player_data(course, unit.sco, version, record), fonts)
             for unit in units}                  # every check passes before anything is written
    staging_dir.mkdir(parents=True, exist_ok=True)
    for launch, html in pages.items():
        (staging_dir / launch).write_text(html, encoding="utf-8")
    _copy_player_files(staging_dir, course.theme.font, fonts)
    # What this release gives learners, so `coursesmith diff` can compare built packages.
    (staging_dir / releases.PACKAGE_RELEASE_FILE).write_text(
        json.dumps(releases.summary(course), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    _copy_assets(course, staging_dir, reserved={unit.sco.launch for unit in units})
    return tuple(unit.sco for unit in units)


def scos_for(course: Course) -> tuple[Sco, ...]:
    """The SCOs `write_scos` writes for `course`, without writing anything."""
    return tuple(unit.sco for unit in _units(course))


def worst_case_suspend_data_length(course: Course, sco: Sco, version: str = "1.2") -> int:
    """The longest suspend_data the player can send for `sco` in SCORM `version` (characters)."""
    _runtime(version)                            # an unknown version is refused
    pages, quizzes = _codec_shape(course, _modules_of(course, sco))
    text_bytes = suspend_data.text_budget(len(pages), quizzes, suspend_data.LIMITS[version]) or 0
    return suspend_data.worst_case_length(len(pages), quizzes, text_bytes)


def _runtime(version: str) -> str:
    try:
        return RUNTIMES[version]
    except KeyError:
        raise BuildError(f"unknown player version {version!r}", hint="use one of " + ", ".join(RUNTIMES)) from None


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
    if question.type in ("single", "multiple"):
        data["correct"] = [i for i, option in enumerate(question.options) if option.correct]
    elif question.type == "true-false":
        data["answer"] = bool(question.answer)
    elif question.type == "fill-in":
        data["answers"] = list(question.answers)
        data["caseSensitive"] = question.case_sensitive
    elif question.type == "numeric":
        data["answer"] = float(question.answer or 0)
        data["tolerance"] = float(question.tolerance)
    elif question.type == "matching":
        data["rights"] = _matching_rights(question)
    return data


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
            "survey": not module.quiz.scored_questions,      # likert only: thanked, never scored
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
    runtime = RUNTIMES.get(version, version)
    modules = _modules_of(course, sco)
    pages, quizzes = _codec_shape(course, modules)
    limit = suspend_data.LIMITS[version]
    text_bytes = suspend_data.text_budget(len(pages), quizzes, limit)
    if text_bytes is None:
        needed = suspend_data.worst_case_length(len(pages), quizzes, 0)
        raise BuildError(
            f"{sco.launch}: the learner's progress in {sco.title!r} can need {needed} characters of "
            f"suspend_data, more than SCORM {version} allows ({limit})",
            hint="use scorm.packaging: sco-per-module, or split the course, so each SCO has fewer pages and questions",
        )
    page_tracks = releases.page_tracks(course)
    tracks = [page_tracks[page.id] for _, page in pages]
    fingerprint = suspend_data.layout_fingerprint(tracks, quizzes, text_bytes)
    edition = EDITION_LAYOUTS.get(version, version)
    earlier = record.earlier_layouts(sco.identifier_stem, edition, fingerprint) if record else []
    return {
        "format": DATA_FORMAT,
        "version": runtime,
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
        "text": player_text.CATALOGUE,
        "codec": {
            "fingerprint": fingerprint,
            "legacyFingerprint": suspend_data.legacy_fingerprint(len(pages), quizzes, text_bytes),
            "textBytes": text_bytes,
            "limit": limit,
            "worstCase": suspend_data.worst_case_length(len(pages), quizzes, text_bytes),
            "earlier": earlier,
        },
    }


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
            raise BuildError(f"theme {name} {colour!r} is not a #rrggbb colour", hint='write it like "#005eb8"')


def _render_page(course: Course, unit: _Unit, data: dict, fonts: list[str]) -> str:
    theme = course.theme
    context = {
        "language": course.language,
        "title": unit.sco.title,
        "course_title": course.title,
        "logo": theme.logo,
        "primary_colour": theme.primary_colour,
        "accent_colour": theme.accent_colour,
        "font_family": theme.font,
        "font_faces": [face for name in fonts if (face := _font_face(theme.font, name))],
        "modules": _module_views(course, unit.modules, data),
        "data_json": embedded_json(data),
        "scripts": [f"{PLAYER_DIR}/{name}" for name in SCRIPTS],
        "t": player_text.text,
        "plural": player_text.plural,
        "slot": _slot,
    }
    return environment().get_template(PAGE_TEMPLATE).render(context).lstrip()


def _slot(name: str) -> Markup:
    """An empty element the player fills in, placed inside a catalogue sentence."""
    return Markup('<strong data-slot="{}"></strong>').format(name)


def _choice_hint(question: Question) -> str:
    """"Choose all that apply." under a multiple-choice prompt, unless the prompt says it already."""
    hint = player_text.CATALOGUE["choose-all"]
    if question.type != "multiple" or hint.rstrip(".").lower() in question.prompt.lower():
        return ""
    return hint


def _module_views(course: Course, modules: tuple[Module, ...], data: dict) -> list[dict]:
    """The template's view: modules with their steps, each step with what its markup needs."""
    pages = [page for module in modules for page in module.pages]
    views = [{"id": m.id, "title": m.title, "objectives": m.objectives, "steps": []} for m in modules]
    for index, step in enumerate(data["steps"]):
        module = modules[step["module"]]
        steps = views[step["module"]]["steps"]
        view = {"id": step["id"], "dom_id": step["dom"], "index": index, "kind": step["kind"],
                "title": step["title"], "first_in_module": not steps}
        if step["kind"] == "page":
            view["page"] = pages[step["page"]]
        else:
            view.update(quiz=module.quiz, quiz_index=step["quiz"], quiz_required=_required(course, module),
                        survey=not module.quiz.scored_questions,
                        questions=[{"question": q, "index": i, "dom_id": f"q-{q.id}", "hint": _choice_hint(q),
                                    "choices": _matching_choices(q) if q.type == "matching" else []}
                                   for i, q in enumerate(module.quiz.questions)])
        steps.append(view)
    return views


# ---------- copied files ----------

def _font_files(font: str) -> list[str]:
    if not FONT_NAME.fullmatch(font):
        raise BuildError(f"theme font {font!r} is not a font coursesmith ships")
    folder = templates_dir() / "fonts" / font
    if not folder.is_dir():
        shipped = sorted(p.name for p in (templates_dir() / "fonts").iterdir() if p.is_dir())
        raise BuildError(f"theme font {font!r} is not a font coursesmith ships", hint="use one of " + ", ".join(shipped))
    # The faces and their licence; anything else there (e.g. the handout's stylesheet) is not ours.
    return sorted(p.name for p in folder.iterdir() if p.is_file() and p.suffix in (".ttf", ".txt"))


def _font_face(font: str, file_name: str) -> dict | None:
    for ending, (weight, style) in FONT_FACES.items():
        if file_name.endswith(ending):
            return {"href": f"{PLAYER_DIR}/fonts/{font}/{file_name}", "weight": weight, "style": style}
    return None


def _copy_player_files(staging_dir: Path, font: str, fonts: list[str]) -> None:
    source = templates_dir() / "player"
    target = staging_dir / PLAYER_DIR
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted(source.iterdir()):
        if path.is_file() and not path.name.endswith(".j2"):
            shutil.copyfile(path, target / path.name)
    font_target = target / "fonts" / font
    font_target.mkdir(parents=True, exist_ok=True)
    for name in fonts:
        shutil.copyfile(templates_dir() / "fonts" / font / name, font_target / name)


def _copy_assets(course: Course, staging_dir: Path, reserved: set[str]) -> None:
    """Every asset at its course-relative path, so page HTML's `assets/x.svg` works from the root."""
    root = course.source_dir.resolve()
    for relative in course.assets:
        source = (root / relative).resolve()
        if root not in source.parents or not source.is_file():
            raise BuildError(f"asset {relative} is missing or outside the course folder", path=relative)
        if relative in reserved or relative.split("/")[0] == PLAYER_DIR:
            raise BuildError(f"asset {relative} would overwrite a player file",
                             hint=f"keep course files out of {PLAYER_DIR}/ and the SCO pages' names")
        target = staging_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.suffix.lower() == ".svg":
            target.write_bytes(safe_svg_bytes(source, relative))     # the checked rewrite, never the original
        else:
            shutil.copyfile(source, target)
