"""The shipped message catalogues (builder/locale/): each says every message of the .pot, with the
placeholders the English has and the plural forms its language's CLDR rule names."""

from __future__ import annotations

import re

import pytest

from builder import ui_text

PLACEHOLDER = re.compile(r"\{(\w+)\}")
LANGUAGES = ui_text.shipped_languages()


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def test_the_languages_the_issue_asks_for_are_shipped():
    assert {"en", "cy", "pl", "ro", "pt", "es", "ar"} <= set(LANGUAGES)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_with_its_placeholders(language):
    source = {m.context: m for m in ui_text.read_catalogue(ui_text.TEMPLATE) if m.id}
    catalogue = ui_text.read_catalogue(ui_text.LOCALE_DIR / f"{language}.po")
    translated = {m.context: m for m in catalogue if m.id}
    assert sorted(translated) == sorted(source), "the catalogue's keys are the .pot's"
    categories = ui_text.plural_categories(language)
    for key, message in translated.items():
        english = source[key]
        assert message.id == english.id, f"{key}: the msgid is the .pot's English"
        assert not message.fuzzy, f"{key} is marked fuzzy"
        forms = message.string if english.pluralizable else (message.string,)
        assert len(forms) == (len(categories) if english.pluralizable else 1), key
        wanted = set().union(*(placeholders(t) for t in (english.id if english.pluralizable else (english.id,))))
        for form in forms:
            assert form.strip() or not (english.id[0] if english.pluralizable else english.id).strip(), \
                f"{language} leaves {key} untranslated"
            # A plural form may say its number in words ("dwy awr", "ساعتان"), so {count} may go.
            assert placeholders(form) - {"count"} == wanted - {"count"}, f"{language} {key}: {form!r}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_plural_forms_follow_the_cldr_rule(language):
    catalogue = ui_text.read_catalogue(ui_text.LOCALE_DIR / f"{language}.po")
    header = dict(catalogue.mime_headers)["Plural-Forms"]
    assert header.rstrip(";").strip() == ui_text.plural_forms_header(language).rstrip(";").strip()


def test_welsh_has_six_plural_forms_and_picks_them_by_number():
    assert ui_text.plural_categories("cy") == ("zero", "one", "two", "few", "many", "other")
    words = ui_text.words("cy")
    forms = {n: words.plural("quiz-asks", n).unescape() for n in (0, 1, 2, 3, 6, 7)}
    assert len(set(forms.values())) > 2
    assert forms[2] == words.table["quiz-asks-two"].replace("{count}", "2")
    assert forms[3] == words.table["quiz-asks-few"].replace("{count}", "3")


def test_a_language_without_a_catalogue_falls_back_to_english_and_a_region_to_its_language():
    assert ui_text.catalogue_language("cy-GB") == "cy"
    assert ui_text.catalogue_language("fr-FR") is None
    assert ui_text.words("fr-FR").table == ui_text.words("en").table
    assert ui_text.words("pt-PT").table["next"] == ui_text.words("pt").table["next"] != "Next"


def test_numbers_and_dates_are_written_the_languages_way():
    from datetime import date

    assert ui_text.words("es").number(2.5) == "2,5"
    assert ui_text.words("en-GB").number(2.5) == "2.5"
    assert ui_text.words("cy").date(date(2025, 3, 12)) == "12 Mawrth 2025"
    assert ui_text.words("en-GB").date(date(2025, 3, 12)) == "12 March 2025"


def test_right_to_left_comes_from_the_language():
    assert ui_text.words("ar").direction == "rtl"
    assert ui_text.words("cy").direction == "ltr"
