"""Candidate producers of the Municipi: own migrations in the store's database, all-or-nothing
import with every bad row named, audit log, updates, and no personal data on the public side —
on SQLite and on the real PostgreSQL server."""

from __future__ import annotations

import hashlib

import pytest
import sqlalchemy as sa

from cer_core.geo.gazetteer import LocationNotFound
from cer_core.planning import candidates as cand
from cer_core.planning.migrations import current_revision
from cer_core.planning.tables import TableError
from cer_core.transparency import store

PLACES = {  # a fake lookup: two known addresses (near Città Studi and Bovisa)
    "Piazza Leonardo da Vinci 32": cand.Place(45.4780, 9.2270, 22),
    "Via Durando 10": cand.Place(45.5035, 9.1560, 77),
}


def fake_locator(address: str) -> cand.Place:
    if address not in PLACES:
        raise LocationNotFound("address", f"{address!r} not found in Milan")
    return PLACES[address]


HEADER = (
    "candidate_id,municipio,kind,address,estimated_kwp,contact_status,public_note,private_note\n"
)
GOOD = (
    HEADER
    + "M3-001,3,sme,Piazza Leonardo da Vinci 32,40,contacted,Bakery roof,Mario Rossi 333 1234567\n"
    + "M9-001,9,citizen_prosumer,Via Durando 10,6,to_contact,,\n"
)


@pytest.fixture
def planning_engine(engine):
    return cand.prepare(engine)


def test_migrations_sit_beside_the_transparency_schema(planning_engine):
    cand.prepare(planning_engine)  # idempotent
    assert current_revision(planning_engine) == "p0001"
    names = set(sa.inspect(planning_engine).get_table_names())
    assert {"planning_candidates", "planning_candidate_log", "planning_alembic_version"} <= names
    assert "transparency_alembic_version" in names  # the store's own schema is untouched


def test_import_writes_rows_and_the_audit_log(planning_engine):
    summary = cand.import_candidates(
        planning_engine, GOOD, "m3.csv", "staff@comune.it", fake_locator
    )
    assert (summary.rows, summary.inserted, summary.updated) == (2, 2, 0)
    full = cand.admin_candidates(planning_engine).set_index("candidate_id")
    assert full.loc["M3-001", "address"] == "Piazza Leonardo da Vinci 32"
    assert full.loc["M3-001", "area_code"].startswith("AC012E")
    log = cand.import_log(planning_engine)
    assert log.loc[0, "actor"] == "staff@comune.it"
    assert log.loc[0, "sha256"] == hashlib.sha256(GOOD.encode()).hexdigest()
    # a second file updates a known id and adds a new one
    second = HEADER + "M3-001,3,sme,Piazza Leonardo da Vinci 32,55,interested,Bakery roof,\n"
    summary = cand.import_candidates(
        planning_engine, second, "m3b.csv", "staff@comune.it", fake_locator
    )
    assert (summary.inserted, summary.updated) == (0, 1)
    full = cand.admin_candidates(planning_engine).set_index("candidate_id")
    assert full.loc["M3-001", "estimated_kwp"] == 55
    assert full.loc["M3-001", "contact_status"] == "interested"
    assert len(cand.import_log(planning_engine)) == 2


def test_public_side_never_holds_personal_data(planning_engine):
    cand.import_candidates(planning_engine, GOOD, "m.csv", "staff@comune.it", fake_locator)
    public = cand.public_candidates(planning_engine)
    assert list(public.columns) == list(cand.PUBLIC_COLUMNS)
    text = public.to_csv()
    for secret in ("Leonardo", "Durando", "Rossi", "333", "45.478", "staff@"):
        assert secret not in text
    by_area = cand.candidates_by_area(planning_engine)
    assert by_area["candidates"].sum() == 2
    assert by_area["candidates_kwp"].sum() == 46


def test_every_bad_row_is_named_and_nothing_is_written(planning_engine):
    bad = (
        HEADER
        + "M3-001,3,sme,Piazza Leonardo da Vinci 32,40,contacted,,\n"  # good
        + "M3-001,3,sme,Via Durando 10,40,contacted,,\n"  # duplicate id
        + "M3-002,12,bank,Via Nowhere 1,-5,maybe,,\n"  # municipio, kind, kWp, status, address
        + "M3-003,3,sme,Via Durando 10,5,contacted,call 02 1234 5678,\n"  # phone in public note
        + "M3-004,3,sme,Via Durando 10,5,contacted,write to a.b@example.org,\n"  # e-mail
    )
    with pytest.raises(TableError) as err:
        cand.import_candidates(planning_engine, bad, "bad.csv", "staff@comune.it", fake_locator)
    got = {(p.line, p.column, p.code) for p in err.value.problems}
    assert got == {
        (3, "candidate_id", "duplicate"),
        (4, "municipio", "range"),
        (4, "kind", "choice"),
        (4, "estimated_kwp", "range"),
        (4, "contact_status", "choice"),
        (4, "address", "address"),
        (5, "public_note", "personal_data"),
        (6, "public_note", "personal_data"),
    }
    assert cand.admin_candidates(planning_engine).empty
    assert cand.import_log(planning_engine).empty


def test_failed_transaction_leaves_nothing(planning_engine, monkeypatch):
    def broken_insert(*args, **kwargs):
        raise sa.exc.OperationalError("INSERT", {}, Exception("disk full"))

    original = sa.Connection.execute

    def execute(self, statement, *args, **kwargs):
        if getattr(statement, "table", None) is cand.candidates and statement.is_insert:
            broken_insert()
        return original(self, statement, *args, **kwargs)

    monkeypatch.setattr(sa.Connection, "execute", execute)
    with pytest.raises(sa.exc.OperationalError):
        cand.import_candidates(planning_engine, GOOD, "m.csv", "staff@comune.it", fake_locator)
    monkeypatch.undo()
    assert cand.import_log(planning_engine).empty  # the log row was rolled back too


def test_too_many_rows(planning_engine):
    rows = "".join(f"X{i},3,sme,Via Durando 10,1,to_contact,,\n" for i in range(cand.MAX_ROWS + 1))
    with pytest.raises(TableError) as err:
        cand.check_candidates(HEADER + rows, fake_locator)
    assert err.value.problems[0].code == "too_big"


def test_the_maps_lookup_finds_milan_and_refuses_elsewhere():
    place = cand.locate_address("Corso di Porta Ticinese 18")
    assert place.id_nil == 1
    rows = (
        'X1,1,sme,"45.07, 7.68",1,to_contact,,\n'  # a point in Turin
        "X2,1,sme,Via Inesistente 44,1,to_contact,,\n"  # no such street
        "X3,1,sme,Duomo,1,to_contact,,\n"  # a district, not a building
    )
    with pytest.raises(TableError) as err:
        cand.check_candidates(HEADER + rows)
    assert [(p.line, p.column) for p in err.value.problems] == [
        (2, "address"), (3, "address"), (4, "address"),
    ]  # fmt: skip
    assert "outside the Comune di Milano" in err.value.problems[0].message


def test_store_open_does_not_need_the_planning_tables(db_url):
    engine = store.open_store(db_url, seed_demo=False)
    assert "planning_candidates" not in sa.inspect(engine).get_table_names()
    engine.dispose()


def test_an_edit_is_a_reimport_through_the_same_checks(planning_engine):
    cand.import_candidates(planning_engine, GOOD, "m.csv", "staff@comune.it", fake_locator)
    table = cand.admin_candidates(planning_engine)
    edited = table[["candidate_id", *cand.EDITABLE, "area_code"]].copy()
    edited.loc[edited["candidate_id"] == "M9-001", "contact_status"] = "meeting_planned"
    summary = cand.import_candidates(
        planning_engine, cand.edited_to_csv(edited), "edit", "staff@comune.it", fake_locator
    )
    assert (summary.inserted, summary.updated) == (0, 2)
    after = cand.admin_candidates(planning_engine).set_index("candidate_id")
    assert after.loc["M9-001", "contact_status"] == "meeting_planned"
    assert after.loc["M3-001", "private_note"] == "Mario Rossi 333 1234567"
    edited.loc[edited["candidate_id"] == "M9-001", "public_note"] = "mail me: x@y.it"
    with pytest.raises(TableError):
        cand.import_candidates(
            planning_engine, cand.edited_to_csv(edited), "edit", "staff@comune.it", fake_locator
        )
    assert (
        cand.admin_candidates(planning_engine)
        .set_index("candidate_id")
        .loc["M9-001", "public_note"]
        == ""
    )
