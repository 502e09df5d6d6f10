"""Schema migrations, demo seeding, read functions and export — on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import json

import pandas as pd
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from hypothesis import given, settings
from hypothesis import strategies as st

from cer_core.transparency import store, upgrade
from cer_core.transparency.migrations import VERSION_TABLE, current_revision
from cer_core.transparency.models import TEMPLATES, metadata


def test_migrations_create_exactly_the_models_and_are_idempotent(engine):
    upgrade(engine)  # second run: nothing to do
    assert current_revision(engine) == "0002"
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"version_table": VERSION_TABLE, "compare_type": True}
        )
        diff = compare_metadata(context, metadata)
    assert [d for d in diff if not (d[0] == "remove_table" and d[1].name == VERSION_TABLE)] == []


def test_migration_0002_keeps_the_rows_already_logged(db_url):
    import datetime as dt

    import sqlalchemy as sa

    engine = store.make_engine(db_url)
    try:
        upgrade(engine, "0001")
        with engine.begin() as connection:
            connection.execute(
                sa.text(
                    "INSERT INTO import_log (import_id, imported_at, actor, file_name, sha256, "
                    "templates, inserted, updated, unchanged) VALUES "
                    "(1, :at, 'ufficio', 'c.csv', 'ab', 'configurations', 2, 0, 0)"
                ),
                {"at": dt.datetime(2026, 1, 5, tzinfo=dt.UTC)},
            )
            connection.execute(
                sa.text(
                    "INSERT INTO import_log_rows (import_id, template, row_number, row_key, "
                    "action) VALUES (1, 'configurations', 2, 'cs', 'insert'), "
                    "(1, 'configurations', 3, 'ng', 'insert')"
                )
            )
        upgrade(engine)
        assert current_revision(engine) == "0002"
        log = store.audit_log(engine)
        assert list(log["status"]) == ["committed"]
        assert list(log["deleted"]) == [0]
        with engine.connect() as connection:
            rows = connection.execute(
                sa.text("SELECT row_number, row_key, action, old_values FROM import_log_rows")
            ).all()
        assert sorted(tuple(r) for r in rows) == [
            (2, "cs", "insert", None),
            (3, "ng", "insert", None),
        ]
        assert store.has_real_data(engine)
    finally:
        engine.dispose()


def test_empty_store_reads_as_empty_tables(engine):
    view = store.View(engine)
    assert view.totals()["incentives_eur"] == 0
    assert store.as_of(engine) is None
    assert store.years(engine) == []
    assert len(view.by_municipio()) == 9
    assert view.flows().empty
    assert not store.has_real_data(engine)


def test_demo_seed_is_idempotent_and_flagged(demo_engine):
    assert store.seed_demo_data(demo_engine) == 0  # second seeding writes nothing
    view = store.View(demo_engine)
    assert view.is_demo("energy", "payments", "projects")
    assert not view.is_demo("configurations")  # published facts, not demo
    assert len(view["configurations"]) == 5
    assert view.totals()["members"] == 300  # the ~300 members published in Aug 2025
    assert not store.has_real_data(demo_engine)


def test_totals_agree_with_the_breakdowns(demo_engine):
    view = store.View(demo_engine, 2025)
    totals = view.totals()
    per_config = view.by_configuration()
    per_municipio = view.by_municipio()
    assert totals["shared_kwh"] > 0
    assert per_config["shared_kwh"].sum() == pytest.approx(totals["shared_kwh"])
    assert per_config["incentives_eur"].sum() == pytest.approx(totals["incentives_eur"])
    assert per_municipio["shared_kwh"].sum() == pytest.approx(totals["shared_kwh"])
    assert per_municipio["projects_eur"].sum() == pytest.approx(totals["projects_eur"])
    assert per_municipio["households"].sum() == totals["households"]
    assert sorted(per_municipio["municipio"]) == list(range(1, 10))


def test_flows_conserve_money(demo_engine):
    view = store.View(demo_engine, 2025)
    flows = view.flows()
    out_of_gse = flows.loc[flows["source"] == "gse", "amount_eur"].sum()
    assert out_of_gse == pytest.approx(view.totals()["incentives_eur"])
    fund = flows.loc[flows["target"] == "social_fund", "amount_eur"].sum()
    assert flows.loc[flows["source"] == "social_fund", "amount_eur"].sum() == pytest.approx(fund)


def test_monthly_energy_has_forecast_and_respects_min_rule(demo_engine):
    view = store.View(demo_engine, 2025)
    monthly = view.monthly_energy()
    assert len(monthly) == 12
    assert monthly["forecast_shared_kwh"].notna().all()
    energy = view["energy"]
    assert (energy["shared_kwh"] <= energy[["injected_kwh", "withdrawn_kwh"]].min(axis=1)).all()
    bovisa = view.monthly_energy("bovisa")
    assert bovisa["shared_kwh"].sum() < monthly["shared_kwh"].sum()


def test_year_filter_and_as_of(demo_engine):
    assert store.years(demo_engine) == [2025]
    assert store.View(demo_engine, 2024).totals()["shared_kwh"] == 0
    assert store.as_of(demo_engine).year == 2026


def test_projects_filter(demo_engine):
    view = store.View(demo_engine)
    in_three = view.projects(municipio=3)
    assert len(in_three) > 0
    assert set(in_three["municipio"]) == {3}
    assert view.projects(municipio=1).empty
    assert set(view.projects(status="completed")["status"]) == {"completed"}


def test_export_has_every_table_and_a_dictionary(demo_engine):
    data = json.loads(store.export_json(demo_engine))
    assert set(data["tables"]) == set(TEMPLATES) == set(data["data_dictionary"])
    assert data["meta"]["contains_demo_data"] is True
    energy = data["data_dictionary"]["energy"]["columns"]
    assert energy["shared_kwh"]["unit"] == "kWh"
    assert data["tables"]["payments"][0]["received_on"][:4].isdigit()
    assert len(data["tables"]["payments"][0]["received_on"]) == 10


def test_csv_export_neutralises_formulas():
    frame = pd.DataFrame(
        {"title": ['=HYPERLINK("x")', "+1", "-2", "@SUM(A1)", "ok", None], "n": [-1, 2, 3, 4, 5, 6]}
    )
    safe = store.csv_safe(frame)
    assert list(safe["title"][:5]) == ['\'=HYPERLINK("x")', "'+1", "'-2", "'@SUM(A1)", "ok"]
    assert list(safe["n"]) == [-1, 2, 3, 4, 5, 6]  # numbers stay numbers
    cells = [
        cell
        for row in csv.reader(io.StringIO(store.to_csv_bytes(frame).decode("utf-8-sig")))
        for cell in row[:1]
    ]
    assert cells[1] == '\'=HYPERLINK("x")'
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)


def test_default_url_reads_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("CER_DATABASE_URL", "postgresql+psycopg://u@h/db")
    assert store.default_url() == "postgresql+psycopg://u@h/db"
    monkeypatch.delenv("CER_DATABASE_URL")
    monkeypatch.setenv("CER_CACHE_DIR", str(tmp_path))
    assert store.default_url() == f"sqlite:///{tmp_path / 'cer_transparency.db'}"


def test_real_import_stops_demo_seeding(demo_engine):
    from cer_core.transparency.ingest import import_file

    text = "configuration_id,name,cer,cp_number,municipi,status,source\nx,X,C,1,1,active,s\n"
    assert import_file(demo_engine, text.encode(), file_name="c.csv", actor="ufficio").committed
    assert store.has_real_data(demo_engine)


def test_demo_update_of_dependent_tables_is_one_transaction(demo_engine, tmp_path):
    """Lowering the social fund and the projects together must work: imported one file at a
    time, the lowered fund would first be smaller than the projects still stored."""
    import shutil

    for path in store.demo_dir().glob("*.csv"):
        shutil.copy(path, tmp_path / path.name)
    for name, columns in (
        ("allocations", ["amount_eur"]),
        ("projects", ["approved_eur", "spent_eur"]),
    ):
        frame = pd.read_csv(tmp_path / f"{name}.csv", dtype=str, keep_default_na=False)
        for column in columns:
            frame[column] = (frame[column].astype(float) * 0.5).round(2).astype(str)
        frame.to_csv(tmp_path / f"{name}.csv", index=False)
    before = store.View(demo_engine).totals()
    assert store.seed_demo_data(demo_engine, tmp_path) > 0
    after = store.View(demo_engine).totals()
    assert after["social_fund_eur"] == pytest.approx(before["social_fund_eur"] * 0.5, abs=0.1)
    assert after["projects_eur"] == pytest.approx(before["projects_eur"] * 0.5, abs=0.1)
    log = store.audit_log(demo_engine)
    assert list(log["actor"]) == ["demo-seed", "demo-seed"]  # the seed, then one update


def test_first_real_import_replaces_the_demo_rows(demo_engine):
    from cer_core.transparency.ingest import import_file

    payments = (
        "payment_id,configuration_id,year,month,kind,tip_eur,valorisation_eur,received_on,source\n"
        "gse-1,bovisa,2025,1,advance,10,1,2025-03-31,GSE statement\n"
    )
    demo_rows = len(store.read_table(demo_engine, "payments"))
    check = import_file(demo_engine, payments.encode(), file_name="p.csv", dry_run=True)
    assert check.ok
    assert check.demo_removed > demo_rows  # members, energy, payments, allocations, projects
    assert len(store.read_table(demo_engine, "payments")) == demo_rows  # dry run: untouched
    done = import_file(demo_engine, payments.encode(), file_name="p.csv", actor="ufficio")
    assert done.committed
    view = store.View(demo_engine)
    assert not view.is_demo()
    assert list(view["payments"]["payment_id"]) == ["gse-1"]
    assert len(view["configurations"]) == 5  # published facts stay
    assert view["projects"].empty
    url = demo_engine.url.render_as_string(hide_password=False)
    store.open_store(url, seed_demo=True).dispose()
    assert not store.View(demo_engine).is_demo()  # no re-seeding once real data exists


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=12), min_size=1, max_size=5))
def test_no_exported_cell_can_start_a_formula(texts):
    frame = pd.DataFrame({"text": texts})
    rows = list(csv.reader(io.StringIO(store.to_csv_bytes(frame).decode("utf-8-sig"))))
    for (cell,) in rows[1:]:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))


def _unfiltered_totals_by_hand(view: store.View) -> dict[str, float]:
    """The headline figures summed straight from the tables (the rule before filters existed)."""
    payments, allocations, projects = view["payments"], view["allocations"], view["projects"]
    funded = projects[projects["status"].isin(store.FUNDED_STATUSES)]
    members = view["members"]
    last = members.groupby("configuration_id")["month"].transform("max")
    return {
        "shared_kwh": float(view["energy"]["shared_kwh"].sum()),
        "incentives_eur": float((payments["tip_eur"] + payments["valorisation_eur"]).sum()),
        "social_fund_eur": float(
            allocations.loc[allocations["recipient"] == "social_fund", "amount_eur"].sum()
        ),
        "projects_eur": float(funded["approved_eur"].sum()),
        "projects_funded": len(funded),
        "households": int(funded["beneficiaries"].sum()),
        "members": int(members.loc[members["month"] == last, "count"].sum()),
    }


@pytest.mark.parametrize("year", [None, 2025])
def test_unfiltered_totals_are_the_whole_view(demo_engine, year):
    view = store.View(demo_engine, year)
    unfiltered = view.totals()
    assert unfiltered == _unfiltered_totals_by_hand(view)
    assert view.totals(None, None, None, None) == unfiltered


def test_a_municipio_filter_changes_the_totals_to_that_municipio_row(demo_engine):
    view = store.View(demo_engine, 2025)
    whole = view.totals()
    nine = view.totals(municipio=9)
    row = view.by_municipio().set_index("municipio").loc[9]
    assert nine["shared_kwh"] == pytest.approx(row["shared_kwh"])
    assert nine["incentives_eur"] == pytest.approx(row["incentives_eur"])
    assert nine["projects_eur"] == pytest.approx(row["projects_eur"])
    assert nine["households"] == row["households"]
    assert 0 < nine["shared_kwh"] < whole["shared_kwh"]
    assert 0 < nine["members"] < whole["members"]
    assert 0 < nine["projects_funded"] < whole["projects_funded"]
    nowhere = view.totals(municipio=1)  # no configuration serves Municipio 1
    assert nowhere["shared_kwh"] == nowhere["members"] == nowhere["projects_funded"] == 0


def test_a_configuration_filter_gives_that_configuration_row(demo_engine):
    view = store.View(demo_engine, 2025)
    bovisa = view.totals(configuration_id="bovisa")
    row = view.by_configuration().set_index("configuration_id").loc["bovisa"]
    assert bovisa["shared_kwh"] == pytest.approx(row["shared_kwh"])
    assert bovisa["incentives_eur"] == pytest.approx(row["incentives_eur"])
    assert bovisa["social_fund_eur"] == pytest.approx(row["social_fund_eur"])
    assert bovisa["projects_eur"] == pytest.approx(row["projects_eur"])
    assert bovisa["members"] == row["members"]
    assert bovisa["shared_kwh"] < view.totals()["shared_kwh"]


def test_status_and_category_filters_change_only_the_project_figures(demo_engine):
    view = store.View(demo_engine, 2025)
    whole = view.totals()
    poverty = view.totals(category="energy_poverty")
    funded = view.projects(category="energy_poverty")
    funded = funded[funded["status"].isin(store.FUNDED_STATUSES)]
    assert poverty["projects_funded"] == len(funded) < whole["projects_funded"]
    assert poverty["projects_eur"] == pytest.approx(funded["approved_eur"].sum())
    for unchanged in ("shared_kwh", "incentives_eur", "social_fund_eur", "members"):
        assert poverty[unchanged] == whole[unchanged]
    proposed = view.totals(status="proposed")  # proposed projects are not funded yet
    assert proposed["projects_funded"] == proposed["projects_eur"] == 0
    completed = view.totals(municipio=9, status="completed")
    assert completed["projects_funded"] == len(view.projects(municipio=9, status="completed"))
