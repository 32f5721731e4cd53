"""A handout printed in parts (one per module, and the answer key) and merged into one PDF
(builder/handout/merge.py), read back as a reader sees it: one outline, "Page X of Y" on every
page, contents and links that land where the titles are printed, one structure tree; the same bytes in parallel and serial, cached and afresh; and an edit to one
page prints again only the part it is in (counted, never timed)."""

from __future__ import annotations

import re
from pathlib import Path

import pikepdf
import pytest

import builder.handout
from builder.handout.view import anchor_for
from builder.load import load_course
from helpers import Built, coursesmith, snapshot, squash

COURSE = "leading-in-social-care"          # a default course: six modules, both editions
ENV = {"SOURCE_DATE_EPOCH": "1700000000"}


def build(course: Path, out: Path, *options: str, cache: Path | None = None) -> dict[str, str]:
    env = {**ENV, **({"XDG_CACHE_HOME": str(cache)} if cache else {})}
    result = coursesmith("build", course, "--out", out, *options, env=env)
    assert result.returncode == 0, result.stderr
    return snapshot(out)


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    """The default course built in parallel with a cache; its model and both editions."""
    from helpers import course_path

    source = course_path(COURSE)
    out = tmp_path_factory.mktemp("parts") / "dist"
    cache = tmp_path_factory.mktemp("parts-cache")
    files = build(source, out, "--jobs", "2", cache=cache)
    course = load_course(source)
    editions = {edition: Built(next((out / course.id).glob(f"*-{edition}.pdf")))
                for edition in ("participant", "facilitator")}
    return {"course": course, "files": files, "source": source, **editions}


def _titles(course) -> dict[str, str]:
    """Anchor -> the title printed where it is, for every heading the contents links to."""
    titles = {"session-plan": "Session plan", "answer-key": "Answer key"}
    for module in course.modules:
        titles[anchor_for("module", module.id)] = module.title
        for page in module.pages:
            titles[anchor_for("page", page.id)] = page.title
        if module.quiz:
            titles[anchor_for("quiz", module.id)] = module.quiz.title
    return titles


@pytest.mark.parametrize("edition", ["participant", "facilitator"])
def test_one_outline_with_each_module_once_at_the_page_that_prints_its_title(printed, edition):
    built, course = printed[edition], printed["course"]
    outline = built.outline()
    top = [title for depth, title, _page in outline if depth == 0]
    for module in course.modules:
        assert top.count(module.title) == 1, f"{module.title!r} is not in the outline exactly once"
    pages = [page for _depth, _title, page in outline]
    assert pages == sorted(pages), "the outline is not in page order"
    for _depth, title, page in outline:
        assert squash(title) in squash(built.pages[page]), f"{title!r} is not on its bookmark's page"


@pytest.mark.parametrize("edition", ["participant", "facilitator"])
def test_every_page_after_the_cover_says_page_x_of_y(printed, edition):
    built = printed[edition]
    numbered = len(built.pages) - 1
    assert numbered > 10
    assert "Page " not in built.pages[0]
    for index in range(1, len(built.pages)):
        found = re.findall(r"Page (\d+) of (\d+)", built.pages[index])
        assert found == [(str(index), str(numbered))], f"page {index + 1} says {found}"
    assert built.reader.page_labels[:3] == ["Cover", "1", "2"]


@pytest.mark.parametrize("edition", ["participant", "facilitator"])
def test_contents_page_numbers_are_the_pages_the_module_titles_are_on(printed, edition):
    built, course = printed[edition], printed["course"]
    contents = "\n".join(page for page in built.pages[1:4] if "Contents" in page or "...." in page)
    for module in course.modules:
        match = re.search(re.escape(module.title) + r"\s*\.+\s*(\d+)", contents)
        assert match, f"{module.title!r} is missing from the contents"
        page = int(match[1])                     # numbered from 1 after the cover
        assert squash(module.title) in squash(built.pages[page]), f"{module.title!r} is not on page {page}"
        assert f"Page {page} of" in built.pages[page]


@pytest.mark.parametrize("edition", ["participant", "facilitator"])
def test_internal_links_land_on_the_page_that_prints_their_target(printed, edition):
    built, titles = printed[edition], _titles(printed["course"])
    with pikepdf.open(built.path) as pdf:
        destinations = dict(pikepdf.NameTree(pdf.Root.Names.Dests).items())
        index = {page.objgen: number for number, page in enumerate(pdf.pages)}
        followed = 0
        for number, page in enumerate(pdf.pages):
            for annotation in page.obj.get("/Annots", []):
                if "/Dest" not in annotation:
                    continue
                name = str(annotation.Dest)
                target = index[destinations[name][0].objgen]
                if name in titles:
                    assert squash(titles[name]) in squash(built.pages[target]), f"#{name} lands on page {target + 1}"
                    followed += 1
    modules = len(printed["course"].modules)
    assert followed >= modules


def test_one_structure_tree_covers_every_page(printed):
    with pikepdf.open(printed["facilitator"].path) as pdf:
        root = pdf.Root.StructTreeRoot
        assert len(root.K) == 1 and root.K[0].S == pikepdf.Name.Document
        keys = [int(key) for key, _entry in pikepdf.NumberTree(root.ParentTree).items()]
        assert len(keys) == len(set(keys)) and int(root.ParentTreeNextKey) > max(keys)
        pages = [int(page.obj.StructParents) for page in pdf.pages]
        assert len(set(pages)) == len(pdf.pages) and set(pages) <= set(keys)
        # every element of the document's tree is on a page of the document
        on_pages = {page.objgen for page in pdf.pages}
        tops = list(root.K[0].K)
        assert tops and all(top.P.objgen == root.K[0].objgen for top in tops)
        assert all(top.Pg.objgen in on_pages for top in tops if "/Pg" in top)
        assert pdf.Root.Lang == "en-GB" and bool(pdf.Root.MarkInfo.Marked)
        assert b'pdfuaid:part="1"' in pdf.Root.Metadata.read_bytes()


def test_serial_and_parallel_cached_and_afresh_give_the_same_bytes(printed, tmp_path):
    serial = build(printed["source"], tmp_path / "serial", "--jobs", "1", "--no-cache")
    assert serial == printed["files"]


def test_a_one_page_edit_prints_again_only_the_part_of_its_module(course_root, tmp_path, monkeypatch):
    course, cache = course_root(COURSE, copy=True), tmp_path / "cache"
    build(course, tmp_path / "first", "--jobs", "1", cache=cache)
    edited_module = load_course(course).modules[2]
    page = course.parent / next(page for page in edited_module.pages if page.handout).location.path
    page.write_text(page.read_text(encoding="utf-8") + "\nA sentence added after the first build.\n", encoding="utf-8")

    printed_parts = []
    real = builder.handout.print_part

    def counting(sources, part):
        printed_parts.append((sources.edition, part.name))
        return real(sources, part)
    monkeypatch.setattr(builder.handout, "print_part", counting)      # --jobs 1: in this process
    cached = build(course, tmp_path / "cached", "--jobs", "1", cache=cache)
    assert sorted(printed_parts) == [("facilitator", "module 3"), ("participant", "module 3")]
    monkeypatch.setattr(builder.handout, "print_part", real)
    clean = build(course, tmp_path / "clean", "--jobs", "2", "--no-cache")
    assert cached == clean
