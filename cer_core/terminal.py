"""Text from files printed on a terminal: control and bidirectional characters made visible.

A name holding ``ESC [2J`` would clear the screen, one holding U+202E would be shown reversed:
:func:`inert` writes such characters as escapes (``\\x1b``, ``\\u202e``), leaving every other
character (accents included) as it is.
"""

from __future__ import annotations

#: Bidirectional-text controls and line/paragraph separators: escaped like control characters.
INVISIBLE = frozenset(
    "\u061c\u200e\u200f\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


def inert(text: str) -> str:
    """``text`` with control and bidirectional characters written as escapes (``\\x1b``,
    ``\\u202e``); newlines between lines are kept by the callers (they escape line by line)."""
    out = []
    for char in text:
        code = ord(char)
        if code < 0x20 or 0x7F <= code < 0xA0:
            out.append(f"\\x{code:02x}")
        elif char in INVISIBLE:
            out.append(f"\\u{code:04x}")
        else:
            out.append(char)
    return "".join(out)
