"""``python -m cer_core planning rank ROOFS.csv POINTS.csv [--budget-kwp N | --budget-eur N] [--json]``.

Exit status (as the engine's command line): 0 on success, 2 on bad input — every bad row is
printed with its line and column, nothing is computed — 1 when an embedded data file is missing.
"""

from __future__ import annotations

import json


def add_parser(sub) -> None:
    """Register the ``planning`` subcommand on the engine's parser."""
    planning = sub.add_parser("planning", help="Pianificazione: rank the Comune's roofs (AID)")
    inner = planning.add_subparsers(dest="planning_command", required=True)
    rank = inner.add_parser(
        "rank", help="order of construction of municipal roofs (autoconsumo individuale a distanza)"
    )
    rank.add_argument("roofs", help="roofs CSV (data/planning/templates/roofs_template.csv)")
    rank.add_argument("points", help="supply points CSV (…/supply_points_template.csv)")
    rank.add_argument("--budget-kwp", type=float, default=None, help="cap on total kWp")
    rank.add_argument("--budget-eur", type=float, default=None, help="cap on total capex [€]")
    rank.add_argument("--objective", choices=("per_eur", "per_kwp"), default="per_eur")
    rank.add_argument("--year", type=int, default=2024, help="price/calendar year (2023, 2024)")
    rank.add_argument("--parameters-year", type=int, default=2026)
    rank.add_argument("--json", action="store_true", help="print the plan as JSON")
    rank.set_defaults(func=_rank)


def _rank(args) -> int:
    from cer_core.planning.roof_files import plan_from_files

    plan = plan_from_files(
        args.roofs, args.points, args.budget_kwp, args.budget_eur, args.objective,
        args.year, args.parameters_year,
    )  # fmt: skip
    if args.json:
        print(json.dumps(plan.to_dict(), indent=2, ensure_ascii=False))
        return 0
    print(f"Order of construction ({args.objective}), total {plan.total_eur_per_year:,.0f} €/yr")
    print("rank | roof | area | kWp | capex € | marginal €/yr | cumulative kWp | cumulative €/yr")
    for s in plan.steps:
        print(
            f"{s.rank:>4} | {s.roof_id} | {s.area_code} | {s.kwp:,.1f} | {s.capex_eur:,.0f} | "
            f"{s.marginal_eur_per_year:,.0f} | {s.cumulative_kwp:,.1f} | "
            f"{s.cumulative_eur_per_year:,.0f}"
        )
    print(
        "\nroof | production kWh | on site kWh | at a distance kWh | surplus kWh | €/yr | payback yr"
    )
    for f in plan.plants:
        payback = "n/a" if f.payback_years is None else f"{f.payback_years:.1f}"
        print(
            f"{f.roof_id} | {f.production_kwh:,.0f} | {f.self_consumed_on_site_kwh:,.0f} | "
            f"{f.shared_at_distance_kwh:,.0f} | {f.surplus_kwh:,.0f} | "
            f"{f.net_eur_per_year:,.0f} | {payback}"
        )
    for item in plan.left_out:
        print(f"not built: {item['roof_id']} ({item['reason']})")
    rules = plan.rules
    print(
        f"\nRules: TIP inside the {rules['tip_perimeter']}, valorisation inside the "
        f"{rules['valorisation_perimeter']} ({rules['sources']})"
    )
    return 0
