"""Notes for the user (codes and values; the page translates them)."""

from __future__ import annotations

from cer_core.parameters import Parameters
from cer_core.resident.inputs import HOLDER_OF, ResidentInputs
from cer_core.resident.references import DEFAULT_REFERENCE
from cer_core.scenario import PlantResult


def plant_notes(
    inputs: ResidentInputs, p: Parameters, mine: PlantResult | None, ref_id: str
) -> list:
    """Notes on the configuration and the user's plant (community minimum, deduction …)."""
    notes = []
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
        # the plant's eligibility reasons as notices (codes): the page translates each
        notes.append(("plant_reasons", {"reasons": tuple(mine.reasons)}))
    return notes


def money_notes(inputs: ResidentInputs, m: dict) -> list:
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


def size_notes(inputs: ResidentInputs, mine: PlantResult | None) -> list:
    """A note when the plant produces more than three times the user's consumption."""
    notes = []
    if inputs.has_pv and inputs.option != "producer":
        cons = inputs.consumption_total_kwh()
        if mine is not None and mine.production_kwh > 3 * cons:
            notes.append(
                ("oversized", {"production_kwh": mine.production_kwh, "consumption_kwh": cons})
            )
    return notes
