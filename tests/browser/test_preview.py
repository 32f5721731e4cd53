"""`coursesmith preview` as an author uses it: a real browser, real saves.

Each test runs the preview on a free port (--port 0) with a copy of a test course and reads the
address it reports. The test of serving and Ctrl-C starts the real command and stops it with
SIGINT; the others run the same loop (builder.preview.run) in a thread of this process, since the
process is not what they test. Nothing here is timed: every wait is for an event (a line
printed, text on the page, the process gone).
"""

from __future__ import annotations

import http.client
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from playwright.sync_api import expect

from player_support import ROOTS, PlayerDriver, load_root

REPO = ROOTS.parents[1]
EVENT_TIMEOUT = 120            # seconds to wait for an event on a busy machine; never a speed claim
QUIZ_1 = "Check your understanding"
QUIZ_2 = "Consent quiz"


class PreviewLines:
    """What a preview printed, line by line as it comes; None ends it."""

    def __init__(self) -> None:
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.seen: list[str] = []

    def started(self) -> None:
        self.url = self.wait_for(r"at (http://127\.0\.0\.1:\d+/)").group(1)
        self.build_dir = Path(self.wait_for(r"building into (\S+)", earlier=True).group(1))

    def wait_for(self, pattern: str, earlier: bool = False) -> re.Match:
        if earlier:
            for line in self.seen:
                if match := re.search(pattern, line):
                    return match
        while True:
            line = self.lines.get(timeout=EVENT_TIMEOUT)
            if line is None:
                raise AssertionError(f"the preview ended without printing {pattern!r}:\n" + "\n".join(self.seen))
            self.seen.append(line)
            if match := re.search(pattern, line):
                return match

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1].strip("/"))

    def rest(self) -> None:
        while (line := self.lines.get(timeout=EVENT_TIMEOUT)) is not None:
            self.seen.append(line)


class PreviewProcess(PreviewLines):
    """`coursesmith preview COURSE --port 0`, the real command, with its output lines."""

    def __init__(self, course_dir: Path):
        super().__init__()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "builder", "preview", str(course_dir), "--port", "0"],
            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            env={**os.environ, "NO_COLOR": "1"})
        threading.Thread(target=self._read, daemon=True).start()
        self.started()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        code = self.process.wait(timeout=EVENT_TIMEOUT)
        self.rest()
        return code


class PreviewThread(PreviewLines):
    """builder.preview.run in a thread of this process, reporting as the command does."""

    def __init__(self, course_dir: Path):
        super().__init__()
        self.stopping = threading.Event()
        self.failed: list[BaseException] = []
        self.thread = threading.Thread(target=self._run, args=(course_dir,), name="preview", daemon=True)
        self.thread.start()
        self.started()

    def _run(self, course_dir: Path) -> None:
        from builder.preview import run

        try:
            run(course_dir, version=None, port=0, open_browser=False, report=self.lines.put,
                show_problems=lambda problems: [self.lines.put(p.format()) for p in problems],
                ready=lambda url: self.lines.put(f"preview of {course_dir} at {url} (Ctrl-C stops)"),
                stop=self.stopping)
        except BaseException as exc:             # the test fails on it in stop()
            self.failed.append(exc)
        finally:
            self.lines.put(None)

    def stop(self) -> None:
        self.stopping.set()
        self.thread.join(timeout=EVENT_TIMEOUT)
        self.rest()
        assert not self.thread.is_alive() and not self.failed, self.failed
        assert not self.build_dir.exists()                 # its build folder is removed


@pytest.fixture
def course_copy(tmp_path):
    target = tmp_path / "player-basic"
    shutil.copytree(ROOTS / "player-basic", target)
    return target


@pytest.fixture
def preview(course_copy):
    running = PreviewThread(course_copy)
    yield running
    running.stop()


def open_preview(page, preview) -> PlayerDriver:
    page.goto(preview.url)
    expect(page.locator("#content")).to_be_attached()
    return content(page)


def content(page) -> PlayerDriver:
    """The player in the course frame the page shows now (a relaunch replaces the frame)."""
    page.wait_for_function("""() => {
        const frame = document.getElementById("content");
        try { return Boolean(frame && frame.contentWindow.Coursesmith.player); } catch (e) { return false; }
    }""")
    frame = page.frame(name="sco")
    return PlayerDriver(frame, load_root("player-basic")).ready()


def inspector(page, name: str):
    return page.locator(f'[data-field="{name}"]')


def test_answering_the_quizzes_shows_status_and_score_in_the_inspector(page, preview):
    player = open_preview(page, preview)
    expect(inspector(page, "status")).to_have_text("incomplete")
    expect(inspector(page, "suspend-data")).to_contain_text(" of 4096 characters")
    player.read_all_pages()
    player.take_quiz(QUIZ_1)
    player.take_quiz(QUIZ_2, wrong=("consent-ask",))      # 100% and 50%: mean 75%, quiz 2 not passed yet
    expect(inspector(page, "status")).to_have_text("incomplete")
    expect(inspector(page, "score")).to_have_text("75")
    player.start_quiz()
    player.answer_attempt()
    player.see_result()
    expect(inspector(page, "status")).to_have_text("passed")
    expect(inspector(page, "score")).to_have_text("100")
    expect(inspector(page, "location")).to_have_text(re.compile(r"quiz"))
    assert page.locator('[data-field="interactions"] tr').count() >= 10
    calls = page.locator('[data-field="calls"] li')
    expect(calls.first).to_contain_text('LMSInitialize("") → "true"  error 0')
    assert page.locator('[data-field="calls"] li.failed').count() == 0

    # Relaunch resumed: the LMS hands back what it stored, the player carries on from there.
    page.get_by_role("button", name="Relaunch resumed").click()
    expect(inspector(page, "launch")).to_contain_text('resumed session (entry "resume")')
    player = content(page)
    assert player.progress_text() == "3 of 3 pages viewed"
    expect(inspector(page, "status")).to_have_text("passed")

    # Review mode: same data, no credit.
    page.get_by_role("button", name="Review mode").click()
    expect(inspector(page, "launch")).to_contain_text("review mode")
    expect(page.locator('[data-field="calls"] li').first).to_contain_text("LMSInitialize")

    # Reset the attempt: a new learner record.
    page.get_by_role("button", name="Reset attempt").click()
    expect(inspector(page, "launch")).to_contain_text('new attempt (entry "ab-initio")')
    player = content(page)
    assert player.progress_text() == "1 of 3 pages viewed"
    expect(inspector(page, "score")).to_have_text("–")

    # Switch to SCORM 2004: the server builds it, the inspector shows both statuses.
    page.get_by_label("SCORM version").select_option("2004-4th")
    preview.wait_for(r"built SCORM 2004-4th")
    expect(inspector(page, "status")).to_have_text("incomplete / unknown")
    expect(page.locator('[data-field="calls"] li').first).to_contain_text('Initialize("") → "true"  error 0')
    content(page).read_all_pages()
    expect(inspector(page, "objective-count")).to_have_text("(2)")


def test_a_saved_edit_reloads_and_a_broken_file_is_shown_over_the_last_good_build(page, preview, course_copy):
    player = open_preview(page, preview)
    player.next()                                   # some progress, which the reload must keep
    assert player.progress_text() == "2 of 3 pages viewed"
    welcome = course_copy / "modules" / "01-first-steps" / "01-welcome.md"
    text = welcome.read_text(encoding="utf-8")
    assert "Freshly edited sentence" not in text

    welcome.write_text(text + "\nFreshly edited sentence.\n", encoding="utf-8")
    preview.wait_for(r"built SCORM 1\.2 \(\d+ files? changed, modules/01-first-steps/01-welcome\.md saved\)")
    expect(page.frame_locator("#content").get_by_text("Freshly edited sentence.")).to_be_attached()
    player = content(page)
    assert player.progress_text() == "2 of 3 pages viewed"      # resumed, not started again
    expect(page.locator("#course-error")).to_be_hidden()

    quiz = course_copy / "modules" / "01-first-steps" / "quiz.yaml"
    good_quiz = quiz.read_text(encoding="utf-8")
    quiz.write_text(good_quiz.replace("type: single", "type: singel", 1), encoding="utf-8")
    preview.wait_for(r"not built \(1 error\); the last good build stays on screen")
    error = page.locator("#course-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text(re.compile(r"player-basic/modules/01-first-steps/quiz\.yaml:\d+:\d+: error: .*singel"))
    expect(page.frame_locator("#content").get_by_text("Freshly edited sentence.")).to_be_attached()
    assert any("quiz.yaml:" in line and "singel" in line for line in preview.seen)   # and in the terminal

    quiz.write_text(good_quiz, encoding="utf-8")
    preview.wait_for(r"built SCORM 1\.2")
    expect(error).to_be_hidden()
    expect(page.frame_locator("#content").get_by_text("Freshly edited sentence.")).to_be_attached()


def _get(port: int, path: str, host: str = "127.0.0.1") -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=EVENT_TIMEOUT)
    connection.putrequest("GET", path, skip_host=True)
    connection.putheader("Host", f"{host}:{port}")
    connection.endheaders()
    status = connection.getresponse().status
    connection.close()
    return status


def _listening_addresses(port: int) -> set[str]:
    """Local addresses listening on `port`, from the kernel's own table (IPv4 and IPv6)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.rsplit(":", 1)
            if int(hex_port, 16) == port and state == "0A":                # 0A: LISTEN
                found.add(address)
    return found


def test_serves_only_the_build_folder_on_127_0_0_1_and_stops_cleanly_on_ctrl_c(course_copy, tmp_path):
    running = PreviewProcess(course_copy)
    try:
        assert _listening_addresses(running.port) == {"0100007F"}           # 127.0.0.1, nothing else
        assert _get(running.port, "/") == 200
        assert _get(running.port, "/1.2/index.html") == 200
        secret = running.build_dir.parent / "outside-the-build.txt"
        secret.write_text("not for the browser")
        try:
            for path in ("/../outside-the-build.txt", "/%2e%2e/outside-the-build.txt", "/1.2/../../outside-the-build.txt",
                         "/1.2/%2E%2E/%2E%2E/outside-the-build.txt", "/..%2Foutside-the-build.txt",
                         "/1.2/..%5c..%5coutside-the-build.txt", "//etc/passwd", "/%2Fetc%2Fpasswd",
                         "/1.2/player/../../../" + str(course_copy / "course.yaml"), "/1.2/index.html%00.js"):
                assert _get(running.port, path) == 404, path
        finally:
            secret.unlink()
        # A page elsewhere that points its own DNS name at 127.0.0.1 gets nothing.
        assert _get(running.port, "/", host="attacker.example") == 421
        assert running.build_dir.is_dir()
    finally:
        code = running.stop()
    assert code == 0
    assert "preview stopped" in running.seen[-1]
    assert not running.build_dir.exists()                  # its build folder is removed
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", running.port), timeout=EVENT_TIMEOUT).close()


def test_switching_the_sco_of_a_course_packaged_per_module(page, preview, course_copy):
    open_preview(page, preview)
    expect(page.get_by_role("combobox", name="SCO", exact=True)).to_be_hidden()              # one SCO: nothing to switch
    course_file = course_copy / "course.yaml"
    course_file.write_text(course_file.read_text(encoding="utf-8").replace(
        "packaging: single-sco", "packaging: sco-per-module"), encoding="utf-8")
    preview.wait_for(r"built SCORM 1\.2 \(\d+ files changed, course\.yaml saved\)")
    sco = page.get_by_role("combobox", name="SCO", exact=True)
    expect(sco).to_be_visible()
    expect(sco.locator("option")).to_have_count(2)
    sco.select_option(index=1)
    expect(inspector(page, "launch")).to_contain_text("Next steps")
    expect(page.locator("#content")).to_have_attribute("src", "/1.2/02-next-steps.html")
    assert content(page).progress_text() == "1 of 1 pages viewed"
    expect(inspector(page, "mastery")).to_have_text("cmi.student_data.mastery_score = 80")
