"""Import of template files: validation, one transaction, idempotence, audit — SQLite and PostgreSQL."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

from cer_core.transparency import store
from cer_core.transparency.ingest import MAX_FILE_BYTES, SLOW_IMPORT_ENV, decode, import_file
from cer_core.transparency.models import TABLES, import_log, import_log_rows

REPO = Path(__file__).resolve().parents[2]

CONFIGS = (
    "configuration_id,name,cer,cp_number,municipi,status,activation_date,source\n"
    "cs,Città Studi,CER.ca.MI,9,3,active,2024-11-01,test\n"
    "ng,Niguarda,CER.ca.MI,2,9,active,2024-10-14,test\n"
)
PAYMENTS = (
    "payment_id,configuration_id,year,month,kind,tip_eur,valorisation_eur,received_on,source\n"
    "p1,cs,2025,1,advance,1000,100,2025-03-31,test\n"
    "p2,cs,2025,2,advance,900,90,2025-04-30,test\n"
)
ALLOCATIONS_HEADER = "allocation_id,configuration_id,year,recipient,amount_eur,decided_on,source\n"
PROJECTS_HEADER = (
    "project_id,title,configuration_id,fund_year,municipio,proposer,category,status,"
    "approved_eur,spent_eur,beneficiaries,vote_date,source\n"
)


def count(engine, name: str) -> int:
    table = TABLES.get(name) if name in TABLES else {"import_log": import_log}[name]
    with engine.connect() as connection:
        return connection.execute(sa.select(sa.func.count()).select_from(table)).scalar()


def load(engine, text: str, name: str, **kwargs):
    return import_file(engine, text.encode("utf-8"), file_name=name, actor="tester", **kwargs)


def base(engine):
    """Two configurations and two GSE payments (2,090 EUR for cs 2025)."""
    assert load(engine, CONFIGS, "configurations.csv").committed
    assert load(engine, PAYMENTS, "payments.csv").committed


def test_valid_file_is_committed_with_audit_log(engine):
    report = load(engine, CONFIGS, "configurations.csv")
    assert report.ok
    assert report.committed
    assert (report.inserted, report.updated, report.unchanged) == (2, 0, 0)
    assert count(engine, "configurations") == 2
    log = store.audit_log(engine)
    assert len(log) == 1
    entry = log.iloc[0]
    assert entry["actor"] == "tester"
    assert entry["file_name"] == "configurations.csv"
    assert entry["sha256"] == report.sha256
    assert len(report.sha256) == 64
    with engine.connect() as connection:
        rows = connection.execute(sa.select(import_log_rows)).mappings().all()
    assert sorted((r["row_number"], r["row_key"], r["action"]) for r in rows) == [
        (2, "cs", "insert"),
        (3, "ng", "insert"),
    ]


def test_reimport_changes_nothing_and_logs_nothing(engine):
    base(engine)
    before = store.export_dataset(engine)["tables"]
    again = load(engine, PAYMENTS, "payments.csv")
    assert again.ok
    assert not again.committed
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 2)
    assert store.export_dataset(engine)["tables"] == before
    assert count(engine, "import_log") == 2


def test_changed_row_is_updated_and_audited(engine):
    base(engine)
    report = load(engine, PAYMENTS.replace("1000,100", "1200,100"), "payments-v2.csv")
    assert report.committed
    assert (report.inserted, report.updated) == (0, 1)
    assert store.read_table(engine, "payments").set_index("payment_id").loc["p1", "tip_eur"] == 1200
    with engine.connect() as connection:
        actions = connection.execute(
            sa.select(import_log_rows.c.row_key, import_log_rows.c.action).where(
                import_log_rows.c.import_id == report.import_id
            )
        ).all()
    assert actions == [("p1", "update")]


def test_dry_run_writes_nothing(engine):
    report = load(engine, CONFIGS, "configurations.csv", dry_run=True)
    assert report.ok
    assert not report.committed
    assert report.inserted == 2
    assert count(engine, "configurations") == 0
    assert list(store.audit_log(engine)["status"]) == ["dry_run"]  # a trace, no data


def test_wrong_columns_are_named(engine):
    text = CONFIGS.replace("cp_number", "cabina")
    report = load(engine, text, "configurations.csv")
    assert not report.ok
    assert report.errors[0].row is None
    message = report.errors[0].message
    assert "closest is 'configurations'" in message
    assert "missing: cp_number" in message
    assert "unexpected: cabina" in message


def test_bad_dates_are_reported_per_row(engine):
    text = CONFIGS.replace("2024-11-01", "2024-02-30").replace("2024-10-14", "ieri")
    report = load(engine, text, "configurations.csv")
    assert [(e.row, e.column) for e in report.errors] == [
        (2, "activation_date"),
        (3, "activation_date"),
    ]
    assert "YYYY-MM-DD" in report.errors[0].message
    assert count(engine, "configurations") == 0


def test_negative_amounts_are_refused_in_advances(engine):
    assert load(engine, CONFIGS, "configurations.csv").committed
    report = load(engine, PAYMENTS.replace("900,90", "-900,90"), "payments.csv")
    assert [(e.row, e.column) for e in report.errors] == [(3, "tip_eur")]
    allocation = ALLOCATIONS_HEADER + "a1,cs,2025,producers,-5,,test\n"
    report = load(engine, allocation, "allocations.csv")
    assert report.errors[0].column == "amount_eur"
    assert "below the minimum" in str(report.errors[0])
    assert count(engine, "payments") == 0
    assert count(engine, "allocations") == 0


def test_allocation_larger_than_money_received_is_refused(engine):
    base(engine)  # 2,090 EUR received by cs for 2025
    ok = ALLOCATIONS_HEADER + "a1,cs,2025,producers,400,,t\na2,cs,2025,social_fund,1690,,t\n"
    assert load(engine, ok, "allocations.csv").committed
    too_much = ok + "a3,cs,2025,management,0.01,,t\n"
    report = load(engine, too_much, "allocations.csv")
    assert not report.ok
    assert not report.committed
    assert {e.row for e in report.errors} == {2, 3, 4}
    assert "2,090.01 EUR" in report.errors[0].message
    assert "2,090.00 EUR" in report.errors[0].message
    assert count(engine, "allocations") == 2  # the earlier, valid import is untouched
    # money for a year without payments at all
    report = load(engine, ALLOCATIONS_HEADER + "b1,ng,2025,producers,1,,t\n", "a.csv")
    assert not report.ok
    assert "0.00 EUR" in report.errors[0].message


def test_lowering_payments_below_allocations_is_refused(engine):
    base(engine)
    assert load(engine, ALLOCATIONS_HEADER + "a1,cs,2025,social_fund,2000,,t\n", "a.csv").ok
    report = load(engine, PAYMENTS.replace("1000,100", "10,1"), "payments.csv")
    assert not report.ok
    assert report.errors[0].template == "payments"
    assert store.read_table(engine, "payments")["tip_eur"].sum() == 1900


def test_projects_cannot_exceed_social_fund(engine):
    base(engine)
    assert load(engine, ALLOCATIONS_HEADER + "a1,cs,2025,social_fund,1000,,t\n", "a.csv").ok
    row = "pr1,Bollette,cs,2025,3,Municipio 3,energy_poverty,approved,{},0,10,2026-04-01,t\n"
    assert not load(engine, PROJECTS_HEADER + row.format(1000.01), "p.csv").ok
    assert load(engine, PROJECTS_HEADER + row.format(1000), "p.csv").committed


def test_project_in_a_municipio_that_does_not_exist(engine):
    base(engine)
    text = PROJECTS_HEADER + "pr1,X,cs,2025,10,Y,community,proposed,0,0,0,,t\n"
    report = load(engine, text, "projects.csv")
    assert [(e.row, e.column) for e in report.errors] == [(2, "municipio")]
    assert "above the maximum 9" in report.errors[0].message
    bad_list = CONFIGS.replace(",3,active", ",3;12,active")
    report = load(engine, bad_list, "configurations.csv")
    assert report.errors[0].column == "municipi"


def test_unknown_configuration_is_a_referential_error(engine):
    assert load(engine, CONFIGS, "configurations.csv").committed
    report = load(engine, PAYMENTS.replace("p2,cs", "p2,zz"), "payments.csv")
    assert [(e.row, e.column) for e in report.errors] == [(3, "configuration_id")]
    assert "'zz' is not a known configuration" in report.errors[0].message
    assert count(engine, "payments") == 0


def test_row_rules_and_duplicate_keys(engine):
    base(engine)
    energy = (
        "configuration_id,month,injected_kwh,withdrawn_kwh,shared_kwh,quality,source\n"
        "cs,2025-01,100,50,60,measured,t\n"
        "cs,2025-02,100,50,40,measured,t\n"
        "cs,2025-02,100,50,40,measured,t\n"
        "cs,2025-13,100,50,40,guessed,t\n"
    )
    report = load(engine, energy, "energy.csv")
    found = {(e.row, e.column) for e in report.errors}
    assert found == {(2, "shared_kwh"), (4, "configuration_id,month"), (5, "month"), (5, "quality")}


def test_big_file_is_refused_before_reading(engine, tmp_path):
    path = tmp_path / "huge.csv"
    line = b"cs,2025-01,100,50,40,measured,padding-padding-padding-padding-padding\n"
    with path.open("wb") as handle:
        handle.write(
            b"configuration_id,month,injected_kwh,withdrawn_kwh,shared_kwh,quality,source\n"
        )
        handle.write(line * (50 * 1024 * 1024 // len(line) + 1))
    assert path.stat().st_size > 50 * 1024 * 1024
    started = time.perf_counter()
    report = import_file(engine, path)
    elapsed = time.perf_counter() - started
    assert not report.ok
    assert "limit is 5.2 MB" in report.errors[0].message
    assert elapsed < 1.0, f"refusing a 50 MB file took {elapsed:.2f} s"
    as_bytes = import_file(engine, b"x" * (MAX_FILE_BYTES + 1), file_name="upload.csv")
    assert not as_bytes.ok
    assert "limit" in as_bytes.errors[0].message


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("latin-1", b""), ("cp1252", b"")],
)
def test_encodings_keep_italian_accents(engine, encoding, prefix):
    report = import_file(engine, prefix + CONFIGS.encode(encoding), file_name="c.csv")
    assert report.committed, report.errors
    names = set(store.read_table(engine, "configurations")["name"])
    assert "Città Studi" in names


def test_utf16_is_decoded_with_bom_and_refused_without():
    text, encoding = decode(CONFIGS.encode("utf-16"))
    assert encoding == "utf-16"
    assert "Città Studi" in text
    with pytest.raises(ValueError, match="UTF-16 without a byte-order mark"):
        decode(CONFIGS.encode("utf-16-le"))


def test_utf16_without_bom_is_a_file_error(engine):
    report = import_file(engine, CONFIGS.encode("utf-16-le"), file_name="c.csv")
    assert not report.ok
    assert "UTF-16" in report.errors[0].message


def test_semicolon_csv_with_decimal_comma_and_italian_dates(engine):
    assert load(engine, CONFIGS, "configurations.csv").committed
    text = (
        "payment_id;configuration_id;year;month;kind;tip_eur;valorisation_eur;received_on;source\n"
        "p1;cs;2025;1;advance;1000,50;100,25;31/03/2025;test\n"
    )
    report = load(engine, text, "pagamenti.csv")
    assert report.committed, report.errors
    row = store.read_table(engine, "payments").iloc[0]
    assert row["tip_eur"] == pytest.approx(1000.5)
    assert str(row["received_on"]) == "2025-03-31"


def test_xlsx_workbook_with_several_templates_in_one_transaction(engine, tmp_path):
    configs = pd.read_csv(io.StringIO(CONFIGS), dtype=str)
    payments = pd.read_csv(io.StringIO(PAYMENTS), dtype=str)
    path = tmp_path / "cer.xlsx"
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        payments.to_excel(writer, sheet_name="payments", index=False)  # child sheet first
        configs.to_excel(writer, sheet_name="configurations", index=False)
        pd.DataFrame({"note": []}).to_excel(writer, sheet_name="LEGGIMI", index=False)
    report = import_file(engine, path, actor="tester")
    assert report.committed, report.errors
    assert (count(engine, "configurations"), count(engine, "payments")) == (2, 2)
    # a bad payment row rolls back the configurations of the same workbook
    bad = payments.copy()
    bad.loc[1, "received_on"] = "not a date"
    with pd.ExcelWriter(tmp_path / "bad.xlsx", engine="openpyxl") as writer:
        bad.to_excel(writer, sheet_name="payments", index=False)
        configs.assign(name="Changed").to_excel(writer, sheet_name="configurations", index=False)
    report = import_file(engine, tmp_path / "bad.xlsx")
    assert [(e.template, e.row) for e in report.errors] == [("payments", 3)]
    assert set(store.read_table(engine, "configurations")["name"]) == {"Città Studi", "Niguarda"}


def _cli(*args: str, env: dict | None = None, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cer_core.transparency", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
        **kwargs,
    )


def test_cli_preview_errors_and_exit_codes(db_url, tmp_path):
    good, bad = tmp_path / "configurations.csv", tmp_path / "broken.csv"
    good.write_text(CONFIGS, encoding="utf-8")
    bad.write_text(CONFIGS.replace("2024-11-01", "2024-31-01"), encoding="utf-8")
    dry = _cli("import", str(good), "--db", db_url, "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert "[configurations] 2 rows" in dry.stdout
    assert "would be inserted" in dry.stdout
    invalid = _cli("import", str(bad), "--db", db_url)
    assert invalid.returncode == 2
    assert "configurations row 2 [activation_date]" in invalid.stderr
    done = _cli("import", str(good), "--db", db_url, "--actor", "ufficio")
    assert done.returncode == 0
    assert "committed; audit log entry #3" in done.stdout  # #1 dry run, #2 refused: traces
    exported = _cli("export", "--db", db_url, "-o", str(tmp_path / "out.json"))
    assert exported.returncode == 0
    assert '"configuration_id": "cs"' in (tmp_path / "out.json").read_text(encoding="utf-8")


def test_import_killed_halfway_leaves_all_or_nothing_and_rerun_is_idempotent(db_url, tmp_path):
    engine = store.open_store(db_url, seed_demo=False)
    configs = tmp_path / "configurations.csv"
    configs.write_text(CONFIGS, encoding="utf-8")
    assert _cli("import", str(configs), "--db", db_url).returncode == 0
    rows = ["configuration_id,month,member_type,count,source"]
    rows += [f"cs,{2000 + i // 12}-{i % 12 + 1:02d},household,{i},t" for i in range(40)]
    members = tmp_path / "members.csv"
    members.write_text("\n".join(rows) + "\n", encoding="utf-8")

    process = subprocess.Popen(
        [sys.executable, "-m", "cer_core.transparency", "import", str(members), "--db", db_url],
        cwd=REPO,
        env={**os.environ, SLOW_IMPORT_ENV: "0.2"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    written = 0
    for line in process.stderr:
        if line.startswith("row written"):
            written = int(line.split()[-1])
            if written >= 5:
                break
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert written >= 5
    assert process.returncode == -signal.SIGKILL
    assert count(engine, "members") == 0  # five rows were written, none survived
    assert count(engine, "import_log") == 1

    first = _cli("import", str(members), "--db", db_url)
    assert first.returncode == 0
    assert "40 rows were inserted" in first.stdout
    second = _cli("import", str(members), "--db", db_url)
    assert second.returncode == 0
    assert "0 rows were inserted, 0 updated, 40 unchanged" in second.stdout
    assert count(engine, "members") == 40
    assert count(engine, "import_log") == 2
    engine.dispose()
