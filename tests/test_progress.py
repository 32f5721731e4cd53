"""Progress output: a live bar for a person at a terminal, plain step lines in CI and pipes,
and NO_COLOR honoured. The terminal is a real pseudo-terminal, so rich decides as it would; output
that is not a terminal is read in this process."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from pathlib import Path

from helpers import coursesmith

ROOT = Path(__file__).parent / "roots" / "minimal"
REPO = Path(__file__).resolve().parent.parent
COLOUR = re.compile(r"\x1b\[[0-9;]*(3[0-9]|9[0-7]|38;)[0-9;]*m")


def build_in_terminal(out: Path, *args: str, **env: str) -> str:
    """`coursesmith build` with stdout and stderr on a pseudo-terminal; everything it wrote."""
    controller, terminal = pty.openpty()
    environment = {k: v for k, v in os.environ.items() if k not in ("CI", "NO_COLOR", "TERM")}
    process = subprocess.Popen([sys.executable, "-m", "builder", "build", str(ROOT), "--out", str(out), *args],
                               cwd=REPO, stdin=terminal, stdout=terminal, stderr=terminal, close_fds=True,
                               env={**environment, "TERM": "xterm-256color", "COLUMNS": "120", **env})
    os.close(terminal)
    chunks = []
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:                 # EIO: the process closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(controller)
    assert process.wait(timeout=600) == 0
    return b"".join(chunks).decode("utf-8", "replace")


def test_a_terminal_gets_a_live_bar_while_the_pdfs_render(tmp_path):
    output = build_in_terminal(tmp_path)
    assert "rendering 2 PDF handouts" in output                  # the bar's label, drawn live
    assert "\x1b[?25l" in output                                  # the cursor hidden while it redraws
    assert re.search(r"minimal-course: PDF handouts \(\d+\.\d\ds\)", output)   # and the step line stays
    assert COLOUR.search(output)


def test_no_color_keeps_the_bar_without_colour(tmp_path):
    output = build_in_terminal(tmp_path, NO_COLOR="1")
    assert "rendering 2 PDF handouts" in output
    assert not COLOUR.search(output)


def test_ci_and_pipes_get_plain_lines(tmp_path):
    output = build_in_terminal(tmp_path / "ci", "--no-pdf", CI="true")
    assert "minimal-course: SCORM 1.2 package (" in output and "\x1b[?25l" not in output
    piped = coursesmith("build", ROOT, "--out", tmp_path / "pipe", "--no-pdf")      # not a terminal
    assert piped.returncode == 0, piped.stderr
    assert "\x1b" not in piped.stderr and "rendering" not in piped.stderr
    lines = piped.stderr.splitlines()
    assert any(re.fullmatch(r"minimal-course: SCORM 1\.2 package \(\d+\.\d\ds\)", line) for line in lines)
    assert any(re.fullmatch(r"minimal-course: SCORM 2004-4th package \(\d+\.\d\ds\)", line) for line in lines)
