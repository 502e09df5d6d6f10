"""Data model of the transparency store: one table per import template, plus the audit log.

Each public table is described once, by a list of :class:`Field` objects. That description drives
the SQLAlchemy tables (:data:`metadata`), the import templates and their validation
(:mod:`cer_core.transparency.ingest.validation`) and the data dictionary shipped with every
export. The database schema itself is created and migrated by the Alembic scripts in
``cer_core/transparency/migrations/`` (a test checks that they match :data:`metadata`).

Units: energy in kWh, money in euro, power in kW. Months are stored as the first day of the
month (a ``DATE``), so that SQLite and PostgreSQL behave the same.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

#: Types a template column can have.
KINDS = ("str", "int", "float", "date", "month", "bool", "enum", "municipi")

MEMBER_TYPES = ("household", "vulnerable_household", "business", "public_body", "third_sector")
OWNER_TYPES = (
    "public_body",
    "university",
    "cooperative",
    "business",
    "household",
    "third_sector",
    "other",
)
RECIPIENTS = ("producers", "management", "social_fund")
PROJECT_CATEGORIES = ("energy_poverty", "school", "community", "environment", "other")
PROJECT_STATUSES = ("proposed", "approved", "in_progress", "completed", "rejected")


@dataclass(frozen=True)
class Field:
    """One column of a template and of its table.

    Parameters
    ----------
    name : str
        Column name, identical in the template header and in the database.
    kind : str
        One of :data:`KINDS`. ``month`` is written ``YYYY-MM``; ``date`` is ``YYYY-MM-DD``;
        ``municipi`` is a list of Municipio numbers 1-9 separated by ``;`` (e.g. ``9`` or ``8;9``).
    description : str
        What the column holds (English; the data dictionary).
    required : bool
        Whether an empty cell is an error.
    key : bool
        Part of the row's natural key (re-importing a row with the same key updates it).
    minimum, maximum : float, optional
        Allowed range for numbers (inclusive).
    choices : tuple of str
        Allowed values for ``enum`` columns.
    unit : str
        Unit of the value (``kWh``, ``EUR``, ``kW``) or ``""``.
    references : str
        ``table.column`` this column must match (referential integrity).
    max_chars : int
        Longest text accepted (``str`` columns): :data:`MAX_ID_CHARS` for identifiers (keys and
        references, so that a composite key fits the audit log), :data:`MAX_TEXT_CHARS` otherwise.
    """

    name: str
    kind: str
    description: str
    required: bool = True
    key: bool = False
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    unit: str = ""
    references: str = ""

    @property
    def max_chars(self) -> int:
        return MAX_ID_CHARS if (self.key or self.references) else MAX_TEXT_CHARS


#: Longest identifier (key or reference) [characters].
MAX_ID_CHARS = 100
#: Longest free text [characters] (the database columns are ``VARCHAR(400)``).
MAX_TEXT_CHARS = 400
#: Largest energy in one row [kWh]: a month of a configuration. Milan uses about 0.6 TWh a month,
#: so 1 TWh is beyond any cabina primaria area; it bounds sums of 50,000 rows far below overflow.
MAX_KWH = 1e9
#: Largest amount of money in one row [EUR] (in absolute value; balances may be negative).
MAX_EUR = 1e9


_SOURCE = Field("source", "str", "Where the figure comes from (document, URL or office).")
_DEMO = Field(
    "demo",
    "bool",
    "true when the row is illustrative demo data, not a published figure.",
    required=False,
)
_CONFIG_FK = Field(
    "configuration_id",
    "str",
    "Configuration the row belongs to.",
    key=True,
    references="configurations.configuration_id",
)

#: Template name → its columns, in template order. Import order follows this dict (parents first).
TEMPLATES: dict[str, tuple[Field, ...]] = {
    "configurations": (
        Field(
            "configuration_id",
            "str",
            "Short stable identifier (e.g. citta-studi).",
            key=True,
        ),
        Field("name", "str", "Name of the configuration (neighbourhood)."),
        Field("cer", "str", "Renewable energy community the configuration belongs to."),
        Field(
            "cp_number",
            "int",
            "Comune's internal number of the cabina primaria.",
            minimum=1,
            maximum=9999,
        ),
        Field("municipi", "municipi", "Municipio or Municipi served, 1-9, separated by ';'."),
        Field("status", "enum", "Configuration status.", choices=("active", "planned", "closed")),
        Field("activation_date", "date", "Date the configuration started sharing.", required=False),
        _SOURCE,
        _DEMO,
    ),
    "plants": (
        Field("plant_id", "str", "Stable identifier of the plant.", key=True),
        Field(
            "configuration_id",
            "str",
            "Configuration the plant belongs to.",
            references="configurations.configuration_id",
        ),
        Field("name", "str", "Site or building."),
        Field(
            "power_kw",
            "float",
            "Rated power.",
            minimum=0.1,
            maximum=10000,
            unit="kW",
        ),
        Field("owner_type", "enum", "Type of owner.", choices=OWNER_TYPES),
        Field(
            "commissioning_date",
            "date",
            "Date of entry into operation (empty while planned).",
            required=False,
        ),
        Field(
            "municipio", "int", "Municipio the plant is in.", required=False, minimum=1, maximum=9
        ),
        _SOURCE,
        _DEMO,
    ),
    "members": (
        _CONFIG_FK,
        Field("month", "month", "Month of the count (YYYY-MM).", key=True),
        Field(
            "member_type",
            "enum",
            "Type of member (counts only, no personal data).",
            key=True,
            choices=MEMBER_TYPES,
        ),
        Field("count", "int", "Number of members of that type.", minimum=0, maximum=1_000_000),
        _SOURCE,
        _DEMO,
    ),
    "energy": (
        _CONFIG_FK,
        Field("month", "month", "Month (YYYY-MM).", key=True),
        Field(
            "injected_kwh",
            "float",
            "Energy injected into the grid by the plants.",
            minimum=0,
            maximum=MAX_KWH,
            unit="kWh",
        ),
        Field(
            "withdrawn_kwh",
            "float",
            "Energy withdrawn from the grid by the members.",
            minimum=0,
            maximum=MAX_KWH,
            unit="kWh",
        ),
        Field(
            "shared_kwh",
            "float",
            "Shared energy (energia condivisa): sum of the hourly min(injected, withdrawn).",
            minimum=0,
            maximum=MAX_KWH,
            unit="kWh",
        ),
        Field(
            "quality",
            "enum",
            "measured (GSE/DSO data) or estimated.",
            choices=("measured", "estimated"),
        ),
        Field(
            "forecast_shared_kwh",
            "float",
            "Shared energy forecast by the cer_core simulation for the month.",
            required=False,
            minimum=0,
            maximum=MAX_KWH,
            unit="kWh",
        ),
        _SOURCE,
        _DEMO,
    ),
    "payments": (
        Field("payment_id", "str", "Stable identifier of the GSE payment.", key=True),
        Field(
            "configuration_id",
            "str",
            "Configuration paid for.",
            references="configurations.configuration_id",
        ),
        Field("year", "int", "Year of the energy paid for.", minimum=2020, maximum=2100),
        Field(
            "month",
            "int",
            "Month of the energy paid for (empty for the yearly balance).",
            required=False,
            minimum=1,
            maximum=12,
        ),
        Field(
            "kind",
            "enum",
            "advance (monthly) or balance (yearly conguaglio).",
            choices=("advance", "balance"),
        ),
        Field(
            "tip_eur",
            "float",
            "Incentive tariff (tariffa premio, TIP). Negative only in a balance.",
            minimum=-MAX_EUR,
            maximum=MAX_EUR,
            unit="EUR",
        ),
        Field(
            "valorisation_eur",
            "float",
            "ARERA valorisation of shared energy. Negative only in a balance.",
            minimum=-MAX_EUR,
            maximum=MAX_EUR,
            unit="EUR",
        ),
        Field("received_on", "date", "Date the money was received."),
        _SOURCE,
        _DEMO,
    ),
    "allocations": (
        Field("allocation_id", "str", "Stable identifier of the allocation.", key=True),
        Field(
            "configuration_id",
            "str",
            "Configuration whose incentives are allocated.",
            references="configurations.configuration_id",
        ),
        Field("year", "int", "Year of the incentives allocated.", minimum=2020, maximum=2100),
        Field("recipient", "enum", "Who receives the money.", choices=RECIPIENTS),
        Field("amount_eur", "float", "Amount allocated.", minimum=0, maximum=MAX_EUR, unit="EUR"),
        Field("decided_on", "date", "Date of the decision.", required=False),
        _SOURCE,
        _DEMO,
    ),
    "projects": (
        Field("project_id", "str", "Stable identifier of the project.", key=True),
        Field("title", "str", "Title of the project."),
        Field(
            "configuration_id",
            "str",
            "Configuration whose social fund pays for the project.",
            references="configurations.configuration_id",
        ),
        Field("fund_year", "int", "Year of the social fund used.", minimum=2020, maximum=2100),
        Field("municipio", "int", "Municipio where the project takes place.", minimum=1, maximum=9),
        Field("proposer", "str", "Who proposed the project."),
        Field("category", "enum", "Kind of project.", choices=PROJECT_CATEGORIES),
        Field("status", "enum", "Status of the project.", choices=PROJECT_STATUSES),
        Field("approved_eur", "float", "Amount approved.", minimum=0, maximum=MAX_EUR, unit="EUR"),
        Field("spent_eur", "float", "Amount spent so far.", minimum=0, maximum=MAX_EUR, unit="EUR"),
        Field(
            "beneficiaries",
            "int",
            "Households reached.",
            minimum=0,
            maximum=1_000_000,
        ),
        Field("vote_date", "date", "Date of the assembly vote.", required=False),
        _SOURCE,
        _DEMO,
    ),
}

#: Short descriptions of each table (data dictionary).
TABLE_DESCRIPTIONS = {
    "configurations": "Configurations (one per cabina primaria area) of the community.",
    "plants": "Renewable plants of each configuration.",
    "members": "Number of members per configuration, month and type (no personal data).",
    "energy": "Monthly energy per configuration: injected, withdrawn, shared (measured/estimated).",
    "payments": "GSE payments per configuration: monthly advances and yearly balances.",
    "allocations": "How the incentives of a year are allocated: producers, management, social fund.",
    "projects": "Social projects funded by the social fund of a configuration.",
}

metadata = sa.MetaData()

_SQL_TYPES = {
    "str": lambda: sa.String(400),
    "int": sa.Integer,
    "float": sa.Float,
    "date": sa.Date,
    "month": sa.Date,
    "bool": sa.Boolean,
    "enum": lambda: sa.String(40),
    "municipi": lambda: sa.String(40),
}


def _column(field: Field) -> sa.Column:
    args: list = [field.name, _SQL_TYPES[field.kind]()]
    if field.references:
        args.append(sa.ForeignKey(field.references))
    if field.kind == "bool":
        return sa.Column(*args, nullable=False, server_default=sa.false())
    return sa.Column(*args, primary_key=field.key, nullable=not (field.required or field.key))


TABLES: dict[str, sa.Table] = {
    name: sa.Table(name, metadata, *(_column(f) for f in fields))
    for name, fields in TEMPLATES.items()
}

#: Outcomes recorded in :data:`import_log`. Only ``committed`` entries changed the data.
IMPORT_STATUSES = ("committed", "dry_run", "refused")

import_log = sa.Table(
    "import_log",
    metadata,
    sa.Column("import_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("actor", sa.String(200), nullable=False),
    sa.Column("file_name", sa.String(400), nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("templates", sa.String(200), nullable=False),
    sa.Column("inserted", sa.Integer, nullable=False),
    sa.Column("updated", sa.Integer, nullable=False),
    sa.Column("unchanged", sa.Integer, nullable=False),
    sa.Column("status", sa.String(20), nullable=False, server_default="committed"),
    sa.Column("deleted", sa.Integer, nullable=False, server_default="0"),
    sa.Column("errors", sa.Integer, nullable=False, server_default="0"),
    sa.Column("message", sa.Text, nullable=True),
)

#: One line per row changed by a committed import: ``insert``, ``update`` (``old_values`` holds
#: the previous value of each changed column, JSON) or ``delete`` (``old_values`` holds the whole
#: row; ``row_number`` is empty because the row is not in the file).
import_log_rows = sa.Table(
    "import_log_rows",
    metadata,
    sa.Column("change_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("import_id", sa.Integer, sa.ForeignKey("import_log.import_id"), nullable=False),
    sa.Column("template", sa.String(40), nullable=False),
    sa.Column("row_number", sa.Integer, nullable=True),
    sa.Column("row_key", sa.String(400), nullable=False),
    sa.Column("action", sa.String(10), nullable=False),
    sa.Column("old_values", sa.Text, nullable=True),
)


def key_fields(template: str) -> tuple[str, ...]:
    """Names of the natural-key columns of ``template``."""
    return tuple(f.name for f in TEMPLATES[template] if f.key)
