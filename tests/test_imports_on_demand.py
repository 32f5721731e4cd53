"""`coursesmith --version` loads nothing of the pipeline and `check` nothing of the outputs: what a
command imports is what it costs before it does anything. Each is run in a fresh interpreter,
which then lists the modules it loaded."""

from __future__ import annotations

from helpers import course_path, modules_loaded

PIPELINE = ("builder.load", "builder.validate", "builder.schema", "builder.yamldoc", "builder.markdown", "pydantic",
            "ruamel", "markdown_it", "jinja2", "lxml")
OUTPUTS = ("builder.build", "builder.player", "builder.scorm", "builder.handout", "builder.releases", "builder.workers",
           "weasyprint", "builder.explain")


def among(modules: list[str], packages: tuple[str, ...]) -> list[str]:
    return [m for m in modules if m in packages or m.startswith(tuple(p + "." for p in packages))]


def loaded(*args: str) -> list[str]:
    return modules_loaded(*args)[0]


def test_version_loads_nothing_of_the_pipeline():
    modules = loaded("--version")
    assert "builder.cli" in modules
    assert among(modules, PIPELINE + OUTPUTS) == []


def test_check_loads_the_loader_and_nothing_of_the_outputs():
    modules = loaded("check", str(course_path("minimal")))
    assert "builder.load" in modules
    assert among(modules, OUTPUTS) == []
