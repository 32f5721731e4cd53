"""Every word the player and the handouts show, in the course's language.

The words live in gettext catalogues beside this module: `locale/messages.pot` is the one table
of what there is to say (each message's `msgctxt` is its key, its `msgid` the English source),
and `locale/<language>.po` says it in one language. Keys are what templates and scripts ask for,
so rewording the English never breaks a translation's link to its message; a key never changes
meaning.

A message with a plural (`msgid_plural`) has one form per CLDR plural category of its language
(Welsh: zero, one, two, few, many, other), in CLDR order: that order is the `Plural-Forms`
Babel derives from the CLDR rule, so gettext tools and this module agree on which form is which.
The flat table the templates and the player read names each form `<key>-<category>`; the player
picks one with `Intl.PluralRules` (no bytes to ship), the build with Babel's rule.

Placeholders are `{name}`; a number put into one is written the language's way (Babel here,
`Intl.NumberFormat` in the player).

A course may reword any message: `strings:` in course.yaml, or its own `locale/<language>.po`
(builder/load.py reads both; validate.py refuses an unknown key). A language no catalogue
speaks falls back to English, message by message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Mapping

from markupsafe import Markup, escape

LOCALE_DIR = Path(__file__).parent / "locale"
TEMPLATE = LOCALE_DIR / "messages.pot"
FALLBACK = "en"
# CLDR's order of plural categories: the index of each form in a .po's msgstr[n].
PLURAL_ORDER = ("zero", "one", "two", "few", "many", "other")


def read_catalogue(path: Path):
    """A .po or .pot file as Babel reads it (babel.messages.catalog.Catalog)."""
    from babel.messages.pofile import read_po

    with path.open("rb") as stream:
        return read_po(stream)


def shipped_languages() -> tuple[str, ...]:
    """The languages coursesmith ships a catalogue for ("cy", "pt", ...)."""
    return tuple(sorted(path.stem for path in LOCALE_DIR.glob("*.po")))


@lru_cache(maxsize=1)
def source_messages() -> dict[str, tuple[str, ...]]:
    """Each key's English source: one text, or the singular and the plural."""
    return {message.context: tuple(message.id) if message.pluralizable else (message.id,)
            for message in read_catalogue(TEMPLATE) if message.id}


def catalogue_language(tag: str) -> str | None:
    """The shipped catalogue that speaks `tag` (cy-GB -> cy), or None."""
    shipped = shipped_languages()
    for candidate in (tag.replace("_", "-").lower(), tag.split("-")[0].lower()):
        if candidate in shipped:
            return candidate
    return None


def plural_categories(tag: str) -> tuple[str, ...]:
    """The CLDR plural categories of `tag`, in msgstr order."""
    rule = _locale(tag).plural_form
    return tuple(c for c in PLURAL_ORDER if c in rule.tags or c == "other")


def plural_forms_header(tag: str) -> str:
    """The `Plural-Forms` header a catalogue of `tag` carries (checked by the tests)."""
    from babel.plural import to_gettext

    return to_gettext(_locale(tag).plural_form)


@lru_cache(maxsize=32)
def _locale(tag: str):
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(tag, sep="-")
    except (UnknownLocaleError, ValueError):
        return Locale.parse(tag.split("-")[0]) if _babel_knows(tag.split("-")[0]) else Locale.parse(FALLBACK)


def _babel_knows(language: str) -> bool:
    from babel import localedata

    return localedata.exists(language)


def flat_table(catalogue, tag: str) -> dict[str, str]:
    """A catalogue's messages by key, each plural form as `<key>-<category>`; untranslated ones left out."""
    categories = plural_categories(tag)
    table: dict[str, str] = {}
    for message in catalogue:
        if not message.id or not message.context:
            continue
        if message.pluralizable:
            forms = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
            for category, form in zip(categories, forms):
                if form:
                    table[f"{message.context}-{category}"] = form
        elif message.string:
            table[message.context] = message.string
    return table


@lru_cache(maxsize=16)
def _shipped_table(language: str) -> dict[str, str]:
    from .cache import remembered      # a catalogue is part of coursesmith: the tool's digest covers it

    return remembered("shipped catalogue", (language,),
                      lambda: flat_table(read_catalogue(LOCALE_DIR / f"{language}.po"), language))


def rtl(tag: str) -> bool:
    """Whether `tag` is written right to left (Babel's CLDR character order)."""
    return _locale(tag).character_order == "right-to-left"


@dataclass(frozen=True)
class Words:
    """The messages of one course in its language: English under the shipped catalogue under the
    course's own overrides."""
    tag: str
    table: Mapping[str, str]

    @property
    def direction(self) -> str:
        return "rtl" if rtl(self.tag) else "ltr"

    def text(self, key: str, **slots) -> Markup:
        """The message `key` with its `{slot}`s filled; values are escaped unless they are Markup,
        numbers are written the language's way."""
        template = str(escape(self.table[key]))
        for name, value in slots.items():
            template = template.replace("{" + name + "}", str(escape(self.number(value))))
        return Markup(template)

    def plural(self, key: str, count: int, **slots) -> Markup:
        """The form of `key` the language uses for `count`, with `{count}` filled."""
        category = _locale(self.tag).plural_form(count)
        name = f"{key}-{category}"
        return self.text(name if name in self.table else f"{key}-other", count=count, **slots)

    def css(self, key: str, **slots: str) -> Markup:
        """The message as a CSS `content` value: its text as CSS strings, each `{slot}` replaced by
        the CSS given for it (`counter(page)`), so a handout's page margins speak the language."""
        parts = []
        for index, piece in enumerate(re.split(r"\{(\w+)\}", self.table[key])):
            if index % 2:
                parts.append(slots[piece])
            elif piece:
                parts.append('"' + re.sub(r'[\\"\n]', lambda m: f"\\{ord(m.group()):x} ", piece) + '"')
        return Markup(" ".join(parts) or '""')

    def number(self, value):
        """`value` written the language's way when it is a number; anything else as it is."""
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return value
        from babel.numbers import format_decimal

        return format_decimal(value, locale=_locale(self.tag), group_separator=False)

    def date(self, day: date) -> str:
        from babel.dates import format_date

        return format_date(day, format="long", locale=_locale(self.tag))

    def minutes(self, minutes: int) -> str:
        """A length of time in hours and minutes ("1 hour 5 minutes")."""
        hours, rest = divmod(minutes, 60)
        parts = [self.plural("hours", hours)] if hours else []
        if rest or not hours:
            parts.append(self.plural("minutes", rest))
        return " ".join(parts)


@lru_cache(maxsize=32)
def _words(tag: str, overrides: tuple[tuple[str, str], ...]) -> Words:
    table = dict(_shipped_table(FALLBACK))
    language = catalogue_language(tag)
    if language is not None and language != FALLBACK:
        table.update(_shipped_table(language))
    table.update(overrides)
    return Words(tag, table)


def words(tag: str, overrides: Mapping[str, str] | tuple = ()) -> Words:
    """The messages for a course in language `tag`, with its own rewordings (flat keys) on top."""
    pairs = tuple(sorted(dict(overrides).items()))
    return _words(tag, pairs)


def for_course(course) -> Words:
    """The messages of `course` (builder.model.Course): its language and its `strings`."""
    return words(course.language, course.strings)
