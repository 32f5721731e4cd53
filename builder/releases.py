"""Course releases: what each released version gave learners, and what a new one changes for them.

A course is maintained: a typo fixed, a page added, a question rewritten, and the new zip
uploaded over the old one while learners are part-way through. Three things follow from that:

- Learner state is keyed by stable ids. A page's *tracking id* is its module folder and file name
  without their number prefixes (`first-steps/welcome` for `01-first-steps/01-welcome.md`), so
  renumbering files to reorder them keeps learners' progress; a quiz is tracked by its module's
  tracking id, a question by its `id`. Each question also has an answer *key* (a hash of what
  makes an answer right: options, answers, pairs, ...): when it changes, an answer given under
  the old key is reset.
- The build keeps a release record, `releases.lock`, in the course folder: per version, a summary
  of what learners met (`summary`) and, per SCO and SCORM edition, the layout the player stored
  the learner's state in (its fingerprint and typed-text budget). The player of a later release
  gets the earlier layouts, so it reads a state written by any recorded release and carries what
  is still there into its own layout (templates/player/state.js).
- `compare` says in plain words what a release changes for learners: the build prints it, puts it
  in build-report.json and the facilitator handout, and `coursesmith diff` shows it for any two
  course folders, git revisions or built zips.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from . import suspend_data
from .editions import EDITIONS
from .errors import Problem
from .model import Course, Module, Question

LOCK_NAME = "releases.lock"
LOCK_FORMAT = 1
SUMMARY_FORMAT = 1
PACKAGE_RELEASE_FILE = "player/release.json"     # the summary inside every package, for `diff`
LOCK_NOTE = ("coursesmith release record: what each version of this course gave learners, so that a "
             "later release keeps their progress. The build keeps it up to date; commit it with the course.")
NUMBER_PREFIX = re.compile(r"^\d+[-_.]")


# --------------------------------------------------------------------------- stable ids

def _unnumbered(name: str) -> str:
    stripped = NUMBER_PREFIX.sub("", name)
    return stripped or name


def module_tracks(course: Course) -> dict[str, str]:
    """Module id -> tracking id: the folder name without its number, unless two modules share it."""
    wanted = {m.id: _unnumbered(m.id) for m in course.modules}
    counts: dict[str, int] = {}
    for track in wanted.values():
        counts[track] = counts.get(track, 0) + 1
    return {mid: (track if counts[track] == 1 else mid) for mid, track in wanted.items()}


def page_tracks(course: Course) -> dict[str, str]:
    """Page id -> tracking id, `<module track>/<page slug without its number>`, unique in the course."""
    modules = module_tracks(course)
    wanted = {page.id: f"{modules[m.id]}/{_unnumbered(page.slug)}" for m in course.modules for page in m.pages}
    counts: dict[str, int] = {}
    for track in wanted.values():
        counts[track] = counts.get(track, 0) + 1
    return {pid: (track if counts[track] == 1 else pid) for pid, track in wanted.items()}


def _digest(value) -> str:
    canonical = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return format(zlib.crc32(canonical.encode("utf-8")), "08x")


def question_key(question: Question) -> str:
    """A hash of what makes an answer right: a change resets answers given under the old key."""
    return _digest({
        "type": question.type,
        "options": [[o.text, o.correct] for o in question.options],
        "answer": question.answer,
        "answers": list(question.answers),
        "case": question.case_sensitive,
        "tolerance": question.tolerance,
        "pairs": [[p.left, p.right] for p in question.pairs],
        "items": list(question.items),
        "scale": list(question.scale),
    })


def _question_wording(question: Question) -> str:
    return _digest([question.prompt, question.feedback.correct, question.feedback.incorrect,
                    [o.feedback for o in question.options]])


def question_size(question: Question) -> int:
    return len(question.options or question.pairs or question.items or question.scale)


# --------------------------------------------------------------------------- summary

def summary(course: Course) -> dict:
    """What learners meet in this version of `course`, as plain data (JSON)."""
    modules = module_tracks(course)
    pages = page_tracks(course)
    required = set(course.completion.required_quizzes)
    return {
        "format": SUMMARY_FORMAT,
        "id": course.id,
        "title": course.title,
        "version": course.version,
        "packaging": course.scorm.packaging,
        "completion": {
            "pagesViewed": course.completion.pages_viewed,
            "minMinutes": course.completion.min_minutes,
            "requiredQuizzes": [modules[m.id] for m in course.modules if m.id in required and m.quiz],
        },
        "modules": [_module_summary(m, modules[m.id], pages, m.id in required) for m in course.modules],
    }


def _module_summary(module: Module, track: str, pages: dict[str, str], required: bool) -> dict:
    quiz = None
    if module.quiz:
        q = module.quiz
        quiz = {
            "title": q.title,
            "passMark": q.pass_mark,
            "attempts": q.attempts,
            "asked": min(q.asked, len(q.questions)),
            "shuffle": q.shuffle,
            "required": required,
            "questions": [{"id": x.id, "type": x.type, "size": question_size(x), "key": question_key(x),
                           "wording": _question_wording(x)} for x in q.questions],
        }
    return {
        "id": module.id,
        "track": track,
        "title": module.title,
        "pages": [{"id": p.id, "track": pages[p.id], "title": p.title, "text": _digest(p.html)}
                  for p in module.pages],
        "quiz": quiz,
    }


def sco_modules(course_summary: dict) -> dict[str, list[dict]]:
    """SCO identifier stem -> the summaries of its modules, as builder/player.py packages them."""
    modules = course_summary["modules"]
    if course_summary["packaging"] == "sco-per-module":
        return {m["id"]: [m] for m in modules}
    return {course_summary["id"]: modules}


def layout(modules: list[dict]) -> tuple[list[str], list[dict]]:
    """The tracked pages and the quizzes of one SCO in the order the player stores them."""
    pages = [p["track"] for m in modules for p in m["pages"]]
    quizzes = [{"track": m["track"], "attempts": m["quiz"]["attempts"], "asked": m["quiz"]["asked"],
                "shuffle": m["quiz"]["shuffle"],
                "questions": [{"id": q["id"], "type": q["type"], "size": q["size"], "key": q["key"]}
                              for q in m["quiz"]["questions"]]}
               for m in modules if m["quiz"]]
    return pages, quizzes


def codec_of(course_summary: dict) -> dict[str, dict[str, dict]]:
    """SCO stem -> edition -> {textBytes, fingerprint}: how each SCO stores the learner's state.

    Every edition is recorded, built or not, so a later build of any edition finds its layouts.
    A SCO too large for an edition's limit has no entry for it (the build refuses it there).
    """
    result = {}
    for stem, modules in sco_modules(course_summary).items():
        pages, quizzes = layout(modules)
        editions = {}
        for edition in EDITIONS:
            text_bytes = suspend_data.text_budget(len(pages), quizzes, EDITIONS[edition].suspend_data_limit)
            if text_bytes is not None:
                editions[edition] = {"textBytes": text_bytes,
                                     "fingerprint": suspend_data.layout_fingerprint(pages, quizzes, text_bytes)}
        result[stem] = editions
    return result


# --------------------------------------------------------------------------- the record

@dataclass(frozen=True)
class Release:
    version: str
    summary: dict
    codec: dict                      # codec_of(summary)


@dataclass(frozen=True)
class ReleaseRecord:
    """The releases a course folder's releases.lock holds, oldest first."""

    releases: tuple[Release, ...] = ()
    problems: tuple[Problem, ...] = ()

    def latest(self) -> Release | None:
        return self.releases[-1] if self.releases else None

    def get(self, version: str) -> Release | None:
        return next((r for r in self.releases if r.version == version), None)

    def earlier_layouts(self, sco_stem: str, edition: str, current_fingerprint: int) -> list[dict]:
        """The layouts recorded for one SCO and edition other than the current one, newest first,
        each once: what the player needs to read a state an earlier release wrote."""
        seen = {current_fingerprint}
        found = []
        for release in reversed(self.releases):
            modules = sco_modules(release.summary).get(sco_stem)
            codec = release.codec.get(sco_stem, {}).get(edition)
            if modules is None or codec is None or codec["fingerprint"] in seen:
                continue
            seen.add(codec["fingerprint"])
            pages, quizzes = layout(modules)
            found.append({"release": release.version, "fingerprint": codec["fingerprint"],
                          "textBytes": codec["textBytes"], "pages": pages, "quizzes": quizzes})
        return found


def lock_name(language: str | None = None) -> str:
    """The record of the course, or of its translation into `language` (translated.py): a
    translated course is its own course to an LMS, with its own learners' states."""
    return f"releases.{language}.lock" if language else LOCK_NAME


def read_record(course_dir: Path, lock: str = LOCK_NAME) -> ReleaseRecord:
    """The course folder's release record; an empty record when there is none yet.

    A damaged record is reported (as a problem located at the file) and read as empty, so a build
    never fails on it: learners from unrecorded releases then start afresh, as the player says.
    """
    path = Path(course_dir) / lock
    if not path.is_file():
        return ReleaseRecord()
    shown = f"{Path(course_dir).name}/{lock}"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != LOCK_FORMAT:
            raise ValueError(f"format {data.get('format')!r} is not {LOCK_FORMAT}")
        releases = []
        for entry in data["releases"]:
            summary_ = entry["course"]
            if summary_.get("format") != SUMMARY_FORMAT or not isinstance(entry["version"], str):
                raise ValueError(f"release {entry.get('version')!r} is not in a form this coursesmith reads")
            codec = {stem: {ed: {"textBytes": int(c["textBytes"]), "fingerprint": int(c["fingerprint"])}
                            for ed, c in editions.items()}
                     for stem, editions in entry["codec"].items()}
            releases.append(Release(entry["version"], summary_, codec))
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError) as exc:
        return ReleaseRecord(problems=(Problem(
            shown, 1, 1, f"the release record cannot be read ({exc}), so earlier releases are not known",
            "restore it from version control (git checkout -- releases.lock), or delete it to start a new record",
            severity="warning", code="CS906"),))
    return ReleaseRecord(tuple(releases))


def recorded(record: ReleaseRecord, course_summary: dict) -> ReleaseRecord:
    """The record with this version's entry added, or replaced when the version is recorded already."""
    release = Release(course_summary["version"], course_summary, codec_of(course_summary))
    kept = tuple(r for r in record.releases if r.version != release.version)
    return ReleaseRecord(kept + (release,))


def lock_text(record: ReleaseRecord) -> str:
    data = {
        "note": LOCK_NOTE,
        "format": LOCK_FORMAT,
        "releases": [{"version": r.version, "codec": r.codec, "course": r.summary} for r in record.releases],
    }
    return _reviewable_json(data) + "\n"


def write_record(course_dir: Path, record: ReleaseRecord, lock: str = LOCK_NAME) -> bool:
    """Write releases.lock if it would change; True when written. Atomic: never half a record."""
    path = Path(course_dir) / lock
    text = lock_text(record)
    try:
        if path.read_text(encoding="utf-8") == text:
            return False
    except (OSError, UnicodeDecodeError):
        pass
    handle, temporary = tempfile.mkstemp(prefix=f".{lock}.", dir=course_dir)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return True


def _reviewable_json(value, indent: str = "") -> str:
    """JSON with one page, question or setting a line, so a release's change reads well in review."""
    if isinstance(value, dict) and value and any(isinstance(v, (dict, list)) and v for v in value.values()):
        inner = indent + "  "
        items = [f"{inner}{json.dumps(k)}: {_reviewable_json(v, inner)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    if isinstance(value, list) and value and any(isinstance(v, (dict, list)) for v in value):
        inner = indent + "  "
        return "[\n" + ",\n".join(inner + _reviewable_json(v, inner) for v in value) + "\n" + indent + "]"
    return json.dumps(value, ensure_ascii=False)


# --------------------------------------------------------------------------- what changes

@dataclass
class Changes:
    """What a release changes for learners, in plain words.

    `structure`: changes to what learners meet and how they are tracked (pages, questions, rules);
    `resets`: what learners part-way through lose; `text`: wording only; `completed`: what the
    changes mean for learners who already completed or passed.
    """

    old_version: str | None
    new_version: str
    structure: list[str] = field(default_factory=list)
    resets: list[str] = field(default_factory=list)
    text: list[str] = field(default_factory=list)
    completed: list[str] = field(default_factory=list)

    @property
    def structure_changed(self) -> bool:
        return bool(self.structure or self.resets)

    @property
    def anything(self) -> bool:
        return bool(self.structure or self.resets or self.text)

    def lines(self) -> list[str]:
        """The summary as lines of text, for the terminal, build-report.json and the handout."""
        if self.old_version is None:
            return [f"Version {self.new_version} is the first release recorded: learners start afresh "
                    f"only if an unrecorded earlier release stored their progress."]
        head = (f"Version {self.old_version} to {self.new_version}:" if self.old_version != self.new_version
                else f"Version {self.new_version} rebuilt with changes:")
        if not self.anything:
            return [f"{head} nothing changes for learners."]
        lines = [head]
        lines += [f"- {line}" for line in self.structure + self.text]
        if self.resets:
            lines.append("Reset for learners part-way through:")
            lines += [f"- {line}" for line in self.resets]
        else:
            lines.append("Nothing is reset for learners part-way through: their progress carries over.")
        lines += self.completed
        return lines

    def as_json(self) -> dict:
        return {"from": self.old_version, "to": self.new_version, "structureChanged": self.structure_changed,
                "changes": self.structure + self.text, "resets": self.resets,
                "alreadyCompleted": self.completed, "summary": self.lines()}


def _by(items: list[dict], key: str) -> dict[str, dict]:
    return {item[key]: item for item in items}


def compare(old: dict | None, new: dict) -> Changes:
    """What going from release summary `old` to `new` changes for learners."""
    changes = Changes(old["version"] if old else None, new["version"])
    if old is None:
        return changes
    s, r, t = changes.structure, changes.resets, changes.text
    if old["packaging"] != new["packaging"]:
        s.append(f"Packaging changes from {old['packaging']} to {new['packaging']}: the LMS sees other SCOs.")
        r.append("All progress stored by the earlier packaging: the LMS keeps it under SCOs this release no longer has.")
    old_modules, new_modules = _by(old["modules"], "track"), _by(new["modules"], "track")
    for track, module in new_modules.items():
        if track not in old_modules:
            pages = len(module["pages"])
            s.append(f"New module '{module['title']}' ({pages} page{'s' * (pages != 1)}"
                     + (", with a quiz" if module["quiz"] else "") + ").")
    for track, module in old_modules.items():
        if track not in new_modules:
            s.append(f"Module '{module['title']}' removed.")
            r.append(f"Progress in the removed module '{module['title']}' is dropped.")
    kept_order = [t for t in old_modules if t in new_modules]
    if kept_order != [t for t in new_modules if t in old_modules]:
        s.append("The modules are in a new order.")

    old_pages = {p["track"]: (p, m) for m in old["modules"] for p in m["pages"]}
    new_pages = {p["track"]: (p, m) for m in new["modules"] for p in m["pages"]}
    for track, (page, module) in new_pages.items():
        if track not in old_pages and module["track"] in old_modules:       # a new module says it once
            s.append(f"New page '{page['title']}' in '{module['title']}': learners part-way through have it still to view.")
    for track, (page, module) in old_pages.items():
        if track not in new_pages:
            s.append(f"Page '{page['title']}' removed from '{module['title']}'.")
            r.append(f"Having viewed the removed page '{page['title']}' no longer counts.")
    for track, (page, module) in new_pages.items():
        if track in old_pages:
            before = old_pages[track][0]
            if before["title"] != page["title"]:
                t.append(f"Page '{before['title']}' is now called '{page['title']}'.")
            if before["text"] != page["text"]:
                t.append(f"Text of page '{page['title']}' edited: learners who viewed it keep it viewed.")
    for track, module in new_modules.items():
        if track in old_modules:
            before = [p["track"] for p in old_modules[track]["pages"] if p["track"] in new_pages]
            after = [p["track"] for p in module["pages"] if p["track"] in old_pages]
            if before != after and sorted(before) == sorted(after):
                s.append(f"Pages of '{module['title']}' are in a new order.")
            moved = [p["title"] for p in module["pages"]
                     if p["track"] in old_pages and old_pages[p["track"]][1]["track"] != track]
            if moved:
                s.append(f"Moved into '{module['title']}': " + ", ".join(f"'{m}'" for m in moved) + ".")
            _compare_quiz(changes, old_modules[track], module)

    _compare_rules(changes, old, new)
    if changes.structure_changed:
        changes.completed.append(
            "Learners who already completed or passed keep that status: the LMS's record is never moved back.")
    return changes


def _compare_quiz(changes: Changes, old_module: dict, module: dict) -> None:
    s, r, t = changes.structure, changes.resets, changes.text
    old, new = old_module["quiz"], module["quiz"]
    if old is None and new is None:
        return
    title = (new or old)["title"]
    if old is None:
        s.append(f"New quiz '{title}' in '{module['title']}'" + (" (required to pass)." if new["required"] else "."))
        return
    if new is None:
        s.append(f"Quiz '{title}' removed from '{module['title']}'.")
        r.append(f"Attempts and scores of the removed quiz '{title}' are dropped.")
        return
    if old["passMark"] != new["passMark"]:
        way = "raised" if new["passMark"] > old["passMark"] else "lowered"
        s.append(f"Pass mark of '{title}' {way} from {old['passMark']}% to {new['passMark']}%.")
    if old["attempts"] != new["attempts"]:
        s.append(f"Attempts allowed at '{title}': {old['attempts'] or 'unlimited'} before, "
                 f"{new['attempts'] or 'unlimited'} now; attempts already used still count.")
    if old["required"] != new["required"]:
        s.append(f"Quiz '{title}' is " + ("now required to pass the course." if new["required"]
                                          else "no longer required to pass the course."))
    drawn = old["asked"] < len(old["questions"]) or new["asked"] < len(new["questions"])
    if (drawn and old["asked"] != new["asked"]) or old["shuffle"] != new["shuffle"]:
        s.append(f"Quiz '{title}' asks {new['asked']} question{'s' * (new['asked'] != 1)}"
                 + (", shuffled" if new["shuffle"] else "") + f" (before: {old['asked']}"
                 + (", shuffled" if old["shuffle"] else "") + ").")
    before, after = _by(old["questions"], "id"), _by(new["questions"], "id")
    for qid in after:
        if qid not in before:
            s.append(f"New question '{qid}' in '{title}': an attempt in progress asks it too.")
    for qid in before:
        if qid not in after:
            s.append(f"Question '{qid}' removed from '{title}'.")
            r.append(f"An answer to the removed question '{qid}' in an attempt in progress is dropped.")
    for qid, question in after.items():
        if qid not in before:
            continue
        if before[qid]["key"] != question["key"] or before[qid]["size"] != question["size"]:
            s.append(f"Answer key or options of question '{qid}' in '{title}' changed.")
            r.append(f"An answer to question '{qid}' given in an attempt in progress is reset "
                     f"(finished attempts keep their scores).")
        elif before[qid]["wording"] != question["wording"]:
            t.append(f"Wording of question '{qid}' in '{title}' edited; its answers still count.")
    if [q for q in before if q in after] != [q for q in after if q in before]:
        s.append(f"Questions of '{title}' are in a new order.")


def _compare_rules(changes: Changes, old: dict, new: dict) -> None:
    s = changes.structure
    a, b = old["completion"], new["completion"]
    if a["pagesViewed"] != b["pagesViewed"]:
        s.append(f"Completion asks for {b['pagesViewed']}% of pages viewed (before: {a['pagesViewed']}%).")
    if a["minMinutes"] != b["minMinutes"]:
        s.append(f"Completion asks for {b['minMinutes']} minutes in the course (before: {a['minMinutes']}).")
    titles = {m["track"]: (m["quiz"] or {}).get("title", m["title"]) for m in old["modules"] + new["modules"]}
    for track in b["requiredQuizzes"]:
        if track not in a["requiredQuizzes"] and any(m["track"] == track and m["quiz"] for m in old["modules"]):
            s.append(f"Passing the course now needs the quiz '{titles[track]}'.")
    for track in a["requiredQuizzes"]:
        if track not in b["requiredQuizzes"] and any(m["track"] == track and m["quiz"] for m in new["modules"]):
            s.append(f"Passing the course no longer needs the quiz '{titles[track]}'.")


# --------------------------------------------------------------------------- the build's view

@dataclass(frozen=True)
class ReleasePlan:
    """What the build knows about this release: the record before it, the summary, the changes."""

    record: ReleaseRecord
    summary: dict
    previous: Release | None
    changes: Changes
    problems: tuple[Problem, ...]
    lock: str = LOCK_NAME            # the file it is recorded in

    def next_record(self) -> ReleaseRecord:
        return recorded(self.record, self.summary)


def plan(course: Course, course_dir_name: str, strict: bool = False, lock: str = LOCK_NAME) -> ReleasePlan:
    """Read the record, compare this build with the releases before it, and judge the version.

    The changes reported are those since the latest recorded release with another version (none
    for the first release, so a rebuild gives the same note and bytes). Learner-visible changes
    under a version already recorded are a warning (an error with `strict`): learners holding a
    state from the recorded build of that version would start afresh.
    """
    record = read_record(course.source_dir, lock)
    current = summary(course)
    same = record.get(course.version)
    earlier = [r for r in record.releases if r.version != course.version]
    previous = earlier[-1] if earlier else None
    changes = compare(previous.summary if previous else None, current)
    problems = list(record.problems)
    rebuilt = compare(same.summary, current) if same else None
    if rebuilt is not None and rebuilt.structure_changed:
        line = _version_line(course.source_dir / "course.yaml")
        problems.append(Problem(
            f"{course_dir_name}/course.yaml", line, 1,
            f"version {course.version} is already recorded in {lock} with other pages, questions or "
            f"rules, so learners part-way through it would lose progress: "
            + " ".join(rebuilt.structure + rebuilt.resets),
            "give this release a new version number in course.yaml (for example the next minor version)",
            severity="error" if strict else "warning", code="CS907"))
    return ReleasePlan(record, current, previous, changes, tuple(problems), lock)


def _version_line(course_file: Path) -> int:
    try:
        for number, text in enumerate(course_file.read_text(encoding="utf-8").splitlines(), 1):
            if text.startswith("version:"):
                return number
    except (OSError, UnicodeDecodeError):
        pass
    return 1
