"""Reference configurations the user is added to (``data/reference_configurations.toml``).

Illustrative assumptions built from published figures (docs/rules.md §9); the file's header
says where each number comes from.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from cer_core.errors import InputError
from cer_core.paths import data_file, read_toml
from cer_core.scenario import MemberGroup, Plant

REFERENCE_FILE = "reference_configurations.toml"


DEFAULT_REFERENCE = "default"


@dataclass(frozen=True)
class ReferenceConfiguration:
    """An illustrative configuration the user is added to (see the data file's header)."""

    id: str
    label_it: str
    label_en: str
    assumptions_it: str
    assumptions_en: str
    sources: tuple
    cer_constitution_date: dt.date
    plants: tuple
    members: tuple

    @property
    def kwp(self) -> float:
        """Total plant power [kWp]."""
        return float(sum(p.kwp for p in self.plants))

    @property
    def member_count(self) -> int:
        """Members (withdrawal points) without the user."""
        return int(sum(m.count for m in self.members if not m.name.startswith("host ")))


def _build_reference(raw: dict) -> ReferenceConfiguration:
    rid = raw["configuration_id"]
    plants, members = [], []
    for p in raw.get("plants", []):
        count = int(p.get("count", 1))
        for k in range(count):
            name = p["name"] if count == 1 else f"{p['name']} {k + 1}"
            host = None
            if "host_annual_kwh" in p:
                host = f"host {name}"
                members.append(
                    MemberGroup(
                        name=host,
                        count=1,
                        profile=p.get("host_profile", "office"),
                        annual_kwh=float(p["host_annual_kwh"]),
                        holder_type=p.get("holder_type", "impresa"),
                        customer="business",
                    )
                )
            plants.append(
                Plant(
                    name=name,
                    kwp=float(p["kwp"]),
                    commissioning_date=p["commissioning_date"],
                    surface_tilt=float(p.get("surface_tilt", 30)),
                    surface_azimuth=float(p.get("surface_azimuth", 180)),
                    holder_type=p.get("holder_type", "impresa"),
                    behind_meter_of=host,
                )
            )
    for m in raw.get("members", []):
        members.append(
            MemberGroup(
                name=m["name"],
                count=int(m["count"]),
                profile=m["profile"],
                annual_kwh=float(m["annual_kwh"]),
                holder_type=m.get("holder_type", "persona_fisica"),
                customer=m.get("customer", "domestic"),
            )
        )
    return ReferenceConfiguration(
        id=rid,
        label_it=raw["label_it"],
        label_en=raw["label_en"],
        assumptions_it=raw["assumptions_it"],
        assumptions_en=raw["assumptions_en"],
        sources=tuple(raw.get("sources", ())),
        cer_constitution_date=dt.date.fromisoformat(str(raw["cer_constitution_date"])),
        plants=tuple(plants),
        members=tuple(members),
    )


@lru_cache(maxsize=4)
def _load(path: str) -> dict:
    raw = read_toml(path)
    out = {}
    for item in raw.get("reference", []):
        ref = _build_reference(item)
        out[ref.id] = ref
    if DEFAULT_REFERENCE not in out:
        raise InputError(REFERENCE_FILE, f"needs a '{DEFAULT_REFERENCE}' reference configuration")
    return out


def load_reference_configurations() -> dict[str, ReferenceConfiguration]:
    """Reference configurations by id (``data/reference_configurations.toml``, cached)."""
    return _load(str(data_file(REFERENCE_FILE)))


def reference_for(configuration_id: str | None) -> str:
    """Reference id for a configuration id (``"default"`` when there is none or it's unknown)."""
    refs = load_reference_configurations()
    return configuration_id if configuration_id in refs else DEFAULT_REFERENCE
