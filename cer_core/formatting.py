"""Numbers, money, percentages, dates and plural categories in the page's language.

One place for every rule of how a figure is written, so cards, tables, charts, the printable
report and the Italian CSV agree. The rules come from the Unicode CLDR through Babel (the
standard library for this job): Italian ``1.234,5`` and ``1.234 €``; English ``1,234.5`` and
``€1,234``. The browser's own locale never matters: the app formats on the server.

Conventions
-----------
- ``lang`` is the app's language code, ``"it"`` or ``"en"`` (anything else is treated as
  Italian, the app's default).
- A missing or non-finite value is written ``"—"``.
- A value that rounds to zero is written without a sign (never ``"-0 €"``).
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_HALF_EVEN, Decimal
from functools import cache

from babel import Locale
from babel import dates as babel_dates
from babel import numbers as babel_numbers

#: The CLDR locale used for each app language (British English: day-month dates, 24 h).
LOCALES = {"it": "it_IT", "en": "en_GB"}
DEFAULT_LANGUAGE = "it"
MISSING = "—"
CURRENCY = "EUR"


@cache
def locale_for(lang: str) -> Locale:
    """The Babel locale of an app language (Italian for an unknown code)."""
    return Locale.parse(LOCALES.get(lang, LOCALES[DEFAULT_LANGUAGE]))


def _finite(value: object) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _rounded(value: float, digits: int) -> Decimal:
    """``value`` rounded to ``digits`` decimals, with a negative zero made positive."""
    quantum = Decimal(1).scaleb(-digits)
    rounded = Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_EVEN)
    return abs(rounded) if rounded == 0 else rounded


def _pattern(digits: int, min_digits: int | None = None) -> str:
    low = digits if min_digits is None else min_digits
    if digits == 0:
        return "#,##0"
    return "#,##0." + "0" * low + "#" * (digits - low)


def number(value: float | None, lang: str, digits: int = 0, min_digits: int | None = None) -> str:
    """A number with the language's separators.

    Parameters
    ----------
    value : float or None
    lang : str
        ``it`` or ``en``.
    digits : int
        Decimals shown [count].
    min_digits : int, optional
        Fewest decimals shown (trailing zeros beyond it are dropped); default ``digits``.

    Examples
    --------
    >>> number(1234.56, "it", 1), number(1234.56, "en", 1)
    ('1.234,6', '1,234.6')
    >>> number(-0.2, "it")
    '0'
    """
    x = _finite(value)
    if x is None:
        return MISSING
    return babel_numbers.format_decimal(
        _rounded(x, digits),
        format=_pattern(digits, min_digits),
        locale=locale_for(lang),
        decimal_quantization=True,
    )


def smart_number(value: float | None, lang: str) -> str:
    """Whole number from 100 up, at most one decimal below (no trailing zero): ``8,1``, ``12``."""
    x = _finite(value)
    if x is None:
        return MISSING
    return number(x, lang, 0) if abs(x) >= 100 else number(x, lang, 1, min_digits=0)


def money(value: float | None, lang: str, digits: int = 0) -> str:
    """An amount in euros in the language's currency pattern (``1.234 €`` / ``€1,234``).

    Examples
    --------
    >>> money(1234.4, "it"), money(1234.4, "en"), money(-0.3, "it")
    ('1.234\\xa0€', '€1,234', '0\\xa0€')
    """
    x = _finite(value)
    if x is None:
        return MISSING
    loc = locale_for(lang)
    pattern = babel_numbers.parse_pattern(loc.currency_formats["standard"].pattern)
    pattern.frac_prec = (digits, digits)
    return pattern.apply(
        _rounded(x, digits),
        loc,
        currency=CURRENCY,
        currency_digits=False,
        decimal_quantization=True,
    )


def quantity(value: float | None, unit: str, lang: str, digits: int = 0) -> str:
    """A number and its unit, joined by a no-break space (``1.049 kW``)."""
    text = number(value, lang, digits)
    return text if text == MISSING else f"{text}\u00a0{unit}"


def percent(share: float | None, lang: str, digits: int = 0) -> str:
    """A share (0.2 = 20 %) as a percentage in the language's pattern (``20%``)."""
    x = _finite(share)
    if x is None:
        return MISSING
    loc = locale_for(lang)
    pattern = babel_numbers.parse_pattern(loc.percent_formats[None].pattern)
    pattern.frac_prec = (digits, digits)
    return pattern.apply(_rounded(x * 100, digits) / 100, loc, decimal_quantization=True)


def _as_date(value: dt.date | str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def date(value: dt.date | str | None, lang: str, style: str = "long") -> str:
    """A date (or ISO ``YYYY-MM-DD`` text): ``1 novembre 2024`` / ``1 November 2024``.

    ``style`` is a CLDR width: ``short`` (``01/11/24``), ``medium`` (``1 nov 2024``),
    ``long``. Text that is not an ISO date is returned as it is.
    """
    if value is None or value == "":
        return MISSING
    try:
        day = _as_date(value)
    except ValueError:
        return str(value)
    return babel_dates.format_date(day, format=style, locale=locale_for(lang))


def month_year(value: dt.date | str | None, lang: str) -> str:
    """A month (a date or ``YYYY-MM`` text): ``agosto 2025`` / ``August 2025``."""
    if value is None or value == "":
        return MISSING
    text = str(value)
    try:
        day = _as_date(value if not isinstance(value, str) or len(text) > 7 else f"{text}-01")
    except ValueError:
        return text
    return babel_dates.format_skeleton("yMMMM", day, locale=locale_for(lang))


def month_names(lang: str, width: str = "abbreviated") -> list[str]:
    """The 12 month names, January first (stand-alone form: ``gen``…, ``Jan``…)."""
    names = locale_for(lang).months["stand-alone"][width]
    return [names[m] for m in range(1, 13)]


def plural_category(count: float, lang: str) -> str:
    """CLDR plural category of ``count`` in ``lang`` (``one``, ``many`` or ``other``)."""
    return locale_for(lang).plural_form(abs(count))


def separators(lang: str) -> str:
    """Plotly's ``layout.separators`` for the language: decimal mark, then thousands mark."""
    loc = locale_for(lang)
    return babel_numbers.get_decimal_symbol(loc) + babel_numbers.get_group_symbol(loc)


def plotly_money(lang: str, value: str = "%{value:,.0f}") -> str:
    """A Plotly text template for an amount in euros, with the symbol where the language puts
    it (``%{value:,.0f} €`` / ``€%{value:,.0f}``); digits follow :func:`separators`."""
    pattern = locale_for(lang).currency_formats["standard"].pattern.split(";")[0].strip()
    return f"€{value}" if pattern.startswith("¤") else f"{value}\u00a0€"
