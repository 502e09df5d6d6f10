"""The panels' facing direction: the eight compass points and a small compass drawing."""

from __future__ import annotations

import math

#: The compass points offered for the panels' orientation, clockwise from north.
COMPASS = ("N", "NE", "E", "SE", "S", "SW", "W", "NW")
#: Surface azimuth of each compass point [°], clockwise from north (pvlib's convention).
AZIMUTH = {d: 45.0 * i for i, d in enumerate(COMPASS)}


def compass_svg(azimuth: float, letters: dict[str, str], alt: str) -> str:
    """A small compass with an arrow towards ``azimuth`` [°] (SVG text, no external resource).

    Parameters
    ----------
    azimuth : float
        Direction the panels face [°], clockwise from north.
    letters : dict
        The page language's letter for ``N``, ``E``, ``S`` and ``W``.
    alt : str
        The drawing's accessible name.
    """
    marks = "".join(
        f'<text x="{50 + 38 * math.sin(math.radians(a))}" '
        f'y="{54 - 38 * math.cos(math.radians(a))}" text-anchor="middle" font-size="11" '
        f'fill="#4a5a52">{letters[d]}</text>'
        for d, a in (("N", 0), ("E", 90), ("S", 180), ("W", 270))
    )
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" width="96" height="96" '
        f'role="img" aria-label="{alt}">'
        '<circle cx="50" cy="50" r="46" fill="#f3f6f4" stroke="#c9d3cd"/>'
        f"{marks}"
        f'<g transform="rotate({azimuth} 50 50)">'
        '<polygon points="50,18 57,52 50,46 43,52" fill="#B85C00"/>'
        '<circle cx="50" cy="50" r="3" fill="#0B5D3B"/></g></svg>'
    )
