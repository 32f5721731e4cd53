"""A course in one of its further `languages:`: the source course with each unit's translation from
`translations/<tag>.xlf`, as a model of its own.

The translated course is its own course to an LMS: its id is `<course id>-<tag>` (lower case), so
its packages, handouts, manifest identifier and learner state never mix with the source's, and it
keeps its own release record (`releases.<tag>.lock`). Pages are rendered again from their
translated Markdown with the same checks as the source. A unit whose source changed since it was
translated is stale, a unit with no translation is missing: both are warnings and the source's
text stands in; a translation that changes a link or image target, or leaves a fill-in question
with no accepted answer, is an error.
"""

from __future__ import annotations

import dataclasses
import os

from . import model, ui_text, xliff
from .errors import CourseError, Problem
from .markdown import render_page
from .releases import module_tracks, page_tracks
from .validate import unprintable_problems
from .translate import (Unit, course_units, cue_units, module_units, page_text, quiz_units, rebuilt,
                        structure, targets)

TRANSLATIONS = "translations"


def translation_path(tag: str) -> str:
    """Course-relative path of the translation into `tag`."""
    return f"{TRANSLATIONS}/{tag}.xlf"


def variant_id(course_id: str, tag: str) -> str:
    return f"{course_id}-{tag.lower()}"


class _Texts:
    """Each unit's text in the target language, with the problems met finding it."""

    def __init__(self, file: xliff.TranslationFile, tag: str):
        self.file, self.tag = file, tag
        self.problems: list[Problem] = []
        self.printed: list[tuple[str, str, int]] = []      # (file, text, line) for the glyph check
        # A unit whose id moved (a block inserted above it) is still found by its unchanged source.
        self.by_source = {e.source: e for e in file.entries.values() if _translates(e)}

    def get(self, unit: Unit) -> str:
        if not unit.source.strip():
            return unit.source              # nothing to translate (feedback not given, ...): no unit
        entry = self.file.entries.get(unit.id)
        if entry is not None and entry.source == unit.source and _translates(entry):
            return self._checked(unit, entry)
        moved = self.by_source.get(unit.source)
        if moved is not None:
            return self._checked(unit, moved)
        line = entry.line if entry is not None else 1
        if entry is not None and entry.source != unit.source:
            self.problems.append(Problem(
                self.file.path, line, 1,
                f"unit {unit.id} is stale: its source ({unit.where}) changed since it was translated, so the "
                f"{self.tag} course shows the new source text there",
                f"run `coursesmith translate extract COURSE --to {self.tag}`, translate the unit again and "
                "`coursesmith translate apply` the file", severity="warning", code="CS621"))
        else:
            self.problems.append(Problem(
                self.file.path, line, 1,
                f"unit {unit.id} ({unit.where}) has no {self.tag} translation, so the source text is shown",
                f"translate it: `coursesmith translate extract COURSE --to {self.tag}` lists every unit",
                severity="warning", code="CS622"))
        return unit.source

    def _checked(self, unit: Unit, entry: xliff.Entry) -> str:
        wanted, given = targets(unit.source), targets(entry.target)
        if wanted != given:
            self.problems.append(Problem(
                self.file.path, entry.line, 1,
                f"the translation of unit {unit.id} ({unit.where}) links to {_listed(given)} where the "
                f"source links to {_listed(wanted)}",
                "keep every link and image target as in the source; translate only the text around it",
                code="CS623"))
            return unit.source
        if unit.markdown and structure(unit.source) != structure(entry.target):
            self.problems.append(Problem(
                self.file.path, entry.line, 1,
                f"the translation of unit {unit.id} ({unit.where}) has other Markdown blocks than the source "
                f"({structure(entry.target) or 'none'} instead of {structure(unit.source)})",
                "keep the source's Markdown: the same heading marks (#), list items (- or 1.), table rows "
                "and columns (|), and blank lines between paragraphs", code="CS623"))
            return unit.source
        self.printed.append((self.file.path, entry.target, entry.line))
        return entry.target


def _translates(entry: xliff.Entry) -> bool:
    """An empty target (a tool's placeholder) translates nothing: the unit is missing."""
    return entry.target is not None and (bool(entry.target.strip()) or not entry.source.strip())


def _listed(found) -> str:
    return ", ".join(sorted(found.elements())) or "nothing"


def read_translation(course: model.Course, tag: str, shown_dir: str) -> xliff.TranslationFile:
    rel = translation_path(tag)
    shown = os.path.join(shown_dir, rel)
    path = course.source_dir / rel
    if not path.is_file():
        raise CourseError([Problem(os.path.join(shown_dir, "course.yaml"), 1, 1,
                                   f"`languages:` lists {tag}, but {rel} does not exist",
                                   f"run `coursesmith translate extract {shown_dir} --to {tag}`, translate the file "
                                   f"and `coursesmith translate apply` it", code="CS624")])
    file = xliff.read(path, shown)
    if file.target_language.lower() != tag.lower():
        raise CourseError([Problem(shown, 1, 1, f"{rel} translates into {file.target_language}, not {tag}",
                                   f"name the file {translation_path(file.target_language)}, or apply the "
                                   f"{tag} translation", code="CS620")])
    return file


def translation_problems(course: model.Course, shown_dir: str) -> tuple[Problem, ...]:
    """The warnings of every further language of `languages:` (`check` reports them as the build
    does); CourseError when one cannot be built."""
    return tuple(p for tag in course.languages[1:] for p in translated(course, tag, shown_dir)[1])


def translated(course: model.Course, tag: str, shown_dir: str,
               file: xliff.TranslationFile | None = None) -> tuple[model.Course, tuple[Problem, ...]]:
    """The course in language `tag` (from `file`, else the course's translations/<tag>.xlf) and the
    warnings met; CourseError when it cannot be built."""
    texts = _Texts(file or read_translation(course, tag, shown_dir), tag)
    modules, pages = module_tracks(course), page_tracks(course)
    render_problems: list[Problem] = []
    new_modules = tuple(_module(course, m, modules[m.id], pages, texts, shown_dir, render_problems)
                        for m in course.modules)
    title, description = (texts.get(unit) for unit in course_units(course))
    captions = tuple(model.Captions(c.path, tuple(dataclasses.replace(cue, text=texts.get(unit))
                                                  for cue, unit in zip(c.cues, cue_units(c))))
                     for c in course.captions)
    problems = texts.problems + render_problems
    if course.handout.editions:
        # A translation brings characters of its own (Welsh ŵ and ŷ): the handouts must print them.
        problems += unprintable_problems(texts.printed, course.theme.font)
    if any(p.severity == "error" for p in problems):
        raise CourseError(problems)
    variant = dataclasses.replace(
        course, id=variant_id(course.id, tag), language=tag, languages=(), title=title,
        strings=dict(course.language_strings).get(tag, ()), language_strings=(),
        description=description, modules=new_modules, captions=captions,
        input_files=tuple(sorted(set(course.input_files) | {translation_path(tag)})))
    return variant, tuple(problems)


def _module(course, module: model.Module, track: str, pages: dict, texts: _Texts, shown_dir: str,
            problems: list[Problem]) -> model.Module:
    title, *objectives = (texts.get(unit) for unit in module_units(module, track))
    return dataclasses.replace(
        module, title=title, objectives=tuple(objectives),
        pages=tuple(_page(course, module, page, pages[page.id], texts, shown_dir, problems) for page in module.pages),
        quiz=_quiz(module, track, texts, problems) if module.quiz else None)


def _page(course, module, page: model.Page, track: str, texts: _Texts, shown_dir: str,
          problems: list[Problem]) -> model.Page:
    text = page_text(course, module, page, track)
    translated_body, starts = rebuilt(text.body, text.blocks, [texts.get(unit) for unit in text.units])
    rendered = render_page(translated_body, path=os.path.join(shown_dir, text.rel),
                           first_line=text.body_line, page_dir=(course.source_dir / text.rel).parent,
                           course_dir=course.source_dir, page_key=f"{module.id}-{page.slug}",
                           words=ui_text.words(texts.tag, dict(course.language_strings).get(texts.tag, ())))
    problems.extend(_in_unit(p, text.units, starts, text.body_line, texts) for p in rendered.problems)
    return dataclasses.replace(
        page, title=texts.get(text.title),
        html=rendered.html, facilitator_html=rendered.facilitator_html,
        facilitator_notes=rendered.facilitator_notes, activities=tuple(rendered.activities))


def _in_unit(problem: Problem, page_units: list[Unit], starts: list[int], body_line: int, texts: _Texts) -> Problem:
    """A problem of a translated page, located at the unit of the translation file it is in."""
    index = problem.line - body_line
    found = [n for n, start in enumerate(starts) if start <= index]
    if not found:
        return dataclasses.replace(problem, message=f"in the {texts.tag} translation: {problem.message}")
    unit = page_units[found[-1]]
    entry = texts.file.entries.get(unit.id)
    return dataclasses.replace(problem, path=texts.file.path, line=entry.line if entry else 1, column=1,
                               message=f"in the translation of unit {unit.id} ({unit.where}): {problem.message}",
                               source="", fixed="")


def _quiz(module: model.Module, track: str, texts: _Texts, problems: list[Problem]) -> model.Quiz:
    title, questions = quiz_units(module, track)
    translated_questions = tuple(_question(q, {name: texts.get(unit) for name, unit in questions[q.id].items()},
                                           texts, problems) for q in module.quiz.questions)
    return dataclasses.replace(module.quiz, title=texts.get(title), questions=translated_questions)


def _question(q: model.Question, given: dict[str, str], texts: _Texts, problems: list[Problem]) -> model.Question:
    """The question with its texts translated; which option is right, the pairs' matching and the
    items' order stay the source's, since they go by position."""
    answers = q.answers
    if q.answers:
        answers = tuple(dict.fromkeys(a.strip() for a in given["answers"].split("\n") if a.strip()))
        if not answers:
            problems.append(Problem(texts.file.path, 1, 1,
                                    f"the translation of question {q.id}'s accepted answers lists none",
                                    "give at least one accepted answer, one a line", code="CS623"))
            answers = q.answers
    translated_q = dataclasses.replace(
        q, prompt=given["prompt"],
        feedback=model.QuestionFeedback(given["feedback.correct"], given["feedback.incorrect"]),
        options=tuple(dataclasses.replace(o, text=given[f"option.{n}"], feedback=given[f"option.{n}.feedback"])
                      for n, o in enumerate(q.options, 1)),
        answers=answers,
        pairs=tuple(model.Pair(given[f"pair.{n}.left"], given[f"pair.{n}.right"]) for n in range(1, len(q.pairs) + 1)),
        items=tuple(given[f"item.{n}"] for n in range(1, len(q.items) + 1)),
        scale=tuple(given[f"scale.{n}"] for n in range(1, len(q.scale) + 1)))
    for what, texts_of in (("option", lambda x: [o.text for o in x.options]), ("left-hand item", lambda x: [p.left for p in x.pairs]),
                           ("item", lambda x: x.items)):
        translated_texts = texts_of(translated_q)
        if len(set(translated_texts)) < len(translated_texts) and len(set(texts_of(q))) == len(texts_of(q)):
            # Learners could not tell the two apart, and the player matches answers by position.
            problems.append(Problem(texts.file.path, 1, 1, f"the translation of question {q.id} gives two "
                                    f"{what}s the same text", f"translate each {what} of question {q.id} differently",
                                    code="CS623"))
    return translated_q
