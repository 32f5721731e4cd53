"""The printed handouts, read back from real PDFs built from tests/roots/handout-full/.

Each edition is built once per module (WeasyPrint takes a few seconds) and then read with pypdf,
pdftotext and pdffonts, the way a reviewer would check a handout before it goes to print.
"""

from __future__ import annotations

import logging
import re
import shutil
import subprocess
from datetime import datetime, timezone
from pathlib import Path

import pytest
from pypdf import PdfReader

from builder.handout import render_handout, write_handouts
from builder.handout.view import printed_options
from builder.load import load_course
from helpers import Built, pdftotext, squash

ROOTS = Path(__file__).parent / "roots"
FULL = ROOTS / "handout-full"
LETTER = ROOTS / "handout-letter"
SOURCE_DATE = datetime(2025, 3, 12, 9, 30, tzinfo=timezone.utc)
A4 = (595.276, 841.89)
LETTER_SIZE = (612.0, 792.0)


@pytest.fixture(scope="module")
def course():
    return load_course(FULL)


class _Records(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


@pytest.fixture(scope="module")
def built(course, tmp_path_factory):
    """Both editions, rendered once for the module; what WeasyPrint logged meanwhile is kept."""
    out = tmp_path_factory.mktemp("handouts")
    logger, records = logging.getLogger("weasyprint"), _Records()
    level, logger.level = logger.level, logging.WARNING
    logger.addHandler(records)
    try:
        paths = write_handouts(course, out, source_date=SOURCE_DATE)
    finally:
        logger.removeHandler(records)
        logger.setLevel(level)
    editions = {path.stem.rsplit("-", 1)[1]: Built(path) for path in paths}
    return {"paths": paths, "logged": records.records, **editions}


@pytest.fixture(scope="module")
def participant(built) -> Built:
    return built["participant"]


@pytest.fixture(scope="module")
def facilitator(built) -> Built:
    return built["facilitator"]


def printed_pages(course):
    return [page for module in course.modules for page in module.pages if page.handout]


def answer_only_texts(course) -> list[str]:
    """Everything a participant must never see: feedback, notes, accepted answers."""
    texts = []
    for question in course.questions:
        texts += [option.feedback for option in question.options if option.feedback]
        texts += [question.feedback.correct, question.feedback.incorrect]
        texts += list(question.answers)
    texts += [note for page in course.pages for note in page.facilitator_notes]
    return [text for text in texts if text]


# ---------- files ----------

def test_one_pdf_per_edition_named_by_course_id_and_version(built):
    names = [path.name for path in built["paths"]]
    assert names == ["handout-full-2.1.0-participant.pdf", "handout-full-2.1.0-facilitator.pdf"]
    for path in built["paths"]:
        assert path.read_bytes().startswith(b"%PDF-1.7")


def test_only_the_editions_the_course_asks_for(tmp_path):
    paths = write_handouts(load_course(LETTER), tmp_path, source_date=SOURCE_DATE)
    assert [p.name for p in paths] == ["handout-letter-1.0.0-participant.pdf"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["handout-letter-1.0.0-participant.pdf"]
    letter = Built(paths[0])
    box = letter.reader.pages[0].mediabox
    assert (round(float(box.width), 1), round(float(box.height), 1)) == LETTER_SIZE
    assert letter.reader.trailer["/Root"]["/Lang"] == "en-US"
    assert "Your five moments" in letter.text


# ---------- cover, contents, numbering ----------

def test_cover_shows_title_version_source_date_duration_authors_and_description(course, participant, facilitator):
    for built, edition in ((participant, "PARTICIPANT HANDOUT"), (facilitator, "FACILITATOR GUIDE")):
        cover = built.pages[0]
        assert edition in cover
        assert "Safer moving and handling" in cover
        assert "2.1.0" in cover
        assert "12 March 2025" in cover          # the source date passed in, never the build clock
        assert "1 hour 30 minutes" in cover
        assert "Learning and Development team, Occupational" in cover and "Health Service" in cover
        assert squash(course.description) in squash(cover)
        assert "Page " not in cover               # the cover is not numbered
    assert squash("Do not hand out to participants") in squash(facilitator.pages[0])
    assert "Do not hand out" not in participant.pages[0]


def figure_alt_texts(reader: PdfReader) -> list[str]:
    """The /Alt of every Figure in the tagged structure, in document order."""
    found = []

    def walk(node):
        node = node.get_object()
        if isinstance(node, dict):
            if node.get("/S") == "/Figure":
                found.append(str(node.get("/Alt")))
            if "/K" in node:
                walk(node["/K"])
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


def test_logo_and_images_are_tagged_figures_with_their_alt_text(participant):
    assert figure_alt_texts(participant.reader) == [
        "Logo",
        "A wide base of support on the left, a narrow one on the right",
        "A hoist sling laid flat, showing its loops and label",
    ]


def test_pages_are_numbered_page_x_of_y_from_the_contents_page(participant, facilitator):
    for built in (participant, facilitator):
        numbered = len(built.pages) - 1
        for index in range(1, len(built.pages)):
            assert f"Page {index} of {numbered}" in built.pages[index]
        assert built.reader.page_labels[:3] == ["Cover", "1", "2"]


def test_running_header_names_the_course_and_module(participant):
    for page in participant.pages[1:]:
        assert page.lstrip().startswith("Safer moving and handling")
    continued = [p for p in participant.pages if "Item 34 on the checklist" in p][0]
    assert "Moving people safely" in continued.splitlines()[0]


# Parts before the modules: the facilitator's plan, what the LMS records, the release's version note.
FRONT_MATTER = ("Contents", "Session plan", "What the LMS records", "Version note")


def test_outline_lists_every_module_page_and_quiz_at_the_page_that_prints_it(course, participant, facilitator):
    for built in (participant, facilitator):
        outline = built.outline()
        expected = []
        for module in course.modules:
            expected.append((0, module.title))
            expected += [(1, page.title) for page in module.pages if page.handout]
            if module.quiz:
                expected.append((1, module.quiz.title))
        course_part = outline[: next((i for i, e in enumerate(outline) if e[1] == "Answer key"), len(outline))]
        entries = [(depth, title) for depth, title, _ in course_part if title not in FRONT_MATTER]
        assert entries == expected
        for _depth, title, page_index in outline:
            assert squash(title) in squash(built.pages[page_index]), f"{title!r} is not on its bookmark's page"


def test_facilitator_outline_adds_session_plan_and_answer_key(course, facilitator, participant):
    outline = facilitator.outline()
    top = [title for depth, title, _ in outline if depth == 0]
    assert top[:2] == ["Contents", "Session plan"] and top[-1] == "Answer key"
    key_index = [title for _, title, _ in outline].index("Answer key")
    assert [title for _, title, _ in outline[key_index + 1:]] == [
        f"Module {n}: {m.quiz.title}" for n, m in enumerate(course.modules, start=1) if m.quiz]
    assert "Answer key" not in [title for _, title, _ in participant.outline()]


def test_contents_page_numbers_match_where_each_title_is_printed(participant):
    contents = participant.pages[1]
    for _depth, title, page_index in participant.outline():
        if title == "Contents":
            continue
        match = re.search(re.escape(title) + r"\s*\.+\s*(\d+)", contents)
        assert match, f"{title!r} is missing from the contents"
        assert int(match[1]) == page_index      # printed numbers start at 1 after the cover


# ---------- pages ----------

def test_every_printed_page_and_objective_is_there_in_both_editions(course, participant, facilitator):
    for built in (participant, facilitator):
        text = built.squashed()
        for page in printed_pages(course):
            assert squash(page.title) in text
        for module in course.modules:
            for objective in module.objectives:
                assert squash(objective) in text
        assert text.count(squash("Learning objectives")) == len(course.modules)


def test_pages_left_out_of_handouts_are_absent(course, participant, facilitator):
    left_out = [page for page in course.pages if not page.handout]
    assert left_out, "the test course must have a handout: false page"
    for built in (participant, facilitator):
        for page in left_out:
            assert squash(page.title) not in built.squashed()
            assert squash("walks through the hoist's control panel") not in built.squashed()


def test_admonitions_are_labelled_by_kind(participant):
    text = participant.text
    for label, title in (("NOTE", "Ask first"), ("TIP", "Clear the floor"),
                         ("WARNING", "Never lift under the arms"), ("ACTIVITY", "Spot the hazards")):
        assert re.search(label + r"\s+" + title, text), f"{label} {title} is not printed"


def test_images_print_with_captions(participant):
    text = participant.squashed()
    assert squash("A wide base of support on the left, a narrow one on the right") in text
    assert squash("Figure 2: lay the sling flat and check every loop") in text


def test_a_long_table_repeats_its_header_on_the_next_page(participant):
    first = [i for i, p in enumerate(participant.pages) if "Item 1 on the checklist" in p]
    last = [i for i, p in enumerate(participant.pages) if "Item 34 on the checklist" in p]
    assert first and last and last[0] > first[0], "the checklist table should run onto a second page"
    for index in (first[0], last[0]):
        assert re.search(r"Equipment\s+Check\s+How often", participant.pages[index])


# ---------- quizzes ----------

def test_every_question_prints_in_both_editions(course, participant, facilitator):
    for built in (participant, facilitator):
        text = built.squashed()
        for question in course.questions:
            assert squash(question.prompt) in text, question.id
            for piece in ([o.text for o in question.options] + [p.left for p in question.pairs]
                          + [p.right for p in question.pairs] + list(question.items) + list(question.scale)):
                assert squash(piece) in text, f"{question.id}: {piece!r}"


def test_options_print_in_their_fixed_shuffle_not_as_authored(course, participant):
    text = participant.squashed()
    for question in (q for q in course.questions if q.options):
        printed = printed_options(question)
        positions = [text.index(squash(option.text)) for option in printed]
        assert positions == sorted(positions), question.id
        assert printed != question.options, question.id


def test_matching_and_ordering_do_not_print_the_answer_as_the_order(course, participant):
    text = participant.squashed()
    ordering = next(q for q in course.questions if q.type == "ordering")
    positions = [text.index(squash(item)) for item in ordering.items]
    assert positions != sorted(positions)
    matching = next(q for q in course.questions if q.type == "matching")
    rights = [text.index(squash(pair.right)) for pair in matching.pairs]
    assert rights != sorted(rights)


def test_participant_edition_has_no_answers_feedback_or_notes(course, participant):
    text = participant.squashed()
    for secret in answer_only_texts(course):
        assert squash(secret) not in text, f"participant edition shows {secret!r}"
    for word in ("correct", "answer key", "answer:", "feedback", "facilitator", "session plan", "starts at"):
        assert squash(word) not in text, f"participant edition contains {word!r}"


def test_facilitator_edition_has_every_answer_feedback_and_note(course, facilitator):
    text = facilitator.squashed()
    for secret in answer_only_texts(course):
        assert squash(secret) in text, f"facilitator edition misses {secret!r}"
    correct_options = sum(o.correct for q in course.questions for o in q.options)
    true_false = sum(q.type == "true-false" for q in course.questions)
    assert facilitator.text.count("CORRECT ANSWER") == correct_options + true_false
    assert text.count(squash("Facilitator note")) == sum(len(p.facilitator_notes) for p in printed_pages(course))


def test_facilitator_answers_for_every_question_type(course, facilitator):
    key = pdftotext(facilitator.path, "-raw")[-1]
    assert "Answer key" in key
    rows = {
        "plan-first-step": "B: Agree the move with the person",
        "plan-hazards": "B: A loose rug beside the bed; C: A charging",
        "plan-drag-lift": "False",
        "plan-regulations": "Operations or Operation",
        "move-sling-age": "6",
        "move-match-equipment": "1–C, 2–A, 3–B",
        "move-order-steps": "write A 3, B 2, C 1, D 4 (in order: C, B, A, D)",
        "move-confidence": "Not scored (survey)",
    }
    assert set(rows) == {q.id for q in course.questions}
    for question in course.questions:
        assert squash(rows[question.id]) in squash(key), question.id
    # The matching letters in the key agree with how the options were printed.
    quiz_page = next(p for p in facilitator.pages if "Match each task" in p)
    assert re.search(r"A\s+Full-body hoist", quiz_page) and re.search(r"C\s+Slide sheet", quiz_page)


def test_facilitator_session_timings(course, facilitator):
    text = facilitator.text
    assert "Session time: 27 minutes" in text     # module 1: 10 + 15 + a 2-minute quiz (the online-only page is not printed)
    assert "Session time: 32 minutes" in text     # module 2: 20 + 10 + a 2-minute quiz
    assert "10 minutes · starts at 0:00" in text
    assert "20 minutes · starts at 0:27" in text
    plan = next(p for p in facilitator.pages if "Session plan" in p and "Starts" in p)
    assert re.search(r"Total\s+59", plan)


# ---------- the file itself ----------

def test_fonts_are_the_shipped_font_embedded_and_subset(participant, facilitator):
    for built in (participant, facilitator):
        lines = subprocess.run(["pdffonts", str(built.path)], capture_output=True, text=True,
                               check=True).stdout.splitlines()[2:]
        assert lines
        names = set()
        for line in lines:
            columns = line.split()
            name, emb, sub = columns[0], columns[-5], columns[-4]
            assert (emb, sub) == ("yes", "yes"), line
            assert "+atkinson-hyperlegible" in name, f"a font from the machine slipped in: {line}"
            names.add(name.split("+", 1)[1])
        assert {"atkinson-hyperlegible", "atkinson-hyperlegible-Bold", "atkinson-hyperlegible-Italic"} <= names


def test_metadata_language_title_authors_and_dates(participant, facilitator):
    for built, edition in ((participant, "Participant handout"), (facilitator, "Facilitator guide")):
        reader = built.reader
        root = reader.trailer["/Root"]
        assert root["/Lang"] == "en-GB"
        assert reader.metadata.title == f"Safer moving and handling: {edition}"
        assert reader.metadata.author == "Learning and Development team, Occupational Health Service"
        assert reader.metadata["/CreationDate"].startswith("D:20250312093000")
        assert reader.metadata["/ModDate"] == reader.metadata["/CreationDate"]
        assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])


def test_tagged_as_pdf_ua_1(participant):
    root = participant.reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    xmp = root["/Metadata"].get_object().get_data()
    assert b'pdfuaid:part="1"' in xmp


def test_links_are_printed_and_lead_only_to_the_web_or_inside_the_document(participant):
    printed = squash("HSE guidance on manual handling (https://www.hse.gov.uk/msd/manual-handling/)")
    assert printed in participant.squashed()
    targets = []
    for page in participant.reader.pages:
        for annotation in page.get("/Annots", []):
            action = annotation.get_object().get("/A")
            if action is not None and "/URI" in action:
                targets.append(str(action["/URI"]))
    assert set(targets) == {"https://www.hse.gov.uk/msd/manual-handling/"}


def test_paper_size_is_a4(participant, facilitator):
    for built in (participant, facilitator):
        sizes = {(round(float(p.mediabox.width), 3), round(float(p.mediabox.height), 2))
                 for p in built.reader.pages}
        assert sizes == {A4}


def test_same_inputs_give_the_same_bytes_wherever_the_course_lives(built, tmp_path):
    moved = tmp_path / "elsewhere" / "handout-full"
    shutil.copytree(FULL, moved)
    course = load_course(moved)
    for edition in ("participant", "facilitator"):
        again = render_handout(course, edition, source_date=SOURCE_DATE)
        assert again == built[edition].path.read_bytes(), f"{edition} edition is not reproducible"


def test_render_logs_no_warnings(built):
    assert len(built["paths"]) == 2                 # both editions were rendered while listening
    assert [r.getMessage() for r in built["logged"] if r.name.startswith("weasyprint")] == []

