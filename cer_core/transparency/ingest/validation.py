"""The rules an imported row must follow, and the messages that say which one it breaks.

- per cell (:func:`parse_value`): types, ranges, allowed values, dates, clean text;
- per row: rules across the columns (shared energy within min(injected, withdrawn), advances
  need their month, spent within approved) and duplicate keys (:func:`validate_frame`);
- across tables, on the database state inside the import's transaction: every reference points
  to a known row (:func:`check_references`) and the sums hold — allocations of a year never exceed
  the GSE payments received for it, the projects funded never exceed the social fund
  (:func:`check_sums`). These raise :class:`~cer_core.transparency.ingest.report.InvalidData`,
  which rolls the transaction back.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata

import pandas as pd
import sqlalchemy as sa

from cer_core.transparency.ingest.report import InvalidData, RowError
from cer_core.transparency.models import MAX_TEXT_CHARS, TABLES, TEMPLATES, Field, key_fields

#: Tolerance of the sum checks [EUR].
SUM_TOLERANCE_EUR = 0.005

_TRUE = {"true", "1", "yes", "y", "si", "sì", "vero", "x"}
_FALSE = {"false", "0", "no", "n", "falso", ""}

_INT = re.compile(r"^[+-]?\d+(\.0*)?$")
_FLOAT = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})([ T]00:00(:00)?)?$")
_IT_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})(-01([ T]00:00(:00)?)?)?$")


def parse_value(spec: Field, raw: str, delimiter: str = ",") -> object:
    """Parse one cell according to ``spec``.

    Returns the Python value (``None`` for an empty optional cell).

    Raises
    ------
    ValueError
        With a message that says what is allowed.
    """
    text = raw.strip()
    if spec.kind == "bool":
        if text.lower() in _TRUE:
            return True
        if text.lower() in _FALSE:
            return False
        raise ValueError(f"'{text}' is not true/false")
    if not text:
        if spec.required or spec.key:
            raise ValueError("required, the cell is empty")
        return None
    if spec.kind == "str":
        return check_text(text, spec.max_chars)
    if spec.kind == "enum":
        value = text.lower()
        if value not in spec.choices:
            raise ValueError(f"'{text}' is not one of: {', '.join(spec.choices)}")
        return value
    if spec.kind == "int":
        if not _INT.match(text):
            raise ValueError(f"'{text}' is not a whole number")
        return _check_range(spec, int(float(text)))
    if spec.kind == "float":
        if delimiter == ";" and _DECIMAL_COMMA.match(text):
            text = text.replace(",", ".")
        if not _FLOAT.match(text):
            raise ValueError(f"'{raw.strip()}' is not a number (use . for decimals, no thousands)")
        value = float(text)
        if not math.isfinite(value):
            raise ValueError(f"'{text}' is not a finite number")
        return _check_range(spec, value)
    if spec.kind == "date":
        return _parse_date(text)
    if spec.kind == "month":
        match = _MONTH.match(text)
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise ValueError(f"'{text}' is not a month (use YYYY-MM)")
        return _check_year(dt.date(int(match.group(1)), int(match.group(2)), 1))
    if spec.kind == "municipi":
        parts = [p.strip() for p in re.split(r"[;,]", text) if p.strip()]
        if not parts or not all(p.isdigit() and 1 <= int(p) <= 9 for p in parts):
            raise ValueError(f"'{text}' is not a list of Municipi 1-9 separated by ';'")
        return ";".join(str(n) for n in sorted({int(p) for p in parts}))
    raise ValueError(f"unknown column kind {spec.kind}")  # pragma: no cover - schema error


#: Bidirectional-text controls: they reorder what a reader sees (a name shown reversed).
_BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
#: What a browser or Plotly would read as markup: a tag (``<a``, ``</b``, ``<!--``, ``<?``)
#: or a character reference (``&lt;``, ``&#60;``).
_MARKUP = re.compile(r"<\s*[/!?a-zA-Z]|&(#\d+|#[xX][0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);")


def check_text(text: str, max_chars: int = MAX_TEXT_CHARS) -> str:
    """Check one text cell: length, no control or bidirectional characters, no markup.

    Plain ``<``, ``>`` and ``&`` (``< 1 MW``, ``A & B``) stay allowed; the pages escape text at
    render anyway, this keeps the open data clean for every other consumer.

    Raises
    ------
    ValueError
        Naming the problem and, for characters, their code point.
    """
    if len(text) > max_chars:
        raise ValueError(f"longer than {max_chars} characters ({len(text):,})")
    for char in text:
        category = unicodedata.category(char)
        if category in ("Cc", "Cs", "Co") or char in _BIDI_CONTROLS or char in "\u2028\u2029":
            kind = "bidirectional-text control" if char in _BIDI_CONTROLS else "control character"
            raise ValueError(f"contains a {kind} (U+{ord(char):04X}); remove it")
    match = _MARKUP.search(text)
    if match:
        raise ValueError(f"contains markup ('{match.group(0)}'): write plain text")
    return text


def _check_range(spec: Field, value: float) -> float:
    if spec.minimum is not None and value < spec.minimum:
        raise ValueError(f"{value:g} is below the minimum {spec.minimum:g}")
    if spec.maximum is not None and value > spec.maximum:
        raise ValueError(f"{value:g} is above the maximum {spec.maximum:g}")
    return value


def _check_year(value: dt.date) -> dt.date:
    if not 2000 <= value.year <= 2100:
        raise ValueError(f"{value.isoformat()} is outside 2000-2100")
    return value


def _parse_date(text: str) -> dt.date:
    iso, italian = _ISO_DATE.match(text), _IT_DATE.match(text)
    try:
        if iso:
            value = dt.date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
        elif italian:
            value = dt.date(int(italian.group(3)), int(italian.group(2)), int(italian.group(1)))
        else:
            raise ValueError
    except ValueError:
        raise ValueError(f"'{text}' is not a valid date (use YYYY-MM-DD)") from None
    return _check_year(value)


def _row_rules(template: str, record: dict) -> list[tuple[str, str]]:
    """Checks across the columns of one row: ``[(column, message)]``."""
    problems = []
    if template == "energy":
        limit = min(record["injected_kwh"], record["withdrawn_kwh"])
        if record["shared_kwh"] > limit + 1e-6:
            problems.append(
                ("shared_kwh", f"{record['shared_kwh']:g} kWh exceeds min(injected, withdrawn)")
            )
    if template == "payments":
        if record["kind"] == "advance":
            if record["month"] is None:
                problems.append(("month", "an advance needs its month"))
            for column in ("tip_eur", "valorisation_eur"):
                if record[column] < 0:
                    problems.append((column, "negative amounts are allowed only in a balance"))
        elif record["month"] is not None:
            problems.append(("month", "a yearly balance has no month (leave it empty)"))
    if template == "projects" and record["spent_eur"] > record["approved_eur"] + SUM_TOLERANCE_EUR:
        problems.append(("spent_eur", "spent is larger than the amount approved"))
    return problems


def validate_frame(
    template: str, frame: pd.DataFrame, first_row: int = 2
) -> tuple[list[dict], list[RowError]]:
    """Parse and check every row of one template; return ``(records, errors)``.

    Each record carries its spreadsheet row number under ``"_row"``.
    """
    delimiter = frame.attrs.get("delimiter", ",")
    specs = TEMPLATES[template]
    keys = key_fields(template)
    records, errors, seen = [], [], {}
    for offset, raw in enumerate(frame.to_dict("records")):
        row = first_row + offset
        record, bad = {"_row": row}, False
        for spec in specs:
            try:
                record[spec.name] = parse_value(spec, str(raw.get(spec.name, "")), delimiter)
            except ValueError as exc:
                errors.append(RowError(template, row, spec.name, str(exc)))
                bad = True
        if bad:
            continue
        for column, message in _row_rules(template, record):
            errors.append(RowError(template, row, column, message))
            bad = True
        key = tuple(record[k] for k in keys)
        if key in seen:
            errors.append(
                RowError(template, row, ",".join(keys), f"duplicate of row {seen[key]} (same key)")
            )
            bad = True
        seen.setdefault(key, row)
        if not bad:
            records.append(record)
    return records, errors


def check_references(
    connection: sa.Connection, records: dict[str, list[dict]], demo_goes: bool = False
) -> None:
    """Every reference points to a stored or imported row; when ``demo_goes`` (the first real
    import), stored demo rows do not count: they are about to be removed."""
    errors = []
    for template, rows in records.items():
        for spec in TEMPLATES[template]:
            if not spec.references:
                continue
            parent, column = spec.references.split(".")
            parent_table = TABLES[parent]
            stored = {
                value: bool(demo)
                for value, demo in connection.execute(
                    sa.select(parent_table.c[column], parent_table.c.demo)
                )
            }
            known = {v for v, demo in stored.items() if not (demo_goes and demo)}
            known |= {r[column] for r in records.get(parent, [])}
            for record in rows:
                value = record[spec.name]
                if value is None or value in known:
                    continue
                if value in stored:
                    message = (
                        f"'{value}' is a demo {parent[:-1]}: the first real import removes the "
                        f"demo data, so import the real {parent[:-1]} in the same file "
                        f"('{parent}' sheet)"
                    )
                else:
                    message = (
                        f"'{value}' is not a known {parent[:-1]} (import it first in '{parent}')"
                    )
                errors.append(RowError(template, record["_row"], spec.name, message))
    if errors:
        raise InvalidData(errors)


def check_sums(connection: sa.Connection, records: dict[str, list[dict]]) -> None:
    """Sum rules on the database state after the writes (inside the transaction)."""
    payments, allocations, projects = TABLES["payments"], TABLES["allocations"], TABLES["projects"]
    received = _totals(
        connection,
        sa.select(
            payments.c.configuration_id,
            payments.c.year,
            sa.func.sum(payments.c.tip_eur + payments.c.valorisation_eur),
        ).group_by(payments.c.configuration_id, payments.c.year),
    )
    allocated = _totals(
        connection,
        sa.select(
            allocations.c.configuration_id,
            allocations.c.year,
            sa.func.sum(allocations.c.amount_eur),
        ).group_by(allocations.c.configuration_id, allocations.c.year),
    )
    social = _totals(
        connection,
        sa.select(
            allocations.c.configuration_id,
            allocations.c.year,
            sa.func.sum(allocations.c.amount_eur),
        )
        .where(allocations.c.recipient == "social_fund")
        .group_by(allocations.c.configuration_id, allocations.c.year),
    )
    approved = _totals(
        connection,
        sa.select(
            projects.c.configuration_id, projects.c.fund_year, sa.func.sum(projects.c.approved_eur)
        )
        .where(projects.c.status != "rejected")
        .group_by(projects.c.configuration_id, projects.c.fund_year),
    )
    errors = []
    for group, total in received.items():
        if total < -SUM_TOLERANCE_EUR:
            errors += _blame(
                records,
                "payments",
                group,
                f"payments for {group[0]} {group[1]} total {total:,.2f} EUR: a balance cannot "
                "take back more than the advances",
            )
    for group, total in allocated.items():
        money = received.get(group, 0.0)
        if total > money + SUM_TOLERANCE_EUR:
            errors += _blame(
                records,
                "allocations",
                group,
                f"allocations for {group[0]} {group[1]} total {total:,.2f} EUR but the GSE "
                f"payments received total {money:,.2f} EUR",
            )
    for group, total in approved.items():
        fund = social.get(group, 0.0)
        if total > fund + SUM_TOLERANCE_EUR:
            errors += _blame(
                records,
                "projects",
                group,
                f"projects approved on the {group[1]} social fund of {group[0]} total "
                f"{total:,.2f} EUR but the fund holds {fund:,.2f} EUR",
            )
    if errors:
        raise InvalidData(errors)


def _totals(connection: sa.Connection, query) -> dict[tuple[str, int], float]:
    totals = {(c, int(y)): float(v or 0.0) for c, y, v in connection.execute(query)}
    for (config, year), total in totals.items():
        if not math.isfinite(total):  # unreachable with the per-field bounds; never let inf pass
            raise InvalidData(
                [RowError("", None, "", f"the amounts of {config} {year} do not sum to a number")]
            )
    return totals


_AMOUNT_COLUMN = {"payments": "tip_eur", "allocations": "amount_eur", "projects": "approved_eur"}


def _blame(records, template, group, message) -> list[RowError]:
    """Attach a sum error to the file's rows of that group (or to the file if none).

    The sum can be broken by the rows of another template (e.g. payments lowered), so when the
    file has no row of ``template`` in the group, the rows of the other money templates are named.
    """
    for name in (template, "payments", "allocations", "projects"):
        column = "fund_year" if name == "projects" else "year"
        hits = [
            RowError(name, r["_row"], _AMOUNT_COLUMN[name], message)
            for r in records.get(name, [])
            if (r["configuration_id"], r[column]) == group
        ]
        if hits:
            return hits
    return [RowError(template, None, "", message)]
