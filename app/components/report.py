"""Printable one-page HTML report of a resident's estimate (to bring to the Sportello Energia).

Pure function: every piece of text (user input included) is HTML-escaped; no script, no external
resource, so the file opens offline and prints on one A4 page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from html import escape

from cer_core.resident import ResidentEstimate

STYLE = """
@page { size: A4; margin: 12mm; }
body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; color: #1d2b24;
       font-size: 11pt; max-width: 190mm; margin: 0 auto; }
h1 { font-size: 16pt; color: #0B5D3B; margin: 0 0 2mm 0; }
h2 { font-size: 12pt; color: #0B5D3B; margin: 4mm 0 1mm 0; border-bottom: 1px solid #c9d3cd; }
table { border-collapse: collapse; width: 100%; }
td, th { padding: 1mm 2mm; border-bottom: 1px solid #e3e8e5; text-align: left; vertical-align: top; }
td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.small { font-size: 8.5pt; color: #4a5a52; }
"""


def render_report(
    est: ResidentEstimate,
    title: str,
    subtitle: str,
    inputs_rows: Sequence[tuple[str, str]],
    result_rows: Sequence[tuple[str, str]],
    notes: Sequence[str],
    footer: str,
    headings: Sequence[str] = ("Inputs", "Results", "Notes"),
    lang: str = "it",
    today: dt.date | None = None,
) -> str:
    """HTML text of the report.

    Parameters
    ----------
    est : ResidentEstimate
        The estimate (used for the date line only; the rows carry the numbers already formatted
        by the page so the report shows exactly what the page shows).
    title, subtitle : str
    inputs_rows, result_rows : sequence of (label, value)
    notes : sequence of str
        Plain-language notes and caveats.
    footer : str
        Sources and disclaimer.
    headings : sequence of 3 str
        Section titles (inputs, results, notes), already translated.
    lang : str
        ``it`` or ``en`` (the ``lang`` attribute).
    today : datetime.date, optional
        Date printed on the report.
    """
    today = today or dt.date.today()

    def rows(items):
        return "\n".join(
            f"<tr><th>{escape(str(k))}</th><td class='num'>{escape(str(v))}</td></tr>"
            for k, v in items
        )

    notes_html = "\n".join(f"<li>{escape(str(n))}</li>" for n in notes)
    lang = "en" if lang == "en" else "it"
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title><style>{STYLE}</style></head>
<body>
<h1>{escape(title)}</h1>
<p class="small">{escape(subtitle)} · {escape(today.isoformat())} · {escape(str(est.inputs.year))}</p>
<h2>{escape(headings[0])}</h2>
<table>{rows(inputs_rows)}</table>
<h2>{escape(headings[1])}</h2>
<table>{rows(result_rows)}</table>
<h2>{escape(headings[2])}</h2>
<ul class="small">{notes_html}</ul>
<p class="small">{escape(footer)}</p>
</body></html>
"""
