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


def test_a_rebuild_after_an_edit_reads_the_libraries_slow_data_from_the_cache(course_root, tmp_path):
    """langcodes' registry and Babel's catalogue reader cost more than a small course's load: a
    build keeps what it read of them (builder/cache.remembered), so the next build after an edit
    imports neither, and a check after a build neither."""
    course = course_root("minimal", copy=True)
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache"), "SOURCE_DATE_EPOCH": "1700000000"}
    build = ("build", str(course), "--out", str(tmp_path / "dist"), "--no-pdf")
    first, _ = modules_loaded(*build, env=env)
    assert "langcodes" in first and "babel.messages" in first       # what the cache saves is real work
    page = sorted(course.glob("modules/*/*.md"))[0]
    page.write_text(page.read_text(encoding="utf-8") + "\nA sentence added after the first build.\n", encoding="utf-8")
    again, stderr = modules_loaded(*build, env=env)
    assert "builder.build" in again and "built" in stderr            # a real build, not the unchanged answer
    assert among(again, ("langcodes", "babel.messages")) == []
    checked, _ = modules_loaded("check", str(course), env=env)
    assert among(checked, ("langcodes", "babel.messages")) == []
