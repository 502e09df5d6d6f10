"""The theme in .streamlit/config.toml meets WCAG 2.1 AA contrast (4.5:1 for body text)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

CONFIG = Path(__file__).resolve().parents[2] / ".streamlit" / "config.toml"


def relative_luminance(hex_colour: str) -> float:
    channels = [int(hex_colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_formula_matches_known_values():
    assert contrast("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize(
    ("foreground", "background"),
    [
        ("textColor", "backgroundColor"),
        ("textColor", "secondaryBackgroundColor"),
        ("linkColor", "backgroundColor"),
        ("primaryColor", "backgroundColor"),
        ("linkColor", "secondaryBackgroundColor"),
    ],
)
def test_theme_pairs_meet_wcag_aa(foreground, background):
    theme = tomllib.loads(CONFIG.read_text())["theme"]
    ratio = contrast(theme[foreground], theme[background])
    assert ratio >= 4.5, f"{foreground} on {background}: {ratio:.2f}:1"


def test_white_text_on_primary_buttons_is_readable():
    theme = tomllib.loads(CONFIG.read_text())["theme"]
    assert contrast("#FFFFFF", theme["primaryColor"]) >= 4.5


def faded(foreground: str, background: str, opacity: float = 0.6) -> str:
    """The colour Streamlit paints captions with: ``textColor`` at 60 % opacity (measured in
    Chromium: #767977 for #1B1F1D on white)."""
    fg = [int(foreground.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4)]
    bg = [int(background.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4)]
    return "#" + "".join(
        f"{round(opacity * f + (1 - opacity) * b):02X}" for f, b in zip(fg, bg, strict=True)
    )


def test_faded_colour_matches_what_chromium_measured():
    assert faded("#1B1F1D", "#FFFFFF") == "#767977"


@pytest.mark.parametrize("background", ["backgroundColor", "secondaryBackgroundColor"])
def test_captions_meet_wcag_aa(background):
    theme = tomllib.loads(CONFIG.read_text())["theme"]
    caption = faded(theme["textColor"], theme[background])
    ratio = contrast(caption, theme[background])
    assert ratio >= 4.5, f"captions on {background}: {ratio:.2f}:1"
