"""The Calcolatore's layout pieces: the sticky one-line summary for phones and the grid of
result cards."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

SUMMARY_KEY = "calc_summary"
SUMMARY_STYLE = """<style>
.st-key-calc_summary { display: none; }
@media (max-width: 640px) {
  /* sticky on the wrapper Streamlit puts around the container (same height as the box) */
  [data-testid="stLayoutWrapper"]:has(> .st-key-calc_summary) {
    position: sticky; top: 3.5rem; z-index: 10; }
  .st-key-calc_summary { display: flex; background: #FFFFFF; border: 1px solid #C9D3CD;
    border-radius: 0.5rem; padding: 0.4rem 0.75rem; box-shadow: 0 2px 6px rgba(0, 0, 0, 0.08); }
}
</style>"""

#: One result card: (label, value, help text, caption or None).
Card = tuple[str, str, str, str | None]


def sticky_summary():
    """A container for a one-line summary, shown only on narrow screens, sticky under the
    header (on a phone the two columns stack and the results sit far below the inputs)."""
    summary = st.container(key=SUMMARY_KEY)
    st.html(SUMMARY_STYLE)
    return summary


def card(column, label: str, value: str, help_text: str, caption: str | None = None) -> None:
    """One figure as a bordered metric, with an optional caption under it."""
    with column:
        st.metric(label, value, help=help_text, border=True)
        if caption:
            st.caption(caption)


def card_grid(cards: Sequence[Card]) -> None:
    """The cards two by row."""
    for i in range(0, len(cards), 2):
        columns = st.columns(2)
        for column, (label, value, help_text, caption) in zip(
            columns, cards[i : i + 2], strict=False
        ):
            card(column, label, value, help_text, caption)
