"""Command line: ``python -m cer_core.geo locate "Piazza Leonardo da Vinci 32" [--json] [--online]``.

Prints where an address is: coordinates, what was matched (``match.kind``, ``civic``), the
cabina-primaria area (``official`` is true only for GSE polygons), the estimated GSE area
(``area_estimate``: method, confidence, candidates; never official), the configuration serving
it, Municipio and NIL. Exit status 0 on
success, 2 when nothing in Milan matches (the message says why and suggests close names).
"""

from __future__ import annotations

import argparse
import json
import sys

from cer_core.geo.estimate import describe_estimate
from cer_core.geo.gazetteer import LocationNotFound
from cer_core.geo.locate import GSE_MAP_URL, WARNING_TEXT, locate

EXIT_NOT_FOUND = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m cer_core.geo", description="Milan address → cabina primaria area"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    loc = commands.add_parser("locate", help="locate a Milan address")
    loc.add_argument("query", help='address, e.g. "Piazza Leonardo da Vinci 32"')
    loc.add_argument("--json", action="store_true", help="print JSON")
    loc.add_argument(
        "--online", action="store_true", help="also ask OpenStreetMap Nominatim (1 request/s)"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        found = locate(args.query, online=args.online)
    except LocationNotFound as exc:
        message = f"Not found: {exc.message}" + ("" if exc.message.endswith("?") else ".")
        if exc.suggestions:
            message += " Did you mean: " + "; ".join(exc.suggestions) + "?"
        elif exc.reason == "no_match":
            message += " Try a street and civic number, e.g. 'Via Padova 12', or a neighbourhood."
        if args.json:
            print(
                json.dumps(
                    {"error": exc.reason, "message": message, "suggestions": exc.suggestions},
                    ensure_ascii=False,
                )
            )
        print(message, file=sys.stderr)
        return EXIT_NOT_FOUND
    if args.json:
        print(json.dumps(found.to_dict(), ensure_ascii=False, indent=2))
        return 0
    area = found.cabina_name or "no area known offline"
    kind = "official GSE area" if found.official else "indicative, not official"
    print(f"{found.match.label} ({found.match.kind}, score {found.match.score:.0f})")
    if found.match.kind == "nearest_number":
        print(
            f"  civic {found.match.requested_civic} is not in the register: nearest same-side number shown"
        )
    print(f"  lat, lon:      {found.lat:.6f}, {found.lon:.6f}")
    print(f"  cabina:        {area} [{found.cabina_code or '-'}] ({kind})")
    estimate = found.area_estimate
    if estimate is not None:
        print(f"  estimated GSE area (not official): {describe_estimate(estimate)}")
    print(f"  configuration: {found.configuration or '-'}")
    print(f"  Municipio {found.municipio}, NIL {found.id_nil} {found.nil}")
    for code in found.warnings:
        print(f"  ! {WARNING_TEXT.get(code, code)}")
    if not found.official:
        print(f"  Check your POD on GSE's map: {GSE_MAP_URL}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
