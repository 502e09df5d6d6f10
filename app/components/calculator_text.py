"""The Calcolatore's sentences built from engine results: payback, price ranges, input errors
and notes, written in the page's language from the engine's codes and values."""

from __future__ import annotations

from collections.abc import Callable

from app.components.engine_text import engine_text, translated_error
from app.components.numbers import money, number, smart
from app.i18n import current_language, t, tn
from cer_core.errors import InputError


def payback_text(years: float | None) -> str:
    """``8,1 anni`` / ``1 year`` / ``beyond the horizon``."""
    if years is None:
        return t("calcolatore.never")
    return tn("calcolatore.years", round(years, 1), n=number(years, 1))


def range_text(ranges: dict, key: str, write: Callable[[float], str]) -> str | None:
    """ "Between low and high with other prices" for the figure ``key`` of an estimate's
    ``ranges`` (low, central, high); ``None`` when the prices barely move it (< 0.5)."""
    r = ranges.get(key)
    if not r or abs(r[2] - r[0]) < 0.5:
        return None
    lo, hi = min(r[0], r[2]), max(r[0], r[2])
    return t("calcolatore.range_prices", low=write(lo), high=write(hi))


def error_message(err: InputError) -> str:
    """The user's message for an input the engine refused (``engine.error.<code>``; the field
    and the engine's English message for a code without a translation)."""
    return translated_error(err, current_language()) or t(
        "calcolatore.err_generic", field=err.field, message=err.message
    )


def note_text(code: str, values: dict, address_unknown: bool) -> str:
    """An estimate's note; ``address_unknown`` turns "no configuration in your area" into
    "give an address" (we don't know the area yet)."""
    lang = current_language()
    shown = {
        k: (
            money(v)
            if k.endswith("_eur")
            else smart(v)
            if isinstance(v, float)
            else "; ".join(engine_text(n, lang) for n in v)
            if isinstance(v, tuple | list)
            else v
        )
        for k, v in values.items()
    }
    if code == "no_configuration" and address_unknown:
        code = "no_address"
    return t(f"calcolatore.note_{code}", **shown)
