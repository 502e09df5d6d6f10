"""Checks shared by every public input of the engine: each refusal names the field.

One place for the wording, so the command line, the scenario files and the pages say the same
thing about the same mistake.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable

from cer_core.errors import InputError


def number(
    field: str, value, low: float, high: float, *, low_open: bool = False, unit: str = ""
) -> float:
    """``value`` as a finite float in [low, high] (or (low, high] with ``low_open``).

    Raises
    ------
    InputError
        Naming ``field`` and the allowed range (code ``"range"``); booleans, text, NaN and
        infinities are refused.
    """
    allowed = (
        f"more than {low:,.6g} up to {high:,.6g}{unit}"
        if low_open
        else f"from {low:,.6g} to {high:,.6g}{unit}"
    )
    values = {"low": low, "high": high, "unit": unit}
    if isinstance(value, bool):
        raise InputError(field, f"must be a number {allowed}, not {value!r}", "range", **values)
    try:
        x = float(value)
    except (TypeError, ValueError, OverflowError, ArithmeticError):
        raise InputError(
            field, f"must be a number {allowed}, not {value!r}", "range", **values
        ) from None
    if not math.isfinite(x) or x < low or x > high or (low_open and x == low):
        raise InputError(field, f"must be {allowed}, not {value!r}", "range", **values)
    return x


def choice(field: str, value, allowed: Iterable[str]) -> str:
    """``value`` if it is one of ``allowed``, else :class:`InputError` (code ``"choice"``)."""
    allowed = tuple(allowed)
    if value not in allowed:
        listed = ", ".join(allowed)
        raise InputError(field, f"must be one of {listed}, not {value!r}", "choice", allowed=listed)
    return value


def date(field: str, value) -> dt.date:
    """A ``datetime.date`` from a date, datetime or ISO ``YYYY-MM-DD`` text (code ``"date"``)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise InputError(field, f"must be a date YYYY-MM-DD, not {value!r}", "date") from None
