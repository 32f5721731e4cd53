"""The one Jinja environment every output step renders with: autoescape always on."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined

from .paths import templates_dir


@lru_cache(maxsize=1)
def environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(templates_dir())),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def keep_compiled(cache_folder: Path | None) -> None:
    """Keep the compiled templates in the output cache's folder: compiling the player's page
    costs a one-page rebuild more than rendering it. Jinja checks each one against its template's
    source, so a changed template is compiled again (and the output is the same bytes either way).
    A dot folder, which the cache's pruning leaves alone: it holds one file per template."""
    if cache_folder is None:
        return
    folder = Path(cache_folder) / ".templates"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return              # a cache that cannot be written is only a slower build
    environment().bytecode_cache = FileSystemBytecodeCache(str(folder))
