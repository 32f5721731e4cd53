"""Where coursesmith's own files live, in a source checkout and in an installed wheel."""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def templates_dir() -> Path:
    """The `templates/` folder: shipped inside the wheel as `builder/_templates`, beside the package in a checkout."""
    for candidate in (_PACKAGE_DIR / "_templates", _PACKAGE_DIR.parent / "templates"):
        if candidate.is_dir():
            return candidate
    raise RuntimeError("coursesmith's templates folder is missing from this installation")


def shipped_fonts() -> tuple[str, ...]:
    """The fonts a theme may choose: folders under templates/fonts/ whose font.css describes their faces
    (the handout's fallback font has none, so it is not a theme font)."""
    fonts_dir = templates_dir() / "fonts"
    return tuple(sorted(d.name for d in fonts_dir.iterdir() if (d / "font.css").is_file()))
