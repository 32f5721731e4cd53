"""The problem codes: one table, every code listed in the README, every problem the code raises coded."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from builder.codes import CODES

REPO = Path(__file__).resolve().parent.parent


def test_codes_are_well_formed_and_the_readme_lists_exactly_them():
    assert all(re.fullmatch(r"CS\d{3}", code) for code in CODES)
    assert list(CODES) == sorted(CODES)
    listed = re.findall(r"^\| `(CS\d{3})` \| (.+) \|$", (REPO / "README.md").read_text(encoding="utf-8"), re.M)
    assert dict(listed) == CODES


def test_every_problem_builder_makes_has_a_known_code():
    """Each `Problem(...)`, `.problem(...)` and `refuse(...)` in builder/ names its code."""
    uncoded = []
    for path in sorted((REPO / "builder").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name not in ("Problem", "problem", "refuse"):
                continue
            # `Problem(**fields)` rebuilds a problem that was made, with its code, by an earlier build
            code = next((k.value for k in node.keywords if k.arg in ("code", None)), None)
            if name == "refuse" and node.args:
                code = node.args[0]
            if code is None:
                uncoded.append(f"{path.relative_to(REPO)}:{node.lineno}")
            elif isinstance(code, ast.Constant) and code.value not in CODES:
                uncoded.append(f"{path.relative_to(REPO)}:{node.lineno} ({code.value})")
    assert uncoded == []
