"""The Sportello Energia contact, read from the Comune-editable ``data/sportello.toml``.

The Sportello Energia (Comune di Milano, run by AMAT) is the next step for most residents: it
checks a plant and whether joining CER.ca.MI pays off. Every field may be empty; the app shows
only the filled ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields

from cer_core.paths import DataFileError, data_file, read_toml

_EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$")
_PHONE = re.compile(r"^\+?[0-9][0-9 ]{5,20}$")
_URL = re.compile(r"^https://[^\s()<>\"'\[\]]+$")


@dataclass(frozen=True)
class SportelloContact:
    """How to reach the Sportello Energia; an empty string means "not known, hide it"."""

    name_it: str = ""
    name_en: str = ""
    operator: str = ""
    description_it: str = ""
    description_en: str = ""
    website: str = ""
    email: str = ""
    phone: str = ""
    address: str = ""
    hours_it: str = ""
    hours_en: str = ""
    join_url: str = ""
    as_of: str = ""
    sources: tuple[str, ...] = ()

    def text(self, field: str, lang: str) -> str:
        """The ``field_it``/``field_en`` value in ``lang`` (Italian when English is empty)."""
        english = getattr(self, f"{field}_en") if lang == "en" else ""
        return english or getattr(self, f"{field}_it")

    @property
    def phone_uri(self) -> str:
        """``tel:`` link of the phone number (spaces removed), or ``""``."""
        return "tel:" + self.phone.replace(" ", "") if self.phone else ""


def parse_sportello(raw: dict, path) -> SportelloContact:
    """Check one parsed ``sportello.toml``; raise :class:`DataFileError` naming the bad field."""
    known = {f.name for f in fields(SportelloContact)}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise DataFileError(path, f"unknown field(s) {', '.join(unknown)}")
    values = {}
    for name, value in raw.items():
        if name == "sources":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise DataFileError(path, "sources must be a list of texts")
            values[name] = tuple(value)
            continue
        if not isinstance(value, str):
            raise DataFileError(path, f'{name} must be a text (use "" when unknown)')
        values[name] = value.strip()
    contact = SportelloContact(**values)
    for name in ("website", "join_url"):
        value = getattr(contact, name)
        if value and not _URL.match(value):
            raise DataFileError(path, f"{name} must be an https:// address without spaces")
    if contact.email and not _EMAIL.match(contact.email):
        raise DataFileError(path, "email is not an e-mail address")
    if contact.phone and not _PHONE.match(contact.phone):
        raise DataFileError(path, "phone may hold only digits, spaces and a leading +")
    if not contact.name_it:
        raise DataFileError(path, "name_it is required")
    return contact


def load_sportello() -> SportelloContact:
    """The contact in ``data/sportello.toml``.

    Raises
    ------
    DataFileError
        When the file is missing, not TOML, or a field breaks the rules above.
    """
    path = data_file("sportello.toml")
    return parse_sportello(read_toml(path), path)
