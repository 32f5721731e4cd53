"""Checks on the two default courses in courses/ (issues 7 and 18).

These tests read the course files directly (course.yaml, module.yaml, quiz.yaml
and the front matter of each page), so they do not depend on the builder.

The overlap check enforces the rule in the seeds' README: course text is
written in the project's own words. No run of OVERLAP_WORDS consecutive words
(case-insensitive, punctuation ignored) may be shared between a course's author
text and either seed text, unless the run lies wholly inside an allow-listed
title of a cited work or name of an organisation (ALLOW_LIST below).

The seed texts live outside the repository, and the suite does not read them:
tests/data/seed-8grams.txt holds a digest of every OVERLAP_WORDS-word run in
them (no readable text), which is all the check needs. When the seeds change,
write it again with `python tests/test_default_courses.py SEED_FOLDER`.
"""

from __future__ import annotations

import hashlib
import re
import sys
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parent.parent
COURSES = ROOT / "courses"
COURSE_1 = COURSES / "leading-in-social-care"
COURSE_2 = COURSES / "leadership-everyones-business"
ALL_COURSES = [COURSE_1, COURSE_2]

SEED_FILES = ("000_e9399fef4f6265f0.txt", "002_c7cfcab95ba0cccc.txt")
OVERLAP_WORDS = 8

# Titles of cited works that are OVERLAP_WORDS words or longer and appear in a
# seed. A shared run is excused only when it lies wholly inside one of these.
# Keep this list short: add a title only when a course cites the work by name,
# never to excuse ordinary sentences. test_allow_list_is_honest checks that
# every entry is long enough to matter, occurs in a seed and is used by a course.
ALLOW_LIST = [
    # Skills for Care (2008), cited in the further-reading page.
    "Leadership and management: A strategy for the social care workforce update",
    # Allen, Gilbert and Onyett (2009), SCIE; cited in further reading.
    "Leadership for personalisation and social inclusion in mental health",
    # CIPD (2007), cited in further reading.
    "Learning and the line: The role of the line manager in training, learning and development",
    # Skills for Care (2006), cited in further reading.
    "A manager's guide to developing strategic uses of national occupational standards",
    # Skills for Care (2008), cited in further reading.
    "What leaders and managers in adult social care do",
]

QUESTION_TYPES = {
    "single", "multiple", "true-false", "fill-in", "numeric", "matching", "ordering", "likert",
}
ADMONITION_KINDS = {"note", "tip", "warning", "activity"}
ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]+$")
ACTIVITY = re.compile(r'^!!! activity "[^"]+"[ \t]*$', re.MULTILINE)
# The opening and closing pages carry the same self-assessment, before and after the course.
SELF_ASSESSMENT = re.compile(r'^!!! activity "(Before you start|At the end): rate yourself( again)?"[ \t]*$', re.MULTILINE)
PAGE_POINTER = re.compile(r'page "([^"]+)"')
ADMONITION = re.compile(r"^!!!(.*)$", re.MULTILINE)
FACILITATOR = re.compile(r"<!--\s*facilitator:(.*?)-->", re.DOTALL)
IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)\s]+)\)")

_yaml = YAML(typ="safe", pure=True)


# --------------------------------------------------------------------------- loading


def load_yaml(path: Path):
    return _yaml.load(path.read_text(encoding="utf-8"))


def split_page(path: Path) -> tuple[dict, str]:
    """Return (front matter, Markdown body) of a page file."""
    text = path.read_text(encoding="utf-8")
    match = re.match(r"^---[ \t]*\n(.*?)\n---[ \t]*\n(.*)$", text, re.DOTALL)
    assert match, f"{path}: a page must start with YAML front matter between '---' lines"
    front = _yaml.load(match.group(1)) or {}
    assert isinstance(front, dict), f"{path}: front matter must be a mapping"
    return front, match.group(2)


def module_dirs(course: Path) -> list[Path]:
    course_yaml = load_yaml(course / "course.yaml")
    return [course / m for m in course_yaml["modules"]]


def page_files(module: Path) -> list[Path]:
    module_yaml = module / "module.yaml"
    if module_yaml.exists():
        pages = (load_yaml(module_yaml) or {}).get("pages")
        if pages:
            return [module / p for p in pages]
    return sorted(module.glob("*.md"))


def quiz_of(module: Path) -> dict | None:
    path = module / "quiz.yaml"
    return load_yaml(path) if path.exists() else None


def questions_of(course: Path) -> list[tuple[Path, dict]]:
    found = []
    for module in module_dirs(course):
        quiz = quiz_of(module)
        if quiz:
            found += [(module, q) for q in quiz["questions"]]
    return found


def yaml_strings(node) -> list[str]:
    """Every string value in a YAML document, in document order (keys excluded)."""
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for value in node.values() for s in yaml_strings(value)]
    if isinstance(node, list):
        return [s for item in node for s in yaml_strings(item)]
    return []


def author_texts(course: Path) -> dict[str, str]:
    """All author text of a course, one entry per file, keyed by relative path."""
    texts = {}
    for path in sorted(course.rglob("*")):
        rel = str(path.relative_to(course))
        if rel == "SOURCES.md":     # the reviewers' trace: no front matter, but our words too
            texts[rel] = path.read_text(encoding="utf-8")
        elif path.suffix == ".md":
            front, body = split_page(path)
            texts[rel] = "\n".join(yaml_strings(front) + [body])
        elif path.suffix in (".yaml", ".yml"):
            texts[rel] = "\n".join(yaml_strings(load_yaml(path)))
        elif path.suffix == ".svg":
            texts[rel] = "\n".join(ET.parse(path).getroot().itertext())
    return texts


# --------------------------------------------------------------------------- overlap


def normalise(text: str) -> list[str]:
    """Lower-case, drop apostrophes, turn other punctuation into spaces, split."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = re.sub(r"['\u2018\u2019`]", "", text)
    return re.sub(r"[\W_]+", " ", text).split()


def ngrams(tokens: list[str], n: int = OVERLAP_WORDS) -> set[tuple[str, ...]]:
    return {tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1)}


SEED_GRAMS = Path(__file__).resolve().parent / "data" / "seed-8grams.txt"


def gram_key(gram: tuple[str, ...]) -> str:
    """The digest a run of words is kept under in SEED_GRAMS."""
    return hashlib.sha256(" ".join(gram).encode("utf-8")).hexdigest()[:16]


def seed_gram_lines(folder: Path) -> list[str]:
    keys = set().union(*({gram_key(g) for g in ngrams(normalise((folder / name).read_text(encoding="utf-8")))}
                         for name in SEED_FILES))
    return [f"# {OVERLAP_WORDS}-word runs of {', '.join(SEED_FILES)}: sha256 of the words joined by spaces, first 16 hex digits",
            *sorted(keys)]


@pytest.fixture(scope="module")
def seed_grams() -> set[str]:
    keys = {line for line in SEED_GRAMS.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")}
    assert len(keys) > 1000, f"{SEED_GRAMS} holds too few runs to stand for the seeds"
    return keys


def shared_runs(tokens: list[str], seed_grams: set, allowed_grams: set) -> list[str]:
    """Maximal runs of tokens whose every OVERLAP_WORDS-gram is in the seeds and not excused."""
    hits = [
        i for i in range(len(tokens) - OVERLAP_WORDS + 1)
        if gram_key(gram := tuple(tokens[i:i + OVERLAP_WORDS])) in seed_grams and gram not in allowed_grams
    ]
    runs, start = [], None
    for k, i in enumerate(hits):
        if start is None:
            start = i
        if k + 1 == len(hits) or hits[k + 1] != i + 1:
            runs.append(" ".join(tokens[start:i + OVERLAP_WORDS]))
            start = None
    return runs


@pytest.mark.parametrize("course", ALL_COURSES, ids=lambda p: p.name)
def test_no_long_runs_shared_with_seeds(course: Path, seed_grams):
    allowed_grams = set().union(*(ngrams(normalise(phrase)) for phrase in ALLOW_LIST))
    problems = [
        f"{course.name}/{rel}: \"{run}\""
        for rel, text in author_texts(course).items()
        for run in shared_runs(normalise(text), seed_grams, allowed_grams)
    ]
    assert not problems, (
        f"runs of {OVERLAP_WORDS}+ words shared with a seed text (rewrite them in your own words):\n"
        + "\n".join(problems)
    )


def test_allow_list_is_honest(seed_grams):
    course_text = " ".join(
        " ".join(normalise(t)) for course in ALL_COURSES for t in author_texts(course).values()
    )
    assert len(ALLOW_LIST) <= 8, "keep the allow-list short"
    for phrase in ALLOW_LIST:
        words = normalise(phrase)
        joined = " ".join(words)
        assert OVERLAP_WORDS <= len(words) <= 16, f"allow-list entry of odd length: {phrase!r}"
        assert all(gram_key(g) in seed_grams for g in ngrams(words)), f"not in any seed: {phrase!r}"
        assert f" {joined} " in f" {course_text} ", f"no course cites it, so remove it: {phrase!r}"


def test_overlap_check_catches_a_copied_sentence(seed_grams):
    copied = "It aims to achieve better outcomes for people who use services and carers."
    assert shared_runs(normalise("We wrote this. " + copied), seed_grams, set())
    title = "See Leadership for personalisation and social inclusion in mental health, by Allen and others."
    allowed = set().union(*(ngrams(normalise(p)) for p in ALLOW_LIST))
    assert not shared_runs(normalise(title), seed_grams, allowed)


# --------------------------------------------------------------------------- both courses


@pytest.mark.parametrize("course", ALL_COURSES, ids=lambda p: p.name)
def test_course_yaml_is_complete(course: Path):
    data = load_yaml(course / "course.yaml")
    allowed = {"id", "title", "version", "language", "description", "authors", "duration_minutes",
               "modules", "completion", "scorm", "handout"}
    assert set(data) <= allowed, f"unknown keys: {set(data) - allowed}"
    assert data["id"] == course.name
    assert re.fullmatch(r"[a-z0-9-]{3,64}", data["id"])
    assert re.fullmatch(r"\d+\.\d+\.\d+", str(data["version"]))
    assert data["language"] == "en-GB"
    for module in module_dirs(course):
        assert module.is_dir(), f"missing module folder {module}"
        assert re.fullmatch(r"\d\d-[a-z0-9-]+", module.name)


@pytest.mark.parametrize("course", ALL_COURSES, ids=lambda p: p.name)
def test_pages_are_well_formed(course: Path):
    total_minutes = 0
    for module in module_dirs(course):
        listed = page_files(module)
        assert sorted(listed) == sorted(module.glob("*.md")), f"{module.name}: pages list and files differ"
        for page in listed:
            assert re.fullmatch(r"\d\d-[a-z0-9-]+\.md", page.name), page.name
            front, body = split_page(page)
            assert set(front) <= {"title", "minutes", "handout"}, f"{page}: unknown front matter keys"
            assert front.get("title"), f"{page}: needs a title"
            assert isinstance(front.get("minutes"), int), f"{page}: needs whole minutes"
            total_minutes += front["minutes"]
            for line in ADMONITION.findall(body):
                match = re.fullmatch(r' (\w+) "[^"]+"', line)
                assert match and match.group(1) in ADMONITION_KINDS, f"{page}: bad admonition !!!{line}"
            for alt, src in IMAGE.findall(body):
                assert alt.strip(), f"{page}: image {src} needs alt text"
                target = (page.parent / src).resolve()
                assert target.is_file() and course.resolve() in target.parents, f"{page}: missing {src}"
            without_notes = FACILITATOR.sub("", body)
            assert not re.search(r"<[A-Za-z!/]", without_notes), f"{page}: raw HTML other than facilitator notes"
            for note in FACILITATOR.findall(body):
                assert re.search(r"\d+ minutes?", note), f"{page}: facilitator note needs a timing: {note!r}"
    duration = load_yaml(course / "course.yaml")["duration_minutes"]
    total_minutes += _quiz_minutes(course)
    assert total_minutes == duration, f"page and quiz minutes {total_minutes} vs duration_minutes {duration}"


def _quiz_minutes(course: Path) -> int:
    """The session time of the course's quizzes: each quiz.yaml says it (`minutes:`)."""
    return sum(load_yaml(quiz)["minutes"] for module in module_dirs(course)
               if (quiz := module / "quiz.yaml").is_file())


@pytest.mark.parametrize("course", ALL_COURSES, ids=lambda p: p.name)
def test_questions_are_well_formed(course: Path):
    ids = [q["id"] for _, q in questions_of(course)]
    assert len(ids) == len(set(ids)), "question ids must be unique in the course"
    for module, q in questions_of(course):
        where = f"{module.name}/{q['id']}"
        assert ID_PATTERN.match(q["id"]) and len(q["id"]) <= 32, where
        assert q["type"] in QUESTION_TYPES, where
        assert q.get("prompt"), where
        kind = q["type"]
        if kind in ("single", "multiple"):
            correct = [o for o in q["options"] if o.get("correct")]
            assert len(correct) == 1 if kind == "single" else len(correct) >= 1, where
            assert all(o.get("feedback") for o in q["options"]), f"{where}: every option needs feedback"
        elif kind == "true-false":
            assert isinstance(q["answer"], bool), where
        elif kind == "fill-in":
            assert q["answers"] and "case_sensitive" in q, where
        elif kind == "numeric":
            assert isinstance(q["answer"], (int, float)) and q["tolerance"] == 0, where
        elif kind == "matching":
            assert len(q["pairs"]) >= 3 and all({"left", "right"} == set(p) for p in q["pairs"]), where
        elif kind == "ordering":
            assert len(q["items"]) >= 3, where
        elif kind == "likert":
            assert len(q["scale"]) >= 3 and "options" not in q and "answer" not in q, where
        if kind != "likert":
            feedback = q.get("feedback") or {}
            assert feedback.get("correct") and feedback.get("incorrect"), f"{where}: feedback must teach"


# --------------------------------------------------------------------------- course 1


@pytest.mark.parametrize("module", module_dirs(COURSE_1), ids=lambda p: p.name)
def test_course1_module_shape(module: Path):
    info = load_yaml(module / "module.yaml")
    assert info.get("title")
    assert 2 <= len(info.get("objectives", [])) <= 3
    pages = page_files(module)
    assert 2 <= len(pages) <= 5
    bodies = [split_page(p)[1] for p in pages]
    activities = sum(len(ACTIVITY.findall(b)) - len(SELF_ASSESSMENT.findall(b)) for b in bodies)
    assert activities == 1, f"{module.name}: {activities} activity admonitions besides the self-assessment, expected 1"
    assert sum(len(FACILITATOR.findall(b)) for b in bodies) >= 1, f"{module.name}: no facilitator note"
    quiz = quiz_of(module)
    assert quiz, f"{module.name}: no quiz.yaml"
    assert 4 <= len(quiz["questions"]) <= 8
    if "draw" in quiz:
        assert 0 < quiz["draw"] < len(quiz["questions"])


def test_course1_settings():
    data = load_yaml(COURSE_1 / "course.yaml")
    assert data["duration_minutes"] == 120
    assert len(data["modules"]) == 6
    assert data["completion"] == {"pages_viewed": "100%", "quizzes": "all", "pass_mark": "80%"}
    assert data["scorm"]["packaging"] == "single-sco"          # one SCO: Moodle tracks every module (README)
    assert [str(v) for v in data["scorm"]["versions"]] == ["1.2", "2004-3rd", "2004-4th"]
    assert data["handout"] == {"editions": ["participant", "facilitator"], "paper": "A4"}


def test_course1_question_types():
    types = {q["type"] for _, q in questions_of(COURSE_1)}
    assert len(types) >= 6, f"only {sorted(types)}"
    assert "likert" in types


def test_course1_quiz_settings():
    quizzes = [quiz_of(m) for m in module_dirs(COURSE_1)]
    # One rule for every module, and the welcome page tells learners what it is.
    assert all(q.get("attempts") == 3 for q in quizzes)
    assert all("pass_mark" not in q for q in quizzes), "the course-wide pass mark applies to every quiz"
    assert any(q.get("shuffle") for q in quizzes)
    assert any("draw" in q for q in quizzes)
    welcome = split_page(page_files(module_dirs(COURSE_1)[0])[0])[1]
    assert "three attempts" in welcome and "80%" in welcome and "failed" in welcome


def test_course1_has_svg_image_with_alt_text():
    found = [
        (alt, src)
        for m in module_dirs(COURSE_1) for p in page_files(m)
        for alt, src in IMAGE.findall(split_page(p)[1]) if src.endswith(".svg")
    ]
    assert found and all(alt.strip() for alt, _ in found)
    root = ET.parse(COURSE_1 / "assets" / Path(found[0][1]).name).getroot()
    assert root.get("role") == "img" and root.find("{http://www.w3.org/2000/svg}title") is not None


# --------------------------------------------------------------------------- course 2


def test_course2_quizzes_are_practice():
    data = load_yaml(COURSE_2 / "course.yaml")
    assert data["scorm"]["packaging"] == "single-sco"
    completion = data["completion"]
    assert completion["pages_viewed"] == "100%"
    assert completion.get("quizzes", "none") == "none"
    quizzes = [quiz_of(m) for m in module_dirs(COURSE_2)]
    assert all(quizzes), "every module of course 2 has its own practice questions"
    assert all(q.get("attempts") == 0 for q in quizzes), "practice questions: unlimited tries in every module"
    assert all(3 <= len(q["questions"]) <= 4 for q in quizzes)
    assert any(question["type"] == "likert" for q in quizzes for question in q["questions"])
    welcome = split_page(page_files(module_dirs(COURSE_2)[0])[0])[1]
    assert "do not count towards finishing the course" in welcome


# --------------------------------------------------------------------------- issue 18: quizzes and the session plan


@pytest.mark.parametrize("course", ALL_COURSES, ids=lambda p: p.name)
def test_every_objective_is_in_every_possible_draw(course: Path):
    """Each objective is tested by a question that no draw can leave out.

    A quiz that asks N of its M questions leaves M - N out; an objective is in every
    possible draw only when more than M - N of its questions are in the bank.
    """
    for module in module_dirs(course):
        objectives = (load_yaml(module / "module.yaml") or {}).get("objectives", [])
        assert objectives, f"{module.name}: no objectives"
        quiz = quiz_of(module)
        assert quiz, f"{module.name}: no quiz tests its objectives"
        questions = quiz["questions"]
        for q in questions:
            if q["type"] != "likert":
                assert q.get("objective") in range(1, len(objectives) + 1), (
                    f"{module.name}/{q['id']}: a scored question must name one of the {len(objectives)} objectives")
        left_out = len(questions) - quiz.get("draw", len(questions))
        for number, objective in enumerate(objectives, start=1):
            testing = [q["id"] for q in questions if q.get("objective") == number and q["type"] != "likert"]
            assert len(testing) > left_out, (
                f"{module.name}: objective {number} ({objective!r}) is tested by {testing or 'no question'}; "
                f"a draw leaves out {left_out} of {len(questions)}, so some draw can skip it")


def test_coverage_check_catches_a_draw_that_can_skip_an_objective():
    """The rule above, on the shape issue 18 found: 6 questions, one on an objective, draw 4."""
    questions = [{"objective": 1}] * 3 + [{"objective": 2}] * 2 + [{"objective": 3}]
    left_out = len(questions) - 4
    counts = {n: sum(q["objective"] == n for q in questions) for n in (1, 2, 3)}
    assert [n for n, c in counts.items() if c <= left_out] == [2, 3]


@pytest.mark.parametrize("course", ALL_COURSES, ids=lambda p: p.name)
def test_wrong_answers_point_to_a_page_of_the_module(course: Path):
    for module in module_dirs(course):
        titles = {split_page(p)[0]["title"] for p in page_files(module)}
        for q in quiz_of(module)["questions"]:
            if q["type"] == "likert":
                continue
            pointed = PAGE_POINTER.findall(q["feedback"]["incorrect"])
            assert pointed and set(pointed) <= titles, (
                f"{module.name}/{q['id']}: incorrect feedback should name a page of its module, got {pointed}")


@pytest.mark.parametrize("course", ALL_COURSES, ids=lambda p: p.name)
def test_session_plan_adds_up(course: Path):
    """The facilitator handout's plan lists the printed pages' and the quizzes' minutes; it must add up to the duration,
    and each facilitator note must give its page's minutes and split them into parts that add up."""
    printed = 0
    for module in module_dirs(course):
        for page in page_files(module):
            front, body = split_page(page)
            if front.get("handout", True):
                printed += front["minutes"]
            for note in FACILITATOR.findall(body):
                stated = int(re.search(r"(\d+) minutes?", note).group(1))
                assert stated == front["minutes"], f"{page.name}: note says {stated} minutes, page has {front['minutes']}"
                parts = [int(n) for n in re.findall(r"(\d+) minutes?", note)[1:]]
                if parts:
                    assert sum(parts) == stated, f"{page.name}: the parts {parts} do not add up to {stated}"
    assert printed + _quiz_minutes(course) == load_yaml(course / "course.yaml")["duration_minutes"]


@pytest.mark.parametrize("course", ALL_COURSES, ids=lambda p: p.name)
def test_session_plan_has_opening_break_and_close(course: Path):
    pages = [page for module in module_dirs(course) for page in page_files(module)]
    opening = split_page(pages[0])[1]
    closing = split_page(pages[-1])[1]
    notes = " ".join(FACILITATOR.findall(opening))
    assert "ground rules" in notes and "Materials" in notes
    assert "break" in notes, "the opening note says when the break is (or that there is none)"
    assert SELF_ASSESSMENT.search(opening) and SELF_ASSESSMENT.search(closing)
    assert "evaluation" in closing
    assert "invented" in opening, "the running case is labelled as made up"
    statements = lambda body: re.findall(r"^    \d\. (.+?) ___$", body, re.MULTILINE)
    assert statements(opening) and statements(opening) == statements(closing), "the same self-assessment before and after"


def test_dated_english_policy_is_flagged():
    """Every page of course 1 that names 2011-era English policy or bodies says to check what applies now."""
    dated = re.compile(r"Bill|Audit Commission|NSASC|Skills Academy|Children's Workforce|serious case review", re.I)
    for module in module_dirs(COURSE_1):
        for page in page_files(module):
            body = split_page(page)[1]
            if dated.search(FACILITATOR.sub("", body)):
                assert re.search(r"check what applies now|check what is on offer now|before relying", body, re.I), page.name


@pytest.mark.parametrize("course", ALL_COURSES, ids=lambda p: p.name)
def test_every_question_is_traced_to_its_source(course: Path):
    """SOURCES.md gives each question id the seed lines its facts come from."""
    trace = (course / "SOURCES.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| ([A-Za-z0-9_-]+) \|.*\| ([^|]+) \|$", trace, re.MULTILINE))
    for module, q in questions_of(course):
        assert q["id"] in rows, f"{q['id']} is not traced in SOURCES.md"
        if q["type"] != "likert":
            assert re.search(r"\b[ES]:\d+", rows[q["id"]]), f"{q['id']}: no source line"


if __name__ == "__main__":
    # python tests/test_default_courses.py SEED_FOLDER: write tests/data/seed-8grams.txt from the seeds.
    SEED_GRAMS.write_text("\n".join(seed_gram_lines(Path(sys.argv[1]))) + "\n", encoding="utf-8")
