"""The engine's messages in the page's language.

The engine returns :class:`cer_core.notices.Notice` objects (a code and its values) for its
warnings, a plant's eligibility reasons and the weather and price sources; this module fills the
page language's message ``engine.<code>`` (``app/locales/{it,en}/engine.toml``), formatting each
value the way the page writes numbers: money for ``*_eur``, a percentage for ``*share``, a date for
``date``, coordinates with their decimals, other numbers with the language's separators. A plain
string (an engine text without a code) is shown as it is.

Refused input works the same way (:func:`error_text`): a :class:`cer_core.errors.InputError` or a
planning table's :class:`cer_core.planning.tables.RowProblem` carries a ``code`` and ``values``;
the page shows ``engine.error.<code>``, or the engine's English message for a code without one.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from app.i18n import catalogue, translate
from cer_core import formatting as fmt
from cer_core.notices import Notice

_COORDINATE_DIGITS = {"latitude": 2, "longitude": 2, "tmy_latitude": 1, "tmy_longitude": 1}


def _shown(key: str, value: object, lang: str, names: Mapping[str, str]) -> str:
    if isinstance(value, Notice):
        return engine_text(value, lang, names)
    if key == "plant" and value in names:
        return names[value]
    if isinstance(value, bool) or value is None:
        return str(value)
    if key.endswith("_eur") and isinstance(value, int | float):
        return fmt.money(value, lang, 2)
    if key.endswith("share") and isinstance(value, int | float):
        return fmt.percent(value, lang)
    if key == "date" or key.endswith("_date"):
        return fmt.date(value, lang)
    if key in _COORDINATE_DIGITS and isinstance(value, int | float):
        return fmt.number(value, lang, _COORDINATE_DIGITS[key])
    if key == "year" or key.endswith("_year"):
        return str(value)  # 2025, never "2.025"
    if isinstance(value, float) and not math.isfinite(value):
        return "∞" if value > 0 else "-∞"
    if isinstance(value, int | float):
        return fmt.smart_number(value, lang)
    return str(value)


def engine_text(message: object, lang: str, names: Mapping[str, str] | None = None) -> str:
    """``message`` (a notice or plain text) in ``lang``.

    Parameters
    ----------
    message : cer_core.notices.Notice or str
        An engine warning, reason or source label.
    lang : str
        Page language (``"it"``, ``"en"``).
    names : mapping, optional
        Page-language names for the engine's own plant names (e.g. the calculator's
        ``"my plant"``).

    Returns
    -------
    str
        The translated sentence; a plain string is returned unchanged.
    """
    if not isinstance(message, Notice):
        return str(message)
    names = names or {}
    values = {key: _shown(key, value, lang, names) for key, value in message.values.items()}
    return translate(lang, f"engine.{message.code}", **values)


def translated_error(error: object, lang: str) -> str | None:
    """``error``'s message ``engine.error.<code>`` in ``lang``, or None without one.

    Parameters
    ----------
    error : cer_core.errors.InputError or cer_core.planning.tables.RowProblem
        Anything with ``code`` and ``values``.
    lang : str
        Page language.

    Returns
    -------
    str or None
        None when the code has no message in the catalogue, or the error lacks a value the
        message needs (the caller then shows the English ``message``).
    """
    code = getattr(error, "code", None)
    key = f"engine.error.{code}"
    if not code or key not in catalogue(lang):
        return None
    values = getattr(error, "values", None) or {}
    shown = {name: _shown(name, value, lang, {}) for name, value in values.items()}
    try:
        return catalogue(lang)[key].format(**shown)
    except (KeyError, IndexError, ValueError):
        return None


def error_text(error: object, lang: str) -> str:
    """``error`` (an input error or a table problem) in ``lang``; its English ``message`` for a
    code the catalogue does not translate."""
    return translated_error(error, lang) or str(getattr(error, "message", error))
