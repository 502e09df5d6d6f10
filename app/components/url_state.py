"""Widgets whose value lives in the page's URL, so that every view is a shareable link.

Streamlit 1.67's ``bind="query-params"`` ignores the URL for widgets with a ``format_func``
(our options are translated), so the URL is read and written here for every input: the value is
seeded from ``?name=`` once per session and written back on every run (removed when it equals
the default). A URL value the widget cannot show or the engine would refuse (not a number, NaN,
infinite, outside the range, not one of the options, too long) gives the default, and the page's
``on_ignored`` callback is told so it can say which part of the link it ignored.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from urllib.parse import urlencode

import streamlit as st

from app.i18n import follow_language

#: What :func:`parse` returns for URL text that is not a value of the default's type.
BAD = object()

#: ``on_ignored(name, label, raw)``: called when the URL's ``?name=raw`` was not usable.
IgnoredCallback = Callable[[str, str, str], None]


def parse(raw: str, default, max_chars: int | None = None):
    """URL text → a value of ``default``'s type (bool, int, float or str), or :data:`BAD`.

    Booleans are ``0``/``1``/``true``/``false``; an int must be a whole number; a number must be
    finite; text longer than ``max_chars`` is refused.
    """
    if isinstance(default, bool):
        return (
            raw in ("1", "true", "True")
            if raw in ("0", "1", "true", "false", "True", "False")
            else BAD
        )
    if isinstance(default, int | float):
        try:
            value = float(raw)
        except (ValueError, OverflowError):
            return BAD
        if not math.isfinite(value):
            return BAD
        if isinstance(default, int):
            return int(value) if value == int(value) else BAD
        return value
    if max_chars is not None and len(raw) > max_chars:
        return BAD
    return raw


def in_range(value: float, limits: tuple | None) -> bool:
    """Whether ``value`` lies in ``limits`` = (low, high[, low_open]) (``None``: no limits)."""
    if limits is None:
        return True
    low, high, *rest = limits
    low_open = bool(rest and rest[0])
    return (low < value if low_open else low <= value) and value <= high


def from_url(
    raw: str | None,
    default,
    options: Sequence | None = None,
    limits: tuple | None = None,
    max_chars: int | None = None,
):
    """The value a URL's text gives a widget: ``(value, ignored)``.

    A missing or empty ``raw`` gives ``default`` (not ignored). With ``options``, the option
    whose text is ``raw`` (options may be numbers, e.g. years); otherwise ``raw`` parsed to the
    default's type and, for a number, checked against ``limits`` = (low, high[, low_open]).
    Anything unusable gives ``(default, True)``.
    """
    if raw is None or raw == "":
        return default, False
    if options is not None:
        chosen = next((o for o in options if str(o) == raw), BAD)
        return (default, True) if chosen is BAD else (chosen, False)
    value = parse(raw, default, max_chars)
    if value is BAD or (isinstance(value, int | float) and not in_range(value, limits)):
        return default, True
    return value, False


def to_url(value) -> str:
    """A widget value as URL text (booleans as ``1``/``0``)."""
    return ("1" if value else "0") if isinstance(value, bool) else str(value)


class UrlState:
    """The URL-bound widgets of one page.

    Parameters
    ----------
    prefix : str
        Session-state key prefix of the page's widgets (``calc_`` → ``calc_kwp``).
    on_ignored : callable
        ``on_ignored(name, label, raw)``, called when the link's ``?name=raw`` is not usable
        (the widget then starts from its default).
    """

    def __init__(self, prefix: str, on_ignored: IgnoredCallback) -> None:
        self.prefix = prefix
        self.on_ignored = on_ignored

    def key(self, name: str) -> str:
        """The session-state key of the widget kept in ``?name=``."""
        return self.prefix + name

    def widget(
        self,
        widget: Callable,
        label: str,
        name: str,
        default,
        options: Sequence | None = None,
        url_range: tuple | None = None,
        format_func: Callable | None = None,
        **kwargs,
    ):
        """Draw ``widget`` with its value kept in the URL as ``?name=``.

        ``url_range`` = (low, high[, low_open]) limits a number from the URL (default: the
        widget's ``min_value``/``max_value``). With ``options``, their labels are computed now,
        in this run's language (Streamlit may format options outside the script run).
        """
        key = self.key(name)
        if key not in st.session_state:
            raw = st.query_params.get(name)
            low, high = kwargs.get("min_value"), kwargs.get("max_value")
            if url_range is None and low is not None:
                url_range = (low, high)
            value, ignored = from_url(raw, default, options, url_range, kwargs.get("max_chars"))
            if ignored:
                self.on_ignored(name, label, raw)
            st.session_state[key] = value
        if options is not None:
            follow_language(key)
            if format_func is not None:
                labels = {option: format_func(option) for option in options}
                kwargs["format_func"] = lambda o: labels.get(o, str(o))
            value = widget(label, options, key=key, **kwargs)
        else:
            value = widget(label, key=key, **kwargs)
        if value is None:
            value = default
        if value == default:
            if name in st.query_params:
                del st.query_params[name]
        else:
            st.query_params[name] = to_url(value)
        return value

    def number(
        self,
        label: str,
        name: str,
        default: float,
        step: float,
        url_range: tuple,
        help_text: str | None = None,
        fmt: str = "%.0f",
    ) -> float:
        """A number input with no min/max (the engine checks what the user types); a URL value
        outside ``url_range`` = (low, high[, low_open]) is ignored."""
        return self.widget(
            st.number_input,
            label,
            name,
            float(default),
            url_range=url_range,
            step=float(step),
            format=fmt,
            help=help_text,
        )

    def forget(self, name: str) -> None:
        """Drop the widget ``name``'s value from the session and the URL (back to its default)."""
        st.session_state.pop(self.key(name), None)
        if name in st.query_params:
            del st.query_params[name]


def current_link(extra: dict[str, str] | None = None) -> str:
    """The address of the current page with what its URL holds now, plus ``extra`` parameters."""
    base = (st.context.url or "").split("?", 1)[0]
    params = st.query_params.to_dict() | (extra or {})
    return base + ("?" + urlencode(params) if params else "")
