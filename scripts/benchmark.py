"""Measure how fast coursesmith builds, against the targets we commit to.

    .venv/bin/python scripts/benchmark.py            # default courses + a generated large course
    .venv/bin/python scripts/benchmark.py --quick    # skip the large course

Prints one line per measurement and exits 1 when a target is missed. Timings are wall-clock on
the machine it runs on; targets are set for a 2-core CI machine. The tests never time anything:
speed is judged here.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from builder.handout import write_handouts  # noqa: E402
from builder.load import load_course  # noqa: E402
from builder.player import write_scos  # noqa: E402
from builder.scorm import package_name, write_package  # noqa: E402

SOURCE_DATE = datetime(2026, 1, 1, tzinfo=timezone.utc)
# Seconds (median of the runs) that a measurement must stay under.
TARGETS = {
    "load default course": 1.0,
    "SCORM package, default course": 2.0,
    "handouts, default course": 25.0,
    "load 500-page course": 5.0,
    "SCORM 1.2 package, 500-page course": 5.0,
}


def median_time(action, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def report(name: str, seconds: float, extra: str = "") -> bool:
    target = TARGETS.get(name)
    verdict = "" if target is None else ("ok" if seconds <= target else "MISSED")
    limit = "" if target is None else f" (target {target:g}s: {verdict})"
    print(f"{name:45s} {seconds:8.2f}s{limit}{'  ' + extra if extra else ''}")
    return verdict != "MISSED"


def default_course(runs: int) -> bool:
    ok = True
    course_dir = REPO / "courses" / "leading-in-social-care"
    ok &= report("load default course", median_time(lambda: load_course(course_dir), runs))
    course = load_course(course_dir)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        for version in ("1.2", "2004-3rd", "2004-4th"):
            def package(version=version):
                staging = out / f"sco-{version}"
                scos = write_scos(course, staging, version)
                write_package(course, version, staging, scos, out / package_name(course, version), source_date=SOURCE_DATE)
            seconds = median_time(package, runs)
            size = (out / package_name(course, version)).stat().st_size
            ok &= report("SCORM package, default course", seconds, f"{version}: {size / 1024:.0f} KiB")
        seconds = median_time(lambda: write_handouts(course, out, source_date=SOURCE_DATE), max(1, runs // 2))
        pages = sum(_pdf_pages(p) for p in out.glob("*.pdf"))
        ok &= report("handouts, default course", seconds, f"{pages} pages, {pages / seconds:.1f} pages/s")
    return ok


def _pdf_pages(path: Path) -> int:
    from pypdf import PdfReader
    return len(PdfReader(path).pages)


def large_course() -> bool:
    ok = True
    with tempfile.TemporaryDirectory() as folder:
        course_dir = generate_course(Path(folder) / "large", modules=50, pages=10, questions=10)   # the page budget (builder/limits.py)
        seconds = median_time(lambda: load_course(course_dir), 1)
        ok &= report("load 500-page course", seconds, "50 modules x 10 pages x 10 questions")
        course = load_course(course_dir)
        out = Path(folder) / "out"

        def package():
            scos = write_scos(course, out / "sco", "1.2")
            write_package(course, "1.2", out / "sco", scos, out / "large.zip", source_date=SOURCE_DATE)
        ok &= report("SCORM 1.2 package, 500-page course", median_time(package, 1))
    return ok


def generate_course(folder: Path, *, modules: int, pages: int, questions: int) -> Path:
    folder.mkdir(parents=True)
    names = [f"modules/{m:03d}-module" for m in range(1, modules + 1)]
    (folder / "course.yaml").write_text(
        "id: large-course\ntitle: A large course\nversion: 1.0.0\nmodules:\n" + "".join(f"  - {n}\n" for n in names))
    for m, name in enumerate(names, 1):
        module = folder / name
        module.mkdir(parents=True)
        for p in range(1, pages + 1):
            (module / f"{p:02d}-page.md").write_text(
                f"---\ntitle: Page {p} of module {m}\nminutes: 1\n---\nSome **text** for page {p}.\n\n- a point\n- another\n")
        quiz = ["title: Quiz\nattempts: 3\nquestions:\n"]
        for q in range(1, questions + 1):
            quiz.append(f"  - id: m{m}-q{q}\n    type: single\n    prompt: Question {q}?\n    options:\n"
                        "      - text: Right\n        correct: true\n      - text: Wrong\n      - text: Also wrong\n")
        (module / "quiz.yaml").write_text("".join(quiz))
    return folder


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="skip the generated 500-page course")
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (median reported)")
    args = parser.parse_args()
    ok = default_course(args.runs)
    if not args.quick:
        ok &= large_course()
    print("all targets met" if ok else "some targets missed")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
