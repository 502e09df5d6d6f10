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
    extra = {
        k for k in catalogue("it") if k.startswith("engine.") and not k.startswith("engine.error.")
    } - {f"engine.{c}" for c in ENGLISH}
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


# Modules whose refusals reach a page: the Calcolatore's inputs and estimate, the hourly CSV
# reader and its calendar (a resident's own series), the Pianificazione upload's tables.
ERROR_MODULES = (
    "cer_core/validation.py",
    "cer_core/bounds.py",
    "cer_core/resident/inputs.py",
    "cer_core/resident/scenarios.py",
    "cer_core/resident/estimation.py",
    "cer_core/io/hourly_csv.py",
    "cer_core/timestamps.py",
    "cer_core/planning/tables.py",
    "cer_core/planning/roof_files.py",
    "cer_core/planning/roofs.py",
)
# Where each error call carries its code and values: positional index of the code, and of a
# literal dict of values (RowProblem) or None (InputError's keyword values).
ERROR_CALLS = {"InputError": (2, None), "_refuse": (2, None), "RowProblem": (3, 4)}


def raised_errors() -> list[tuple[str, str, set[str] | None]]:
    """``(where, code, value names)`` of every error call with a literal code in
    :data:`ERROR_MODULES` (value names None when they are not written out, e.g. ``**values``)."""
    import ast

    found = []
    for name in ERROR_MODULES:
        tree = ast.parse((APP_DIR.parent / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = getattr(node.func, "id", getattr(node.func, "attr", None))
            if func not in ERROR_CALLS:
                continue
            code_at, values_at = ERROR_CALLS[func]
            code = node.args[code_at] if len(node.args) > code_at else None
            if not (isinstance(code, ast.Constant) and isinstance(code.value, str)):
                continue
            if values_at is None:
                names = {k.arg for k in node.keywords}
                values = None if None in names else names
            else:
                given = node.args[values_at] if len(node.args) > values_at else ast.Dict([], [])
                values = {k.value for k in given.keys} if isinstance(given, ast.Dict) else None
            found.append((f"{name}:{node.lineno}", code.value, values))
    return found


def test_every_input_error_code_that_reaches_a_page_has_a_message():
    """Each code an engine refusal can carry to the Calcolatore or the Pianificazione upload is
    translated in both languages (``engine.error.<code>``), and each message asks only for values
    the engine gives at every place that raises it."""
    import string

    from cer_core.timestamps import CODES

    raised = raised_errors()
    assert len(raised) >= 40, "the scan found too few error calls: update ERROR_CALLS"
    codes = {code for _, code, _ in raised} | set(CODES)
    for lang in LANGUAGES:
        missing = sorted(c for c in codes if f"engine.error.{c}" not in catalogue(lang))
        assert not missing, f"{lang} lacks engine.error messages for {missing}"
    for where, code, values in raised:
        if values is None:
            continue
        template = catalogue("en")[f"engine.error.{code}"]
        wanted = {name for _, name, _, _ in string.Formatter().parse(template) if name}
        assert wanted <= values, f"{where}: {code} gives {sorted(values)}, message wants {wanted}"
