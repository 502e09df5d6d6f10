"""Read side of the transparency store: engine from a URL, DataFrames for the pages, JSON export.

Usable without Streamlit::

    from cer_core.transparency import store
    engine = store.open_store("postgresql+psycopg://user@host/cer")   # or store.default_url()
    store.View(engine, year=2025).totals(municipio=3)

Money in euro [EUR], energy in [kWh]. Figures of a configuration that serves several Municipi are
split equally among them in :func:`by_municipio` (stated in the data dictionary).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import getpass
import json
import os
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from cer_core.paths import DataFileError, cache_dir, data_dir
from cer_core.transparency.ingest import (
    DEMO_ACTOR,
    ImportReport,
    has_committed_import,
    import_files,
    read_sheets,
)
from cer_core.transparency.migrations import upgrade
from cer_core.transparency.models import (
    TABLE_DESCRIPTIONS,
    TABLES,
    TEMPLATES,
    import_log,
)

#: Environment variable with the database URL (production: PostgreSQL).
URL_ENV = "CER_DATABASE_URL"
#: Set to ``0`` to never load the demo data into an empty database.
SEED_DEMO_ENV = "CER_TRANSPARENCY_SEED_DEMO"
DB_FILE_NAME = "cer_transparency.db"
FUNDED_STATUSES = ("approved", "in_progress", "completed")
#: Remainders below this are rounding, not money waiting for a decision [EUR].
ROUNDING_EUR = 0.005


def default_url() -> str:
    """``$CER_DATABASE_URL``, or an SQLite file in the writable cache folder."""
    return os.environ.get(URL_ENV) or f"sqlite:///{cache_dir() / DB_FILE_NAME}"


def make_engine(url: str) -> sa.Engine:
    """A SQLAlchemy engine for ``url`` (foreign keys switched on for SQLite)."""
    if url.startswith("sqlite"):
        engine = sa.create_engine(url, connect_args={"timeout": 30})
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return sa.create_engine(url, pool_pre_ping=True)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def demo_dir() -> Path:
    """Folder of the embedded demo CSV files (``data/transparency``)."""
    return data_dir() / "transparency"


def open_store(url: str | None = None, seed_demo: bool | None = None) -> sa.Engine:
    """Engine at ``url`` with the schema migrated and, unless real data was ever imported, the demo.

    Parameters
    ----------
    url : str, optional
        SQLAlchemy URL; :func:`default_url` when omitted.
    seed_demo : bool, optional
        Load the embedded demo data unless real data was ever imported (audit log). Defaults to
        true unless ``$CER_TRANSPARENCY_SEED_DEMO`` is ``0``.
    """
    return prepare(make_engine(url or default_url()), seed_demo)


def prepare(engine: sa.Engine, seed_demo: bool | None = None) -> sa.Engine:
    """Migrate the schema of an existing engine (e.g. ``st.connection(...).engine``) and seed
    the demo as in :func:`open_store`; return the engine."""
    if engine.dialect.name == "sqlite" and not sa.event.contains(
        engine, "connect", _sqlite_pragmas
    ):
        sa.event.listen(engine, "connect", _sqlite_pragmas)
    if seed_demo is None:
        seed_demo = os.environ.get(SEED_DEMO_ENV, "1") != "0"
    # Processes starting together on an empty database would all create the tables and seed the
    # demo at once (duplicate keys): they take turns, and the later ones find the work done.
    with start_up_lock(engine):
        upgrade(engine)
        if seed_demo and not has_real_data(engine):
            seed_demo_data(engine)
    return engine


#: Key of the PostgreSQL advisory lock held while the schema is migrated and the demo seeded
#: (any 64-bit number other components of the database do not use: "CERMI" in ASCII).
ADVISORY_LOCK_KEY = 0x43_45_52_4D_49


@contextlib.contextmanager
def start_up_lock(engine: sa.Engine):
    """Hold a lock shared by every process using the database at ``engine`` (blocking).

    PostgreSQL: a session advisory lock (:data:`ADVISORY_LOCK_KEY`). SQLite file: an exclusive
    ``flock`` on ``<database>.lock`` beside it. In-memory SQLite: nothing to share.
    """
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT pg_advisory_lock(:key)"), {"key": ADVISORY_LOCK_KEY})
            connection.commit()
            try:
                yield
            finally:
                connection.execute(
                    sa.text("SELECT pg_advisory_unlock(:key)"), {"key": ADVISORY_LOCK_KEY}
                )
                connection.commit()
        return
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:" or database.startswith("file:"):
        yield
        return
    with open(f"{database}.lock", "a") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)


def has_real_data(engine: sa.Engine) -> bool:
    """True when anything but the demo seeding has committed an import (see the audit log;
    refused imports and dry runs are traces, not data)."""
    with engine.connect() as connection:
        return has_committed_import(connection)


def seed_demo_data(engine: sa.Engine, folder: Path | None = None) -> int:
    """Import the demo CSV files as one transaction (idempotent); return the rows written."""
    folder = folder or demo_dir()
    paths = [folder / f"{t}.csv" for t in TEMPLATES if (folder / f"{t}.csv").is_file()]
    if not paths:
        return 0
    report = import_files(engine, paths, label=f"{folder.name}/ (demo)", actor=DEMO_ACTOR)
    if report.errors:
        # Name the broken file: the error's template is its file name; a file-level error
        # (unreadable bytes) carries none, so look for the file that fails on its own.
        first = report.errors[0]
        culprit = folder / f"{first.template}.csv" if first.template else None
        if culprit is None or not culprit.is_file():
            culprit = next((p for p in paths if _unreadable(p)), folder)
        problems = "; ".join(map(str, report.errors[:5]))
        raise DataFileError(culprit, f"embedded demo data not importable ({problems})")
    return report.inserted + report.updated


def _unreadable(path: Path) -> bool:
    part = ImportReport(path.name, "", path.stat().st_size)
    read_sheets(path.read_bytes(), path.name, part)
    return bool(part.errors)


def current_actor() -> str:
    """Name of the OS user running the command line (audit log)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # pragma: no cover - no passwd entry in some containers
        return "unknown"


# ------------------------------------------------------------------------------------ reading


def read_table(engine: sa.Engine, name: str) -> pd.DataFrame:
    """A whole public table (template order of columns), sorted by its key."""
    table = TABLES[name]
    columns = [f.name for f in TEMPLATES[name]]
    keys = [c for c in table.primary_key.columns]
    with engine.connect() as connection:
        rows = connection.execute(sa.select(table).order_by(*keys)).mappings().all()
    frame = pd.DataFrame([dict(r) for r in rows], columns=columns)
    for spec in TEMPLATES[name]:
        if spec.kind in ("float",):
            frame[spec.name] = pd.to_numeric(frame[spec.name]).astype(float)
        elif spec.kind == "int":
            frame[spec.name] = pd.to_numeric(frame[spec.name]).astype("Int64")
        elif spec.kind == "bool":
            frame[spec.name] = frame[spec.name].astype(bool)
    return frame


def audit_log(engine: sa.Engine, limit: int = 50) -> pd.DataFrame:
    """The latest import attempts (``status``: committed, dry_run or refused), newest first."""
    with engine.connect() as connection:
        rows = connection.execute(
            sa.select(import_log).order_by(import_log.c.import_id.desc()).limit(limit)
        ).mappings()
        return pd.DataFrame([dict(r) for r in rows], columns=list(import_log.c.keys()))


def _year(series: pd.Series) -> pd.Series:
    return pd.to_datetime(series).dt.year


def years(engine: sa.Engine) -> list[int]:
    """Years with energy, payments or projects, newest first."""
    found: set[int] = set()
    found |= set(_year(read_table(engine, "energy")["month"]).dropna().astype(int))
    found |= set(read_table(engine, "payments")["year"].dropna().astype(int))
    found |= set(read_table(engine, "projects")["fund_year"].dropna().astype(int))
    return sorted(found, reverse=True)


def as_of(engine: sa.Engine) -> dt.date | None:
    """The most recent date the data speaks about (end of the last month of energy, last payment,
    decision or vote)."""
    dates = []
    energy = read_table(engine, "energy")
    if not energy.empty:
        last = pd.Timestamp(max(energy["month"]))
        dates.append((last + pd.offsets.MonthEnd(0)).date())
    for name, column in (
        ("payments", "received_on"),
        ("allocations", "decided_on"),
        ("projects", "vote_date"),
    ):
        values = read_table(engine, name)[column].dropna()
        if not values.empty:
            dates.append(max(values))
    return max(dates) if dates else None


class View:
    """All tables of the store filtered to one year (``None`` = every year), read once."""

    def __init__(self, engine: sa.Engine, year: int | None = None):
        self.year = year
        self.tables = {name: read_table(engine, name) for name in TEMPLATES}
        energy = self.tables["energy"]
        if year is not None:
            self.tables["energy"] = energy[_year(energy["month"]) == year]
            for name, column in (
                ("payments", "year"),
                ("allocations", "year"),
                ("projects", "fund_year"),
            ):
                table = self.tables[name]
                self.tables[name] = table[table[column] == year]
            members = self.tables["members"]
            self.tables["members"] = members[_year(members["month"]) <= year]

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name]

    def is_demo(self, *names: str) -> bool:
        """True when any row of the named tables (all when none) is demo data."""
        names = names or tuple(self.tables)
        return any(bool(self.tables[n]["demo"].any()) for n in names)

    # -------------------------------------------------------------------------------- figures

    def totals(
        self,
        municipio: int | None = None,
        status: str | None = None,
        category: str | None = None,
        configuration_id: str | None = None,
    ) -> dict[str, float]:
        """Headline figures, for the whole view or for the page's filters.

        Returns shared energy [kWh], incentives [EUR], social fund [EUR], money approved for
        projects [EUR], projects funded, households reached and members.

        Parameters
        ----------
        municipio : int, optional
            Projects in that Municipio; energy, incentives, social fund and members of the
            configurations serving it, split equally among the Municipi of a configuration (the
            rule of :meth:`by_municipio`, so the figures equal that Municipio's row there).
        status, category : str, optional
            Projects with that status or category (only the project figures: energy and money
            received have neither). A status outside the funded ones gives no funded projects.
        configuration_id : str, optional
            Every figure of that configuration only.

        Without filters the figures cover the whole view (every configuration).
        """
        share = self._configuration_shares(municipio, configuration_id)

        def weighted(frame: pd.DataFrame, values: pd.Series) -> float:
            if share is None:
                return float(values.sum())
            return float((values * frame["configuration_id"].map(share).fillna(0.0)).sum())

        payments, social = self["payments"], self["allocations"]
        social = social[social["recipient"] == "social_fund"]
        projects = self.projects(municipio, status, category, configuration_id)
        funded = projects[projects["status"].isin(FUNDED_STATUSES)]
        members = self.latest_members()
        return {
            "shared_kwh": weighted(self["energy"], self["energy"]["shared_kwh"]),
            "incentives_eur": weighted(
                payments, payments["tip_eur"] + payments["valorisation_eur"]
            ),
            "social_fund_eur": weighted(social, social["amount_eur"]),
            "projects_eur": float(funded["approved_eur"].sum()),
            "projects_funded": int(len(funded)),
            "households": int(funded["beneficiaries"].sum()),
            # a share of a configuration's members is rounded once, on the total
            "members": int(round(weighted(members, members["count"]))),
        }

    def _configuration_shares(
        self, municipio: int | None, configuration_id: str | None
    ) -> dict[str, float] | None:
        """Weight of each configuration's figures under the filters (``None``: no filter)."""
        if municipio is None and configuration_id is None:
            return None
        shares = {}
        for config, municipi in zip(
            self["configurations"]["configuration_id"],
            self["configurations"]["municipi"],
            strict=True,
        ):
            served = [int(m) for m in str(municipi).split(";") if m]
            weight = 1.0
            if configuration_id is not None and config != configuration_id:
                weight = 0.0
            if municipio is not None:
                weight *= 1.0 / len(served) if municipio in served else 0.0
            shares[config] = weight
        return shares

    def latest_members(self) -> pd.DataFrame:
        """Member counts of the latest month of each configuration."""
        members = self["members"]
        if members.empty:
            return members
        last = members.groupby("configuration_id")["month"].transform("max")
        return members[members["month"] == last]

    def by_configuration(self) -> pd.DataFrame:
        """One row per configuration: status, Municipi, plants [kW], members, energy [kWh], money
        [EUR]."""
        configs = self["configurations"][
            ["configuration_id", "name", "municipi", "status", "activation_date"]
        ].copy()
        plants = self["plants"].groupby("configuration_id")["power_kw"].sum()
        members = self.latest_members().groupby("configuration_id")["count"].sum()
        energy = (
            self["energy"]
            .groupby("configuration_id")[["injected_kwh", "withdrawn_kwh", "shared_kwh"]]
            .sum()
        )
        payments = self["payments"].assign(
            incentives_eur=lambda p: p["tip_eur"] + p["valorisation_eur"]
        )
        money = payments.groupby("configuration_id")["incentives_eur"].sum()
        allocations = self["allocations"].pivot_table(
            index="configuration_id", columns="recipient", values="amount_eur", aggfunc="sum"
        )
        funded = self["projects"][self["projects"]["status"].isin(FUNDED_STATUSES)]
        projects = funded.groupby("configuration_id").agg(
            projects=("project_id", "count"), projects_eur=("approved_eur", "sum")
        )
        out = configs.set_index("configuration_id")
        out["plants_kw"] = plants
        out["members"] = members
        out = out.join(energy).join(money.rename("incentives_eur"))
        for recipient in ("producers", "management", "social_fund"):
            column = allocations[recipient] if recipient in allocations else None
            out[f"{recipient}_eur"] = column
        out = out.join(projects)
        numeric = out.columns.difference(["name", "municipi", "status", "activation_date"])
        out[numeric] = out[numeric].astype(float).fillna(0.0)
        return out.reset_index()

    def by_municipio(self) -> pd.DataFrame:
        """One row per Municipio 1-9: configurations, shared energy [kWh] and incentives [EUR]
        (split equally among the Municipi of a configuration), projects, money approved [EUR],
        households reached."""
        per_config = self.by_configuration()
        rows = {m: dict.fromkeys(("shared_kwh", "incentives_eur"), 0.0) for m in range(1, 10)}
        names = {m: [] for m in range(1, 10)}
        for _, config in per_config.iterrows():
            municipi = [int(m) for m in str(config["municipi"]).split(";") if m]
            for m in municipi:
                rows[m]["shared_kwh"] += config["shared_kwh"] / len(municipi)
                rows[m]["incentives_eur"] += config["incentives_eur"] / len(municipi)
                names[m].append(config["name"])
        out = pd.DataFrame.from_dict(rows, orient="index")
        out.index.name = "municipio"
        out["configurations"] = [", ".join(names[m]) for m in out.index]
        funded = self["projects"][self["projects"]["status"].isin(FUNDED_STATUSES)]
        projects = funded.groupby("municipio").agg(
            projects=("project_id", "count"),
            projects_eur=("approved_eur", "sum"),
            households=("beneficiaries", "sum"),
        )
        projects.index = projects.index.astype(int)
        out = out.join(projects)
        out[["projects", "projects_eur", "households"]] = (
            out[["projects", "projects_eur", "households"]].astype(float).fillna(0.0)
        )
        return out.reset_index()[
            [
                "municipio",
                "configurations",
                "shared_kwh",
                "incentives_eur",
                "projects",
                "projects_eur",
                "households",
            ]
        ]

    def flows(self) -> pd.DataFrame:
        """Money flows for a Sankey diagram: ``source``, ``target``, ``amount_eur``.

        GSE → producers / management / social fund / not yet allocated; social fund → each
        project category / not yet assigned.
        """
        payments, allocations = self["payments"], self["allocations"]
        received = float((payments["tip_eur"] + payments["valorisation_eur"]).sum())
        rows = []
        allocated = 0.0
        for recipient in ("producers", "management", "social_fund"):
            amount = float(
                allocations.loc[allocations["recipient"] == recipient, "amount_eur"].sum()
            )
            allocated += amount
            if amount > 0:
                rows.append(("gse", recipient, amount))
        if received - allocated > ROUNDING_EUR:
            rows.append(("gse", "unallocated", received - allocated))
        fund = float(allocations.loc[allocations["recipient"] == "social_fund", "amount_eur"].sum())
        projects = self["projects"][self["projects"]["status"] != "rejected"]
        assigned = 0.0
        for category, amount in projects.groupby("category")["approved_eur"].sum().items():
            if amount > 0:
                rows.append(("social_fund", str(category), float(amount)))
                assigned += float(amount)
        if fund - assigned > ROUNDING_EUR:
            rows.append(("social_fund", "unassigned", fund - assigned))
        return pd.DataFrame(rows, columns=["source", "target", "amount_eur"])

    def monthly_energy(self, configuration_id: str | None = None) -> pd.DataFrame:
        """Per month: shared energy (measured or estimated) and the forecast [kWh]."""
        energy = self["energy"]
        if configuration_id:
            energy = energy[energy["configuration_id"] == configuration_id]
        frame = energy.assign(
            measured_kwh=energy["shared_kwh"].where(energy["quality"] == "measured"),
            estimated_kwh=energy["shared_kwh"].where(energy["quality"] == "estimated"),
        )
        out = frame.groupby("month")[
            ["shared_kwh", "measured_kwh", "estimated_kwh", "forecast_shared_kwh"]
        ].sum(min_count=1)
        return out.reset_index()

    def projects(
        self,
        municipio: int | None = None,
        status: str | None = None,
        category: str | None = None,
        configuration_id: str | None = None,
    ) -> pd.DataFrame:
        """Projects, optionally filtered, largest approved amount first."""
        table = self["projects"]
        for column, value in (
            ("municipio", municipio),
            ("status", status),
            ("category", category),
            ("configuration_id", configuration_id),
        ):
            if value is not None:
                table = table[table[column] == value]
        return table.sort_values(["approved_eur", "project_id"], ascending=[False, True])


# ------------------------------------------------------------------------------------ export


def data_dictionary() -> dict[str, dict]:
    """Every table and column of the open dataset: type, unit, description, key, allowed values."""
    out = {}
    for name, fields in TEMPLATES.items():
        columns = {}
        for spec in fields:
            entry = {"type": spec.kind, "description": spec.description, "required": spec.required}
            if spec.unit:
                entry["unit"] = spec.unit
            if spec.key:
                entry["key"] = True
            if spec.choices:
                entry["allowed"] = list(spec.choices)
            if spec.minimum is not None or spec.maximum is not None:
                entry["range"] = [spec.minimum, spec.maximum]
            if spec.references:
                entry["references"] = spec.references
            columns[spec.name] = entry
        out[name] = {"description": TABLE_DESCRIPTIONS[name], "columns": columns}
    return out


def export_dataset(engine: sa.Engine) -> dict:
    """The whole public dataset as a JSON-ready dict: ``meta``, ``data_dictionary``, ``tables``."""
    tables = {}
    demo = False
    for name in TEMPLATES:
        frame = read_table(engine, name)
        demo = demo or bool(frame["demo"].any())
        records = json.loads(frame.to_json(orient="records", date_format="iso"))
        for record in records:
            for key, value in record.items():
                if isinstance(value, str) and value.endswith("T00:00:00.000"):
                    record[key] = value[:10]
        tables[name] = records
    date = as_of(engine)
    return {
        "meta": {
            "title": "CER Milano — transparency open data",
            "generated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "as_of": date.isoformat() if date else None,
            "contains_demo_data": demo,
            "units": {"energy": "kWh", "money": "EUR", "power": "kW"},
            "note": "Rows with demo=true are illustrative, not published figures.",
        },
        "data_dictionary": data_dictionary(),
        "tables": tables,
    }


def export_json(engine: sa.Engine) -> str:
    """:func:`export_dataset` serialised as indented UTF-8 JSON text."""
    return json.dumps(export_dataset(engine), ensure_ascii=False, indent=1)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """Neutralise spreadsheet formulas: text cells starting with ``= + - @`` (or tab/CR) get a
    leading ``'`` (OWASP CSV injection). Numbers are left as numbers."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(
                lambda v: "'" + v if isinstance(v, str) and v.startswith(_FORMULA_START) else v
            )
    return out


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV (UTF-8 with BOM, so that Excel shows accents; CRLF rows, so that a CR or LF inside a
    cell gets quoted) with formulas neutralised."""
    return csv_safe(frame).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")
