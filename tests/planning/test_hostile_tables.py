"""Any bytes at the planning uploads: a clean TableError or rows, never another exception."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from cer_core.planning import candidates as cand
from cer_core.planning.roof_files import read_roofs, read_supply_points
from cer_core.planning.tables import TableError

HEADERS = [
    b"pod,area_code,kind,annual_kwh\n",
    b"roof_id,area_code,tilt_deg,azimuth_deg,kwp\n",
    b"candidate_id,municipio,kind,address,contact_status\n",
]
cells = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["AC012E00009", "school", "-1", "1e400", "nan", "=cmd()", "1.000,5", ""]),
)


@st.composite
def tables(draw):
    header = draw(st.sampled_from(HEADERS))
    rows = draw(st.lists(st.lists(cells, max_size=7), max_size=6))
    body = "\n".join(",".join(r) for r in rows).encode("utf-8", "surrogatepass")
    noise = draw(st.binary(max_size=40))
    return header + body + (noise if draw(st.booleans()) else b"")


def _locator(address):
    return cand.Place(45.47, 9.19, 1)


@settings(max_examples=200, deadline=None)
@given(tables())
def test_readers_fail_only_with_table_errors(data):
    for reader in (read_supply_points, read_roofs, lambda d: cand.check_candidates(d, _locator)):
        problems = None
        try:
            reader(data)
        except TableError as err:
            problems = err.problems
        if problems is not None:
            assert problems
            assert all(p.message for p in problems)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes(data):
    try:
        read_supply_points(data)
    except TableError:
        pass
