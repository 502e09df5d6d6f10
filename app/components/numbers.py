"""Figures written in the page's language: :mod:`cer_core.formatting` bound to the language
chosen with the switch (never the browser's). Pages use these instead of formatting numbers
themselves, so a card, a table and a chart write the same figure the same way.
"""

from __future__ import annotations

import datetime as dt

from app.i18n import current_language
from cer_core import formatting as fmt


def number(value: float | None, digits: int = 0) -> str:
    """A number (IT ``1.234,5``; EN ``1,234.5``)."""
    return fmt.number(value, current_language(), digits)


def smart(value: float | None) -> str:
    """Whole number from 100 up, at most one decimal below (no trailing zero)."""
    return fmt.smart_number(value, current_language())


def money(value: float | None, digits: int = 0) -> str:
    """An amount in euros (IT ``1.234 €``; EN ``€1,234``)."""
    return fmt.money(value, current_language(), digits)


def kwh(value: float | None) -> str:
    """An energy in kWh, whole (``1.049 kWh``)."""
    return fmt.quantity(value, "kWh", current_language())


def percent(share: float | None, digits: int = 0) -> str:
    """A share (0.2 = 20 %) as a percentage."""
    return fmt.percent(share, current_language(), digits)


def date(value: dt.date | str | None, style: str = "long") -> str:
    """A date (``1 novembre 2024`` / ``1 November 2024``)."""
    return fmt.date(value, current_language(), style)


def month_year(value: dt.date | str | None) -> str:
    """A month (``agosto 2025`` / ``August 2025``)."""
    return fmt.month_year(value, current_language())


def separators() -> str:
    """Plotly's ``layout.separators`` for the page's language."""
    return fmt.separators(current_language())


def quantity(value: float | None, unit: str, digits: int = 0) -> str:
    """A number and its unit joined by a no-break space (``1.049 kWp``)."""
    return fmt.quantity(value, unit, current_language(), digits)


def plotly_money() -> str:
    """A Plotly text template for an amount in euros, the symbol where the language puts it."""
    return fmt.plotly_money(current_language())
