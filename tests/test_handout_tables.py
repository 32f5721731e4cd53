"""Only tables whose longest words cannot stand side by side on the page may break words anywhere
(the costly `overflow-wrap: anywhere`); the hostile course's PDFs prove they still fit
(tests/test_handout_layout.py)."""

from pathlib import Path

import lxml.html

from builder.handout.tables import SQUEEZE_CLASS, squeeze_wide_tables
from builder.paths import templates_dir

FONTS = (templates_dir() / "fonts" / "atkinson-hyperlegible", templates_dir() / "fonts" / "dejavu-sans")


def document(*tables: str) -> str:
    return "<!DOCTYPE html><html><body>" + "".join(tables) + "</body></html>"


def table(*rows: list[str], css_class: str = "") -> str:
    cells = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f"<table{f' class={css_class!r}' if css_class else ''}>{cells}</table>"


def classes(html: str) -> list[str]:
    return [t.get("class") or "" for t in lxml.html.document_fromstring(html).iter("table")]


def test_a_table_of_ordinary_words_is_left_to_wrap_between_words():
    html = document(table(["Who covers the weekend rota?", "The team leader", "Friday"]))
    assert squeeze_wide_tables(html, FONTS) == html


def test_many_columns_of_long_words_or_one_unbreakable_word_are_squeezed_and_others_are_not():
    twelve = table([f"Dekubitusprophylaxe{n}" for n in range(12)])
    unbreakable = table(["A" * 160, "short"], css_class="plan")
    link = table(['<a href="https://example.org/' + "x" * 120 + '">the guidance</a>'])
    ordinary = table(["one", "two"])
    result = classes(squeeze_wide_tables(document(twelve, unbreakable, link, ordinary), FONTS))
    assert result == [SQUEEZE_CLASS, f"plan {SQUEEZE_CLASS}", SQUEEZE_CLASS, ""]


def test_a_page_without_tables_is_not_parsed():
    html = "<p>no table here</p>"
    assert squeeze_wide_tables(html, (Path("/nonexistent"),)) is html
