"""Candidate producers kept by the Municipi ("Fase 1"), in the transparency store's database.

A candidate is a potential producer in a cabina-primaria area: a citizen prosumer, an SME, a large
company as third-party producer, or a public body. The Municipi's staff import a CSV (template
``data/planning/templates/candidates_template.csv``) from the admin side; the import is
all-or-nothing (every bad row listed, nothing written), recorded in an audit log (who, when, file
name, SHA-256, rows inserted/updated), and limited in size. Editing = importing the edited rows
(same checks, same log).

**Personal data never reach the public page**: the address, its coordinates, the private note and
the audit log are admin-only; :func:`public_candidates` returns only :data:`PUBLIC_COLUMNS`, and a
public note that looks like it holds contact details (an e-mail address or a phone number) is
refused at import.

The address is located with the map's offline lookup (:func:`cer_core.geo.locate`): an address
outside Milan or not found refuses the row. The area is then the estimate used by every planning
table (:func:`cer_core.planning.area_table.nearest_area_code`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa

from cer_core.errors import InputError
from cer_core.planning.area_table import nearest_area_code
from cer_core.planning.tables import RowProblem, TableError, cell_number, read_rows
from cer_core.validation import number

KINDS = ("citizen_prosumer", "sme", "large_company", "public_body")
"""Kinds of candidate producer (the Comune's Fase 1: prosumers, SMEs, large companies as
third-party producers; public bodies)."""
STATUSES = ("to_contact", "contacted", "interested", "meeting_planned", "joined", "declined")
"""Contact status, from first list to outcome (Fase 2 = the meetings)."""
COLUMNS = ("candidate_id", "municipio", "kind", "address", "contact_status")
OPTIONAL = ("estimated_kwp", "public_note", "private_note")
PUBLIC_COLUMNS = (
    "candidate_id",
    "municipio",
    "kind",
    "area_code",
    "id_nil",
    "estimated_kwp",
    "contact_status",
    "public_note",
)
"""The only columns the public page may read."""
MAX_ROWS = 2_000
"""Largest import [rows]."""
MAX_PUBLIC_NOTE = 300
MAX_PRIVATE_NOTE = 1_000
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_PHONE = re.compile(r"(?:\+|00)?\d(?:[\s./-]?\d){7,}")

metadata = sa.MetaData()
candidate_log = sa.Table(
    "planning_candidate_log",
    metadata,
    sa.Column("import_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("actor", sa.String(200), nullable=False),
    sa.Column("file_name", sa.String(200), nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("rows", sa.Integer, nullable=False),
    sa.Column("inserted", sa.Integer, nullable=False),
    sa.Column("updated", sa.Integer, nullable=False),
)
candidates = sa.Table(
    "planning_candidates",
    metadata,
    sa.Column("candidate_id", sa.String(40), primary_key=True),
    sa.Column("municipio", sa.Integer, nullable=False),
    sa.Column("kind", sa.String(40), nullable=False),
    sa.Column("address", sa.String(200), nullable=False),
    sa.Column("lat", sa.Float, nullable=False),
    sa.Column("lon", sa.Float, nullable=False),
    sa.Column("id_nil", sa.Integer, nullable=True),
    sa.Column("area_code", sa.String(20), nullable=False),
    sa.Column("estimated_kwp", sa.Float, nullable=True),
    sa.Column("contact_status", sa.String(40), nullable=False),
    sa.Column("public_note", sa.String(300), nullable=False),
    sa.Column("private_note", sa.String(1000), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column(
        "import_id", sa.Integer, sa.ForeignKey("planning_candidate_log.import_id"), nullable=False
    ),
)


@dataclass(frozen=True)
class Place:
    """Where an address lies: WGS84 [deg], NIL number."""

    lat: float
    lon: float
    id_nil: int | None


Locator = Callable[[str], Place]


def locate_address(address: str) -> Place:
    """The map's offline lookup (:func:`cer_core.geo.locate`); raises :class:`InputError`
    (``LocationNotFound``) for an address outside Milan or not found."""
    from cer_core.geo import locate

    found = locate(address)
    if found.match.kind == "place":  # a district's centre says nothing about the building
        raise InputError(
            "address", f"{address!r} names a district, not a building: give street and number"
        )
    return Place(found.lat, found.lon, found.id_nil)


@dataclass(frozen=True)
class ImportSummary:
    """What one import wrote."""

    import_id: int
    rows: int
    inserted: int
    updated: int


def prepare(engine: sa.Engine) -> sa.Engine:
    """Create or migrate the planning tables (own Alembic version table); return the engine."""
    from cer_core.planning.migrations import upgrade

    upgrade(engine)
    return engine


def _personal_data(text: str) -> bool:
    return bool(_EMAIL.search(text) or _PHONE.search(text))


def check_candidates(source, locator: Locator | None = None) -> list[dict]:
    """Read and check a candidates CSV whole; rows ready to write.

    Parameters
    ----------
    source : path, bytes, text or file-like
        CSV in the template's columns (:data:`COLUMNS` + :data:`OPTIONAL`).
    locator : callable, optional
        ``address -> Place``; default :func:`locate_address` (the map's offline lookup).

    Returns
    -------
    list of dict
        One record per row with the located point and area.

    Raises
    ------
    TableError
        Every bad row: duplicate or malformed id, Municipio not 1-9, unknown kind or status,
        kWp out of 0-1,000, an address outside Milan or not found, a public note with contact
        details, notes too long; more than :data:`MAX_ROWS` rows.
    """
    locator = locator or locate_address
    rows, decimal = read_rows(source, "candidates", COLUMNS, OPTIONAL)
    problems: list[RowProblem] = []
    if len(rows) > MAX_ROWS:
        raise TableError(
            "candidates", [RowProblem(None, "", f"more than {MAX_ROWS:,} rows", "too_big")]
        )
    seen: dict[str, int] = {}
    records = []
    for line, row in rows:
        cid = row["candidate_id"]
        if not _ID.match(cid):
            problems.append(
                RowProblem(line, "candidate_id", "1-40 letters, digits, '-', '_' or '.'", "missing")
            )
        elif cid in seen:
            problems.append(
                RowProblem(line, "candidate_id", f"already on line {seen[cid]}", "duplicate")
            )
        else:
            seen[cid] = line
        municipio = cell_number(
            problems, line, "municipio", row["municipio"], lambda f, v: number(f, v, 1, 9), decimal
        )
        if municipio is not None and municipio != int(municipio):
            problems.append(RowProblem(line, "municipio", "must be a whole number 1-9", "range"))
        kind = row["kind"].strip().lower()
        if kind not in KINDS:
            problems.append(
                RowProblem(line, "kind", f"must be one of {', '.join(KINDS)}", "choice")
            )
        status = row["contact_status"].strip().lower()
        if status not in STATUSES:
            problems.append(
                RowProblem(
                    line, "contact_status", f"must be one of {', '.join(STATUSES)}", "choice"
                )
            )
        kwp = cell_number(
            problems, line, "estimated_kwp", row.get("estimated_kwp", ""),
            lambda f, v: number(f, v, 0.0, 1000.0, unit=" kWp"), decimal, required=False,
        )  # fmt: skip
        public_note = row.get("public_note", "")
        private_note = row.get("private_note", "")
        if len(public_note) > MAX_PUBLIC_NOTE:
            problems.append(
                RowProblem(
                    line, "public_note", f"longer than {MAX_PUBLIC_NOTE} characters", "range"
                )
            )
        elif _personal_data(public_note):
            problems.append(
                RowProblem(
                    line, "public_note",
                    "looks like contact details (an e-mail or a phone number): the public note is "
                    "shown on the public page; put contacts in private_note",
                    "personal_data",
                )
            )  # fmt: skip
        if len(private_note) > MAX_PRIVATE_NOTE:
            problems.append(
                RowProblem(
                    line, "private_note", f"longer than {MAX_PRIVATE_NOTE} characters", "range"
                )
            )
        address = row["address"].strip()
        place = None
        if not address:
            problems.append(RowProblem(line, "address", "is empty", "missing"))
        elif len(address) > 200:
            problems.append(RowProblem(line, "address", "longer than 200 characters", "range"))
        else:
            try:
                place = locator(address)
            except InputError as err:
                problems.append(RowProblem(line, "address", err.message, "address"))
        if place is not None:
            records.append(
                {
                    "candidate_id": cid,
                    "municipio": int(municipio or 0),
                    "kind": kind,
                    "address": address,
                    "lat": round(place.lat, 6),
                    "lon": round(place.lon, 6),
                    "id_nil": place.id_nil,
                    "area_code": str(nearest_area_code(place.lat, place.lon)[0]),
                    "estimated_kwp": kwp,
                    "contact_status": status,
                    "public_note": public_note,
                    "private_note": private_note,
                }
            )
    if problems:
        raise TableError("candidates", problems)
    return records


def _bytes(source) -> bytes:
    if isinstance(source, bytes | bytearray):
        return bytes(source)
    if isinstance(source, str) and "\n" in source:
        return source.encode("utf-8")
    from pathlib import Path

    return Path(source).read_bytes()


def import_candidates(
    engine: sa.Engine, source, file_name: str, actor: str, locator: Locator | None = None
) -> ImportSummary:
    """Check a candidates CSV and write it in one transaction (insert new ids, update known ones).

    Nothing is written when any row is bad (:class:`TableError`) or the database refuses the
    transaction; the audit log gets one row per successful import.

    Parameters
    ----------
    engine : sqlalchemy.Engine
        The store (migrated with :func:`prepare`).
    source : path, bytes or text
        The CSV.
    file_name : str
        Name of the uploaded file (audit log).
    actor : str
        Who imports (the logged-in user's e-mail).
    locator : callable, optional
        Address lookup (default the map's offline lookup).
    """
    data = _bytes(source)
    records = check_candidates(data, locator)
    now = dt.datetime.now(dt.UTC)
    with engine.begin() as connection:
        known = set(
            connection.execute(
                sa.select(candidates.c.candidate_id).where(
                    candidates.c.candidate_id.in_([r["candidate_id"] for r in records])
                )
            ).scalars()
        )
        inserted = [r for r in records if r["candidate_id"] not in known]
        updated = [r for r in records if r["candidate_id"] in known]
        import_id = connection.execute(
            sa.insert(candidate_log).values(
                imported_at=now,
                actor=str(actor)[:200],
                file_name=str(file_name)[:200],
                sha256=hashlib.sha256(data).hexdigest(),
                rows=len(records),
                inserted=len(inserted),
                updated=len(updated),
            )
        ).inserted_primary_key[0]
        stamp = {"updated_at": now, "import_id": import_id}
        if inserted:
            connection.execute(sa.insert(candidates), [{**r, **stamp} for r in inserted])
        for record in updated:
            connection.execute(
                sa.update(candidates)
                .where(candidates.c.candidate_id == record["candidate_id"])
                .values(**{**record, **stamp})
            )
    return ImportSummary(int(import_id), len(records), len(inserted), len(updated))


EDITABLE = ("municipio", "kind", "address", "estimated_kwp", "contact_status", "public_note",
            "private_note")  # fmt: skip
"""Columns the admin page lets staff edit (the id is the key; the area follows the address)."""


def edited_to_csv(frame: pd.DataFrame) -> bytes:
    """The admin table after editing, as a CSV in the template's columns (to re-import it through
    the same checks and the same audit log)."""
    columns = ["candidate_id", *EDITABLE]
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError("candidates", f"edited table lacks {', '.join(missing)}")
    out = frame[columns].copy()
    out["municipio"] = pd.to_numeric(out["municipio"], errors="coerce").map(
        lambda v: "" if pd.isna(v) else (str(int(v)) if float(v).is_integer() else str(v))
    )
    return out.fillna("").to_csv(index=False, lineterminator="\n").encode("utf-8")


def public_candidates(engine: sa.Engine) -> pd.DataFrame:
    """The candidates as the public page may show them: :data:`PUBLIC_COLUMNS` only."""
    query = sa.select(*(candidates.c[c] for c in PUBLIC_COLUMNS)).order_by(
        candidates.c.area_code, candidates.c.candidate_id
    )
    with engine.connect() as connection:
        return pd.DataFrame(connection.execute(query).mappings().all(), columns=PUBLIC_COLUMNS)


def candidates_by_area(engine: sa.Engine) -> pd.DataFrame:
    """Per area: number of candidates, of each kind, and their estimated kWp (public)."""
    frame = public_candidates(engine)
    if frame.empty:
        return pd.DataFrame(columns=["area_code", "candidates", "candidates_kwp", *KINDS])
    counts = pd.crosstab(frame["area_code"], frame["kind"]).reindex(
        columns=list(KINDS), fill_value=0
    )
    out = frame.groupby("area_code").agg(
        candidates=("candidate_id", "count"), candidates_kwp=("estimated_kwp", "sum")
    )
    return out.join(counts).reset_index()


def admin_candidates(engine: sa.Engine) -> pd.DataFrame:
    """Every column, for the admin side only (holds addresses and private notes)."""
    with engine.connect() as connection:
        rows = connection.execute(sa.select(candidates).order_by(candidates.c.candidate_id))
        return pd.DataFrame(rows.mappings().all(), columns=[c.name for c in candidates.columns])


def import_log(engine: sa.Engine, limit: int = 50) -> pd.DataFrame:
    """The latest imports, newest first (admin side)."""
    query = sa.select(candidate_log).order_by(candidate_log.c.import_id.desc()).limit(limit)
    with engine.connect() as connection:
        rows = connection.execute(query).mappings().all()
        return pd.DataFrame(rows, columns=[c.name for c in candidate_log.columns])
