"""Message catalogues and the language switch.

Every user-facing string lives in ``app/locales/<lang>/<namespace>.toml`` (flat keys); a string is
addressed as ``"<namespace>.<key>"``. Each page owns its namespace file, so pages can be written
side by side without touching one shared file. ``tests/app/test_i18n.py`` fails when a key exists
in one language and not the other, or when code asks for a key that no catalogue has.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable
from functools import cache
from pathlib import Path

import streamlit as st

from cer_core.formatting import plural_category, smart_number

LOCALES_DIR = Path(__file__).parent / "locales"
LANGUAGES = {"it": "Italiano", "en": "English"}
DEFAULT_LANGUAGE = "it"


@cache
def catalogue(lang: str) -> dict[str, str]:
    """All messages of one language, keyed ``namespace.key`` (a TOML table ``[error]`` gives
    ``namespace.error.key``)."""
    messages: dict[str, str] = {}
    for path in sorted((LOCALES_DIR / lang).glob("*.toml")):
        with path.open("rb") as handle:
            _flatten(tomllib.load(handle), path.stem, messages)
    return messages


def _flatten(table: dict, prefix: str, messages: dict[str, str]) -> None:
    for key, value in table.items():
        if isinstance(value, dict):
            _flatten(value, f"{prefix}.{key}", messages)
        else:
            messages[f"{prefix}.{key}"] = value


def current_language() -> str:
    """The language chosen with the switch (kept in the URL as ``?lang=``), Italian by default."""
    lang = st.session_state.get("lang") or DEFAULT_LANGUAGE
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def t(key: str, /, **values: object) -> str:
    """Translate ``key`` into the current language and fill ``{placeholders}``."""
    return translate(current_language(), key, **values)


def translate(lang: str, key: str, /, **values: object) -> str:
    """Translate ``key`` into ``lang``; a missing key raises ``KeyError`` (tests catch it)."""
    text = catalogue(lang)[key]
    return text.format(**values) if values else text


def language_switch() -> bool:
    """Draw the IT/EN switch in the sidebar and keep it in the URL as ``?lang=``.

    The choice is seeded from the link once per session and written back to the URL on every
    run, so it survives page changes and shared links. (Not ``bind="query-params"``: in
    Streamlit 1.67 an empty ``?lang=`` leaves a bound switch with no selection at all.)
    Returns True when the link named a language we do not have: the page opens in Italian and
    the caller tells the user.
    """
    requested = st.query_params.get("lang")
    ignored = requested is not None and requested not in LANGUAGES
    if "lang" not in st.session_state:
        st.session_state["lang"] = requested if requested in LANGUAGES else DEFAULT_LANGUAGE
    lang = st.sidebar.segmented_control(
        "Lingua / Language", options=list(LANGUAGES), required=True, key="lang"
    )
    if lang not in LANGUAGES:
        lang = DEFAULT_LANGUAGE
    if lang == DEFAULT_LANGUAGE:
        if "lang" in st.query_params:
            del st.query_params["lang"]
    elif st.query_params.get("lang") != lang:
        st.query_params["lang"] = lang
    return ignored


_WIDGET_LANGUAGE_KEY = "i18n_widget_language"


def follow_language(key: str) -> None:
    """Make the option widget ``key`` show its current value in the page's language.

    Call it just before drawing a selectbox/radio/segmented control whose options are codes
    shown through a translating ``format_func``. Streamlit 1.67 sends such a widget's value to
    the browser as its *label*; after a language switch the browser keeps showing the old label
    ("Famiglia" on the English page) until the value is set again from Python. So when the
    language has changed since this widget was last drawn, the stored code is written back to
    ``st.session_state``, which makes Streamlit send the label in the new language.
    """
    lang = current_language()
    drawn_in = st.session_state.setdefault(_WIDGET_LANGUAGE_KEY, {})
    if key in st.session_state and drawn_in.get(key, lang) != lang:
        st.session_state[key] = st.session_state[key]
    drawn_in[key] = lang


def tn(key: str, count: float, /, **values: object) -> str:
    """Translate the plural message ``key`` for ``count``: ``key_one``, ``key_many`` or
    ``key_other`` by the CLDR plural rule of the page's language (``1 progetto``, ``2 progetti``).
    A missing ``key_many`` (or ``key_one``) falls back to ``key_other``; ``{n}`` is ``count``
    written in the page's language unless ``n`` is passed."""
    lang = current_language()
    messages = catalogue(lang)
    category = plural_category(count, lang)
    chosen = f"{key}_{category}" if f"{key}_{category}" in messages else f"{key}_other"
    values.setdefault("n", smart_number(count, lang))
    return translate(lang, chosen, **values)


#: Streamlit's own skip link, the one piece of its English chrome a script can retitle.
_SKIP_LINK_TEXT = {"it": "Vai al contenuto principale", "en": "Skip to main content"}


def set_document_language() -> None:
    """Tell browsers and screen readers the page's language (``<html lang="it">``).

    Streamlit 1.67 serves every page as ``<html lang="en">`` and has no setting for it, so a
    tiny script (``st.html`` with JavaScript allowed, drawn in the sidebar where it takes no
    room) sets the attribute on every language change, and retitles Streamlit's skip link. On
    Italian pages Streamlit's English-only form hint ("Press Enter to submit form") is hidden
    (the button says what to do). The rest of Streamlit's own English (toolbar tooltips, menu)
    cannot be translated: ``docs/accessibility.md`` lists it.
    """
    lang = current_language()
    skip = _SKIP_LINK_TEXT.get(lang, _SKIP_LINK_TEXT[DEFAULT_LANGUAGE])
    script = (
        "<script>"
        f"document.documentElement.lang = {json.dumps(lang)};"
        "const skip = document.querySelector('[data-testid=\"stSkipToContent\"]');"
        f"if (skip) {{ skip.textContent = {json.dumps(skip)}; }}"
        "</script>"
    )
    if lang != "en":  # Streamlit's English-only "Press Enter to submit form" hint
        script += "<style>[data-testid='InputInstructions'] { display: none; }</style>"
    st.sidebar.html(script, unsafe_allow_javascript=True)


def labeller(prefix: str) -> Callable[[object], str]:
    """A ``format_func`` writing ``option`` as the message ``prefix + option`` in the page's
    language (bound now, so it also works when Streamlit formats options outside the run)."""
    lang_now = current_language()
    return lambda option: translate(lang_now, f"{prefix}{option}")
