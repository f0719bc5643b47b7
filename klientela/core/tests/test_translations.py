"""Every language is complete: nothing untranslated or fuzzy, placeholders kept, .mo up to date.

The catalogs are made by `make messages` (makemessages + compilemessages) and then translated.
"""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

LANGUAGES = [code for code, _name in settings.LANGUAGES if code != "en"]
LOCALE_DIR = Path(settings.LOCALE_PATHS[0])

# %(name)s and %s style (Python and JavaScript "interpolate"), and {name} style.
PERCENT = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|%[-#0 +]*\d*(?:\.\d+)?[sdifr]")
BRACES = re.compile(r"(?<!\{)\{(\w*)\}(?!\})")


def catalogs(language: str) -> list[Path]:
    folder = LOCALE_DIR / language / "LC_MESSAGES"
    django_po = folder / "django.po"
    if not django_po.exists():
        pytest.fail(
            f"{django_po.relative_to(settings.PROJECT_DIR)} is missing: run `make messages` "
            f"and translate the strings into {language!r}."
        )
    return [django_po, *[path for path in [folder / "djangojs.po"] if path.exists()]]


def name(entry: polib.POEntry) -> str:
    return f"{entry.msgctxt}|{entry.msgid}" if entry.msgctxt else entry.msgid


def placeholders(entry: polib.POEntry, text: str) -> tuple:
    """Named placeholders as a set (order may change), positional ones in order."""
    found_percent = []
    if {"python-format", "javascript-format"} & set(entry.flags) or "%(" in entry.msgid:
        found_percent = [match.group(0) for match in PERCENT.finditer(text.replace("%%", ""))]
    named = {item for item in found_percent if item.startswith("%(")}
    positional = [item for item in found_percent if not item.startswith("%(")]
    braces = set(BRACES.findall(text))
    return named, positional, braces


def translations(entries) -> dict[str, object]:
    """(context, msgid) -> the translation, or the tuple of plural forms."""
    return {
        name(entry): (
            tuple(entry.msgstr_plural[form] for form in sorted(entry.msgstr_plural))
            if entry.msgid_plural
            else entry.msgstr
        )
        for entry in entries
        if entry.msgid
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_is_translated_and_none_is_fuzzy(language):
    for path in catalogs(language):
        catalog = polib.pofile(str(path))
        untranslated = [name(entry) for entry in catalog.untranslated_entries()]
        fuzzy = [name(entry) for entry in catalog.fuzzy_entries()]

        assert not untranslated, f"{path}: {len(untranslated)} untranslated: {untranslated[:10]}"
        assert not fuzzy, f"{path}: {len(fuzzy)} fuzzy: {fuzzy[:10]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_the_placeholders(language):
    problems = []
    for path in catalogs(language):
        for entry in polib.pofile(str(path)).translated_entries():
            if entry.msgid_plural:
                expected = placeholders(entry, entry.msgid_plural)
                forms = [placeholders(entry, text) for text in entry.msgstr_plural.values()]
                # A form used only for "one" may spell the number out, so only the union of all
                # forms must carry every placeholder, and no form may invent one.
                named = set().union(*(form[0] for form in forms))
                braces = set().union(*(form[2] for form in forms))
                single = placeholders(entry, entry.msgid)
                allowed_named = expected[0] | single[0]
                allowed_braces = expected[2] | single[2]
                if not (expected[0] <= named <= allowed_named) or not (
                    expected[2] <= braces <= allowed_braces
                ):
                    problems.append(name(entry))
            elif placeholders(entry, entry.msgid) != placeholders(entry, entry.msgstr):
                problems.append(name(entry))

    assert not problems, f"{language}: placeholders differ from the original in: {problems}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalog_matches_the_translations(language):
    for path in catalogs(language):
        compiled = path.with_suffix(".mo")
        assert compiled.exists(), f"{compiled} is missing: run `make messages`."
        wanted = translations(
            entry for entry in polib.pofile(str(path)) if entry.translated() and not entry.obsolete
        )

        assert translations(polib.mofile(str(compiled))) == wanted, (
            f"{compiled} is out of date with {path.name}: run `make messages`."
        )
