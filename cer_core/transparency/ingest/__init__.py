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

One module per step, in the order a file goes through them:

- :mod:`~cer_core.transparency.ingest.decoding`: which bytes are accepted (size, encodings,
  XLSX archive guards);
- :mod:`~cer_core.transparency.ingest.parsing`: CSV/XLSX to one raw text table per template;
- :mod:`~cer_core.transparency.ingest.validation`: the rules of cells, rows and sums, with their
  messages;
- :mod:`~cer_core.transparency.ingest.writing`: the transaction, the demo removal and the audit log;
- :mod:`~cer_core.transparency.ingest.report`: :class:`RowError` and :class:`ImportReport`, what
  every step reports into.

This module ties the steps together (:func:`import_file`, :func:`import_files`) and re-exports the
names callers use.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from cer_core.transparency.ingest.decoding import (
    MAX_FILE_BYTES,
    MAX_XLSX_PARTS,
    MAX_XLSX_RATIO,
    MAX_XLSX_UNCOMPRESSED_BYTES,
    XLSX_RATIO_FLOOR_BYTES,
    XlsxDtdError,
    XlsxTooLargeError,
    check_xlsx_archive,
    check_xlsx_xml,
    decode,
    too_big,
)
from cer_core.transparency.ingest.parsing import MAX_ROWS, match_template, read_sheets
from cer_core.transparency.ingest.report import ImportReport, InvalidData, RowError, first_line
from cer_core.transparency.ingest.validation import (
    SUM_TOLERANCE_EUR,
    check_text,
    parse_value,
    validate_frame,
)
from cer_core.transparency.ingest.writing import (
    DEMO_ACTOR,
    LOGGED_ERRORS,
    SLOW_IMPORT_ENV,
    has_committed_import,
    trace,
    write,
)
from cer_core.transparency.models import TEMPLATES

__all__ = [
    "DEMO_ACTOR",
    "LOGGED_ERRORS",
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "MAX_XLSX_PARTS",
    "MAX_XLSX_RATIO",
    "MAX_XLSX_UNCOMPRESSED_BYTES",
    "SLOW_IMPORT_ENV",
    "SUM_TOLERANCE_EUR",
    "XLSX_RATIO_FLOOR_BYTES",
    "ImportReport",
    "RowError",
    "XlsxDtdError",
    "XlsxTooLargeError",
    "check_text",
    "check_xlsx_archive",
    "check_xlsx_xml",
    "decode",
    "has_committed_import",
    "import_file",
    "import_files",
    "match_template",
    "parse_value",
    "read_sheets",
    "validate_frame",
]


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
            return trace(engine, too_big(name, size, dry_run), actor, [])
        data = path.read_bytes()
    if len(data) > MAX_FILE_BYTES:
        return trace(engine, too_big(name, len(data), dry_run), actor, [])
    report = ImportReport(name, hashlib.sha256(data).hexdigest(), len(data), dry_run=dry_run)
    sheets = read_sheets(data, name, report)
    if sheets is None or report.errors:
        return trace(engine, report, actor, list(sheets or ()))
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
            return trace(engine, too_big(label, report.size_bytes, dry_run), actor, [])
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
        return trace(engine, report, actor, list(sheets))
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
            write(engine, records, report, actor)
        except InvalidData as exc:
            report.errors.extend(exc.errors)
        except (sa.exc.IntegrityError, sa.exc.DataError) as exc:
            # A value the checks above let through but the database refuses: still the file's
            # fault, so a file error (exit 2), with the database's own first line.
            report.errors.append(
                RowError("", None, "", f"the database refused the data: {first_line(exc.orig)}")
            )
        if report.errors:
            report.committed, report.import_id = False, None
            report.inserted = report.updated = report.unchanged = report.demo_removed = 0
    return trace(engine, report, actor, list(records))
