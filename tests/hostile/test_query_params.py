"""Every page opened with hostile URL parameters (AppTest, the real entrypoint).

The URL names are those the pages read (widgets bound to the URL and ``st.query_params`` reads):
see PAGE_PARAMS. For each page, every parameter at once gets one hostile value (empty, malformed,
huge, negative, NaN, infinite, script/markdown, SQL). Expected: no exception, every widget at its
default (as with no parameter), a notice that something in the link was ignored, and the user's
text never echoed as live markup (HTML or a markdown link/image).
"""

from __future__ import annotations

import pytest

from tests.app.apptest import run_page

PAGE_PARAMS = {
    "home": ["lang"],
    "mappa": ["lang", "indirizzo"],
    "calcolatore": [
        "lang",
        "indirizzo",
        "conf",
        "chi",
        "classe",
        "bande",
        "f1",
        "f2",
        "f3",
        "kwh",
        "scelta",
        "dim",
        "kwp",
        "area",
        "incl",
        "orient",
        "ombra",
        "detr",
        "costo",
        "prezzi",
    ],
    "trasparenza": [
        "lang",
        "vista",
        "anno",
        "municipio",
        "stato",
        "categoria",
        "configurazione",
        "indicatore",
    ],
}
#: Valid parameters that make the page read the others (inputs shown only in some states).
CONTEXTS = [
    ("home", {}),
    ("mappa", {}),
    ("calcolatore", {}),
    ("calcolatore", {"scelta": "pv", "bande": "1"}),
    ("calcolatore", {"scelta": "producer", "dim": "area"}),
    ("trasparenza", {}),
    ("trasparenza", {"vista": "progetti"}),
    ("trasparenza", {"vista": "energia"}),
    ("trasparenza", {"vista": "municipi"}),
]
EVIL_HOST = "evil.example"
MARKUP = f"<script>alert(1)</script><img src=x onerror=alert(2)>[premi](https://{EVIL_HOST}/x)"
HOSTILE = {
    "empty": "",
    "malformed": "%zz&=;\x00",
    "huge": "9" * 400,
    "negative": "-5",
    "nan": "NaN",
    "infinite": "1e999",
    "markup": MARKUP,
    "link": f"[x](https://{EVIL_HOST})",
    "sql": "1' OR '1'='1'; DROP TABLE projects; --",
}
WIDGET_TYPES = (
    "selectbox",
    "radio",
    "number_input",
    "toggle",
    "checkbox",
    "slider",
    "select_slider",
    "multiselect",
    "button_group",
)
ALERT_TYPES = ("warning", "info", "error", "success", "toast")
TEXT_TYPES = ("markdown", "caption", "title", "header", "subheader", "latex", *ALERT_TYPES)

_baselines: dict[tuple, object] = {}


def widget_values(at) -> dict:
    values = {}
    for kind in WIDGET_TYPES:
        for widget in at.get(kind):
            if getattr(widget, "key", None):
                values[widget.key] = widget.value
    return values


def alert_texts(at) -> set[str]:
    return {element.proto.body for kind in ALERT_TYPES for element in at.get(kind)}


def rendered_texts(at) -> list[tuple[str, str, bool]]:
    """(element type, markdown source, raw HTML allowed) of every element rendering markdown."""
    found = []
    for kind in TEXT_TYPES:
        for element in at.get(kind):
            proto = element.proto
            body = getattr(proto, "body", None) or getattr(proto, "value", None) or ""
            found.append((kind, str(body), bool(getattr(proto, "allow_html", False))))
    for element in at.get("html"):
        found.append(("html", str(element.proto.body), True))
    return found


def baseline(page: str, context: dict):
    key = (page, tuple(sorted(context.items())))
    if key not in _baselines:
        at = run_page(page, "it", query=context)
        assert not at.exception, [e.message for e in at.exception]
        _baselines[key] = at
    return _baselines[key]


def live_markup(at) -> list[str]:
    """Places where the hostile text would be live markup on the page."""
    problems = []
    for kind, body, html in rendered_texts(at):
        # the app's own raw HTML (the document-language script) is allowed; the URL's never is
        if html and ("alert(" in body or "onerror=" in body or EVIL_HOST in body):
            problems.append(f"{kind} renders raw HTML from the URL: {body[:120]!r}")
        if f"](https://{EVIL_HOST}" in body:
            problems.append(f"{kind} renders a markdown link from the URL: {body[:160]!r}")
    return problems


def problems_with(page: str, context: dict, name: str) -> list[str]:
    """What goes wrong when every URL parameter of ``page`` gets ``HOSTILE[name]``."""
    value = HOSTILE[name]
    query = {param: value for param in PAGE_PARAMS[page] if param not in context} | context
    at = run_page(page, "it", query=query)
    if at.exception:
        return [f"{name}: exception {[e.message[:200] for e in at.exception]}"]
    base = baseline(page, context)
    problems = []
    got, want = widget_values(at), widget_values(base)
    changed = {k: (got.get(k), want.get(k)) for k in got.keys() | want.keys() if got[k] != want[k]}
    if changed:
        problems.append(f"{name}: URL values reached widgets (got, default): {changed}")
    if at.title[0].value != base.title[0].value:
        problems.append(f"{name}: not the page's default title: {at.title[0].value!r}")
    problems += [f"{name}: {problem}" for problem in live_markup(at)]
    if name != "empty" and not alert_texts(at) - alert_texts(base):  # empty = no value
        problems.append(f"{name}: nothing tells the user that the link's values were ignored")
    return problems


@pytest.mark.parametrize(
    ("page", "context"),
    CONTEXTS,
    ids=[f"{p}-{'-'.join(c.values()) or 'plain'}" for p, c in CONTEXTS],
)
def test_hostile_url_values_render_defaults_with_a_notice(page, context):
    problems = [problem for name in HOSTILE for problem in problems_with(page, context, name)]
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("page", [p for p in PAGE_PARAMS if "indirizzo" in PAGE_PARAMS[p]])
@pytest.mark.parametrize(
    "text",
    [
        MARKUP,
        f"![x](https://{EVIL_HOST}/p.png)",
        "**grassetto** _corsivo_ `codice` <b>tag</b> $x^2$",
        ":red[rosso] :material/warning:",
    ],
)
def test_address_text_is_never_echoed_as_markup(page, text):
    at = run_page(page, "it", query={"indirizzo": text})
    assert not at.exception, [e.message for e in at.exception]
    assert live_markup(at) == []
    for kind, body, _ in rendered_texts(at):
        for token in ("**grassetto**", ":red[rosso]", "$x^2$", "<b>tag</b>"):
            assert token not in body, f"{kind} renders the user's markup {token!r}: {body[:160]!r}"
