"""The database side of an import: one transaction that removes the demo rows on the first real
import, inserts or updates rows matched on their natural key (an equal row is left alone),
re-checks references and sums, and records the audit log (who, when, the file's SHA-256, every row
inserted, updated or deleted with its old values). A refused import and a dry run leave a log entry
too (:func:`trace`)."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import sys
import time

import sqlalchemy as sa

from cer_core.transparency.ingest.report import ImportReport, first_line
from cer_core.transparency.ingest.validation import check_references, check_sums
from cer_core.transparency.models import TABLES, TEMPLATES, import_log, import_log_rows, key_fields

#: Audit-log actor of the demo seeding; any other actor's import replaces the demo rows.
DEMO_ACTOR = "demo-seed"
#: Test hook: seconds to sleep after writing each row (used to kill an import halfway).
SLOW_IMPORT_ENV = "CER_TRANSPARENCY_TEST_ROW_DELAY"
#: Errors copied into the audit-log entry of a refused import (the rest is counted).
LOGGED_ERRORS = 20

_LOG = logging.getLogger(__name__)


def trace(
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
        _LOG.warning("could not record the %s import in the audit log: %s", status, first_line(exc))
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


def write(engine: sa.Engine, records: dict[str, list[dict]], report: ImportReport, actor: str):
    """Write validated ``records`` (template → rows) in one transaction and count into ``report``.

    Rolled back on any error, on ``report.dry_run`` and when nothing changed; otherwise commits
    with its audit-log entry and sets ``report.committed`` and ``report.import_id``.

    Raises
    ------
    InvalidData
        A reference or sum rule broken by the data (the transaction is rolled back).
    """
    delay = float(os.environ.get(SLOW_IMPORT_ENV, "0") or 0)
    written = 0
    audit_rows: list[dict] = []
    with engine.connect() as connection:
        transaction = connection.begin()
        try:
            remove_demo = actor != DEMO_ACTOR and not has_committed_import(connection)
            check_references(connection, records, demo_goes=remove_demo)
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
            check_sums(connection, records)
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
