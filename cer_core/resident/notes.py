"""Notes for the user (codes and values; the page translates them)."""

from __future__ import annotations

from cer_core.resident.inputs import HOLDER_OF, ResidentInputs
from cer_core.resident.references import DEFAULT_REFERENCE
from cer_core.scenario import Result


def _notes(inputs: ResidentInputs, with_me: Result, mine, ref_id: str) -> list:
    notes = []
    p = with_me.parameters
    min_kw = float(p["community.min_plant_kw"])
    if ref_id == DEFAULT_REFERENCE:
        notes.append(("no_configuration", {}))
    if inputs.option == "consumer":
        notes.append(("bill_unchanged", {}))
    if inputs.has_pv and inputs.joins and inputs.kwp < min_kw:
        notes.append(("below_community_min", {"kwp": inputs.kwp, "min_kw": min_kw}))
    if inputs.option == "pv":
        notes.append(("not_joining", {}))
    if mine is not None and inputs.has_pv and HOLDER_OF[inputs.who] == "persona_fisica":
        if inputs.tax_deduction != "none":
            notes.append(("deduction_with_tip", {}))
    if mine is not None and mine.reasons and inputs.joins and inputs.kwp >= min_kw:
        notes.append(("plant_reasons", {"reasons": "; ".join(mine.reasons)}))
    return notes


def _money_notes(inputs: ResidentInputs, m: dict) -> list:
    """Notes on the money: a plant that costs the configuration more than it adds."""
    if inputs.joins and inputs.has_pv and m["delta_net_incentives_eur"] < 0:
        return [
            (
                "saturated",
                {
                    "shared_kwh": m["shared_thanks_to_me_kwh"],
                    "fee_eur": m["delta_gse_fee_eur"],
                    "net_eur": m["delta_net_incentives_eur"],
                },
            )
        ]
    return []


def _size_notes(inputs: ResidentInputs, mine) -> list:
    notes = []
    if inputs.has_pv and inputs.option != "producer":
        cons = inputs.consumption_total_kwh()
        if mine is not None and mine.production_kwh > 3 * cons:
            notes.append(
                ("oversized", {"production_kwh": mine.production_kwh, "consumption_kwh": cons})
            )
    return notes
