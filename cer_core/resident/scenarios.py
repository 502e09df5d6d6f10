"""Engine scenarios of the estimate: the reference configuration, and the same with the user."""

from __future__ import annotations

from dataclasses import replace

from cer_core.resident.inputs import ResidentInputs
from cer_core.resident.price_scenarios import _price_kwargs
from cer_core.resident.references import load_reference_configurations, reference_for
from cer_core.scenario import Scenario


def reference_scenario(
    configuration_id: str, year: int = 2026, price_scenario: str = "central"
) -> Scenario:
    """The reference configuration as an engine :class:`~cer_core.scenario.Scenario`."""
    ref = load_reference_configurations()[reference_for(configuration_id)]
    kwargs, overrides = _price_kwargs(price_scenario, year)
    return Scenario(
        plants=ref.plants,
        members=ref.members,
        name=f"reference {ref.id}",
        year=year,
        cer_constitution_date=ref.cer_constitution_date,
        parameter_overrides=overrides,
        **kwargs,
    )


def user_scenario(inputs: ResidentInputs, price_scenario: str | None = None) -> Scenario:
    """The scenario *with* the user (reference + me, or me alone when not joining)."""
    ps = price_scenario or inputs.price_scenario
    base = reference_scenario(inputs.configuration_id, inputs.year, ps)
    me = inputs.member_group()
    plant = inputs.plant()
    if inputs.option == "pv":
        # not joining: my meter and my plant alone; behind the meter nothing can be shared
        # (injection only when production exceeds my consumption), no GSE fee, no community rule
        return replace(
            base,
            name="me alone",
            plants=(plant,),
            members=(me,),
            community_min_plant_kw_rule=False,
            parameter_overrides=tuple(
                sorted(
                    {
                        **dict(base.parameter_overrides),
                        "gse_fee.fixed_eur": 0.0,
                        "gse_fee.variable_eur_per_kw": 0.0,
                    }.items()
                )
            ),
        )
    if inputs.option == "producer":
        return replace(base, name="with my plant", plants=(*base.plants, plant))
    plants = base.plants if plant is None else (*base.plants, plant)
    return replace(base, name="with me", plants=plants, members=(*base.members, me))
