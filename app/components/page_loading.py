"""A visible "loading the page" state while a page has drawn nothing yet (its first visit).

A page's first visit in a server process pays its imports and data before its title appears
(``benchmarks/bench_first_load.py``: up to ~2 s on the 2-core machine), and Streamlit shows an
empty main area meanwhile. One CSS rule, drawn by the entrypoint in the sidebar (where it takes
no room), puts a line of text over a sliding progress bar in the main area **only while the page has no
element of its own**: it disappears by itself the moment the page draws its title, so there is no
placeholder to clear and nothing moves. It fades in after 0.4 s, so a quick page never flashes it.
"""

from __future__ import annotations

import json

import streamlit as st

STYLE = """<style>
@keyframes cer-slide {
  from { background-position: -40%% 100%%, 0 100%%; }
  to { background-position: 140%% 100%%, 0 100%%; } }
@keyframes cer-appear { to { opacity: 1; } }
[data-testid="stMainBlockContainer"]:not(:has([data-testid="stElementContainer"]))::before {
  content: %(text)s; display: block; max-width: 28rem; margin-top: 2rem; padding-bottom: 0.7rem;
  color: #3D4A43; font-size: 1.05rem; opacity: 0;
  background-image: linear-gradient(90deg, transparent, #0B5D3B, transparent),
    linear-gradient(#E3E8E5, #E3E8E5);
  background-repeat: no-repeat; background-size: 35%% 4px, 100%% 4px;
  background-position: -40%% 100%%, 0 100%%;
  animation: cer-appear 0.2s ease-out 0.4s forwards, cer-slide 1.3s linear infinite;
}
</style>"""


def loading_notice(text: str) -> None:
    """Draw the rule (once per run, from the entrypoint) with ``text`` in the page's language."""
    st.sidebar.html(STYLE % {"text": json.dumps(text, ensure_ascii=False)})
