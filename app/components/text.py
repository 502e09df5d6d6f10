"""User text made safe to show inside Streamlit markdown (warnings, captions, info boxes).

Streamlit renders the body of ``st.markdown``/``st.warning``/``st.caption``… as Markdown with its
own directives (``:red[…]``, ``:material/icon:``, ``$LaTeX$``). Text that comes from the user or
the URL (an address, a link value) must never become a live link, image, HTML tag, colour, icon or
formula there: :func:`escape_markdown` makes it inert.
"""

from __future__ import annotations

import re

#: Every character with a meaning in CommonMark, GitHub Markdown, HTML or Streamlit's directives.
MARKDOWN_SPECIAL = r"\`*_{}[]()<>#+-.!|~$:/&=^@"
_SPECIAL_RE = re.compile("([" + re.escape(MARKDOWN_SPECIAL) + "])")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
#: Where GitHub Markdown would still make a link from plain text (its "autolink literals" are
#: found after the escapes are resolved): before ``://``, before the dot of ``www.``, before ``@``.
_AUTOLINK_RE = re.compile(r"(?=://)|(?<=www)(?=\.)|(?=@)", re.IGNORECASE)
WORD_JOINER = "\u2060"
"""Invisible character put where an autolink would start (so no link is made)."""


def escape_markdown(text: object, limit: int | None = 80) -> str:
    """``text`` as inert Markdown: shortened, control characters blanked, markup escaped.

    Parameters
    ----------
    text : object
        Anything (converted with ``str``); typically an address or a URL value.
    limit : int or None
        Longest text kept [characters], before escaping (longer text is cut and ends with
        "…"); ``None`` keeps it whole.

    Returns
    -------
    str
        The text with every Markdown/HTML-significant ASCII punctuation character
        backslash-escaped (CommonMark shows ``\\x`` as the literal ``x``), on one line, and an
        invisible :data:`WORD_JOINER` before ``://``, ``www``'s dot and ``@`` so that GitHub
        Markdown makes no link of a bare address (``https://…``, ``www.…``, ``a@b.it``).
    """
    value = str(text)
    if limit is not None and len(value) > limit:
        value = value[: max(limit - 1, 0)] + "…"
    value = _CONTROL_RE.sub(" ", value)
    value = _AUTOLINK_RE.sub(WORD_JOINER, value)
    return _SPECIAL_RE.sub(r"\\\1", value)
