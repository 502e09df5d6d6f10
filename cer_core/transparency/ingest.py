"""Import CSV/XLSX files written in the documented templates into the transparency store.

The templates are described in :data:`cer_core.transparency.models.TEMPLATES` and documented,
with an empty file per template, in ``data/transparency/templates/``. One CSV file holds one
template (recognised by its header row); an XLSX workbook may hold several, one per sheet.

What :func:`import_file` guarantees:

- **size limit**: files above :data:`MAX_FILE_BYTES` (5 MB) or :data:`MAX_ROWS` rows are refused
  before parsing (the real tables are a few thousand rows; a 50 MB upload is a mistake);
- **zip bombs**: an XLSX (a zip archive) is refused before it is unpacked when its parts would
  expand to more than :data:`MAX_XLSX_UNCOMPRESSED_BYTES` (50 MB), more than
  :data:`MAX_XLSX_RATIO` times its compressed size, or hold more than :data:`MAX_XLSX_PARTS` parts;
- **encodings**: UTF-8, UTF-8 with BOM, UTF-16 with BOM (Excel "Unicode text"), and Windows-1252 /
  Latin-1 (Italian accents from older Excel); UTF-16 without a BOM is refused by name;
- **validation of every row** (types, ranges, allowed values, duplicate keys, referential integrity)
  and of the **sums** (allocations of a year never exceed the GSE payments received for it; the
  projects funded never exceed the social fund) with a per-row error list;
- **one transaction or nothing**: rows are written and the sums re-checked inside one database
  transaction, rolled back on any error (or on ``dry_run``);
- **idempotence**: rows are matched on their natural key; a row equal to the stored one is left
  alone, so re-importing a file changes nothing and writes no audit entry;
- **audit log**: each committed import writes who, when, the file name and its SHA-256, and
  which rows were inserted, updated (with their old values) or deleted (``import_log`` and
  ``import_log_rows``); a refused import and a dry run leave an entry too (``status``), with the
  number of errors and the first ones;
- **demo data is replaced**: the first committed import by anyone but the demo seeding deletes
  every ``demo=true`` row in the same transaction (counted in ``ImportReport.demo_removed`` and
  logged row by row); later imports never delete;
- **no crash**: whatever the file holds (markup, control characters, overlong identifiers, XML
  DTDs, values the database refuses), the problem is reported as an error of the report.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import logging
import math
import os
import re
import sys
import time
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from cer_core.transparency.models import (
    MAX_TEXT_CHARS,
    TABLES,
    TEMPLATES,
    Field,
    import_log,
    import_log_rows,
    key_fields,
)

#: Largest file accepted [bytes]. Larger files are refused before they are parsed.
MAX_FILE_BYTES = 5 * 1024 * 1024
#: Most data rows accepted in one file (all sheets together).
MAX_ROWS = 50_000
#: Largest total unpacked size of an XLSX's parts [bytes] (50 000 rows of the widest template
#: are about 15 MB of sheet XML; anything far beyond is a zip bomb, not a data file).
MAX_XLSX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
#: Largest ratio unpacked / packed size of an XLSX (real workbooks compress 5-20 times); checked
#: only above :data:`XLSX_RATIO_FLOOR_BYTES` unpacked, where a tiny file cannot harm.
MAX_XLSX_RATIO = 100
#: Unpacked size [bytes] below which the compression ratio of an XLSX is not checked.
XLSX_RATIO_FLOOR_BYTES = 1024 * 1024
#: Most parts (zip members) accepted in an XLSX.
MAX_XLSX_PARTS = 1_000
#: Tolerance of the sum checks [EUR].
SUM_TOLERANCE_EUR = 0.005
#: Audit-log actor of the demo seeding; any other actor's import replaces the demo rows.
DEMO_ACTOR = "demo-seed"
#: Test hook: seconds to sleep after writing each row (used to kill an import halfway).
SLOW_IMPORT_ENV = "CER_TRANSPARENCY_TEST_ROW_DELAY"

#: Errors copied into the audit-log entry of a refused import (the rest is counted).
LOGGED_ERRORS = 20

_LOG = logging.getLogger(__name__)

_TRUE = {"true", "1", "yes", "y", "si", "sì", "vero", "x"}
_FALSE = {"false", "0", "no", "n", "falso", ""}


@dataclass(frozen=True)
class RowError:
    """One problem found in the file.

    ``row`` is the spreadsheet row number (the header is row 1), ``None`` for the whole file.
    """

    template: str
    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = f"{self.template} row {self.row}" if self.row else (self.template or "file")
        column = f" [{self.column}]" if self.column else ""
        return f"{where}{column}: {self.message}"


@dataclass
class ImportReport:
    """What an import found and did.

    ``preview`` holds, per template, the rows read from the file (as text) with their row number.
    ``inserted`` / ``updated`` / ``unchanged`` count rows; ``committed`` is true only when the
    database was changed. ``import_id`` is the audit-log entry of a committed import.
    """

    file_name: str
    sha256: str
    size_bytes: int
    encoding: str = ""
    preview: dict[str, pd.DataFrame] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    dry_run: bool = False
    committed: bool = False
    import_id: int | None = None
    demo_removed: int = 0

    @property
    def ok(self) -> bool:
        """True when the file has no error (whether or not it was committed)."""
        return not self.errors

    @property
    def rows(self) -> int:
        """Number of data rows read."""
        return sum(len(frame) for frame in self.preview.values())

    def errors_frame(self) -> pd.DataFrame:
        """The error list as a table (template, row, column, message)."""
        return pd.DataFrame(
            [(e.template, e.row, e.column, e.message) for e in self.errors],
            columns=["template", "row", "column", "message"],
        )


class _Invalid(Exception):
    """Raised inside the transaction to roll it back; carries the errors."""

    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


# --------------------------------------------------------------------------------------- reading


def decode(data: bytes) -> tuple[str, str]:
    """Decode CSV bytes; return ``(text, encoding)``.

    Raises
    ------
    ValueError
        For UTF-16/32 without a byte-order mark, or binary data.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    if b"\x00" in data[:4096]:
        raise ValueError(
            "the file contains NUL bytes: it looks like UTF-16 without a byte-order mark or a "
            "binary file. Save it as 'CSV UTF-8' (or UTF-16 with BOM)"
        )
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _normalise_header(name: object) -> str:
    return str(name).strip().strip("\ufeff").strip().lower()


def _read_csv(text: str) -> pd.DataFrame:
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    frame = pd.read_csv(
        io.StringIO(text),
        sep=delimiter,
        dtype=str,
        keep_default_na=False,
        skip_blank_lines=True,
        quoting=csv.QUOTE_MINIMAL,
    )
    frame.attrs["delimiter"] = delimiter
    return frame


class XlsxTooLargeError(ValueError):
    """An XLSX whose parts would unpack to too much data (a zip bomb)."""


def check_xlsx_archive(data: bytes) -> None:
    """Refuse an XLSX whose zip parts expand too much, before anything is unpacked.

    The sizes are those the archive declares; Python's ``zipfile`` never inflates a part beyond its
    declared size (and fails its CRC check if the data disagree), so the check bounds the work.

    Parameters
    ----------
    data : bytes
        The XLSX file.

    Raises
    ------
    XlsxTooLargeError
        When the parts would expand beyond :data:`MAX_XLSX_UNCOMPRESSED_BYTES`, beyond
        :data:`MAX_XLSX_RATIO` times the packed size, or number more than :data:`MAX_XLSX_PARTS`.
    zipfile.BadZipFile
        When ``data`` is not a zip archive.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = archive.infolist()
    if len(parts) > MAX_XLSX_PARTS:
        raise XlsxTooLargeError(
            f"the workbook holds {len(parts):,} parts; the limit is {MAX_XLSX_PARTS:,}"
        )
    unpacked = sum(part.file_size for part in parts)
    packed = max(sum(part.compress_size for part in parts), 1)
    limit_mb = MAX_XLSX_UNCOMPRESSED_BYTES / 1e6
    if unpacked > MAX_XLSX_UNCOMPRESSED_BYTES:
        raise XlsxTooLargeError(
            f"the workbook unpacks to {unpacked / 1e6:,.0f} MB; the limit is {limit_mb:.0f} MB "
            "(save it as CSV, or split it by year or template)"
        )
    if unpacked > XLSX_RATIO_FLOOR_BYTES and unpacked / packed > MAX_XLSX_RATIO:
        raise XlsxTooLargeError(
            f"the workbook unpacks to {unpacked / packed:,.0f} times its size; the limit is "
            f"{MAX_XLSX_RATIO} times (save it as CSV)"
        )


class XlsxDtdError(ValueError):
    """An XLSX whose XML parts declare a DTD (entities): never written by spreadsheet programs."""


_DTD_MARKERS = tuple(
    marker.encode(encoding)
    for marker in ("<!DOCTYPE", "<!ENTITY")
    for encoding in ("ascii", "utf-16-le", "utf-16-be")
)


def check_xlsx_xml(data: bytes) -> None:
    """Refuse an XLSX whose XML parts declare a DTD, before any XML is parsed.

    A DTD must come before the root element, so the first 64 KB of each part are enough.

    Raises
    ------
    XlsxDtdError
        Naming the part.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for part in archive.infolist():
            if not part.filename.lower().endswith((".xml", ".rels", ".vml")):
                continue
            with archive.open(part) as stream:
                head = stream.read(64 * 1024)
            if any(marker in head for marker in _DTD_MARKERS):
                raise XlsxDtdError(
                    f"the part '{part.filename[:80]}' declares a DTD (<!DOCTYPE>/<!ENTITY>), "
                    "which spreadsheet programs never write: save the workbook again from "
                    "Excel or LibreOffice, or as CSV"
                )


def _read_xlsx(data: bytes) -> dict[str, pd.DataFrame]:
    check_xlsx_archive(data)
    check_xlsx_xml(data)
    sheets = pd.read_excel(io.BytesIO(data), sheet_name=None, dtype=str, engine="openpyxl")
    return {name: frame.fillna("") for name, frame in sheets.items()}


def match_template(columns: list[str]) -> tuple[str | None, str]:
    """Which template has exactly these columns; else ``(None, explanation)``."""
    given = set(columns)
    best, best_score = None, -1.0
    for name, fields in TEMPLATES.items():
        required = {f.name for f in fields if f.required or f.key}
        allowed = {f.name for f in fields}
        if required <= given <= allowed:
            return name, ""
        score = len(given & allowed) / len(given | allowed)
        if score > best_score:
            best, best_score = name, score
    fields = TEMPLATES[best]
    missing = sorted({f.name for f in fields if f.required or f.key} - given)
    unexpected = sorted(given - {f.name for f in fields})
    return None, (
        f"the columns match no template; closest is '{best}' — missing: "
        f"{', '.join(missing) or 'none'}; unexpected: {', '.join(unexpected) or 'none'}"
    )


# ------------------------------------------------------------------------------------ validation

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


# --------------------------------------------------------------------------------------- import


def read_sheets(
    data: bytes, file_name: str, report: ImportReport
) -> dict[str, pd.DataFrame] | None:
    """Split the file into template → raw text table; file-level problems go to ``report``."""
    is_xlsx = data[:4] == b"PK\x03\x04" or file_name.lower().endswith((".xlsx", ".xlsm"))
    try:
        if is_xlsx:
            report.encoding = "xlsx"
            raw_sheets = _read_xlsx(data)
        else:
            text, report.encoding = decode(data)
            raw_sheets = {Path(file_name).stem: _read_csv(text)}
    except XlsxTooLargeError as exc:
        report.errors.append(RowError("", None, "", f"file refused, possible zip bomb: {exc}"))
        return None
    except XlsxDtdError as exc:
        report.errors.append(RowError("", None, "", f"file refused: {exc}"))
        return None
    except (ValueError, pd.errors.ParserError, zipfile.BadZipFile, OSError, KeyError) as exc:
        report.errors.append(RowError("", None, "", f"cannot read the file: {_short(exc)}"))
        return None
    except Exception as exc:  # noqa: BLE001 - a parser's surprise is a bad file, never a crash
        report.errors.append(
            RowError("", None, "", f"cannot read the file ({type(exc).__name__}): {_short(exc)}")
        )
        return None
    sheets: dict[str, pd.DataFrame] = {}
    for sheet_name, frame in raw_sheets.items():
        frame.columns = [_normalise_header(c) for c in frame.columns]
        frame = frame.loc[:, [c for c in frame.columns if c and not c.startswith("unnamed:")]]
        template, why = match_template(list(frame.columns))
        if template is None:
            if is_xlsx and str(sheet_name).lower() not in TEMPLATES and frame.empty:
                continue  # an empty extra sheet (e.g. a README) is fine
            report.errors.append(RowError(str(sheet_name), None, "", why))
            continue
        if template in sheets:
            report.errors.append(
                RowError(template, None, "", "the template appears in more than one sheet")
            )
            continue
        sheets[template] = frame
    if not sheets and not report.errors:
        report.errors.append(RowError("", None, "", "the file holds no template"))
    if sheets and all(frame.empty for frame in sheets.values()):
        report.errors.append(RowError("", None, "", "the file has a header but no data rows"))
    sheets = {name: frame for name, frame in sheets.items() if not frame.empty}
    if sum(len(f) for f in sheets.values()) > MAX_ROWS:
        report.errors.append(RowError("", None, "", f"more than {MAX_ROWS:,} rows"))
    return sheets


def import_file(
    engine: sa.Engine,
    source: str | os.PathLike | bytes,
    *,
    file_name: str | None = None,
    actor: str = "unknown",
    dry_run: bool = False,
) -> ImportReport:
    """Validate a template file and, when it is valid and not ``dry_run``, commit it.

    Parameters
    ----------
    engine : sqlalchemy.Engine
        Database already at the newest schema (see :func:`cer_core.transparency.upgrade`).
    source : path or bytes
        The file (CSV or XLSX) or its content.
    file_name : str, optional
        Name recorded in the audit log (defaults to the path's name).
    actor : str
        Who imports (user e-mail or OS user), recorded in the audit log.
    dry_run : bool
        Validate and count what would change, then roll back.

    Returns
    -------
    ImportReport
        Errors (empty when valid), preview and counts. A refused import and a dry run leave an
        entry in the audit log (``status`` ``refused`` / ``dry_run``).
    """
    if isinstance(source, bytes):
        data, name = source, file_name or "upload"
    else:
        path = Path(source)
        name = file_name or path.name
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return _traced(engine, _too_big(name, size, dry_run), actor, [])
        data = path.read_bytes()
    if len(data) > MAX_FILE_BYTES:
        return _traced(engine, _too_big(name, len(data), dry_run), actor, [])
    report = ImportReport(name, hashlib.sha256(data).hexdigest(), len(data), dry_run=dry_run)
    sheets = read_sheets(data, name, report)
    if sheets is None or report.errors:
        return _traced(engine, report, actor, list(sheets or ()))
    return _import_sheets(engine, sheets, report, actor)


def import_files(
    engine: sa.Engine,
    paths: list[Path],
    *,
    label: str,
    actor: str = "unknown",
    dry_run: bool = False,
) -> ImportReport:
    """Import several template files (one template each) as ONE import: one transaction, one
    audit entry named ``label`` whose SHA-256 covers the files' hashes in order. Used for the
    demo dataset, whose tables depend on each other (projects on allocations on payments)."""
    digest = hashlib.sha256()
    report = ImportReport(label, "", 0, dry_run=dry_run)
    sheets: dict[str, pd.DataFrame] = {}
    for path in paths:
        size = Path(path).stat().st_size
        report.size_bytes += size
        if report.size_bytes > MAX_FILE_BYTES:
            return _traced(engine, _too_big(label, report.size_bytes, dry_run), actor, [])
        data = Path(path).read_bytes()
        digest.update(hashlib.sha256(data).digest())
        part = ImportReport(Path(path).name, "", size)
        found = read_sheets(data, Path(path).name, part)
        report.errors.extend(part.errors)
        report.encoding = report.encoding or part.encoding
        for template, frame in (found or {}).items():
            if template in sheets:
                report.errors.append(RowError(template, None, "", "template given twice"))
            sheets[template] = frame
    report.sha256 = digest.hexdigest()
    if report.errors:
        return _traced(engine, report, actor, list(sheets))
    return _import_sheets(engine, sheets, report, actor)


def _import_sheets(
    engine: sa.Engine, sheets: dict[str, pd.DataFrame], report: ImportReport, actor: str
) -> ImportReport:
    records: dict[str, list[dict]] = {}
    for template in TEMPLATES:
        if template in sheets:
            report.preview[template] = sheets[template]
            records[template], errors = validate_frame(template, sheets[template])
            report.errors.extend(errors)
    if not report.errors:
        try:
            _write(engine, records, report, actor)
        except _Invalid as exc:
            report.errors.extend(exc.errors)
        except (sa.exc.IntegrityError, sa.exc.DataError) as exc:
            # A value the checks above let through but the database refuses: still the file's
            # fault, so a file error (exit 2), with the database's own first line.
            report.errors.append(
                RowError("", None, "", f"the database refused the data: {_short(exc.orig)}")
            )
        if report.errors:
            report.committed, report.import_id = False, None
            report.inserted = report.updated = report.unchanged = report.demo_removed = 0
    return _traced(engine, report, actor, list(records))


def _short(exc: BaseException, limit: int = 300) -> str:
    """First line of an exception's text, at most ``limit`` characters (for error lists)."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:limit]


def _too_big(name: str, size: int, dry_run: bool = False) -> ImportReport:
    report = ImportReport(name, "", size, dry_run=dry_run)
    report.errors.append(
        RowError(
            "",
            None,
            "",
            f"the file is {size / 1e6:.1f} MB; the limit is {MAX_FILE_BYTES / 1e6:.1f} MB "
            "(split it by year or template)",
        )
    )
    return report


def _traced(
    engine: sa.Engine, report: ImportReport, actor: str, templates: list[str]
) -> ImportReport:
    """Leave an audit-log entry for a refused import or a dry run (a committed import wrote its
    own inside its transaction); return ``report``.

    The trace is best effort: when the database cannot take it (it is down, the very reason the
    import failed) the report still reaches the user.
    """
    if report.committed or not (report.errors or report.dry_run):
        return report
    status = "refused" if report.errors else "dry_run"
    try:
        with engine.begin() as connection:
            _insert_log(connection, report, actor, status, templates)
    except sa.exc.SQLAlchemyError as exc:
        _LOG.warning("could not record the %s import in the audit log: %s", status, _short(exc))
    return report


def _insert_log(
    connection: sa.Connection,
    report: ImportReport,
    actor: str,
    status: str,
    templates: list[str],
) -> int:
    message = "\n".join(str(e) for e in report.errors[:LOGGED_ERRORS])
    if len(report.errors) > LOGGED_ERRORS:
        message += f"\n… and {len(report.errors) - LOGGED_ERRORS} more"
    return connection.execute(
        import_log.insert().values(
            imported_at=dt.datetime.now(dt.UTC),
            actor=actor[:200],
            file_name=report.file_name[:400],
            sha256=report.sha256[:64],
            templates=",".join(templates)[:200],
            inserted=report.inserted,
            updated=report.updated,
            unchanged=report.unchanged,
            status=status,
            deleted=report.demo_removed,
            errors=len(report.errors),
            message=message[:4000] or None,
        )
    ).inserted_primary_key[0]


def _json(values: dict) -> str:
    return json.dumps(values, ensure_ascii=False, default=str, sort_keys=True)


def _row_key(values: tuple) -> str:
    return "|".join(str(v) for v in values)[:400]


def _write(engine: sa.Engine, records: dict[str, list[dict]], report: ImportReport, actor: str):
    delay = float(os.environ.get(SLOW_IMPORT_ENV, "0") or 0)
    written = 0
    audit_rows: list[dict] = []
    with engine.connect() as connection:
        transaction = connection.begin()
        try:
            remove_demo = actor != DEMO_ACTOR and not has_committed_import(connection)
            _check_references(connection, records, demo_goes=remove_demo)
            if remove_demo:
                deleted = _remove_demo(connection)
                report.demo_removed = len(deleted)
                audit_rows.extend(deleted)
            for template, rows in records.items():
                table, keys = TABLES[template], key_fields(template)
                existing = {
                    tuple(r._mapping[k] for k in keys): dict(r._mapping)
                    for r in connection.execute(sa.select(table))
                }
                for record in rows:
                    values = {k: v for k, v in record.items() if k != "_row"}
                    key = tuple(values[k] for k in keys)
                    old = existing.get(key)
                    changed = (
                        {} if old is None else {k: old[k] for k in values if old[k] != values[k]}
                    )
                    if old is not None and not changed:
                        report.unchanged += 1
                        continue
                    if old is None:
                        connection.execute(table.insert().values(**values))
                        report.inserted += 1
                        action = "insert"
                    else:
                        condition = sa.and_(*(table.c[k] == values[k] for k in keys))
                        connection.execute(table.update().where(condition).values(**values))
                        report.updated += 1
                        action = "update"
                    audit_rows.append(
                        {
                            "template": template,
                            "row_number": record["_row"],
                            "row_key": _row_key(key),
                            "action": action,
                            "old_values": _json(changed) if changed else None,
                        }
                    )
                    written += 1
                    if delay:
                        sys.stderr.write(f"row written {written}\n")
                        sys.stderr.flush()
                        time.sleep(delay)
            _check_sums(connection, records)
            if report.dry_run or not audit_rows:
                transaction.rollback()
                return
            import_id = _insert_log(connection, report, actor, "committed", list(records))
            connection.execute(
                import_log_rows.insert(), [{"import_id": import_id, **r} for r in audit_rows]
            )
            transaction.commit()
            report.committed, report.import_id = True, import_id
        except BaseException:
            transaction.rollback()
            raise


def has_committed_import(connection: sa.Connection) -> bool:
    """True when anyone but the demo seeding has committed an import (real data exists or
    existed): from then on no import removes demo rows."""
    query = (
        sa.select(sa.func.count())
        .select_from(import_log)
        .where(import_log.c.actor != DEMO_ACTOR, import_log.c.status == "committed")
    )
    return bool(connection.execute(query).scalar())


def _remove_demo(connection: sa.Connection) -> list[dict]:
    """Delete every demo row (children first): real figures replace the illustrative ones.

    Returns the audit-log lines of the deleted rows (key and whole old row).
    """
    deleted = []
    for template in reversed(TEMPLATES):
        table, keys = TABLES[template], key_fields(template)
        for row in connection.execute(sa.select(table).where(table.c.demo)).mappings():
            deleted.append(
                {
                    "template": template,
                    "row_number": None,
                    "row_key": _row_key(tuple(row[k] for k in keys)),
                    "action": "delete",
                    "old_values": _json(dict(row)),
                }
            )
        connection.execute(table.delete().where(table.c.demo))
    return deleted


def _check_references(
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
        raise _Invalid(errors)


def _check_sums(connection: sa.Connection, records: dict[str, list[dict]]) -> None:
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
        raise _Invalid(errors)


def _totals(connection: sa.Connection, query) -> dict[tuple[str, int], float]:
    totals = {(c, int(y)): float(v or 0.0) for c, y, v in connection.execute(query)}
    for (config, year), total in totals.items():
        if not math.isfinite(total):  # unreachable with the per-field bounds; never let inf pass
            raise _Invalid(
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
