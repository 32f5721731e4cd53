"""Write a course of N pages for measuring the build (scripts/benchmark.py); the output is never committed.

    .venv/bin/python scripts/generate_course.py /tmp/course-1000 --pages 1000

Modules of 20 pages (fewer for a smaller course), each page a few headings, paragraphs, a list and
a small table, each module ending with a five-question quiz: about what a real course holds per page.
"""

from __future__ import annotations

import argparse
from pathlib import Path

PAGES_PER_MODULE = 20
QUESTIONS_PER_QUIZ = 5

PAGE = """---
title: Page {page} of module {module}
minutes: 2
---
Sam is a team leader in a care home. This page, {page} of module {module}, follows one of Sam's
working days: what Sam noticed, what the team did, and what a **good day** for residents looks like.

# What happened

The morning handover ran late because two care workers were new to the rota. Sam asked each of
them what they needed to know first, then agreed who would check the medicines round.

- listen before deciding
- agree who does what, and by when
- say what went well at the end of the shift

# What the team decided

| Question | Who answers it | When |
|---|---|---|
| Who covers the weekend rota? | The team leader | Friday |
| What does a good day look like? | Residents and their families | Each month |

> Leadership is about a vision and supporting people towards it; management keeps the
> processes running. A service needs both.
"""

QUESTION = """  - id: m{module}-q{number}
    type: single
    prompt: On page {number} of module {module}, who answers the question about the weekend rota?
    options:
      - text: The team leader
        correct: true
        feedback: Yes. The team leader covers the rota.
      - text: The residents
        feedback: Not quite. Residents say what a good day looks like.
      - text: Nobody
"""


def generate(folder: Path, pages: int) -> Path:
    """Write the course into `folder` (created; must not exist) and return it."""
    modules = max(1, -(-pages // PAGES_PER_MODULE))
    folder.mkdir(parents=True)
    names = [f"modules/{m:03d}-module" for m in range(1, modules + 1)]
    (folder / "course.yaml").write_text(
        f"id: generated-{pages}\ntitle: A generated course of {pages} pages\nversion: 1.0.0\n"
        "language: en-GB\nmodules:\n" + "".join(f"  - {name}\n" for name in names)
        + "handout:\n  editions: [participant, facilitator]\n", encoding="utf-8")
    left = pages
    for m, name in enumerate(names, 1):
        module = folder / name
        module.mkdir(parents=True)
        count = min(left, PAGES_PER_MODULE) if m < modules else left
        left -= count
        for p in range(1, count + 1):
            (module / f"{p:02d}-page.md").write_text(PAGE.format(page=p, module=m), encoding="utf-8")
        quiz = "title: Module quiz\nattempts: 3\nquestions:\n" + "".join(
            QUESTION.format(module=m, number=q) for q in range(1, QUESTIONS_PER_QUIZ + 1))
        (module / "quiz.yaml").write_text(quiz, encoding="utf-8")
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--pages", type=int, default=100)
    args = parser.parse_args()
    print(generate(args.folder, args.pages))


if __name__ == "__main__":
    main()
