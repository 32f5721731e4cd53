"""A course's own wording of the player's and the handouts' messages, and what its language gets.

Two places, for two kinds of author: `strings:` in course.yaml (a few keys, in the course's own
`language:`), and `locale/<language>.po` in the course folder (a gettext catalogue made from
builder/locale/messages.pot, for any language the course is built in, `languages:` included).
course.yaml wins over locale/ for the same key. Keys are the messages' `msgctxt`; a plural is
reworded form by form (`quiz-asks-one`, `quiz-asks-other`: the CLDR categories of the language).

A key coursesmith has no message for, or a placeholder its English does not have, is an error at
the line that says it (CS513): the rewording would never be shown, or would show `{name}` as it
stands. A language coursesmith ships no catalogue for is a warning (CS512) that says the player
and the handouts speak English there.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from . import ui_text
from .errors import Problem
from .suggest import similar_name
from .yamldoc import Document

PLACEHOLDER = re.compile(r"\{(\w+)\}")


def locale_file(course_dir: Path, tag: str) -> Path | None:
    """The course's catalogue for `tag`: locale/<tag>.po, else locale/<language>.po (cy-GB -> cy)."""
    for name in dict.fromkeys((tag, tag.split("-")[0])):
        path = course_dir / "locale" / f"{name}.po"
        if path.is_file():
            return path
    return None


def keys_for(tag: str) -> dict[str, str]:
    """Every key a course may reword in language `tag`, with the English it rewords."""
    categories = ui_text.plural_categories(tag)
    keys: dict[str, str] = {}
    for key, english in ui_text.source_messages().items():
        if len(english) == 2:
            keys.update({f"{key}-{category}": english[1] for category in categories})
        else:
            keys[key] = english[0]
    return keys


def _wording_problem(key: str, text: str, tag: str, where: tuple[str, int], what: str) -> Problem | None:
    known = keys_for(tag)
    if key not in known:
        close = similar_name(key, list(known))
        return Problem(where[0], where[1], 1, f"{what} {key!r} is not a message of the player or the handouts",
                       f"did you mean {close!r}?" if close else
                       "use a key (msgctxt) of coursesmith's builder/locale/messages.pot", code="CS513")
    unknown = sorted(set(PLACEHOLDER.findall(text)) - set(PLACEHOLDER.findall(known[key])) - {"count"})
    if unknown:
        allowed = sorted(set(PLACEHOLDER.findall(known[key]))) or ["none"]
        return Problem(where[0], where[1], 1, f"{what} {key!r} has a placeholder {{{unknown[0]}}} the message does not fill",
                       "the message fills " + ", ".join(f"{{{n}}}" if n != "none" else n for n in allowed), code="CS513")
    return None


def yaml_strings(doc: Document, strings: dict[str, str], tag: str) -> tuple[dict[str, str], list[Problem]]:
    """course.yaml's `strings:` checked: the rewordings and the problems of those that cannot be."""
    kept, problems = {}, []
    for key, text in strings.items():
        line = doc.where(("strings", key), key=True)[0]
        problem = _wording_problem(key, text, tag, (doc.path, line), "`strings:`")
        if problem:
            problems.append(problem)
        else:
            kept[key] = text
    return kept, problems


def po_strings(text: str, shown: str, tag: str) -> tuple[dict[str, str], list[Problem]]:
    """A course's locale/<language>.po read by Babel: its rewordings (flat keys) and its problems."""
    from babel.messages.pofile import PoFileError, read_po

    try:
        catalogue = read_po(io.BytesIO(text.encode("utf-8")), abort_invalid=True)
    except PoFileError as exc:
        return {}, [Problem(shown, getattr(exc, "lineno", 1) or 1, 1, f"this catalogue cannot be read: {exc}",
                            "write it as gettext .po: msgctxt, msgid and msgstr lines (copy entries from "
                            "builder/locale/messages.pot)", code="CS513")]
    problems = []
    for message in catalogue:
        if not message.id:
            continue
        if not message.context:
            problems.append(Problem(shown, message.lineno, 1, "this message has no msgctxt: coursesmith finds "
                                    "messages by their key", "copy the entry with its msgctxt line from messages.pot",
                                    code="CS513"))
    known = ui_text.source_messages()
    for message in catalogue:
        if message.id and message.context and message.context not in known:
            close = similar_name(message.context, list(known))
            problems.append(Problem(shown, message.lineno, 1, f"msgctxt {message.context!r} is not a message of the "
                                    "player or the handouts", f"did you mean {close!r}?" if close else
                                    "use a msgctxt of coursesmith's builder/locale/messages.pot", code="CS513"))
    lines = {m.context: m.lineno for m in catalogue if m.context}
    kept = {}
    for key, wording in ui_text.flat_table(catalogue, tag).items():
        base = key if key in known else key.rsplit("-", 1)[0]
        if base not in known:
            continue
        problem = _wording_problem(key, wording, tag, (shown, lines.get(base, 1)), "msgctxt")
        if problem:
            problems.append(problem)
        else:
            kept[key] = wording
    return kept, problems


def no_catalogue_problem(tag: str, where: tuple[str, int], own: bool) -> list[Problem]:
    """The warning for a language coursesmith ships no catalogue for (unless the course brings one)."""
    if ui_text.catalogue_language(tag) is not None or own:
        return []
    import langcodes        # here: its data takes longer to import than a small course to load

    if not langcodes.tag_is_valid(tag):
        return []           # an unknown tag is an error of its own (validate.language_problems)
    shipped = ", ".join(ui_text.shipped_languages())
    return [Problem(where[0], where[1], 1, f"coursesmith has no catalogue of the player's and the handouts' words "
                    f"in {tag}: they fall back to English ({ui_text.FALLBACK}), message by message",
                    f"add locale/{tag.split('-')[0]}.po to the course (a copy of builder/locale/messages.pot, "
                    f"translated) or use a language coursesmith ships: {shipped}", "warning", code="CS512")]
