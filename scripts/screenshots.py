"""Screenshots of the learner's player, for docs/screenshots/ and for looking at every view.

    .venv/bin/python scripts/screenshots.py                   # docs/screenshots/after/
    .venv/bin/python scripts/screenshots.py --set before      # docs/screenshots/before/
    .venv/bin/python scripts/screenshots.py --all --out /tmp/shots   # every view, to look at

Builds tests/roots/player-media as a SCORM 2004 package, launches it in the test LMS
(tests/browser/lms.py: scorm-again in the page, the course in an iframe) in Debian's Chromium,
and takes each view at 1280x800 (desktop) and 390x844 (phone). The committed set is the results
screen, the review of a finished quiz after a relaunch, the ordering question and the video page;
--all adds every other view. PNGs are reduced to a 64-colour palette so
that they stay small in the repository.

Needs the test modules (`bash scripts/install.sh --test`).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "browser")]

from PIL import Image  # noqa: E402  (WeasyPrint's dependency)
from playwright.sync_api import sync_playwright  # noqa: E402

from lms import Lms, LmsServer, launch_chromium  # noqa: E402
from player_support import build_package, load_root  # noqa: E402

SIZES = {"desktop": (1280, 800), "phone": (390, 844)}
COMMITTED = ("results", "review", "ordering", "video")
RELAUNCHED = {"review"}          # taken after the results view, the tab closed and the course relaunched


def shrink(path: Path) -> None:
    with Image.open(path) as picture:
        small = picture.convert("RGB").quantize(colors=64, method=Image.Quantize.MEDIANCUT)
    small.save(path, optimize=True)


class Views:
    """Walks the player to each view; every method leaves the view on screen."""

    def __init__(self, frame):
        self.frame = frame

    def open(self, title: str) -> None:
        self.frame.evaluate(
            """title => {
                const link = Array.from(document.querySelectorAll('[data-step-link]'))
                    .find(a => a.querySelector('.step-title').textContent.trim() === title);
                link.click();
            }""",
            title,
        )
        self.frame.wait_for_function(
            "title => document.querySelector('section.step:not([hidden]) h1').textContent.trim() === title",
            arg=title,
        )
        self.top()

    def top(self) -> None:
        self.frame.evaluate("() => window.scrollTo({top: 0, behavior: 'instant'})")

    def click(self, selector: str) -> None:
        self.frame.locator(f"section.step:not([hidden]) {selector}").first.click()

    def start_quiz(self, title: str) -> None:
        self.open(title)
        self.click('[data-action="start"]')

    def check(self, question_id: str) -> None:
        self.frame.locator(f'#q-{question_id} [data-action="check"]').click()

    def page(self) -> None:
        self.open("Watch hand washing")

    def video(self) -> None:
        self.open("Watch hand washing")
        self.frame.locator("section.step:not([hidden]) .page-body > *").nth(1).scroll_into_view_if_needed()

    def audio(self) -> None:
        self.open("Listen to a nurse")

    def intro(self) -> None:
        self.open("Check the steps")

    def ordering(self) -> None:
        self.start_quiz("Check the steps")
        self.frame.locator("#q-m-order").scroll_into_view_if_needed()
        self.frame.evaluate("() => document.getElementById('q-m-order').scrollIntoView({block: 'start', behavior: 'instant'})")

    def feedback(self) -> None:
        self.start_quiz("Check the steps")
        self.frame.locator("#q-m-first").get_by_label("Dry your hands", exact=True).check()
        self.check("m-first")
        self.frame.evaluate("() => document.getElementById('q-m-first').scrollIntoView({block: 'start', behavior: 'instant'})")

    def likert(self) -> None:
        self.start_quiz("Check the steps")
        self.frame.evaluate("() => document.getElementById('q-m-feel').scrollIntoView({block: 'start', behavior: 'instant'})")

    def results(self) -> None:
        """Two of the three scored questions right (the ordering question left as shuffled)."""
        self.start_quiz("Check the steps")
        self.frame.locator("#q-m-first").get_by_label("Wet your hands", exact=True).check()
        self.check("m-first")
        self.frame.locator("#q-m-rub").get_by_label("False", exact=True).check()
        self.check("m-rub")
        self.check("m-order")
        self.frame.locator("#q-m-feel").get_by_label("Fairly", exact=True).check()
        self.check("m-feel")
        self.click('[data-action="results"]')
        self.frame.wait_for_selector('section.step:not([hidden]) [data-view="results"]:not([hidden])')
        self.top()

    def review(self) -> None:
        """The ordering question of the finished attempt (wrong: the right order spelled out)."""
        self.click('[data-action="review"]')
        for _ in range(2):
            self.click('[data-action="review-next"]')
        self.frame.wait_for_selector("section.step:not([hidden]) [data-role=\"review-title\"]:focus")
        self.top()

    def finished(self) -> None:
        self.frame.locator("#cs-finish").click()
        self.frame.wait_for_selector("#cs-finished:not([hidden])")


def take(out: Path, names: tuple[str, ...]) -> list[Path]:
    course = load_root("player-media")
    written = []
    with tempfile.TemporaryDirectory() as work, sync_playwright() as playwright:
        package = build_package(course, "2004-4th", Path(work))
        server = LmsServer().start()
        browser = launch_chromium(playwright)
        try:
            for size_name, (width, height) in SIZES.items():
                for name in names:
                    context = browser.new_context(viewport={"width": width, "height": height})
                    page = context.new_page()
                    launch = Lms(server).launch(page, package)
                    launch.frame.wait_for_function("() => window.Coursesmith && window.Coursesmith.player")
                    if name in RELAUNCHED:
                        Views(launch.frame).results()
                        launch = Lms(server).launch(page, package, previous=launch.close_like_tab())
                        launch.frame.wait_for_function("() => window.Coursesmith && window.Coursesmith.player")
                    getattr(Views(launch.frame), name)()
                    page.wait_for_timeout(400)      # let the progress bar and fonts settle
                    target = out / f"{name}-{size_name}.png"
                    page.screenshot(path=str(target))
                    shrink(target)
                    written.append(target)
                    context.close()
        finally:
            browser.close()
            server.stop()
    return written


ALL_VIEWS = ("page", "video", "audio", "intro", "feedback", "ordering", "likert", "results", "review", "finished")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", default="after", help="folder under docs/screenshots/ (before or after)")
    parser.add_argument("--out", type=Path, help="write here instead of docs/screenshots/<set>/")
    parser.add_argument("--all", action="store_true", help="every view, not only the committed ones")
    args = parser.parse_args()
    out = args.out or ROOT / "docs" / "screenshots" / args.set
    out.mkdir(parents=True, exist_ok=True)
    for path in take(out, ALL_VIEWS if args.all else COMMITTED):
        print(f"{path} {path.stat().st_size // 1024} KiB")


if __name__ == "__main__":
    main()
