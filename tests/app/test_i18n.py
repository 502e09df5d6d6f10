"""Message catalogues: same keys in every language, and every key the code asks for exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.i18n import LANGUAGES, catalogue

APP_DIR = Path(__file__).resolve().parents[2] / "app"
# t("ns.key") / translate(lang, "ns.key") with a literal key
LITERAL_KEY = re.compile(
    r"""\b(?:t|translate)\(\s*(?:[a-z_]+,\s*)?["']([a-z_]+\.[A-Za-z0-9_]+)["']"""
)


def test_every_language_has_the_same_keys():
    keys = {lang: set(catalogue(lang)) for lang in LANGUAGES}
    reference = keys["it"]
    for lang, own in keys.items():
        assert own - reference == set(), f"{lang} has keys Italian lacks"
        assert reference - own == set(), f"{lang} lacks keys: {sorted(reference - own)}"


def test_no_message_is_empty():
    for lang in LANGUAGES:
        empty = [k for k, v in catalogue(lang).items() if not str(v).strip()]
        assert not empty, f"{lang}: empty messages {empty}"


def test_every_key_used_in_the_code_exists():
    used = set()
    for path in APP_DIR.rglob("*.py"):
        used |= set(LITERAL_KEY.findall(path.read_text(encoding="utf-8")))
    assert used, "the pattern found no t() call: update LITERAL_KEY"
    for lang in LANGUAGES:
        missing = used - set(catalogue(lang))
        assert not missing, f"{lang} lacks keys used in app/: {sorted(missing)}"


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_placeholders_match_between_languages(lang):
    field = re.compile(r"{(\w+)}")
    for key, text in catalogue("it").items():
        other = catalogue(lang)[key]
        assert set(field.findall(text)) == set(field.findall(other)), key


def test_missing_key_fails_loudly(monkeypatch):
    from app import i18n

    with pytest.raises(KeyError):
        i18n.translate("en", "home.no_such_key")


def test_every_engine_code_has_a_message_with_the_same_values():
    """cer_core.notices codes (warnings, plant reasons, sources) are translated in both
    languages, with exactly the values the engine fills in (no missing or extra placeholder)."""
    import string

    from cer_core.notices import ENGLISH

    for code, template in ENGLISH.items():
        fields = {name for _, name, _, _ in string.Formatter().parse(template) if name}
        for lang in LANGUAGES:
            key = f"engine.{code}"
            assert key in catalogue(lang), f"{lang} lacks {key}"
            own = {name for _, name, _, _ in string.Formatter().parse(catalogue(lang)[key]) if name}
            assert own == fields, f"{lang} {key}: placeholders {own} != engine values {fields}"
    extra = {k for k in catalogue("it") if k.startswith("engine.")} - {
        f"engine.{c}" for c in ENGLISH
    }
    assert not extra, f"catalogue keys no engine code emits: {sorted(extra)}"


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_engine_notices_read_in_the_page_language(lang):
    from app.components.engine_text import engine_text
    from cer_core.notices import notice

    reason = notice("before_cer_constitution", date="2024-10-14")
    warning = notice("plant_reason", plant="Tetto scuola", reason=reason)
    text = engine_text(warning, lang)
    assert text.startswith("Tetto scuola: ")
    assert ("14 ottobre 2024" if lang == "it" else "14 October 2024") in text
    money = engine_text(notice("excess_tip", excess_eur=1234.5), lang)
    assert ("1.234,50" if lang == "it" else "1,234.50") in money
    assert engine_text("plain text", lang) == "plain text"
