"""Measure `coursesmith preview`'s save-to-reload time: a one-page edit of the default course,
from the file being written to the course page loaded again in the browser.

    .venv/bin/python scripts/benchmark_preview.py [--runs 5] [--course courses/leading-in-social-care]

Needs the test extras (Playwright) and Debian's /usr/bin/chromium. The clock is the machine's
wall clock on both sides: Python notes when it wrote the file, the preview page when the
reloaded course's document finished loading (window.__preview.reloads). Target: under 1 s.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 1.0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--course", default="courses/leading-in-social-care")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        course = Path(scratch) / Path(args.course).name
        shutil.copytree(REPO / args.course, course)
        page_file = sorted(course.glob("modules/*/*.md"))[0]
        process = subprocess.Popen([sys.executable, "-m", "builder", "preview", str(course), "--port", "0"],
                                   cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                   env={**os.environ, "NO_COLOR": "1"})
        try:
            url = None
            for line in process.stdout:
                if match := re.search(r"at (http://127\.0\.0\.1:\d+/)", line):
                    url = match.group(1)
                    break
            if url is None:
                raise SystemExit("the preview did not start")
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                                     args=["--no-sandbox", "--disable-gpu"])
                page = browser.new_page()
                page.goto(url)
                page.wait_for_function("() => window.__preview && window.__preview.launches > 0")
                page.wait_for_timeout(1500)     # let the first build's files settle before editing
                times = []
                text = page_file.read_text(encoding="utf-8")
                for run in range(args.runs):
                    before = page.evaluate("() => window.__preview.reloads.length")
                    saved_at = time.time()
                    page_file.write_text(text + f"\nEdited for run {run}.\n", encoding="utf-8")
                    page.wait_for_function(f"() => window.__preview.reloads.length > {before}", timeout=30_000)
                    loaded_at = page.evaluate("() => window.__preview.reloads[window.__preview.reloads.length - 1].at")
                    times.append(loaded_at / 1000 - saved_at)
                    page.wait_for_timeout(500)
                browser.close()
        finally:
            process.send_signal(signal.SIGINT)
            process.wait(timeout=60)
    median = statistics.median(times)
    print(f"save-to-reload, one-page edit of {args.course}: median {median:.2f}s over {len(times)} runs "
          f"({', '.join(f'{t:.2f}' for t in times)}); target {TARGET_SECONDS:g}s: "
          f"{'ok' if median <= TARGET_SECONDS else 'MISSED'}")
    return 0 if median <= TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
