"""Engine scenarios of the estimate: the configuration without the user, and the additions.

The user joins a reference configuration (``consumer``, ``pv_join``, ``producer``), or, not
joining (``pv``), stands alone: an empty configuration on the same prices, with no GSE fee and no
community rule, to which the user's meter and plant are added. Either way the estimate is the
marginal effect of the additions on a base run (:func:`cer_core.scenario.marginal_effect`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from cer_core.errors import InputError
from cer_core.resident.inputs import ResidentInputs
from cer_core.resident.price_scenarios import price_terms
from cer_core.resident.references import ReferenceConfiguration, load_reference_configurations
from cer_core.scenario import MemberGroup, Plant, Scenario


def reference_configuration(
    configuration_id: str, references: Mapping[str, ReferenceConfiguration]
) -> ReferenceConfiguration:
    """The reference configuration of an id.

    Raises
    ------
    InputError
        ``configuration_id`` names no reference configuration.
    """
    try:
        return references[configuration_id]
    except (KeyError, TypeError):
        allowed = ", ".join(sorted(references))
        raise InputError(
            "configuration_id",
            f"unknown configuration {configuration_id!r}; allowed: {allowed}",
            "unknown_configuration",
            allowed=allowed,
        ) from None


def reference_scenario(
    configuration_id: str,
    year: int = 2026,
    price_scenario: str = "central",
    references: Mapping[str, ReferenceConfiguration] | None = None,
) -> Scenario:
    """The reference configuration as an engine :class:`~cer_core.scenario.Scenario`.

    Parameters
    ----------
    configuration_id : str
        A reference configuration id (:func:`~cer_core.resident.reference_for` maps any
        configuration id to one).
    year : int
        Settlement year.
    price_scenario : str
        ``low`` / ``central`` / ``high``.
    references : mapping, optional
        Reference configurations by id; default :func:`load_reference_configurations`.
    """
    refs = load_reference_configurations() if references is None else references
    ref = reference_configuration(configuration_id, refs)
    kwargs, overrides = price_terms(price_scenario, year)
    return Scenario(
        plants=ref.plants,
        members=ref.members,
        name=f"reference {ref.id}",
        year=year,
        cer_constitution_date=ref.cer_constitution_date,
        parameter_overrides=overrides,
        **kwargs,
    )


def alone_scenario(reference: Scenario) -> Scenario:
    """The user not joining: no plant, no member, no GSE fee, no community rule, no CER.

    Behind the user's own meter nothing can be shared (injection only when production exceeds
    consumption), so the user's plant is settled alone; prices, year and parameters stay those of
    ``reference``. The plant is in no CER, so the CER's constitution-date check (DM 414 art. 3)
    does not apply to it (``check_cer_constitution=False``; the estimate leaves out the notice
    that says the check is off, :data:`cer_core.commissioning.CONSTITUTION_NOTICES`).
    """
    return replace(
        reference,
        name="me alone",
        plants=(),
        members=(),
        community_min_plant_kw_rule=False,
        check_cer_constitution=False,
        parameter_overrides=tuple(
            sorted(
                {
                    **dict(reference.parameter_overrides),
                    "gse_fee.fixed_eur": 0.0,
                    "gse_fee.variable_eur_per_kw": 0.0,
                }.items()
            )
        ),
    )


def base_scenario(
    configuration_id: str,
    year: int,
    price_scenario: str,
    joins: bool,
    references: Mapping[str, ReferenceConfiguration] | None = None,
) -> Scenario:
    """The configuration the user is added to: the reference, or nothing when not joining.

    Parameters
    ----------
    configuration_id : str
        Reference configuration id.
    year : int
        Settlement year.
    price_scenario : str
        ``low`` / ``central`` / ``high``.
    joins : bool
        The user joins the configuration (:attr:`ResidentInputs.joins`).
    references : mapping, optional
        Reference configurations by id; default :func:`load_reference_configurations`.
    """
    reference = reference_scenario(configuration_id, year, price_scenario, references)
    return reference if joins else alone_scenario(reference)


def additions(inputs: ResidentInputs) -> tuple[MemberGroup | None, Plant | None]:
    """The user's meter and the user's plant, as the engine adds them (``None`` when absent).

    A producer hosts a plant on its own connection: no meter of the user joins.
    """
    member = None if inputs.option == "producer" else inputs.member_group()
    return member, inputs.plant()


def user_scenario(
    inputs: ResidentInputs,
    price_scenario: str | None = None,
    references: Mapping[str, ReferenceConfiguration] | None = None,
) -> Scenario:
    """The scenario *with* the user (the base plus the additions), for a full run.

    The estimate does not simulate it (it adds the user to a reused base run); tests do, to
    check the estimate against a full run.
    """
    base = base_scenario(
        inputs.configuration_id,
        inputs.year,
        price_scenario or inputs.price_scenario,
        inputs.joins,
        references,
    )
    member, plant = additions(inputs)
    return replace(
        base,
        name="with me",
        plants=base.plants if plant is None else (*base.plants, plant),
        members=base.members if member is None else (*base.members, member),
    )
