"""Command line of the transparency store.

    python -m cer_core.transparency import FILE [--db URL] [--dry-run] [--actor NAME]
    python -m cer_core.transparency export [--db URL] [-o FILE.json]
    python -m cer_core.transparency migrate [--db URL]

``--db`` defaults to ``$CER_DATABASE_URL`` or the embedded SQLite file. ``import`` prints a preview
and the per-row errors; it exits with 0 when the file was valid (committed, or checked with
``--dry-run``), 2 when the file is invalid (nothing written), 1 on other failures.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import sqlalchemy as sa

from cer_core.terminal import inert
from cer_core.transparency import store
from cer_core.transparency.ingest import ImportReport, import_file


def _print_report(report: ImportReport, preview_rows: int = 5) -> None:
    print(f"file: {inert(report.file_name)}  ({report.size_bytes:,} bytes, sha256 {report.sha256})")
    if report.encoding:
        print(f"encoding: {report.encoding}")
    for template, frame in report.preview.items():
        print(f"\n[{template}] {len(frame)} rows")
        preview = frame.head(preview_rows).to_string(index=False)
        print("\n".join(inert(line) for line in preview.split("\n")))
    if report.errors:
        print(f"\n{len(report.errors)} errors — nothing was written:", file=sys.stderr)
        for error in report.errors[:200]:
            print(f"  {inert(str(error))}", file=sys.stderr)
        if len(report.errors) > 200:
            print(f"  … and {len(report.errors) - 200} more", file=sys.stderr)
        return
    verb = "would be" if report.dry_run else "were"
    if report.demo_removed:
        print(
            f"\n{report.demo_removed} illustrative demo rows {verb} removed (real data replaces them)."
        )
    print(
        f"\n{report.inserted} rows {verb} inserted, {report.updated} updated, "
        f"{report.unchanged} unchanged."
    )
    if report.committed:
        print(f"committed; audit log entry #{report.import_id}")
    elif report.dry_run:
        print("dry run: nothing written")
    else:
        print("nothing to change: the data is already in the database")


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code (a database that cannot be reached is 1, with
    one line of explanation instead of a traceback)."""
    try:
        return _main(argv)
    except sa.exc.OperationalError as exc:
        print(f"cannot use the database: {str(exc.orig).strip().splitlines()[0]}", file=sys.stderr)
        return 1


def _main(argv: list[str] | None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cer_core.transparency", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    imp = sub.add_parser("import", help="validate and import a CSV/XLSX template file")
    imp.add_argument("file", type=Path)
    imp.add_argument("--db", help="SQLAlchemy URL (default: $CER_DATABASE_URL or embedded SQLite)")
    imp.add_argument("--dry-run", action="store_true", help="validate and preview only")
    imp.add_argument("--actor", help="name recorded in the audit log (default: OS user)")
    exp = sub.add_parser("export", help="write the whole dataset as JSON with a data dictionary")
    exp.add_argument("--db")
    exp.add_argument("-o", "--output", type=Path, help="output file (default: standard output)")
    mig = sub.add_parser("migrate", help="create or migrate the schema")
    mig.add_argument("--db")
    args = parser.parse_args(argv)

    url = args.db or store.default_url()
    if args.command == "migrate":
        store.open_store(url, seed_demo=False)
        print(f"schema up to date at {store.make_engine(url).url!r}")
        return 0
    if args.command == "export":
        text = store.export_json(store.open_store(url, seed_demo=False))
        if args.output:
            args.output.write_text(text, encoding="utf-8")
            print(f"wrote {args.output}")
        else:
            sys.stdout.write(text + "\n")
        return 0
    if not args.file.is_file():
        print(f"{args.file}: no such file", file=sys.stderr)
        return 2
    engine = store.open_store(url, seed_demo=False)
    report = import_file(
        engine, args.file, actor=args.actor or store.current_actor(), dry_run=args.dry_run
    )
    _print_report(report)
    return 2 if report.errors else 0


if __name__ == "__main__":
    sys.exit(main())
