"""One edition's PDF from its printed parts and its skeleton, with pikepdf (qpdf).

Each module (and the answer key) is printed as a document of its own, so a long handout is laid
out in pieces that each cost the same and can be printed side by side. The pieces cannot know
their page numbers; the skeleton does: it is the front matter (cover, contents, facilitator's
front matter) followed by one blank page for every page the parts printed, carrying that page's
"Page X of Y" and the anchors printed on it, so that the contents' page numbers and links are
WeasyPrint's own. Merging then takes the skeleton's front pages, every part's pages with the
skeleton's footer laid over them, and makes of them one document: one outline, one set of named
destinations, one structure tree (the handouts are tagged PDF/UA), the skeleton's metadata, and
each part keeping its own font subsets (fonts.py can join them, but lost Arabic glyphs).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pikepdf
from pikepdf import Array, Dictionary, Name


FOOTER = Name("/CSPageOf")


def page_anchors(pdf: bytes) -> list[list[str]]:
    """The anchors (named destinations) printed on each page of a part, page by page."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        pages = [[] for _ in document.pages]
        index = {page.objgen: number for number, page in enumerate(document.pages)}
        for name, destination in _destinations(document):
            pages[index[destination[0].objgen]].append(name)
        return pages


def merge(skeleton: bytes, parts: list[bytes]) -> bytes:
    """The edition: the skeleton's front pages, then each part's pages under the skeleton's footers."""
    out = pikepdf.new()
    sources = [pikepdf.open(io.BytesIO(skeleton))] + [pikepdf.open(io.BytesIO(part)) for part in parts]
    try:
        front = len(sources[0].pages) - sum(len(part.pages) for part in sources[1:])
        placed = [_Placed(sources[0], list(range(front)))]
        for page in list(sources[0].pages)[:front]:
            out.pages.append(page)
        blank = front
        for part in sources[1:]:
            placed.append(_Placed(part, list(range(len(part.pages)))))
            for page in part.pages:
                out.pages.append(page)
                _lay_footer_over(out, out.pages[-1], sources[0].pages[blank])
                blank += 1
        final = {}
        for number, (source, index) in enumerate((p.pdf, i) for p in placed for i in p.pages):
            final[(id(source), source.pages[index].objgen)] = number
        _copy_document_entries(out, sources[0])
        _outline(out, sources, final)
        _destinations_of(out, sources, final)
        _structure(out, placed)
        # Not embed_each_face_once(out): joining the parts' subsets lost Arabic glyphs (the
        # shaped forms a subset draws through GSUB), so each part keeps its own subset for now.
        buffer = io.BytesIO()
        out.save(buffer, deterministic_id=True, force_version="1.7", compress_streams=True,
                 object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return buffer.getvalue()
    finally:
        for source in sources:
            source.close()
        out.close()


@dataclass
class _Placed:
    pdf: pikepdf.Pdf
    pages: list[int]        # its pages that are in the edition, in order


def _copy(out: pikepdf.Pdf, item):
    """`item` of another PDF as an object of `out` (qpdf copies only indirect objects itself)."""
    if isinstance(item, pikepdf.Object) and item.is_indirect:
        return out.copy_foreign(item)
    if isinstance(item, Array):
        return Array([_copy(out, element) for element in item])
    if isinstance(item, Dictionary):
        return Dictionary({key: _copy(out, value) for key, value in item.items()})
    return item


def _destinations(document: pikepdf.Pdf):
    names = document.Root.get("/Names")
    if names is None or "/Dests" not in names:
        return []
    return list(pikepdf.NameTree(names.Dests).items())


def _lay_footer_over(out: pikepdf.Pdf, page: pikepdf.Page, blank: pikepdf.Page) -> None:
    """Draw the blank skeleton page's content (its running footer) over a part's page.

    The footer is page furniture, an artifact for assistive technology: its own marks
    (marked-content ids pointing into the skeleton's structure tree) are dropped."""
    instructions = [item for item in pikepdf.parse_content_stream(blank)
                    if str(item.operator) not in ("BDC", "BMC", "EMC")]
    content = b"/Artifact BMC\n" + pikepdf.unparse_content_stream(instructions) + b"\nEMC\n"
    form = out.make_stream(content, Type=Name.XObject, Subtype=Name.Form, BBox=_copy(out, blank.MediaBox),
                           Resources=_copy(out, blank.obj.Resources))
    # The parts' pages share one resources dictionary: each page gets its own, to name its footer.
    resources = Dictionary({key: value for key, value in page.obj.Resources.items()})
    objects = Dictionary({key: value for key, value in resources.get("/XObject", Dictionary()).items()})
    objects[FOOTER] = form
    resources.XObject = objects
    page.obj.Resources = resources
    page.contents_add(out.make_stream(b"q\n"), prepend=True)
    page.contents_add(out.make_stream(b"Q\n/Artifact BMC\nq /CSPageOf Do Q\nEMC\n"))


def _copy_document_entries(out: pikepdf.Pdf, skeleton: pikepdf.Pdf) -> None:
    """Language, XMP metadata (PDF/UA identification), page labels, viewer settings, document info."""
    for key in ("/Lang", "/Metadata", "/MarkInfo", "/ViewerPreferences", "/PageLabels", "/PageMode"):
        if key in skeleton.Root:
            out.Root[key] = _copy(out, skeleton.Root[key])
    for key, value in skeleton.docinfo.items():
        out.docinfo[key] = _copy(out, value)


def _target(out: pikepdf.Pdf, final: dict, source: pikepdf.Pdf, destination) -> Array | None:
    """A destination of `source` ([page /XYZ x y zoom]) pointing at the edition's page, or None
    when its page is not in the edition (a blank skeleton page)."""
    number = final.get((id(source), destination[0].objgen))
    if number is None:
        return None
    return Array([out.pages[number].obj, *destination[1:]])


def _outline(out: pikepdf.Pdf, sources: list[pikepdf.Pdf], final: dict) -> None:
    """One outline: every part's bookmarks in page order, each at its page in the edition."""
    def items(source, children):
        made = []
        for item in children:
            target = _target(out, final, source, item.destination)
            if target is None:
                continue
            copy = pikepdf.OutlineItem(item.title, target)
            copy.children.extend(items(source, item.children))
            made.append(copy)
        return made

    with out.open_outline() as merged:
        for source in sources:
            with source.open_outline() as outline:
                merged.root.extend(items(source, outline.root))


def _destinations_of(out: pikepdf.Pdf, sources: list[pikepdf.Pdf], final: dict) -> None:
    """Every anchor at its page in the edition, so the contents' links (named destinations) land."""
    tree = pikepdf.NameTree.new(out)
    for source in sources:
        for name, destination in _destinations(source):
            target = _target(out, final, source, destination)
            if target is not None and name not in tree:
                tree[name] = target
    out.Root.Names = Dictionary(Dests=tree.obj)


def _structure(out: pikepdf.Pdf, placed: list[_Placed]) -> None:
    """One structure tree: the parts' Document elements' children under one Document, and the
    parent tree (marked content and annotations to their elements) renumbered page by page."""
    if any("/StructTreeRoot" not in p.pdf.Root for p in placed):
        return
    root = out.make_indirect(Dictionary(Type=Name.StructTreeRoot))
    document = out.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document, P=root, K=Array()))
    root.K = Array([document])
    numbers = Array()
    key = 0
    page_of = {}
    for number, page in enumerate(out.pages):
        page_of[number] = page
    number = 0
    for source in placed:
        tree = source.pdf.Root.StructTreeRoot
        source_document = tree.K[0] if isinstance(tree.K, Array) else tree.K
        kept = {source.pdf.pages[i].objgen for i in source.pages}
        children = [child for child in source_document.K if "/Pg" not in child or child.Pg.objgen in kept]
        source_document.K = Array(children)
        del source_document["/P"]              # else copying it would bring the source's whole tree
        copied = _copy(out, source_document)
        for child in copied.K:
            child.P = document
            document.K.append(child)
        parents = _parent_tree(tree)
        for index in source.pages:
            source_page = source.pdf.pages[index]
            page = page_of[number]
            number += 1
            if "/StructParents" in source_page.obj:
                entry = _copy(out, parents[int(source_page.obj.StructParents)])
                _adopt(entry, copied, document)
                page.obj.StructParents = key
                numbers.extend([key, entry])
                key += 1
            for annotation in page.obj.get("/Annots", []):
                if "/StructParent" in annotation:
                    found = parents.get(int(annotation.StructParent))
                    annotation.StructParent = key
                    if found is not None:
                        entry = _copy(out, found)
                        numbers.extend([key, entry])
                    key += 1
    root.ParentTree = out.make_indirect(Dictionary(Nums=numbers))
    root.ParentTreeNextKey = key
    out.Root.StructTreeRoot = root


def _parent_tree(tree) -> dict[int, pikepdf.Object]:
    """The structure parent tree of a part as {key: entry} (WeasyPrint writes one flat /Nums)."""
    found = {}
    for key, entry in pikepdf.NumberTree(tree.ParentTree).items():
        found[int(key)] = entry
    return found


def _adopt(entry, copied_document, document) -> None:
    """Elements outside the main tree (the running headers' text) name the part's Document as
    their parent; they name the edition's instead."""
    elements = entry if isinstance(entry, Array) else [entry]
    for element in elements:
        while isinstance(element, Dictionary) and "/P" in element:
            parent = element.P
            if parent.objgen == copied_document.objgen:
                element.P = document
                break
            if parent.objgen == document.objgen or parent.get("/Type") == Name.StructTreeRoot:
                break
            element = parent
