"""One defect per case: the author gets file, line and what to change; nothing is built or lost.

Each case copies tests/roots/minimal, breaks one thing, runs the real `coursesmith build` (in this
process, through click's test runner) into an output folder that already holds a previous build, and
checks the message, the exit status, the absence of a traceback, and that the previous build is
byte-for-byte as it was.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from helpers import course_path, coursesmith, messages_at, snapshot

ROOT = course_path("minimal")
MODULE = "modules/01-getting-started"
QUIZ = f"{MODULE}/quiz.yaml"
PAGE = f"{MODULE}/01-welcome.md"

QUIZ_HEAD = "title: Quiz\nquestions:\n"


@dataclass
class Case:
    name: str
    file: str                  # expected in the message, relative to the course folder
    line: int
    message: str
    replace: dict = field(default_factory=dict)   # path -> (old, new)
    write: dict = field(default_factory=dict)     # path -> text (or bytes)
    delete: tuple = ()
    symlink: dict = field(default_factory=dict)   # path -> target
    mkdir: tuple = ()                             # folders where the course expects files
    hint: str = ""                                # expected in the hint line, when given
    fixed: str = ""                               # the line as it should read, shown under the hint


def quiz(*questions: str) -> dict:
    return {QUIZ: QUIZ_HEAD + "".join(questions)}


def as_bytes(name: str, old: str, new: str, *, newline: str = "\n", bom: bool = False) -> dict:
    """`name` from the minimal course with one change, saved with other line endings or a BOM."""
    text = (ROOT / name).read_text(encoding="utf-8")
    assert text.count(old) == 1, f"test setup: {old!r} must occur once in {name}"
    data = text.replace(old, new).replace("\n", newline).encode("utf-8")
    return {name: (b"\xef\xbb\xbf" if bom else b"") + data}


OUTSIDE_PAGE = "---\ntitle: Outside\n---\nNot part of the course.\n"
NOTE = "<!-- facilitator: Allow 3 minutes. Ask the group what they expect from the session. -->"


CASES = [
    # YAML syntax and plain-data rules
    Case("yaml-syntax", "course.yaml", 13, "YAML syntax: the [ opened here is never closed", replace={"course.yaml": ("  - modules/01-getting-started", "  - [modules/01-getting-started")}),
    Case("yaml-bad-indent", QUIZ, 7, "indented by 3 spaces, the line above by 4", hint="keys that belong together start in the same column",
         fixed="    prompt: Which command finds mistakes in a course without building it?", replace={QUIZ: ("    prompt: Which", "   prompt: Which")}),
    Case("yaml-python-tag", "course.yaml", 4, "tag", replace={"course.yaml": ("title: My first course", "title: !!python/object/apply:os.system ['touch /tmp/coursesmith-pwned']")}),
    Case("yaml-custom-tag", QUIZ, 3, "tag", replace={QUIZ: ("attempts: 3", "attempts: !int 3")}),
    Case("yaml-alias", "course.yaml", 10, "alias", replace={"course.yaml": ("authors: [Learning and Development team]", "authors: &a [Learning and Development team]\nfoo_alias: *a")}),
    Case("yaml-duplicate-key", "course.yaml", 24, "duplicate key 'title' (first given on line 4)", hint="keep one of the two", replace={"course.yaml": ("  paper: A4", "  paper: A4\ntitle: Again")}),
    Case("front-matter-syntax", PAGE, 3, "YAML syntax", replace={PAGE: ("minutes: 3", "minutes: [3")}),
    # the common YAML mistakes (README "Common YAML mistakes"): the line shown as it should read
    Case("yaml-colon-in-title", "course.yaml", 4, "has a colon followed by a space", hint="put the whole text in quotes",
         fixed='title: "Roles: who does what"', replace={"course.yaml": ("title: My first course", "title: Roles: who does what")}),
    Case("yaml-colon-in-feedback", QUIZ, 11, "the text after `feedback:` has a colon", hint="put the whole text in quotes",
         fixed='        feedback: "Yes: it reads every file and lists every problem it finds."',
         replace={QUIZ: ("        feedback: Yes. It reads", "        feedback: Yes: it reads")}),
    Case("yaml-colon-in-page-title", PAGE, 2, "the text after `title:` has a colon", hint="put the whole text in quotes",
         fixed='title: "Welcome: start here"', replace={PAGE: ("title: Welcome", "title: Welcome: start here")}),
    Case("yaml-starts-with-asterisk", "course.yaml", 4, "text cannot start with *", hint="put the whole text in quotes",
         fixed='title: "*New* first course"', replace={"course.yaml": ("title: My first course", "title: *New* first course")}),
    Case("yaml-starts-with-ampersand", "course.yaml", 4, "text cannot start with &", hint="put the whole text in quotes",
         fixed='title: "&Co first course"', replace={"course.yaml": ("title: My first course", "title: &Co first course")}),
    Case("yaml-starts-with-at", "course.yaml", 4, "text cannot start with @", hint="put the whole text in quotes",
         fixed='title: "@home care"', replace={"course.yaml": ("title: My first course", "title: @home care")}),
    Case("yaml-starts-with-backtick", PAGE, 2, "text cannot start with `", hint="put the whole text in quotes",
         fixed='title: "`check` finds mistakes"', replace={PAGE: ("title: Welcome", "title: `check` finds mistakes")}),
    Case("yaml-starts-with-percent", "course.yaml", 4, "text cannot start with %", hint="put the whole text in quotes",
         fixed='title: "% of staff trained"', replace={"course.yaml": ("title: My first course", "title: % of staff trained")}),
    Case("yaml-starts-with-exclamation", "course.yaml", 4, "text cannot start with !", hint="put the whole text in quotes",
         fixed='title: "!Important update"', replace={"course.yaml": ("title: My first course", "title: !Important update")}),
    Case("yaml-starts-with-pipe", "course.yaml", 4, "text cannot start with |", hint="put the whole text in quotes",
         fixed='title: "| Roles | Tasks |"', replace={"course.yaml": ("title: My first course", "title: | Roles | Tasks |")}),
    Case("yaml-starts-with-greater-than", "course.yaml", 4, "text cannot start with >", hint="put the whole text in quotes",
         fixed='title: "> 5 years in care"', replace={"course.yaml": ("title: My first course", "title: > 5 years in care")}),
    Case("yaml-starts-with-bracket", "course.yaml", 4, "text that starts with [ is read as a list", hint="put the whole text in quotes",
         fixed='title: "[Draft] My first course"', replace={"course.yaml": ("title: My first course", "title: [Draft] My first course")}),
    Case("yaml-nbsp-indent", QUIZ, 7, "indented with non-breaking spaces", hint="replace them with ordinary spaces",
         fixed="    prompt: Which command finds mistakes in a course without building it?",
         replace={QUIZ: ("    prompt: Which", "\u00a0\u00a0\u00a0\u00a0prompt: Which")}),
    Case("yaml-nbsp-indent-last-line", QUIZ, 20, "indented with non-breaking spaces", hint="replace them with ordinary spaces",
         fixed="      incorrect: Each page starts with front matter that gives at least its title.",
         replace={QUIZ: ("      incorrect:", "\u00a0" * 6 + "incorrect:")}),
    Case("yaml-no-space-after-colon", "course.yaml", 5, "`version:` needs a space after the colon",
         hint="put a space between the colon and the value", fixed="version: 0.1.0",
         replace={"course.yaml": ("version: 0.1.0", "version:0.1.0")}),
    Case("yaml-quote-not-closed", "course.yaml", 4, 'the quote (") opened here is never closed', hint='end the text with a closing "',
         fixed='title: "My first course"', replace={"course.yaml": ("title: My first course", 'title: "My first course')}),
    Case("yaml-bracket-not-closed", "course.yaml", 10, "the [ opened here is never closed", hint="close the list with ]",
         fixed="authors: [Learning and Development team]",
         replace={"course.yaml": ("authors: [Learning and Development team]", "authors: [Learning and Development team")}),
    Case("yaml-text-after-closing-quote", "course.yaml", 4, "the text goes on after its closing quote",
         hint="put the whole text in quotes", fixed="title: '\"My\" first course'",
         replace={"course.yaml": ("title: My first course", 'title: "My" first course')}),
    Case("yaml-apostrophe-in-single-quotes", "course.yaml", 4, "an apostrophe inside text quoted with '...' ends the text early",
         hint="put the text in double quotes instead", fixed="title: \"Carers' first course\"",
         replace={"course.yaml": ("title: My first course", "title: 'Carers' first course'")}),
    Case("yaml-key-among-list-items", QUIZ, 12, "among the items of a list but does not start with '- '",
         hint="if it is another item, start it with '- '", replace={QUIZ: ("      - text: coursesmith new", "      text: coursesmith new")}),
    Case("yaml-key-indented-under-value", PAGE, 3, "indented further than the line above it",
         hint="start it in the same column as the line above", fixed="minutes: 3", replace={PAGE: ("minutes: 3", "  minutes: 3")}),
    Case("yaml-backslash-in-double-quotes", "theme.yaml", 1, "a backslash inside double quotes starts an escape",
         hint="use single quotes for text with backslashes", fixed="logo: 'assets\\pipeline.svg'",
         write={"theme.yaml": 'logo: "assets\\pipeline.svg"\n'}),
    Case("yaml-list-item-after-value", "course.yaml", 11, "a list item cannot go here",
         hint="list items go under a key that ends with a colon",
         replace={"course.yaml": ("authors: [Learning and Development team]", "authors: Learning and Development team\n- Jo Smith")}),
    # session timings
    Case("minutes-on-a-tip", PAGE, 9, "only an activity can have minutes, not a tip",
         hint='write it as !!! activity "Your title" minutes: 10, or remove the minutes',
         replace={PAGE: ('!!! tip "Keep pages short"', '!!! tip "Keep pages short" minutes: 2')}),
    Case("quiz-minutes-negative", QUIZ, 4, "`minutes` cannot be -5", hint="whole minutes, 0 or more", replace={QUIZ: ("attempts: 3", "attempts: 3\nminutes: -5")}),
    Case("activity-minutes-in-words", f"{MODULE}/02-try-it.md", 11, "has more than a kind and a quoted title",
         hint='write it as !!! activity "Your title"',
         replace={f"{MODULE}/02-try-it.md": ("minutes: 1\n", "minutes: one\n")}),
    # paste-ready hints: the name as it should be written, a question by its id
    Case("module-folder-misspelt-parent", "course.yaml", 13, "folder 'module/01-getting-started' does not exist",
         hint="did you mean 'modules/01-getting-started'?",
         replace={"course.yaml": ("  - modules/01-getting-started", "  - module/01-getting-started")}),
    Case("module-folder-misspelt-keeps-modules", "course.yaml", 13, "does not exist",
         hint="did you mean 'modules/01-getting-started'?",
         replace={"course.yaml": ("  - modules/01-getting-started", "  - modules/01-geting-started")}),
    Case("page-misspelt", f"{MODULE}/module.yaml", 6, "file '02-try-ti.md' does not exist", hint="did you mean '02-try-it.md'?",
         replace={f"{MODULE}/module.yaml": ("  - 02-try-it.md", "  - 02-try-ti.md")}),
    Case("image-misspelt", PAGE, 7, "file '../../assets/pipelin.svg' does not exist",
         hint="did you mean '../../assets/pipeline.svg'? (paths here are relative to the page's own folder)",
         replace={PAGE: ("../../assets/pipeline.svg", "../../assets/pipelin.svg")}),
    Case("image-path-relative-to-course", PAGE, 7, "file 'assets/pipeline.svg' does not exist",
         hint="did you mean '../../assets/pipeline.svg'? (paths here are relative to the page's own folder)",
         replace={PAGE: ("../../assets/pipeline.svg", "assets/pipeline.svg")}),
    Case("logo-path-written-like-a-page", "theme.yaml", 1, "'../../assets/pipeline.svg' points outside the course folder",
         hint="did you mean 'assets/pipeline.svg'? (paths here are relative to the course folder)",
         write={"theme.yaml": "logo: ../../assets/pipeline.svg\n"}),
    Case("image-path-one-folder-too-far", PAGE, 7, "'../../../assets/pipeline.svg' points outside the course folder",
         hint="did you mean '../../assets/pipeline.svg'? (paths here are relative to the page's own folder)",
         replace={PAGE: ("../../assets/pipeline.svg", "../../../assets/pipeline.svg")}),
    Case("logo-misspelt", "theme.yaml", 1, "file 'assets/pipline.svg' does not exist",
         hint="did you mean 'assets/pipeline.svg'? (paths here are relative to the course folder)",
         write={"theme.yaml": "logo: assets/pipline.svg\n"}),
    Case("facilitator-note-image-misspelt", PAGE, 12, "file '../../assets/pipeline.sv' does not exist",
         hint="did you mean '../../assets/pipeline.svg'?",
         replace={PAGE: (NOTE, "<!-- facilitator: Show ![the diagram](../../assets/pipeline.sv) -->")}),
    Case("question-named-by-id", QUIZ, 17, "`answer` of question 'getting-started-pages' should be true or false",
         hint="write true or false", replace={QUIZ: ("    answer: true", "    answer: maybe")}),
    Case("option-named-by-question-id", QUIZ, 10, "`options[1].correct` of question 'getting-started-check' should be true or false",
         hint="write true or false, without quotes", replace={QUIZ: ("        correct: true", '        correct: "yes"')}),
    Case("question-missing-prompt-named-by-id", QUIZ, 14, "missing required key 'prompt'",
         hint="add a line `prompt: ...` under question 'getting-started-pages'",
         replace={QUIZ: ("    prompt: Every page needs a title in its front matter.\n", "")}),
    Case("question-missing-type-named-by-id", QUIZ, 14, "question 'getting-started-pages' has no `type`",
         hint="use one of:", replace={QUIZ: ("    type: true-false\n", "")}),
    # unknown and missing keys
    Case("unknown-key-course", "course.yaml", 24, "did you mean 'description'", replace={"course.yaml": ("  paper: A4", "  paper: A4\ndescripton: typo")}),
    Case("unknown-key-completion", "course.yaml", 16, "did you mean 'quizzes'", replace={"course.yaml": ("  quizzes: all", "  quizes: all")}),
    Case("unknown-key-question", QUIZ, 7, "did you mean 'prompt'", replace={QUIZ: ("    prompt: Which", "    promt: Which")}),
    Case("unknown-key-front-matter", PAGE, 3, "did you mean 'minutes'", replace={PAGE: ("minutes: 3", "minute: 3")}),
    Case("missing-title", "course.yaml", 3, "missing required key 'title'", replace={"course.yaml": ("title: My first course\n", "")}),
    Case("missing-page-title", PAGE, 2, "missing required key 'title'", replace={PAGE: ("title: Welcome\n", "")}),
    Case("missing-prompt", QUIZ, 14, "missing required key 'prompt'", replace={QUIZ: ("    prompt: Every page needs a title in its front matter.\n", "")}),
    # wrong types and values
    Case("wrong-type-minutes", PAGE, 3, "should be a whole number", replace={PAGE: ("minutes: 3", "minutes: three")}),
    Case("wrong-type-correct", QUIZ, 10, "should be true or false", replace={QUIZ: ("        correct: true", "        correct: yes")}),
    Case("wrong-type-modules", "course.yaml", 12, "should be a list", replace={"course.yaml": ("modules:\n  - modules/01-getting-started", "modules: modules/01-getting-started")}),
    Case("bad-version", "course.yaml", 5, "semantic version", replace={"course.yaml": ("version: 0.1.0", "version: 1.0")}),
    Case("bad-scorm-version", "course.yaml", 19, "not a SCORM version", replace={"course.yaml": ("versions: [1.2, 2004-4th]", "versions: [1.2, 2004]")}),
    Case("bad-packaging", "course.yaml", 20, "did you mean 'single-sco'", replace={"course.yaml": ("packaging: single-sco", "packaging: single_sco")}),
    Case("bad-paper", "course.yaml", 23, "cannot be 'A5'", replace={"course.yaml": ("paper: A4", "paper: A5")}),
    # ids
    Case("bad-course-id", "course.yaml", 3, "not allowed", replace={"course.yaml": ("id: minimal-course", "id: Minimal Course")}),
    Case("bad-question-id", QUIZ, 5, "not allowed", replace={QUIZ: ("id: getting-started-check", "id: getting started check")}),
    Case("duplicate-question-id", f"modules/02-more/quiz.yaml", 3, "already used",
         replace={"course.yaml": ("  - modules/01-getting-started", "  - modules/01-getting-started\n  - modules/02-more")},
         write={"modules/02-more/01-page.md": "---\ntitle: More\n---\nText.\n",
                "modules/02-more/quiz.yaml": QUIZ_HEAD + "  - id: getting-started-pages\n    type: true-false\n    prompt: Again?\n    answer: false\n"}),
    # percentages
    Case("percent-out-of-range", "course.yaml", 17, "out of range", replace={"course.yaml": ("pass_mark: 80%", "pass_mark: 120%")}),
    Case("percent-garbled", QUIZ, 2, "not a percentage", replace={QUIZ: ("pass_mark: 50%", "pass_mark: fifty")}),
    # answers and options
    Case("no-correct-option", QUIZ, 9, "no correct option", replace={QUIZ: ("        correct: true\n", "")}),
    Case("single-two-correct", QUIZ, 9, "2 correct options", replace={QUIZ: ("        feedback: No. That command", "        correct: true\n        feedback: No. That command")}),
    Case("too-few-options", QUIZ, 7, "1 option", write=quiz("  - id: q1\n    type: single\n    prompt: Pick\n    options:\n      - text: Only one\n        correct: true\n")),
    Case("matching-too-few-pairs", QUIZ, 7, "at least two pairs", write=quiz("  - id: q1\n    type: matching\n    prompt: Match\n    pairs:\n      - left: a\n        right: b\n")),
    Case("ordering-too-few-items", QUIZ, 6, "at least two items", write=quiz("  - id: q1\n    type: ordering\n    prompt: Order\n    items: [first]\n")),
    Case("true-false-no-answer", QUIZ, 3, "missing required key 'answer'", write=quiz("  - id: q1\n    type: true-false\n    prompt: Yes?\n")),
    Case("fill-in-no-answers", QUIZ, 6, "should have at least 1", write=quiz("  - id: q1\n    type: fill-in\n    prompt: Word?\n    answers: []\n")),
    Case("numeric-text-answer", QUIZ, 6, "should be a number", write=quiz("  - id: q1\n    type: numeric\n    prompt: How many?\n    answer: five\n")),
    Case("likert-no-scale", QUIZ, 6, "scale of 2 to 10", write=quiz("  - id: q1\n    type: likert\n    prompt: How sure?\n    scale: [Sure]\n")),
    Case("unknown-question-type", QUIZ, 6, "did you mean 'multiple'", replace={QUIZ: ("    type: single", "    type: multi")}),
    Case("draw-too-many", QUIZ, 4, "draw: 5", replace={QUIZ: ("attempts: 3", "attempts: 3\ndraw: 5")}),
    # missing files, with the line that names them
    Case("missing-module", "course.yaml", 13, "does not exist", hint="did you mean 'modules/01-getting-started'?", replace={"course.yaml": ("  - modules/01-getting-started", "  - modules/01-getting-startd")}),
    Case("missing-page", f"{MODULE}/module.yaml", 6, "does not exist", hint="did you mean '02-try-it.md'?", replace={f"{MODULE}/module.yaml": ("  - 02-try-it.md", "  - 02-try-this.md")}),
    Case("missing-image", PAGE, 7, "does not exist", replace={PAGE: ("../../assets/pipeline.svg", "../../assets/pipeline.png")}),
    Case("missing-course-yaml", "course.yaml", 1, "course.yaml is missing", delete=("course.yaml",)),
    Case("quizzes-names-unknown-module", "course.yaml", 16, "not a module with a quiz", replace={"course.yaml": ("  quizzes: all", "  quizzes: [modules/09-nothing]")}),
    # leaving the course folder
    Case("asset-outside-course", PAGE, 7, "outside the course folder", replace={PAGE: ("../../assets/pipeline.svg", "../../../../etc/hostname")}),
    Case("module-outside-course", "course.yaml", 13, "outside the course folder", replace={"course.yaml": ("  - modules/01-getting-started", "  - ../minimal")}),
    Case("asset-symlink-escape", PAGE, 7, "outside the course folder", replace={PAGE: ("../../assets/pipeline.svg", "../../assets/escape.svg")},
         symlink={"assets/escape.svg": "/etc/hostname"}),
    Case("asset-absolute-path", PAGE, 7, "absolute path", replace={PAGE: ("../../assets/pipeline.svg", "/etc/hostname")}),
    # accessibility and safety of page content
    Case("image-without-alt", PAGE, 7, "no alt text", replace={PAGE: ("![A simple diagram: course files go in, an LMS package and a handout come out]", "![]")}),
    Case("raw-script", PAGE, 12, "<script> is not allowed", replace={PAGE: ("<!-- facilitator:", "<script>alert(1)</script>\n\n<!-- facilitator:")}),
    Case("raw-event-handler", PAGE, 5, "'onerror'", replace={PAGE: ("This is the first page.", "<img src=\"x.png\" alt=\"x\" onerror=\"alert(1)\"> This is the first page.")}),
    Case("raw-iframe", PAGE, 12, "<iframe> is not allowed", replace={PAGE: ("<!-- facilitator:", "<iframe src=\"https://example.org\"></iframe>\n\n<!-- facilitator:")}),
    Case("javascript-link", PAGE, 5, "unsafe link", replace={PAGE: ("This is the first page.", "[Click](javascript:alert(1)) This is the first page.")}),
    Case("unknown-admonition", PAGE, 9, "unknown admonition kind 'danger'", replace={PAGE: ('!!! tip "Keep pages short"', '!!! danger "Keep pages short"')}),
    # encodings and emptiness
    Case("non-utf8", PAGE, 5, "not UTF-8", replace={PAGE: ("This is the first page.", "Caf\udce9 page.")}),
    Case("empty-course-yaml", "course.yaml", 1, "course.yaml is empty", write={"course.yaml": "# nothing yet\n"}),
    Case("empty-course", "course.yaml", 13, "module 'modules/01-getting-started' has no pages", delete=(f"{MODULE}/01-welcome.md", f"{MODULE}/02-try-it.md", f"{MODULE}/module.yaml")),
    Case("no-front-matter", PAGE, 1, "no front matter", write={PAGE: "Just text, no front matter.\n"}),
    Case("theme-low-contrast", "theme.yaml", 1, "too light", write={"theme.yaml": "primary_colour: \"#ffdd00\"\n"}),
    Case("page-file-name-with-space", f"{MODULE}/module.yaml", 6, "characters that are not allowed",
         replace={f"{MODULE}/module.yaml": ("  - 02-try-it.md", "  - 02 try it.md")},
         write={f"{MODULE}/02 try it.md": "---\ntitle: Spaces\n---\nText.\n"}),
    Case("module-folder-name-with-space", "course.yaml", 14, "characters that are not allowed",
         replace={"course.yaml": ("  - modules/01-getting-started", "  - modules/01-getting-started\n  - modules/02 more")},
         write={"modules/02 more/01-page.md": "---\ntitle: More\n---\nText.\n"}),
    Case("required-survey-quiz", QUIZ, 1, "only likert questions",
         replace={"course.yaml": ("  quizzes: all", "  quizzes: [modules/01-getting-started]")},
         write=quiz("  - id: q1\n    type: likert\n    prompt: How sure?\n    scale: [Not sure, Sure]\n")),
    Case("control-character-escape", "course.yaml", 4, "invisible control character (U+000B)",
         replace={"course.yaml": ("title: My first course", 'title: "My \\v first course"')}),
    Case("control-character-in-page", PAGE, 5, "invisible control character (U+0001)",
         replace={PAGE: ("This is the first page.", "This is the \x01 first page.")}),
    Case("module-folders-differ-by-case", "course.yaml", 14, "already used by module 1",
         replace={"course.yaml": ("  - modules/01-getting-started", "  - modules/01-getting-started\n  - more/01-Getting-Started")},
         write={"more/01-Getting-Started/01-page.md": "---\ntitle: More\n---\nText.\n"}),
    Case("raw-link-target-top", PAGE, 5, "'target'",
         replace={PAGE: ("This is the first page.", '<a href="https://example.org" target="_top">x</a> This is the first page.')}),
    Case("theme-bad-colour", "theme.yaml", 1, "not a colour", write={"theme.yaml": "primary_colour: blue\n"}),
    # folders, files and symbolic links that are not what the course says
    Case("symlink-loop-module", "course.yaml", 14, "points to itself",
         replace={"course.yaml": ("  - modules/01-getting-started", "  - modules/01-getting-started\n  - modules/02-loop")},
         symlink={"modules/02-loop": "02-loop"}),
    Case("symlink-loop-page", f"{MODULE}/module.yaml", 7, "points to itself",
         replace={f"{MODULE}/module.yaml": ("  - 02-try-it.md", "  - 02-try-it.md\n  - 03-loop.md")},
         symlink={f"{MODULE}/03-loop.md": "03-loop.md"}),
    Case("symlink-loop-asset", PAGE, 7, "points to itself", replace={PAGE: ("../../assets/pipeline.svg", "../../assets/loop.svg")},
         symlink={"assets/loop.svg": "loop.svg"}),
    Case("broken-symlink-page", f"{MODULE}/03-gone.md", 1, "symbolic link is broken", delete=(f"{MODULE}/module.yaml",),
         symlink={f"{MODULE}/03-gone.md": "nowhere.md"}),
    Case("page-symlink-outside", f"{MODULE}/03-out.md", 1, "outside the course folder", delete=(f"{MODULE}/module.yaml",),
         write={"../outside.md": OUTSIDE_PAGE}, symlink={f"{MODULE}/03-out.md": "../../../outside.md"}),
    Case("quiz-symlink-outside", QUIZ, 1, "outside the course folder", delete=(QUIZ,),
         write={"../outside.yaml": QUIZ_HEAD + "  - id: q1\n    type: true-false\n    prompt: Yes?\n    answer: true\n"},
         symlink={QUIZ: "../../../outside.yaml"}),
    Case("quiz-is-a-folder", QUIZ, 1, "is a folder, not a file", delete=(QUIZ,), mkdir=(QUIZ,)),
    Case("course-yaml-is-a-folder", "course.yaml", 1, "is a folder, not a file", delete=("course.yaml",), mkdir=("course.yaml",)),
    Case("module-path-is-a-file", "course.yaml", 14, "is a file, not a folder",
         replace={"course.yaml": ("  - modules/01-getting-started", "  - modules/01-getting-started\n  - modules/notes.md")},
         write={"modules/notes.md": "notes\n"}),
    Case("module-is-the-course-folder", "course.yaml", 13, "is the course folder itself",
         replace={"course.yaml": ("  - modules/01-getting-started", "  - .")}, write={"01-root.md": "---\ntitle: Root\n---\nText.\n"}),
    Case("page-is-a-folder", f"{MODULE}/module.yaml", 7, "is a folder, not a page file",
         replace={f"{MODULE}/module.yaml": ("  - 02-try-it.md", "  - 02-try-it.md\n  - 03-x.md")}, mkdir=(f"{MODULE}/03-x.md",)),
    Case("page-listed-twice", f"{MODULE}/module.yaml", 7, "listed twice",
         replace={f"{MODULE}/module.yaml": ("  - 02-try-it.md", "  - 02-try-it.md\n  - 02-try-it.md")}),
    Case("pages-list-empty", f"{MODULE}/module.yaml", 4, "lists no pages",
         replace={f"{MODULE}/module.yaml": ("pages:\n  - 01-welcome.md\n  - 02-try-it.md", "pages: []")}),
    # facilitator notes are Markdown that reaches the handout: checked like the page
    Case("facilitator-note-script", PAGE, 12, "<script> is not allowed",
         replace={PAGE: (NOTE, "<!-- facilitator: Allow 3 minutes. <script>alert(1)</script> -->")}),
    Case("facilitator-note-unsafe-link", PAGE, 12, "unsafe link", replace={PAGE: (NOTE, "<!-- facilitator: See [x](javascript:alert(1)) -->")}),
    Case("facilitator-note-missing-image", PAGE, 13, "does not exist",
         replace={PAGE: (NOTE, "<!-- facilitator: Allow 3 minutes.\nShow ![the diagram](../../assets/missing.svg) -->")}),
    # numbers and percentages that would silently change the course
    Case("numeric-infinite", QUIZ, 6, "ordinary number", write=quiz("  - id: q1\n    type: numeric\n    prompt: How many?\n    answer: 1e999\n")),
    Case("percent-fraction", "course.yaml", 17, "whole percentage", replace={"course.yaml": ("pass_mark: 80%", "pass_mark: 80.5%")}),
    Case("percent-as-fraction-of-one", "course.yaml", 17, "80%", replace={"course.yaml": ("pass_mark: 80%", "pass_mark: 0.8")}),
    Case("draw-zero", QUIZ, 4, "cannot be 0", replace={QUIZ: ("attempts: 3", "attempts: 3\ndraw: 0")}),
    Case("attempts-negative", QUIZ, 3, "cannot be -1", replace={QUIZ: ("attempts: 3", "attempts: -1")}),
    # text that is blank, empty or of the wrong kind, located on the line that holds it
    Case("blank-page-title", PAGE, 2, "is empty", replace={PAGE: ("title: Welcome", 'title: "   "')}),
    Case("empty-value-course-title", "course.yaml", 4, "should be text", replace={"course.yaml": ("title: My first course", "title:")}),
    Case("empty-value-page-title", PAGE, 2, "should be text", replace={PAGE: ("title: Welcome", "title:")}),
    Case("empty-value-crlf", "course.yaml", 4, "should be text",
         write=as_bytes("course.yaml", "title: My first course", "title:", newline="\r\n")),
    Case("versions-not-a-list", "course.yaml", 19, "versions: [1.2]", replace={"course.yaml": ("versions: [1.2, 2004-4th]", 'versions: "1.2"')}),
    Case("options-as-plain-strings", QUIZ, 7, "write each item as `- text: ...`",
         write=quiz("  - id: q1\n    type: single\n    prompt: Pick\n    options:\n      - Right\n      - Wrong\n")),
    Case("option-text-number", QUIZ, 12, 'text: "42"', replace={QUIZ: ("      - text: coursesmith new", "      - text: 42")}),
    Case("true-false-quoted", QUIZ, 17, "without quotes", replace={QUIZ: ("    answer: true", '    answer: "true"')}),
    Case("quizzes-typo", "course.yaml", 16, "did you mean 'all'", replace={"course.yaml": ("  quizzes: all", "  quizzes: al")}),
    Case("yaml-tab-indent", "course.yaml", 17, "indented with a tab", hint="indent with spaces", fixed="  pass_mark: 80%", replace={"course.yaml": ("  pass_mark: 80%", "\tpass_mark: 80%")}),
    # line endings, byte order marks and front matter shapes
    Case("crlf-page-body", PAGE, 7, "does not exist",
         write=as_bytes(PAGE, "../../assets/pipeline.svg", "../../assets/nope.svg", newline="\r\n")),
    Case("cr-only-page-body", PAGE, 7, "does not exist",
         write=as_bytes(PAGE, "../../assets/pipeline.svg", "../../assets/nope.svg", newline="\r")),
    Case("bom-front-matter", PAGE, 3, "did you mean 'minutes'", write=as_bytes(PAGE, "minutes: 3", "minute: 3", bom=True)),
    Case("bom-crlf-quiz", QUIZ, 17, "true or false",
         write=as_bytes(QUIZ, "    answer: true", "    answer: maybe", newline="\r\n", bom=True)),
    Case("front-matter-not-closed", PAGE, 1, "not closed", write={PAGE: "---\ntitle: Welcome\nminutes: 3\n\nThe page text.\n"}),
    Case("front-matter-not-first-line", PAGE, 2, "first line", write={PAGE: "\n---\ntitle: Welcome\n---\nThe page text.\n"}),
    Case("front-matter-list", PAGE, 2, "front matter should be", write={PAGE: "---\n- title\n- Welcome\n---\nThe page text.\n"}),
    # references a package cannot hold, and markup a printer cannot lay out
    Case("link-to-page-file", PAGE, 5, "course menu", replace={PAGE: ("This is the first page.", "See [the next page](02-try-it.md).")}),
    Case("link-to-program", PAGE, 5, "'.exe'", replace={PAGE: ("This is the first page.", "Get [the tool](../../assets/tool.exe).")},
         write={"assets/tool.exe": b"MZ"}),
    Case("html-comment-not-closed", PAGE, 5, "not closed, so it hides the rest of the page",
         replace={PAGE: ("This is the first page.", "<!-- a note to self, never closed\n\nThis is the first page.")}),
    Case("facilitator-note-not-closed", PAGE, 5, "not closed",
         replace={PAGE: ("This is the first page.", "<!-- facilitator: never closed\n\nThis is the first page.")}),
    Case("module-folder-name-twice", "course.yaml", 14, "already used by module 1",
         replace={"course.yaml": ("  - modules/01-getting-started", "  - modules/01-getting-started\n  - extra/01-getting-started")},
         write={"extra/01-getting-started/01-page.md": "---\ntitle: Extra\n---\nText.\n"}),
    Case("yaml-second-document", "course.yaml", 24, "one document", replace={"course.yaml": ("  paper: A4", "  paper: A4\n---\nid: again")}),
    Case("yaml-nested-very-deep", "theme.yaml", 1, "nested more than", write={"theme.yaml": "logo: " + "[" * 50_000 + "]" * 50_000 + "\n"}),
    Case("front-matter-nested-very-deep", PAGE, 3, "nested more than",
         replace={PAGE: ("minutes: 3", "minutes: " + "{a: " * 5000 + "}" * 5000)}),
    Case("yaml-merge-key", "course.yaml", 24, "merge keys", replace={"course.yaml": ("  paper: A4", "  paper: A4\n  <<: {size: A5}")}),
    Case("raw-html-later-line", PAGE, 7, "'onclick'",
         replace={PAGE: ("This is the first page.", '<div>\n<p>Fine.</p>\n<p onclick="alert(1)">Not fine.</p>\n</div>')}),
    Case("image-on-second-line-of-paragraph", PAGE, 6, "no alt text",
         replace={PAGE: ("This is the first page.", "This is the first page,\nwith a picture ![](../../assets/pipeline.svg) in it.")}),
    Case("raw-html-nested-too-deep", PAGE, 5, "nested more than",
         replace={PAGE: ("This is the first page.", "<div>" * 3000 + "deep" + "</div>" * 3000)}),
    Case("language-not-registered", "course.yaml", 6, "`language: xq-ZZZZ` is not a language tag in the IANA registry",
         hint="use a registered tag such as en-GB", replace={"course.yaml": ("language: en-GB", "language: xq-ZZZZ")}),
    Case("language-unknown-subtag", "course.yaml", 6, "`language: pl-QQQQQ` is not a language tag in the IANA registry",
         hint="did you mean pl?", fixed="language: pl", replace={"course.yaml": ("language: en-GB", "language: pl-QQQQQ")}),
    Case("language-mistyped", "course.yaml", 6, "`language: cyy` is not a language tag in the IANA registry",
         hint="did you mean cy?", fixed="language: cy", replace={"course.yaml": ("language: en-GB", "language: cyy")}),
    Case("strings-unknown-key", "course.yaml", 8, "`strings:` 'nxt' is not a message of the player or the handouts",
         hint="did you mean 'next'?", replace={"course.yaml": ("language: en-GB", "language: en-GB\nstrings:\n  nxt: Onwards")}),
    Case("strings-unknown-placeholder", "course.yaml", 8, "`strings:` 'next' has a placeholder {page} the message does not fill",
         hint="the message fills none", replace={"course.yaml": ("language: en-GB", "language: en-GB\nstrings:\n  next: Go to {page}")}),
    Case("locale-unknown-key", "locale/en.po", 4, "msgctxt 'nxt' is not a message of the player or the handouts",
         hint="did you mean 'next'?", write={"locale/en.po": 'msgid ""\nmsgstr ""\nmsgctxt "nxt"\nmsgid "Next"\nmsgstr "Onwards"\n'}),
    Case("locale-not-po", "locale/en.po", 1, "this catalogue cannot be read",
         write={"locale/en.po": "next = Onwards\n"}),
]


# Mistakes whose output would still work, but not as the author meant: warnings, errors with --strict.
WARNING_CASES = [
    Case("facilitator-note-with-word-note", PAGE, 12, "looks like a facilitator note but is not one",
         hint="remove the word `note`: a facilitator note starts with <!-- facilitator:",
         fixed="<!-- facilitator: allow 3 minutes -->", replace={PAGE: (NOTE, "<!-- Facilitator note - allow 3 minutes -->")}),
    Case("facilitator-note-trainer", PAGE, 12, "looks like a facilitator note but is not one",
         hint="the word must be `facilitator`, not `Trainer`", fixed="<!-- facilitator: allow 3 minutes -->",
         replace={PAGE: (NOTE, "<!-- Trainer: allow 3 minutes -->")}),
    Case("facilitator-note-no-colon", PAGE, 12, "looks like a facilitator note but is not one",
         hint="put a colon right after the word", fixed="<!-- facilitator: allow 3 minutes -->",
         replace={PAGE: (NOTE, "<!-- facilitator allow 3 minutes -->")}),
    # a session plan that does not fit the course's duration
    Case("duration-more-than-plan", "course.yaml", 11, "the session plan adds up to 10 minutes, less than `duration_minutes: 12`",
         hint="set `duration_minutes: 10`", replace={"course.yaml": ("duration_minutes: 10", "duration_minutes: 12")}),
    Case("plan-over-duration", "course.yaml", 11, "the session plan adds up to 14 minutes, more than `duration_minutes: 10`",
         hint="set `duration_minutes: 14`", replace={f"{MODULE}/02-try-it.md": ("minutes: 1\n", "minutes: 5\n")}),
    Case("quiz-minutes-over-duration", "course.yaml", 11, "the session plan adds up to 19 minutes, more than `duration_minutes: 10`",
         hint="set `duration_minutes: 19`", replace={QUIZ: ("attempts: 3", "attempts: 3\nminutes: 10")}),
    # Markdown that did not come out as the author meant
    Case("picture-path-with-space", PAGE, 7, "this picture is printed as text, not shown as a picture: the path has a space in it",
         hint="rename the file with '-' instead of spaces",
         fixed="![A simple diagram: course files go in, an LMS package and a handout come out](../../assets/pipe-line.svg)",
         replace={PAGE: ("../../assets/pipeline.svg", "../../assets/pipe line.svg")}),
    Case("link-address-with-space", PAGE, 5, "this link is printed as text, not shown as a link: the address has a space in it",
         hint="write the space in the address as %20", fixed="See [the guide](https://example.org/care%20guide). Write pages in **Markdown**: headings, lists, tables and pictures.",
         replace={PAGE: ("This is the first page.", "See [the guide](https://example.org/care guide).")}),
    Case("admonition-indented-two-spaces", PAGE, 10, "this admonition box is empty",
         hint="indent each line of the box's text by four spaces",
         fixed="    One idea per page reads well on a screen and prints well on paper.",
         replace={PAGE: ("    One idea per page", "  One idea per page")}),
    Case("admonition-not-indented", f"{MODULE}/02-try-it.md", 12, "this admonition box is empty",
         hint="indent each line of the box's text by four spaces",
         fixed="    Write down three things your learners should be able to do after your course.",
         replace={f"{MODULE}/02-try-it.md": ("    Write down three", "Write down three")}),
    Case("heading-skips-under-title", PAGE, 5, "this `##` heading skips a level: it comes right under the page title",
         hint="make it a `#` heading", fixed="# Start here",
         replace={PAGE: ("This is the first page.", "## Start here\n\nThis is the first page.")}),
    Case("heading-skips-under-heading", PAGE, 7, "this `###` heading skips a level: it comes right under the `#` heading above it",
         hint="make it a `##` heading", fixed="## In detail",
         replace={PAGE: ("This is the first page.", "# Start here\n\n### In detail\n\nThis is the first page.")}),
    Case("language-without-catalogue", "course.yaml", 6, "coursesmith has no catalogue of the player's and the handouts' "
         "words in fr-FR: they fall back to English (en)", hint="add locale/fr.po to the course",
         replace={"course.yaml": ("language: en-GB", "language: fr-FR")}),
    Case("language-en-UK", "course.yaml", 6, "`language: en-UK` is not the registered language tag",
         hint="did you mean en-GB?", fixed="language: en-GB", replace={"course.yaml": ("language: en-GB", "language: en-UK")}),
    Case("emoji-in-page", PAGE, 5, "💊 (pill) is in no font the handouts use, so the printed handouts show [pill] instead",
         hint="keep it for the screen if you like; for print, write what it means in words",
         replace={PAGE: ("This is the first page.", "Take your 💊 with water.")}),
    Case("emoji-in-quiz", QUIZ, 7, "✅ (white heavy check mark) is in no font the handouts use",
         hint="keep it for the screen if you like; for print, write what it means in words", replace={QUIZ: ("    prompt: Which", "    prompt: ✅ Which")}),
    Case("chinese-in-page-title", PAGE, 2, "你 (cjk unified ideograph-4f60) is in no font the handouts use",
         hint="keep it for the screen if you like; for print, write what it means in words", replace={PAGE: ("title: Welcome", "title: Welcome 你好")}),
]


@pytest.fixture
def make_course(course_root, tmp_path):
    """A copy of the minimal course with `case`'s changes made to it."""
    def make(case: Case) -> Path:
        course = course_root("minimal", to=tmp_path / "course")
        for name in case.delete:
            (course / name).unlink()
        for name, (old, new) in case.replace.items():
            path = course / name
            text = path.read_text(encoding="utf-8")
            assert text.count(old) == 1, f"test setup: {old!r} must occur once in {name}"
            text = text.replace(old, new)
            path.write_bytes(text.encode("utf-8", errors="surrogateescape"))
        for name, content in case.write.items():
            path = course / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        for name, target in case.symlink.items():
            os.symlink(target, course / name)
        for name in case.mkdir:
            (course / name).mkdir(parents=True)
        return course
    return make


def _previous_build(out: Path) -> dict[str, str]:
    previous = out / "minimal-course"
    previous.mkdir(parents=True)
    (previous / "minimal-course-0.0.9-scorm12.zip").write_bytes(b"previous package bytes")
    (previous / "build-report.json").write_text('{"previous": true}\n')
    return snapshot(out)


def _assert_hint_and_fix(case: Case, located: list[str], output: str) -> None:
    """The hint names the change, and the corrected line is printed as the author would type it."""
    mine = [m for m in located if case.message in m]
    if case.hint:
        assert any(f"    hint: {case.hint}" in m for m in mine), f"hint {case.hint!r} not in {mine}\n{output}"
    if case.fixed:
        assert any(m.endswith(f"    {case.line} | {case.fixed}") for m in mine), f"fixed line {case.fixed!r} not in {mine}"


def test_there_are_enough_cases():
    assert len(CASES) + len(WARNING_CASES) >= 170
    assert all(case.hint for case in WARNING_CASES)
    names = [c.name for c in CASES + WARNING_CASES]
    assert len(set(names)) == len(names)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_broken_course_is_refused_with_location(tmp_path, make_course, case):
    course = make_course(case)
    out = tmp_path / "dist"
    before = _previous_build(out)

    result = coursesmith("build", course, "--out", out)

    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output
    expected = f"{course / case.file}:{case.line}:"
    located = messages_at(output, expected)
    assert located, f"no message at {expected}\n{output}"
    assert any(case.message in message for message in located), f"{case.message!r} not in {located}\n{output}"
    assert all(": error: " in message for message in located)
    _assert_hint_and_fix(case, located, output)
    assert snapshot(out) == before
    assert not list(tmp_path.glob(".coursesmith-staging-*"))


@pytest.mark.parametrize("case", WARNING_CASES, ids=[c.name for c in WARNING_CASES])
def test_mistake_is_a_warning_and_fails_strict_check(make_course, case):
    course = make_course(case)
    expected = f"{course / case.file}:{case.line}:"

    dated = {"SOURCE_DATE_EPOCH": "1700000000"}     # the one warning is the case's own
    lenient = coursesmith("check", course, env=dated)
    strict = coursesmith("check", course, "--strict", env=dated)

    assert lenient.returncode == 0, lenient.output
    assert strict.returncode == 1, strict.output
    located = messages_at(strict.stderr, expected)
    assert any(case.message in m and ": warning: " in m for m in located), f"{case.message!r} not in {located}\n{strict.output}"
    _assert_hint_and_fix(case, located, strict.output)


def test_check_warns_when_the_handout_date_falls_back(make_course):
    course = make_course(Case("undated", "", 0, ""))   # a copy outside any git repository
    undated = coursesmith("check", course, "--strict", env={"SOURCE_DATE_EPOCH": ""})
    dated = coursesmith("check", course, "--strict", env={"SOURCE_DATE_EPOCH": "1700000000"})
    assert undated.returncode == 1
    assert messages_at(undated.stderr, f"{course}/course.yaml:1:1: warning:") == [
        f"{course}/course.yaml:1:1: warning: the course folder has no git history and SOURCE_DATE_EPOCH is not set, "
        "so the handout covers would be dated 1 January 2020\n    hint: commit the course to git, or set "
        "SOURCE_DATE_EPOCH to the time of the last change (seconds since 1970)"]
    assert dated.returncode == 0, dated.output
    built = coursesmith("build", course, "--out", course.parent / "dist", "--scorm", "1.2", env={"SOURCE_DATE_EPOCH": ""})
    assert built.returncode == 0, built.output
    assert f"{course}/course.yaml:1:1: warning: the course folder has no git history" in built.stderr


def test_a_misspelt_course_folder_gets_the_nearest_course(tmp_path, course_root):
    course_root("minimal", to=tmp_path / "courses" / "first-aid")
    result = coursesmith("check", "courses/frist-aid", cwd=tmp_path)
    assert result.returncode == 1
    assert messages_at(result.stderr, "courses/frist-aid:1:1: error: course folder does not exist") == [
        "courses/frist-aid:1:1: error: course folder does not exist\n    hint: did you mean 'courses/first-aid'?"]


def test_python_tag_runs_nothing(tmp_path, make_course):
    marker = tmp_path / "pwned"
    course = make_course(Case("tag", "course.yaml", 4, "tag", replace={
        "course.yaml": ("title: My first course", f"title: !!python/object/apply:os.system ['touch {marker}']")}))
    result = coursesmith("check", course)
    assert result.returncode == 1
    assert "is not allowed" in result.stderr
    assert not marker.exists()


def test_all_problems_reported_in_one_run(tmp_path, make_course):
    course = make_course(Case("many", "", 0, "", replace={
        "course.yaml": ("pass_mark: 80%", "pass_mark: 180%"),
        QUIZ: ("    type: single", "    type: singel"),
        PAGE: ("minutes: 3", "minutes: lots"),
    }))
    result = coursesmith("check", course)
    assert result.returncode == 1
    assert "3 errors" in result.stderr
    for fragment in ("course.yaml:17:", "quiz.yaml:6:", "01-welcome.md:3:"):
        assert fragment in result.stderr


def test_unlisted_page_is_a_warning_not_an_error(tmp_path, make_course):
    course = make_course(Case("unlisted", "", 0, "", write={f"{MODULE}/03-forgotten.md": "---\ntitle: Forgotten\n---\nText\n"}))
    result = coursesmith("check", course)
    assert result.returncode == 0, result.stderr
    assert f"{course / MODULE}/module.yaml:4:" in result.stderr
    assert "warning: page '03-forgotten.md' is in the folder but not listed" in result.stderr


def test_one_message_per_mistake(tmp_path, make_course):
    """A broken module.yaml or a mistyped `quizzes:` is one error, not a cascade of invented ones."""
    course = make_course(Case("two", "", 0, "", replace={
        f"{MODULE}/module.yaml": ("objectives:", "objective:"),
        "course.yaml": ("  quizzes: all", "  quizzes: al"),
    }))
    result = coursesmith("check", course)
    assert result.returncode == 1
    assert "2 errors" in result.stderr, result.stderr
    assert "has no pages" not in result.stderr
    assert "literal[" not in result.stderr and "constrained" not in result.stderr


def test_quizzes_may_name_a_module_like_modules_do(tmp_path, make_course):
    course = make_course(Case("dot", "", 0, "", replace={
        "course.yaml": ("  - modules/01-getting-started\ncompletion:\n  pages_viewed: 100%\n  quizzes: all",
                        "  - ./modules/01-getting-started/\ncompletion:\n  pages_viewed: 100%\n  quizzes: [./modules/01-getting-started/]")}))
    result = coursesmith("check", course)
    assert result.returncode == 0, result.stderr
    assert "ok (1 module, 2 pages, 2 questions)" in result.stderr


def test_a_fifo_named_like_a_page_is_refused_without_reading_it(tmp_path, make_course):
    course = make_course(Case("fifo", "", 0, "", delete=(f"{MODULE}/module.yaml",)))
    fifo = course / MODULE / "03-pipe.md"
    os.mkfifo(fifo)
    with _readers_of(fifo) as readers:
        result = coursesmith("check", course)
    assert readers == [], "the check opened the FIFO to read it"
    assert result.returncode == 1
    assert f"{course / MODULE}/03-pipe.md:1:1: error: this is not a regular file" in result.stderr


class _readers_of:
    """Record whether anything opens `fifo` for reading while the block runs.

    Opening a FIFO to read waits for a writer, so a check that tried would hang: a watcher opens
    the other end whenever a reader waits (which lets the reader go on, at end of file) and notes it."""

    def __init__(self, fifo: Path):
        self.fifo, self.readers, self.done = fifo, [], threading.Event()
        self.watcher = threading.Thread(target=self._watch, daemon=True)

    def _watch(self):
        while not self.done.wait(0.01):
            try:
                end = os.open(self.fifo, os.O_WRONLY | os.O_NONBLOCK)   # fails (ENXIO) while no one reads
            except OSError:
                continue
            self.readers.append("a reader")
            os.close(end)

    def __enter__(self) -> list[str]:
        self.watcher.start()
        return self.readers

    def __exit__(self, *exc_info):
        self.done.set()
        self.watcher.join()


def test_github_annotations(tmp_path, make_course):
    course = make_course(CASES[0])
    result = coursesmith("check", course, "--format", "github")
    assert result.returncode == 1
    assert f"::error file={course}/course.yaml,line=13," in result.stdout


def test_bad_usage_exits_2(tmp_path):
    result = coursesmith("build", ROOT, "--scorm", "1.3")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "use 1.2, 2004-3rd, 2004-4th" in result.stderr
