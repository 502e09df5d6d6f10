"""Command line of the engine: ``python -m cer_core simulate SCENARIO.toml [--json]``.

Exit status: 0 on success, 2 on bad input (the message names the field and the allowed range;
no traceback), 1 when an embedded data file is missing or the output pipe closed early
(``| head``). Text from the scenario (names, keys) is printed with control and bidirectional
characters escaped, so a name cannot drive the terminal or reorder what is shown.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

from cer_core.errors import InputError
from cer_core.paths import DataFileError
from cer_core.terminal import INVISIBLE as _INVISIBLE
from cer_core.terminal import inert


def _inert_lines(text: str) -> str:
    return "\n".join(inert(line) for line in text.split("\n"))


def _json_text(data) -> str:
    # json escapes control characters itself; bidi controls become \uXXXX escapes too.
    text = json.dumps(data, indent=2, ensure_ascii=False)
    return "".join(f"\\u{ord(c):04x}" if c in _INVISIBLE else c for c in text)


def _fmt(value, unit: str = "", digits: int = 0) -> str:
    if value is None:
        return "n/a"
    return f"{value:,.{digits}f}{unit}"


def _table(summary: dict) -> str:
    s = summary
    irr = s["irr"]
    lines = [
        f"Scenario: {s['scenario']} — year {s['year']}, {s['members']} members, "
        f"{s['plants_kwp']:,.1f} kWp",
        f"Weather: {s['weather_source']}",
        f"Prices:  {s['price_source']} (mean {s['mean_price_eur_per_mwh']:.2f} €/MWh)",
        "",
        "Energy (year 1)                    kWh",
        f"  PV production           {_fmt(s['pv_production_kwh']):>14}",
        f"  self-consumption        {_fmt(s['self_consumption_kwh']):>14}",
        f"  injection               {_fmt(s['injection_kwh']):>14}",
        f"  members' withdrawal     {_fmt(s['withdrawal_kwh']):>14}",
        f"  shared (hourly)         {_fmt(s['shared_kwh']):>14}",
        "",
        "Money (year 1)                       €",
        f"  TIP                     {_fmt(s['tip_eur'], digits=2):>14}",
        f"  valorisation (ARERA)    {_fmt(s['valorisation_eur'], digits=2):>14}",
        f"  GSE fee                 {_fmt(-s['gse_fee_eur'], digits=2):>14}",
        f"  excess to redirect      {_fmt(s['excess_eur'], digits=2):>14}",
        f"  RID (energy sold)       {_fmt(s['rid_eur'], digits=2):>14}",
        f"  bill savings            {_fmt(s['bill_savings_eur'], digits=2):>14}",
        "",
        f"Economics ({s['horizon_years']} years, owners, producer share "
        f"{s['producer_share']:.0%}, discount {s['discount_rate']:.1%})",
        f"  investment              {_fmt(s['capex_eur'], ' €'):>14}",
        f"  NPV                     {_fmt(s['npv_eur'], ' €'):>14}",
        f"  IRR                     {('n/a' if irr is None else f'{irr:.1%}'):>14}",
        f"  payback                 {_fmt(s['payback_years'], ' yr', 1):>14}",
        f"  discounted payback      {_fmt(s['discounted_payback_years'], ' yr', 1):>14}",
        f"  LCOE                    {_fmt(s['lcoe_eur_per_mwh'], ' €/MWh', 1):>14}",
        "",
        "Plants: name | kWp | shared kWh | TIP € | RID € | eligible",
    ]
    for p in s["plants"]:
        ok = "yes" if p["tip_eligible"] else "no: " + "; ".join(p["reasons"])
        lines.append(
            f"  {p['name']} | {p['kwp']:g} | {p['shared_kwh']:,.0f} | {p['tip_eur']:,.2f} | "
            f"{p['rid_eur']:,.2f} | {ok}"
        )
    if s["warnings"]:
        lines += ["", "Notes:"] + [f"  - {w}" for w in s["warnings"]]
    return "\n".join(lines)


def _simulate(args) -> int:
    # imported when the command runs: the engine pulls in pvlib, scipy and pandas (~3 s), which
    # `--help` and the other commands do not need
    from cer_core.scenario import load_scenario, simulate

    summary = simulate(load_scenario(args.scenario)).summary()
    if args.json:
        print(_json_text(summary))
    else:
        print(_inert_lines(_table(summary)))
    return 0


def _parameters(args) -> int:
    from cer_core.parameters import parameter_table

    rows = parameter_table(args.year)
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    for r in rows:
        flag = " ⚠" if r["uncertain"] else ""
        print(f"{r['name']:<45} {r['value']!s:>28} {r['unit']:<10}{flag}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (subcommands ``simulate``, ``parameters`` and ``planning``)."""
    parser = argparse.ArgumentParser(
        prog="python -m cer_core", description="CER Milano engine: energy, incentives and money."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    sim = sub.add_parser("simulate", help="simulate a scenario TOML file")
    sim.add_argument("scenario", help="scenario TOML file (docs/scenario-format.md)")
    sim.add_argument("--json", action="store_true", help="print the JSON summary")
    sim.set_defaults(func=_simulate)
    par = sub.add_parser("parameters", help="list the regulatory/economic parameters of a year")
    par.add_argument("--year", type=int, default=2025)
    par.add_argument("--json", action="store_true")
    par.set_defaults(func=_parameters)
    from cer_core.planning.cli import add_parser as add_planning

    add_planning(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = build_parser().parse_args(argv)
    try:
        code = args.func(args)
        sys.stdout.flush()
        return code
    except InputError as err:
        problems = getattr(err, "problems", ())
        if problems:  # a table refused whole: one line per bad row
            print(
                f"error: {_inert_lines(str(err.field))}: {len(problems)} problem(s), nothing read",
                file=sys.stderr,
            )
            for problem in problems:
                print(f"  {_inert_lines(str(problem))}", file=sys.stderr)
        else:
            print(f"error: {_inert_lines(str(err))}", file=sys.stderr)
        return 2
    except DataFileError as err:
        print(f"error: {_inert_lines(str(err))}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # The reader (``| head``) has gone: stop quietly. Point stdout at /dev/null so that the
        # interpreter's final flush does not fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
