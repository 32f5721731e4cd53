"""SVG pictures reduced to pictures: the one place that decides what of an SVG file reaches a learner.

A package is served from the LMS's own origin, and an SVG opened as a document (a learner clicking
"open image in new tab", or the LMS serving it inline) is a full browser document that can run
script, load XSLT, embed XHTML or fetch other URLs. So every SVG asset is parsed here (no network,
no DTD, no entities), checked against an allow-list, and written back out from the parsed tree:

- things that can only be hostile (script, event handlers, XHTML, processing instructions,
  animations that rewrite links, references outside the file, CSS that loads something) are
  refused with the line and the element, because silently dropping them would hide an attack
  from the author;
- things that are harmless but not needed (comments, editor metadata, unknown attributes) are
  dropped from the copy that goes into the package and the PDF;
- sizes that would exhaust a browser or WeasyPrint (elements, `<use>` expansion) are refused.

The package and the PDF both use `clean_svg`'s output, never the author's bytes.
"""

from __future__ import annotations

import re
from pathlib import Path
from dataclasses import dataclass, field

import tinycss2
from lxml import etree

from .errors import Problem

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
XML = "http://www.w3.org/XML/1998/namespace"

MAX_SVG_ELEMENTS = 20_000          # elements in the file
MAX_SVG_SHAPES = 100_000           # elements drawn once every <use> is expanded
MAX_USE_DEPTH = 8                  # <use> inside a referenced <use> inside ...

# Drawing programs add these; they draw nothing and are dropped from the packaged copy.
EDITOR_NAMESPACES = {
    "http://www.inkscape.org/namespaces/inkscape",
    "http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "http://purl.org/dc/elements/1.1/",
    "http://creativecommons.org/ns#",
    "http://web.resource.org/cc/",
    "http://www.bohemiancoding.com/sketch/ns",
    "http://ns.adobe.com/AdobeIllustrator/10.0/",
    "http://ns.adobe.com/AdobeSVGViewerExtensions/3.0/",
    "http://ns.adobe.com/Extensibility/1.0/",
    "http://ns.adobe.com/Graphs/1.0/",
    "http://ns.adobe.com/SaveForWeb/1.0/",
    "http://ns.adobe.com/Variables/1.0/",
    "http://ns.adobe.com/ImageReplacement/1.0/",
    "http://ns.adobe.com/GenericCustomNamespace/1.0/",
    "http://ns.adobe.com/XPath/1.0/",
    "http://www.serif.com/",
    "http://www.figma.com/figma/ns",
}

FILTER_PRIMITIVES = {
    "feBlend", "feColorMatrix", "feComponentTransfer", "feComposite", "feConvolveMatrix",
    "feDiffuseLighting", "feDisplacementMap", "feDistantLight", "feDropShadow", "feFlood", "feFuncA",
    "feFuncB", "feFuncG", "feFuncR", "feGaussianBlur", "feMerge", "feMergeNode", "feMorphology",
    "feOffset", "fePointLight", "feSpecularLighting", "feSpotLight", "feTile", "feTurbulence",
}
ELEMENTS = {
    "svg", "g", "defs", "symbol", "use", "title", "desc", "switch", "view", "a",
    "path", "rect", "circle", "ellipse", "line", "polyline", "polygon",
    "text", "tspan", "textPath",
    "linearGradient", "radialGradient", "stop", "pattern", "clipPath", "mask", "marker", "filter",
    "image", "style",
    "animate", "animateTransform", "animateMotion", "mpath", "set",
} | FILTER_PRIMITIVES
DROPPED_ELEMENTS = {"metadata"}     # harmless but unused: left out of the copy
ANIMATIONS = {"animate", "animateTransform", "animateMotion", "set"}
SHAPES = {"path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "text", "tspan", "textPath", "image"}

ATTRIBUTES = {
    # core and structure
    "id", "class", "style", "lang", "tabindex", "role", "focusable", "version", "baseProfile",
    "viewBox", "preserveAspectRatio", "x", "y", "width", "height", "transform", "href",
    "requiredFeatures", "requiredExtensions", "systemLanguage", "zoomAndPan",
    "aria-label", "aria-labelledby", "aria-describedby", "aria-hidden",
    # geometry
    "d", "pathLength", "cx", "cy", "r", "rx", "ry", "x1", "y1", "x2", "y2", "points",
    "dx", "dy", "rotate", "textLength", "lengthAdjust", "startOffset", "method", "spacing", "side",
    # presentation
    "alignment-baseline", "baseline-shift", "clip", "clip-path", "clip-rule", "color",
    "color-interpolation", "color-interpolation-filters", "color-rendering", "cursor", "direction",
    "display", "dominant-baseline", "fill", "fill-opacity", "fill-rule", "filter", "flood-color",
    "flood-opacity", "font", "font-family", "font-size", "font-size-adjust", "font-stretch",
    "font-style", "font-variant", "font-weight", "image-rendering", "letter-spacing",
    "lighting-color", "marker", "marker-end", "marker-mid", "marker-start", "mask", "mask-type",
    "opacity", "overflow", "paint-order", "pointer-events", "shape-rendering", "stop-color",
    "stop-opacity", "stroke", "stroke-dasharray", "stroke-dashoffset", "stroke-linecap",
    "stroke-linejoin", "stroke-miterlimit", "stroke-opacity", "stroke-width", "text-anchor",
    "text-decoration", "text-rendering", "transform-origin", "unicode-bidi", "vector-effect",
    "visibility", "white-space", "word-spacing", "writing-mode", "isolation", "mix-blend-mode",
    # gradients, patterns, markers, clips, masks
    "gradientUnits", "gradientTransform", "spreadMethod", "fx", "fy", "fr", "offset",
    "patternUnits", "patternContentUnits", "patternTransform", "markerUnits", "markerWidth",
    "markerHeight", "refX", "refY", "orient", "clipPathUnits", "maskUnits", "maskContentUnits",
    # filters
    "filterUnits", "primitiveUnits", "in", "in2", "result", "stdDeviation", "mode", "type", "values",
    "operator", "k1", "k2", "k3", "k4", "order", "kernelMatrix", "divisor", "bias", "targetX",
    "targetY", "edgeMode", "kernelUnitLength", "preserveAlpha", "surfaceScale", "diffuseConstant",
    "specularConstant", "specularExponent", "azimuth", "elevation", "z", "pointsAtX", "pointsAtY",
    "pointsAtZ", "limitingConeAngle", "scale", "xChannelSelector", "yChannelSelector", "radius",
    "baseFrequency", "numOctaves", "seed", "stitchTiles", "tableValues", "slope", "intercept",
    "amplitude", "exponent",
    # animation (attributeName is checked separately)
    "attributeName", "attributeType", "begin", "dur", "end", "min", "max", "restart", "repeatCount",
    "repeatDur", "calcMode", "keyTimes", "keySplines", "from", "to", "by", "additive", "accumulate",
    "keyPoints", "path", "fill",
    # <style>
    "media",
}
XML_ATTRIBUTES = {"space", "lang"}
SAFE_IMAGE_DATA = re.compile(r"\s*data:image/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]*\Z", re.I)
LINK_SCHEMES = re.compile(r"\s*(https?:|mailto:)", re.I)
# Animating these would turn a link or a handler into script, or load something.
ANIMATION_TARGETS_REFUSED = re.compile(r"\A\s*(xlink:)?(href|src|style|class|begin|end)\s*\Z|\A\s*on", re.I)
# Functions whose strings are URLs, and functions that draw or run something from outside.
_CSS_URL_FUNCTIONS = {"url", "src", "image", "image-set", "-webkit-image-set", "cross-fade", "-webkit-cross-fade"}
_CSS_FUNCTIONS_REFUSED = {"element", "-moz-element", "paint", "expression", "attr"}
_CSS_PROPERTIES_REFUSED = {"behavior", "-moz-binding"}
_CSS_AT_RULES = {"media", "keyframes", "-webkit-keyframes", "supports"}
_FRAGMENT = re.compile(r"\s*#[^\s]*\s*\Z")
_URL_REFERENCE = re.compile(r"url\(", re.I)

REFUSE_HINT = "SVGs in a course must be pictures only: remove it, or export the picture again as plain SVG"


class SvgRefused(Exception):
    pass


@dataclass
class _Cleaner:
    shown: str
    problems: list[Problem] = field(default_factory=list)

    def refuse(self, node, message: str, hint: str = REFUSE_HINT) -> None:
        line = getattr(node, "sourceline", None) or 1
        self.problems.append(Problem(self.shown, line, 1, message, hint, code="CS607"))


def clean_svg(data: bytes, shown: str) -> tuple[bytes | None, list[Problem]]:
    """The picture rewritten to the safe subset, or None and the located reasons it is refused."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                             dtd_validation=False, remove_blank_text=False, collect_ids=False)
    try:
        tree = etree.ElementTree(etree.fromstring(data, parser))
    except etree.XMLSyntaxError as exc:
        line = exc.position[0] if exc.position else 1
        return None, [Problem(shown, line or 1, 1, f"the SVG file is not well-formed XML: {exc.msg}",
                              "open it in a drawing program and save it again as plain SVG", code="CS607")]
    cleaner = _Cleaner(shown)
    docinfo = tree.docinfo
    if docinfo.internalDTD is not None or docinfo.doctype or docinfo.system_url:
        return None, [Problem(shown, 1, 1, "the SVG file has a DOCTYPE",
                              "remove the <!DOCTYPE ...> line; entity declarations are refused", code="CS607")]
    root = tree.getroot()
    for sibling in list(root.itersiblings(preceding=True)) + list(root.itersiblings()):
        if isinstance(sibling, etree._ProcessingInstruction):
            cleaner.refuse(sibling, f"processing instruction <?{sibling.target} ...?> is not allowed in an SVG",
                           "remove the line: stylesheets and XSLT inside a picture could load or run anything")
    if root.tag != f"{{{SVG}}}svg":
        cleaner.refuse(root, f"the file's outer element is <{_name(root)}>, not an SVG <svg> element",
                       'an SVG picture starts with <svg xmlns="http://www.w3.org/2000/svg" ...>')
        return None, cleaner.problems
    count = 0
    for node in list(root.iter()):
        count += 1
        if count > MAX_SVG_ELEMENTS:
            cleaner.refuse(node, f"the SVG has more than {MAX_SVG_ELEMENTS} elements",
                           "simplify the picture (fewer points or shapes) or use a PNG")
            return None, cleaner.problems
        _clean_node(node, cleaner)
    if not cleaner.problems:
        _check_use_expansion(root, cleaner)
    if cleaner.problems:
        return None, cleaner.problems
    etree.cleanup_namespaces(root, top_nsmap={None: SVG, "xlink": XLINK})
    return etree.tostring(root, encoding="utf-8", xml_declaration=True), []


def _name(node) -> str:
    qname = etree.QName(node)
    if qname.namespace in (SVG, None):
        return qname.localname
    known = {"http://www.w3.org/1999/xhtml": "html", "http://www.w3.org/1998/Math/MathML": "math",
             "http://www.w3.org/1999/XSL/Transform": "xsl"}
    return f"{known.get(qname.namespace, qname.namespace)}:{qname.localname}"


def _remove(node) -> None:
    """Remove a node but keep the text that follows it (its tail belongs to the parent)."""
    parent = node.getparent()
    if parent is None:
        return
    if node.tail:
        previous = node.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + node.tail
        else:
            parent.text = (parent.text or "") + node.tail
    parent.remove(node)


def _clean_node(node, cleaner: _Cleaner) -> None:
    if isinstance(node, etree._ProcessingInstruction):
        cleaner.refuse(node, f"processing instruction <?{node.target} ...?> is not allowed in an SVG",
                       "remove it: stylesheets and XSLT inside a picture could load or run anything")
        return
    if isinstance(node, etree._Entity):
        cleaner.refuse(node, f"entity reference &{node.name}; is not allowed in an SVG", "write the character itself")
        return
    if isinstance(node, etree._Comment):
        _remove(node)
        return
    if node.getparent() is None and node.tag != f"{{{SVG}}}svg":
        return
    qname = etree.QName(node)
    if qname.namespace in EDITOR_NAMESPACES or (qname.namespace == SVG and qname.localname in DROPPED_ELEMENTS):
        _remove(node)
        return
    if _inside_removed(node):
        return
    if qname.namespace != SVG or qname.localname not in ELEMENTS:
        cleaner.refuse(node, f"SVG element <{_name(node)}> is not allowed", REFUSE_HINT)
        return
    name = qname.localname
    for attribute in list(node.attrib):
        _clean_attribute(node, name, attribute, cleaner)
    if name in ANIMATIONS:
        target = node.get("attributeName", "")
        if ANIMATION_TARGETS_REFUSED.search(target):
            cleaner.refuse(node, f"SVG <{name}> changes {target.strip()!r}, which could turn a link into script",
                           "animate only drawing properties such as opacity, fill or transform")
    if name == "style":
        if len(node):
            cleaner.refuse(node, "SVG <style> holds elements", "a style holds CSS text only")
        _check_css(node.text or "", node, cleaner, stylesheet=True)


def _inside_removed(node) -> bool:
    parent = node.getparent()
    while parent is not None:
        if parent.getparent() is None and parent.tag != f"{{{SVG}}}svg":
            return True
        parent = parent.getparent()
    return False


def _clean_attribute(node, element: str, attribute: str, cleaner: _Cleaner) -> None:
    qname = etree.QName(attribute)
    local, namespace = qname.localname, qname.namespace
    value = node.get(attribute)
    if local.lower().startswith("on"):
        cleaner.refuse(node, f"SVG event handler {local!r} on <{element}> is not allowed", "remove the attribute")
        return
    if namespace in EDITOR_NAMESPACES or (namespace == XML and local not in XML_ATTRIBUTES):
        del node.attrib[attribute]
        return
    if namespace not in (None, XLINK, XML):
        del node.attrib[attribute]
        return
    if local == "href" and namespace in (None, XLINK):
        if not _safe_reference(element, value):
            cleaner.refuse(node, f"SVG reference {value!r} on <{element}> points outside the picture",
                           "embed the picture's parts in the SVG itself (references like #id are fine)")
        return
    if namespace == XLINK:
        del node.attrib[attribute]          # xlink:title, xlink:show, ...: nothing to draw
        return
    if namespace is None and local not in ATTRIBUTES:
        del node.attrib[attribute]
        return
    if local == "style":
        _check_css(value, node, cleaner, stylesheet=False)
    elif _URL_REFERENCE.search(value) or "\\" in value:
        # Presentation attributes are CSS values too: fill="url(http://...)" would load.
        _check_css(f"x: {value}", node, cleaner, stylesheet=False, attribute=local)


def _safe_reference(element: str, value: str) -> bool:
    if _FRAGMENT.match(value):
        return True
    if element in ("image", "feImage") and SAFE_IMAGE_DATA.match(value):
        return True
    return element == "a" and bool(LINK_SCHEMES.match(value))


def _check_css(text: str, node, cleaner: _Cleaner, *, stylesheet: bool, attribute: str = "style") -> None:
    """Refuse CSS that could load anything, after CSS's own unescaping (`\\75 rl(` is `url(`)."""
    where = "<style>" if stylesheet else f"the {attribute!r} attribute of <{etree.QName(node).localname}>"
    if stylesheet:
        rules = tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True)
    else:
        rules = tinycss2.parse_blocks_contents(text, skip_comments=True, skip_whitespace=True)
    reason = _css_reason(rules)
    if reason:
        cleaner.refuse(node, f"CSS in {where} {reason}",
                       "styles in a picture may only refer to its own parts, e.g. fill: url(#gradient)")


def _css_reason(nodes) -> str:
    for item in nodes:
        kind = getattr(item, "type", "")
        if kind == "error":
            return f"cannot be read ({item.message})"
        if kind == "at-rule":
            if item.lower_at_keyword not in _CSS_AT_RULES:
                return f"uses @{item.lower_at_keyword}, which loads another file"
            reason = _css_reason(item.prelude) or (item.content and _css_reason(
                tinycss2.parse_blocks_contents(item.content, skip_comments=True, skip_whitespace=True)
                if item.lower_at_keyword != "keyframes" else tinycss2.parse_rule_list(item.content)))
            if reason:
                return reason
        elif kind == "qualified-rule":
            reason = _css_reason(item.prelude) or _css_reason(
                tinycss2.parse_blocks_contents(item.content, skip_comments=True, skip_whitespace=True))
            if reason:
                return reason
        elif kind == "declaration":
            if item.lower_name in _CSS_PROPERTIES_REFUSED:
                return f"uses {item.lower_name!r}"
            reason = _css_reason(item.value)
            if reason:
                return reason
        elif kind == "url":
            if not _FRAGMENT.match(item.value):
                return f"loads {item.value!r}"
        elif kind == "function":
            name = item.lower_name
            if name in _CSS_FUNCTIONS_REFUSED:
                return f"uses {name}()"
            if name in _CSS_URL_FUNCTIONS:
                for argument in item.arguments:
                    if getattr(argument, "type", "") in ("string", "url") and not _FRAGMENT.match(argument.value):
                        return f"loads {argument.value!r}"
            reason = _css_reason(item.arguments)
            if reason:
                return reason
        elif kind in ("() block", "[] block", "{} block"):
            reason = _css_reason(item.content)
            if reason:
                return reason
    return ""


def _check_use_expansion(root, cleaner: _Cleaner) -> None:
    """Refuse `<use>` chains that multiply into more shapes than a browser can draw (a "billion laughs")."""
    by_id = {}
    for node in root.iter(f"{{{SVG}}}*"):
        if node.get("id"):
            by_id.setdefault(node.get("id"), node)
    cost: dict = {}
    in_progress: set = set()

    def expanded(node, depth: int) -> int:
        if node in cost:
            return cost[node]
        if node in in_progress:
            raise SvgRefused(node, "SVG <use> refers to itself (through other elements)")
        if depth > MAX_USE_DEPTH:
            raise SvgRefused(node, f"SVG <use> elements are nested more than {MAX_USE_DEPTH} deep")
        in_progress.add(node)
        total = 1
        for child in node:
            if isinstance(child.tag, str):
                total += expanded(child, depth)
        if etree.QName(node).localname == "use":
            reference = (node.get("href") or node.get(f"{{{XLINK}}}href") or "").strip()
            target = by_id.get(reference[1:]) if reference.startswith("#") else None
            if target is not None:
                total += expanded(target, depth + 1)
        in_progress.discard(node)
        if total > MAX_SVG_SHAPES:
            raise SvgRefused(node, f"SVG <use> elements expand to more than {MAX_SVG_SHAPES} shapes")
        cost[node] = total
        return total

    try:
        expanded(root, 0)
    except SvgRefused as refused:
        node, message = refused.args
        cleaner.refuse(node, message, "draw the shapes once, or use a PNG for a very detailed picture")
    except RecursionError:
        cleaner.refuse(root, "the SVG is nested too deeply", "simplify the picture or use a PNG")


def safe_svg_bytes(path, shown: str) -> bytes:
    """The rewritten SVG for the package or the PDF; loading already refused a hostile one."""
    from .errors import CourseError

    data, problems = clean_svg(Path(path).read_bytes(), shown)
    if data is None:
        raise CourseError(problems)
    return data
