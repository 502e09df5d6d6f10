"""Printable one-page HTML report of a resident's estimate (to bring to the Sportello Energia).

Pure function: every piece of text (user input included) is HTML-escaped; no script, no external
resource, so the file opens offline and prints on one A4 sheet (portrait, 12 mm margins; rows
never split across pages).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from html import escape

from cer_core import formatting as fmt
from cer_core.resident import ResidentEstimate

STYLE = """
@page { size: A4 portrait; margin: 12mm; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; color: #1B1F1D;
       font-size: 10pt; line-height: 1.25; max-width: 186mm; margin: 0 auto; padding: 4mm 0; }
h1 { font-size: 16pt; color: #0B5D3B; margin: 0 0 1mm 0; }
h2 { font-size: 11.5pt; color: #0B5D3B; margin: 3mm 0 1mm 0; border-bottom: 1px solid #c9d3cd;
     break-after: avoid; }
table { border-collapse: collapse; width: 100%; }
tr { break-inside: avoid; }
th, td { padding: 0.6mm 2mm; border-bottom: 1px solid #e3e8e5; text-align: left;
         vertical-align: top; }
th { font-weight: 600; width: 58%; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.sub { display: block; font-size: 8pt; color: #4A5751; font-weight: normal; }
.small { font-size: 8.5pt; color: #4A5751; }
a { color: #0A5A8C; }
@media print { body { padding: 0; } a { color: #1B1F1D; text-decoration: none; } }
"""


def _row(item: Sequence[str]) -> str:
    label, value, *rest = item
    note = rest[0] if rest else ""
    sub = f"<span class='sub'>{escape(str(note))}</span>" if note else ""
    return f"<tr><th>{escape(str(label))}</th><td class='num'>{escape(str(value))}{sub}</td></tr>"


def render_report(
    est: ResidentEstimate,
    title: str,
    subtitle: str,
    inputs_rows: Sequence[Sequence[str]],
    result_rows: Sequence[Sequence[str]],
    notes: Sequence[str],
    footer: str,
    headings: Sequence[str] = ("Inputs", "Results", "Notes"),
    lang: str = "it",
    today: dt.date | None = None,
    date_text: str | None = None,
    link: tuple[str, str] | None = None,
    contact_title: str = "",
    contact_rows: Sequence[tuple[str, str, str]] = (),
) -> str:
    """HTML text of the report.

    Parameters
    ----------
    est : ResidentEstimate
        The estimate (the rows carry the numbers already formatted by the page, so the report
        shows exactly what the page shows).
    title, subtitle : str
    inputs_rows, result_rows : sequence of (label, value) or (label, value, note)
        ``note`` (a range, a caveat) is printed small under the value, not as a new row.
    notes : sequence of str
        Plain-language notes and caveats.
    footer : str
        Sources and disclaimer.
    headings : sequence of 3 str
        Section titles (inputs, results, notes), already translated.
    lang : str
        ``it`` or ``en`` (the ``lang`` attribute and the date's language).
    today : datetime.date, optional
        Date of the estimate.
    date_text : str, optional
        The header's date line, already translated (default: the date written out in ``lang``).
    link : (str, str), optional
        (text, URL) of the link that reopens this estimate; printed in full too.
    contact_title, contact_rows : str, sequence of (label, text, href)
        The Sportello Energia contact (``href`` may be empty).
    """
    today = today or dt.date.today()
    lang = "en" if lang == "en" else "it"
    date_line = date_text or fmt.date(today, lang)
    notes_html = "\n".join(f"<li>{escape(str(n))}</li>" for n in notes)
    link_html = ""
    if link:
        text, url = link
        link_html = (
            f"<p class='small'>{escape(text)}: <a href=\"{escape(url, quote=True)}\">"
            f"{escape(url)}</a></p>"
        )
    contact_html = ""
    if contact_rows:
        cells = "\n".join(
            f"<tr><th>{escape(label)}</th><td>"
            + (
                f'<a href="{escape(href, quote=True)}">{escape(shown)}</a>'
                if href
                else escape(shown)
            )
            + "</td></tr>"
            for label, shown, href in contact_rows
        )
        contact_html = f"<h2>{escape(contact_title)}</h2>\n<table>{cells}</table>"
    return f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title><style>{STYLE}</style></head>
<body>
<h1>{escape(title)}</h1>
<p class="small">{escape(subtitle)} · {escape(date_line)}</p>
{link_html}
<h2>{escape(headings[0])}</h2>
<table>{"".join(_row(r) for r in inputs_rows)}</table>
<h2>{escape(headings[1])}</h2>
<table>{"".join(_row(r) for r in result_rows)}</table>
{contact_html}
<h2>{escape(headings[2])}</h2>
<ul class="small">{notes_html}</ul>
<p class="small">{escape(footer)}</p>
</body></html>
"""
