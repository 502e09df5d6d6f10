"""Write the AID import templates and the **illustrative** example in ``data/planning/``.

The Comune's real list of supply points and roofs is not public. The example is invented: the
five pilot areas, typical municipal buildings (offices, schools, public-housing common services)
with round consumptions, and roofs sized like the Comune's announced programme (about 1 MWp in
all, 112 kWp on the Ghisolfa schools). Deterministic (fixed seed); every file says it is
illustrative in its first line.

Usage: ``python scripts/build_planning_example.py [--out data/planning]``
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from cer_core.planning.candidates import COLUMNS as CANDIDATE_COLUMNS  # noqa: E402
from cer_core.planning.candidates import OPTIONAL as CANDIDATE_OPTIONAL  # noqa: E402
from cer_core.planning.roof_files import (  # noqa: E402
    POINT_COLUMNS,
    POINT_OPTIONAL,
    ROOF_COLUMNS,
    ROOF_OPTIONAL,
)

LABEL = "# ILLUSTRATIVE EXAMPLE - invented data, not the Comune di Milano's list / ESEMPIO ILLUSTRATIVO - dati inventati"
POINT_HEADER = ("pod", "name", "area_code", "kind", "annual_kwh")
ROOF_HEADER = (
    "roof_id", "name", "area_code", "usable_m2", "kwp", "tilt_deg", "azimuth_deg",
    "shading_pct", "host_pod", "capex_eur",
)  # fmt: skip

CANDIDATE_HEADER = (
    "candidate_id", "municipio", "kind", "address", "estimated_kwp", "contact_status",
    "public_note", "private_note",
)  # fmt: skip

# (area code, district label) of the five pilots (codes inferred from the Comune's numbering)
AREAS = [
    ("AC012E00009", "Città Studi"),
    ("AC012E00002", "Niguarda-Affori"),
    ("AC012E00017", "Chiaravalle"),
    ("AC012E00010", "Bovisa"),
    ("AC012E00012", "Ghisolfa"),
    ("AC012E00013", "Centro-Nord"),
]
KINDS = [  # (kind, label, typical kWh/yr range)
    ("school", "Scuola", (40_000, 160_000)),
    ("office", "Uffici comunali", (60_000, 400_000)),
    ("condominium_services", "Servizi comuni ERP", (15_000, 60_000)),
    ("shop", "Mercato comunale", (50_000, 200_000)),
    ("gym", "Palestra comunale", (20_000, 90_000)),
    ("library", "Biblioteca", (5_000, 30_000)),
]


def points(rng) -> list[dict]:
    rows = []
    n = 0
    for code, label in AREAS:
        for kind, name, (low, high) in KINDS:
            for k in range(int(rng.integers(1, 4))):
                n += 1
                rows.append(
                    {
                        "pod": f"IT001E9{n:07d}",
                        "name": f"{name} {label} {k + 1} (esempio)",
                        "area_code": code,
                        "kind": kind,
                        "annual_kwh": int(round(rng.uniform(low, high), -3)),
                    }
                )
    return rows


def roofs(rng, point_rows) -> list[dict]:
    rows = []
    # Ghisolfa: two school roofs, 112 kWp in all (the Comune's announced figure)
    ghisolfa_schools = [
        p for p in point_rows if p["area_code"] == "AC012E00012" and p["kind"] == "school"
    ]
    for k, kwp in enumerate((62.0, 50.0)):
        host = ghisolfa_schools[k]["pod"] if k < len(ghisolfa_schools) else ""
        rows.append(
            {"roof_id": f"GH-{k + 1}", "name": f"Scuola Ghisolfa {k + 1} (esempio)",
             "area_code": "AC012E00012", "usable_m2": "", "kwp": kwp, "tilt_deg": 10,
             "azimuth_deg": 180, "shading_pct": 3, "host_pod": host, "capex_eur": ""}
        )  # fmt: skip
    n = 0
    for code, label in AREAS:
        hosts = [p for p in point_rows if p["area_code"] == code]
        for _ in range(int(rng.integers(1, 4))):
            n += 1
            with_host = rng.random() < 0.6
            host = hosts[int(rng.integers(0, len(hosts)))]["pod"] if with_host else ""
            flat = rng.random() < 0.6
            area_m2 = int(round(rng.uniform(250, 1800), -1))
            rows.append(
                {
                    "roof_id": f"R{n:02d}",
                    "name": f"Tetto comunale {label} {n} (esempio)",
                    "area_code": code,
                    "usable_m2": area_m2,
                    "kwp": "",
                    "tilt_deg": 10 if flat else int(rng.choice([15, 20, 25, 30])),
                    "azimuth_deg": 180 if flat else int(rng.choice([90, 135, 180, 225, 270])),
                    "shading_pct": int(rng.integers(0, 15)),
                    "host_pod": host,
                    "capex_eur": "",
                }
            )
    return rows


def write(path: Path, header, rows, label: str | None) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        if label:
            handle.write(label + "\n")
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=REPO / "data" / "planning")
    args = parser.parse_args(argv)
    assert set(POINT_HEADER) == set(POINT_COLUMNS + POINT_OPTIONAL)
    assert set(ROOF_HEADER) == set(ROOF_COLUMNS + ROOF_OPTIONAL)
    assert set(CANDIDATE_HEADER) == set(CANDIDATE_COLUMNS + CANDIDATE_OPTIONAL)
    rng = np.random.default_rng(17)
    point_rows = points(rng)
    roof_rows = roofs(rng, point_rows)
    (args.out / "templates").mkdir(parents=True, exist_ok=True)
    write(args.out / "templates" / "supply_points_template.csv", POINT_HEADER, [], None)
    write(args.out / "templates" / "roofs_template.csv", ROOF_HEADER, [], None)
    write(args.out / "templates" / "candidates_template.csv", CANDIDATE_HEADER, [], None)
    write(args.out / "example_supply_points.csv", POINT_HEADER, point_rows, LABEL)
    write(args.out / "example_roofs.csv", ROOF_HEADER, roof_rows, LABEL)
    print(f"{len(point_rows)} supply points, {len(roof_rows)} roofs (illustrative)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
