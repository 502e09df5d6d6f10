"""Hostile imports found by the adversarial pass (issue 14): every problem at the import boundary
is a row error (CLI exit 2), never a crash; values are bounded and sums finite; the audit log
records deletions, old values, refused and dry-run imports — on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from cer_core.transparency import store
from cer_core.transparency.ingest import import_file
from cer_core.transparency.models import TABLES, TEMPLATES, import_log, import_log_rows

REPO = Path(__file__).resolve().parents[2]

CONFIG_HEADER = "configuration_id,name,cer,cp_number,municipi,status,activation_date,source\n"
CONFIGS = CONFIG_HEADER + "cs,Città Studi,CER.ca.MI,9,3,active,2024-11-01,test\n"
PAYMENT_HEADER = (
    "payment_id,configuration_id,year,month,kind,tip_eur,valorisation_eur,received_on,source\n"
)
PAYMENTS = PAYMENT_HEADER + "p1,cs,2025,1,advance,1000,100,2025-03-31,test\n"
ALLOCATION_HEADER = "allocation_id,configuration_id,year,recipient,amount_eur,decided_on,source\n"


def load(engine, text: str | bytes, name: str = "file.csv", **kwargs):
    data = text.encode("utf-8") if isinstance(text, str) else text
    kwargs.setdefault("actor", "tester")
    return import_file(engine, data, file_name=name, **kwargs)


def log_entries(engine) -> list[dict]:
    with engine.connect() as connection:
        rows = connection.execute(sa.select(import_log).order_by(import_log.c.import_id))
        return [dict(r._mapping) for r in rows]


def log_rows(engine, import_id: int) -> list[dict]:
    with engine.connect() as connection:
        rows = connection.execute(
            sa.select(import_log_rows).where(import_log_rows.c.import_id == import_id)
        )
        return [dict(r._mapping) for r in rows]


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cer_core.transparency", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=120,
    )


# ------------------------------------------------------------------- item 3: crashes → row errors


def test_reimporting_published_rows_over_the_demo_is_not_a_crash(demo_engine):
    """The demo's configurations are published facts (demo=false): re-importing them unchanged on
    a demo store removes the demo rows and writes no row change (was: INSERT ... DEFAULT VALUES)."""
    configs = store.read_table(demo_engine, "configurations")
    data = store.to_csv_bytes(configs.drop(columns=["demo"]))
    report = load(demo_engine, data, "configurations.csv")
    assert report.ok, report.errors
    assert report.committed
    assert report.unchanged == len(configs)
    assert report.demo_removed > 0
    assert not store.View(demo_engine).is_demo()


def test_header_only_template_is_an_error_and_keeps_the_demo(demo_engine, db_url, tmp_path):
    before = len(store.read_table(demo_engine, "payments"))
    report = load(demo_engine, PAYMENT_HEADER, "payments.csv")
    assert [e.message for e in report.errors] == ["the file has a header but no data rows"]
    assert len(store.read_table(demo_engine, "payments")) == before
    path = tmp_path / "payments.csv"
    path.write_text(PAYMENT_HEADER, encoding="utf-8")
    run = _cli("import", str(path), "--db", db_url)
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr
    assert "no data rows" in run.stderr


def test_nul_byte_after_the_first_kilobytes_is_a_row_error(engine):
    rows = "".join(f"c{n},Name {n},CER,9,3,active,,test\n" for n in range(200))
    text = CONFIG_HEADER + rows + "bad,Name\x00with NUL,CER,9,3,active,,test\n"
    assert len(text.encode()) > 4096
    report = load(engine, text)
    assert not report.committed
    assert [(e.row, e.column) for e in report.errors] == [(202, "name")]
    assert "control character" in report.errors[0].message


def test_overlong_identifier_is_a_row_error(engine):
    long_id = "x" * 400
    report = load(engine, CONFIGS.replace("cs,", f"{long_id},"))
    assert [(e.row, e.column) for e in report.errors] == [(2, "configuration_id")]
    assert "100 characters" in report.errors[0].message
    members = (
        f"configuration_id,month,member_type,count,source\n{'y' * 399},2025-01,household,3,test\n"
    )
    assert [e.column for e in load(engine, members).errors] == ["configuration_id"]


def _xlsx_with_dtd(entity_levels: int) -> bytes:
    buffer = io.BytesIO()
    frame = pd.read_csv(io.StringIO(CONFIGS), dtype=str)
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        frame.to_excel(writer, sheet_name="configurations", index=False)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    entities = '<!ENTITY a0 "aaaaaaaaaa">' + "".join(
        f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, entity_levels + 1)
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = f'<?xml version="1.0"?><!DOCTYPE x [{entities}]>'.encode() + body
                body = body.replace(b"<t>name</t>", f"<t>&a{entity_levels};</t>".encode())
            archive.writestr(info.filename, body)
    return out.getvalue()


@pytest.mark.parametrize("levels", [1, 9])
def test_xlsx_with_a_dtd_is_refused(engine, levels):
    report = load(engine, _xlsx_with_dtd(levels), "cer.xlsx")
    assert not report.committed
    assert len(report.errors) == 1
    assert "DTD" in report.errors[0].message


def test_row_pointing_to_a_demo_configuration_removed_by_the_first_import(db_url, tmp_path):
    """A demo configuration (demo=true) disappears with the first real import: a row of that
    import pointing to it is a referential error, not a foreign-key crash."""
    folder = tmp_path / "demo"
    folder.mkdir()
    (folder / "configurations.csv").write_text(
        CONFIG_HEADER.strip() + ",demo\n" + "demo-cfg,Demo,CER,9,3,active,,demo,true\n",
        encoding="utf-8",
    )
    engine = store.open_store(db_url, seed_demo=False)
    try:
        assert store.seed_demo_data(engine, folder) == 1
        report = load(engine, PAYMENTS.replace(",cs,", ",demo-cfg,"))
        assert [(e.row, e.column) for e in report.errors] == [(2, "configuration_id")]
        assert "demo" in report.errors[0].message
        assert len(store.read_table(engine, "configurations")) == 1
    finally:
        engine.dispose()


def test_cli_reports_database_refusals_without_traceback(db_url, tmp_path):
    path = tmp_path / "c.csv"
    path.write_text(CONFIGS.replace("cs,", "x" * 300 + ","), encoding="utf-8")
    run = _cli("import", str(path), "--db", db_url)
    assert run.returncode == 2
    assert "Traceback" not in run.stderr


# ------------------------------------------------------------------- item 4: bounds, finite sums


@pytest.mark.parametrize(
    ("template", "column"),
    [(t, f.name) for t, fields in TEMPLATES.items() for f in fields if f.kind in ("int", "float")],
)
def test_every_number_column_has_finite_bounds(template, column):
    spec = next(f for f in TEMPLATES[template] if f.name == column)
    assert spec.minimum is not None
    assert spec.maximum is not None
    assert max(abs(spec.minimum), abs(spec.maximum)) < 1e12


def test_huge_amounts_are_refused_and_sums_stay_finite(engine):
    assert load(engine, CONFIGS).committed
    assert load(engine, PAYMENTS).committed
    huge = ALLOCATION_HEADER + "a1,cs,2025,producers,1e308,,t\na2,cs,2025,management,1e308,,t\n"
    report = load(engine, huge)
    assert {(e.row, e.column) for e in report.errors} == {(2, "amount_eur"), (3, "amount_eur")}
    assert "above the maximum" in report.errors[0].message
    payments = PAYMENTS.replace("1000,100", "1e308,1e308")
    assert [e.column for e in load(engine, payments).errors] == ["tip_eur", "valorisation_eur"]
    assert store.View(engine).totals()["incentives_eur"] == pytest.approx(1100)


# --------------------------------------------------------- item 5: markup and control characters


@pytest.mark.parametrize(
    "name",
    [
        "<a href='https://evil.example'>Città Studi</a>",
        "Città<br>Studi",
        "Città &#60;b&#62; Studi",
        "Città \u202eidutS",
        "Città\u2066Studi",
        "Città\x1b[31mStudi",
        "Città\u200fStudi",
    ],
)
def test_markup_and_control_characters_are_refused_at_import(engine, name):
    report = load(engine, CONFIGS.replace("Città Studi", name))
    assert [(e.row, e.column) for e in report.errors] == [(2, "name")]


def test_plain_punctuation_stays_allowed(engine):
    name = "Città Studi < 1 MW & co. (\"A\" > 'B')"
    frame = pd.read_csv(io.StringIO(CONFIGS), dtype=str, keep_default_na=False)
    frame["name"] = name
    report = load(engine, frame.to_csv(index=False))
    assert report.ok, report.errors
    assert store.read_table(engine, "configurations")["name"].iloc[0] == name


# ------------------------------------------------------------------------- item 6: audit log


def test_deletions_of_demo_rows_are_logged_with_their_values(demo_engine):
    demo_rows = sum(int(store.read_table(demo_engine, t)["demo"].sum()) for t in TEMPLATES)
    report = load(demo_engine, CONFIGS.replace("cs,", "new-cfg,"), "c.csv", actor="ufficio")
    assert report.committed
    assert report.demo_removed == demo_rows
    entry = log_entries(demo_engine)[-1]
    assert (entry["status"], entry["inserted"], entry["deleted"]) == ("committed", 1, demo_rows)
    deleted = [r for r in log_rows(demo_engine, entry["import_id"]) if r["action"] == "delete"]
    assert len(deleted) == demo_rows
    assert all(r["row_number"] is None for r in deleted)
    sample = json.loads(deleted[0]["old_values"])
    assert sample["demo"] is True
    assert deleted[0]["row_key"]


def test_demo_removal_only_on_the_first_real_import(demo_engine):
    assert load(demo_engine, CONFIGS, actor="ufficio").demo_removed > 0
    # a later import flagged demo (e.g. an example shown in a training) stays
    later = CONFIG_HEADER.strip() + ",demo\nex,Example,CER,9,3,active,,t,true\n"
    assert load(demo_engine, later, actor="ufficio").committed
    again = load(demo_engine, PAYMENTS, actor="ufficio")
    assert again.committed
    assert again.demo_removed == 0
    assert "ex" in set(store.read_table(demo_engine, "configurations")["configuration_id"])


def test_update_keeps_the_old_values(engine):
    assert load(engine, CONFIGS).committed
    assert load(engine, PAYMENTS).committed
    report = load(engine, PAYMENTS.replace("1000,100", "1200,100"))
    (row,) = log_rows(engine, report.import_id)
    assert row["action"] == "update"
    assert json.loads(row["old_values"]) == {"tip_eur": 1000.0}


def test_refused_and_dry_run_imports_leave_a_trace(engine):
    assert load(engine, CONFIGS, dry_run=True).ok
    bad = load(engine, CONFIGS.replace("2024-11-01", "2024-31-01"), "bad.csv", actor="mallory")
    assert not bad.ok
    too_big = load(engine, b"x" * (6 * 1024 * 1024), "big.csv")
    assert not too_big.ok
    entries = log_entries(engine)
    assert [(e["status"], e["actor"]) for e in entries] == [
        ("dry_run", "tester"),
        ("refused", "mallory"),
        ("refused", "tester"),
    ]
    assert entries[1]["errors"] == 1
    assert "activation_date" in entries[1]["message"]
    assert entries[0]["inserted"] == 1
    assert not store.has_real_data(engine)  # traces are not data
    assert store.read_table(engine, "configurations").empty


def test_audit_log_frame_shows_status(engine):
    load(engine, CONFIGS, dry_run=True)
    frame = store.audit_log(engine)
    assert list(frame["status"]) == ["dry_run"]
    assert TABLES  # the public tables are untouched by the trace


def test_cli_prints_cell_text_inert(db_url, tmp_path):
    path = tmp_path / "c.csv"
    path.write_text(CONFIGS.replace("active", "\x1b[2Jactive\u202e"), encoding="utf-8")
    run = _cli("import", str(path), "--db", db_url, "--dry-run")
    assert run.returncode == 2
    assert "\x1b" not in run.stdout + run.stderr
    assert "\u202e" not in run.stdout + run.stderr
    assert "\\x1b[2Jactive\\u202e" in run.stderr
