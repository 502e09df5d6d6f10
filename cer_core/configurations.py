"""The Milan pilot configurations, read from the Comune-editable ``data/configurations.toml``."""

from __future__ import annotations

from dataclasses import dataclass

from cer_core.paths import DataFileError, data_file, read_toml

STATUSES = ("active", "planned")
#: How sure the inferred GSE code is: "" (none), awaiting confirmation, confirmed.
CODE_STATUSES = ("", "inferred_awaiting_confirmation", "confirmed")


@dataclass(frozen=True)
class Configuration:
    """One CER configuration (all members and plants under one *cabina primaria*)."""

    id: str
    name: str
    cer: str
    cp_number: int
    gse_area_code: str
    status: str
    start_date: str
    municipi: tuple[int, ...]
    nil_ids: tuple[int, ...]
    plants_note_it: str
    plants_note_en: str
    published_plant_kw: float
    sources: tuple[str, ...]
    planned_plant_kw: float = 0.0
    gse_area_code_inferred: str = ""
    gse_area_code_status: str = ""

    @property
    def code_confirmed(self) -> bool:
        """True once the GSE code has been read off GSE's map (not only inferred)."""
        return self.gse_area_code_status == "confirmed"


@dataclass(frozen=True)
class Cer:
    """A CER running one or more configurations: where to join and who helps.

    ``members_published`` is the latest published member count for the whole CER (0 = none
    published), with its date and source.
    """

    name: str
    website: str
    join_url: str
    members_published: int
    members_as_of: str
    members_source: str
    help_it: str
    help_en: str
    help_source: str


def load_cers() -> dict[str, Cer]:
    """Read the ``[[cer]]`` tables of ``data/configurations.toml``, keyed by CER name.

    Raises
    ------
    DataFileError
        When a row breaks the schema (unknown/missing field, a URL not ``https://``, a negative
        member count, a configuration naming a CER without a ``[[cer]]`` table).
    """
    path = data_file("configurations.toml")
    raw = read_toml(path)
    cers: dict[str, Cer] = {}
    for index, row in enumerate(raw.get("cer", []), start=1):
        try:
            item = Cer(**row)
        except TypeError as exc:
            raise DataFileError(path, f"cer #{index}: {exc}") from exc
        for field_name in ("website", "join_url", "members_source"):
            value = getattr(item, field_name)
            if value and not value.startswith("https://"):
                raise DataFileError(
                    path,
                    f"cer #{index} ({item.name}): {field_name} must start "
                    "with https:// (or be empty)",
                )
        if item.members_published < 0:
            raise DataFileError(path, f"cer #{index} ({item.name}): members_published < 0")
        cers[item.name] = item
    for config in raw.get("configuration", []):
        if cers and config.get("cer") not in cers:
            raise DataFileError(
                path,
                f"configuration {config.get('id')}: cer {config.get('cer')!r} has no [[cer]] table",
            )
    return cers


def load_configurations() -> list[Configuration]:
    """Read and validate ``data/configurations.toml``.

    Raises
    ------
    DataFileError
        When the file is missing, is not valid TOML, or a row breaks the schema.
    """
    path = data_file("configurations.toml")
    raw = read_toml(path)
    rows = raw.get("configuration", [])
    configurations = []
    for index, row in enumerate(rows, start=1):
        try:
            item = Configuration(
                **{
                    **row,
                    "municipi": tuple(row["municipi"]),
                    "nil_ids": tuple(row["nil_ids"]),
                    "sources": tuple(row["sources"]),
                }
            )
        except (KeyError, TypeError) as exc:
            raise DataFileError(path, f"configuration #{index}: {exc}") from exc
        problem = _problem(item)
        if problem:
            raise DataFileError(path, f"configuration #{index} ({item.id}): {problem}")
        configurations.append(item)
    ids = [c.id for c in configurations]
    if len(set(ids)) != len(ids):
        raise DataFileError(path, "configuration ids must be unique")
    return configurations


def _problem(item: Configuration) -> str | None:
    if item.status not in STATUSES:
        return f"status must be one of {STATUSES}, not {item.status!r}"
    if not all(1 <= m <= 9 for m in item.municipi):
        return "municipi must be numbers 1-9"
    if not all(1 <= n <= 88 for n in item.nil_ids):
        return "nil_ids must be NIL numbers 1-88"
    if item.gse_area_code and not (
        len(item.gse_area_code) == 11 and item.gse_area_code.startswith("AC")
    ):
        return "gse_area_code must be 11 characters starting with 'AC' (or empty)"
    if item.gse_area_code_inferred and not (
        len(item.gse_area_code_inferred) == 11 and item.gse_area_code_inferred.startswith("AC")
    ):
        return "gse_area_code_inferred must be 11 characters starting with 'AC' (or empty)"
    if item.gse_area_code_status not in CODE_STATUSES:
        return f"gse_area_code_status must be one of {CODE_STATUSES}"
    if item.gse_area_code_inferred and not item.gse_area_code_status:
        return "gse_area_code_inferred needs a gse_area_code_status"
    if item.published_plant_kw < 0 or item.planned_plant_kw < 0:
        return "plant kW cannot be negative"
    return None
