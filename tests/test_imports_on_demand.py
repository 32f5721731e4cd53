"""`coursesmith --version` loads nothing of the pipeline and `check` nothing of the outputs: what a
command imports is what it costs before it does anything. Each is run in a fresh interpreter,
which then lists the modules it loaded."""

from __future__ import annotations

import json
import subprocess
import sys

from helpers import HANG_GUARD_SECONDS, course_path

LIST_MODULES = """
import json, sys
from builder.cli import main
try:
    main(sys.argv[1:], prog_name="coursesmith")
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""
PIPELINE = ("builder.load", "builder.validate", "builder.schema", "builder.yamldoc", "builder.markdown", "pydantic",
            "ruamel", "markdown_it", "jinja2", "lxml")
OUTPUTS = ("builder.build", "builder.player", "builder.scorm", "builder.handout", "builder.releases", "builder.workers",
           "weasyprint", "builder.explain")


def among(modules: list[str], packages: tuple[str, ...]) -> list[str]:
    return [m for m in modules if m in packages or m.startswith(tuple(p + "." for p in packages))]


def loaded(*args: str) -> list[str]:
    ran = subprocess.run([sys.executable, "-c", LIST_MODULES, *args], capture_output=True, text=True,
                         timeout=HANG_GUARD_SECONDS)
    return json.loads(ran.stderr.strip().splitlines()[-1])


def test_version_loads_nothing_of_the_pipeline():
    modules = loaded("--version")
    assert "builder.cli" in modules
    assert among(modules, PIPELINE + OUTPUTS) == []


def test_check_loads_the_loader_and_nothing_of_the_outputs():
    modules = loaded("check", str(course_path("minimal")))
    assert "builder.load" in modules
    assert among(modules, OUTPUTS) == []
