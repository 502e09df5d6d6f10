"""Hypothesis strategies for hostile input, and the rule every public input must follow.

The rule: a call gives a valid result or raises :class:`cer_core.errors.InputError` whose
``field`` names the input that was wrong. Any other exception is a bug (a traceback on a page).
"""

from __future__ import annotations

import decimal
import math

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from cer_core.errors import InputError

#: Deterministic (CI reproducible), no per-example deadline (first calls load data files).
HOSTILE_SETTINGS = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

NASTY_STRINGS = (
    "",
    " ",
    "nan",
    "NaN",
    "inf",
    "-inf",
    "1e309",
    "-0",
    "0x10",
    "1_000",
    "1,5",
    "3.0\x00",
    "<script>alert('x')</script>",
    "'; DROP TABLE projects; --",
    "1 OR 1=1",
    "=cmd|' /C calc'!A0",
    "${jndi:ldap://x}",
    "../../etc/passwd",
    "\u202eevil",
    "ñ" * 5000,
)
NASTY_NUMBERS = (
    10**400,
    -(10**400),
    2**63,
    -(2**63) - 1,
    math.nan,
    math.inf,
    -math.inf,
    -0.0,
    5e-324,
    1.7976931348623157e308,
    -1,
    0,
    True,
    False,
    decimal.Decimal("NaN"),
    decimal.Decimal("sNaN"),
    decimal.Decimal("1e999999"),
    complex(1, 1),
)

hostile_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=40),
    st.sampled_from(NASTY_STRINGS),
    st.sampled_from(NASTY_NUMBERS),
    st.binary(max_size=12),
    st.decimals(allow_nan=True, allow_infinity=True),
)
hostile_values = st.one_of(
    hostile_scalars,
    st.lists(hostile_scalars, max_size=4),
    st.tuples(hostile_scalars, hostile_scalars, hostile_scalars),
    st.dictionaries(st.text(max_size=4), hostile_scalars, max_size=2),
)


def valid_or_input_error(call, *fields: str):
    """Run ``call()``: return its result, or ``None`` after an InputError naming one of ``fields``
    (exactly, or a sub-field such as ``f_bands_kwh[1]``). Any other exception propagates."""
    try:
        return call()
    except InputError as exc:
        err = exc
    assert err.field, "InputError without a field"
    assert any(err.field == f or err.field.startswith((f"{f}[", f"{f}.")) for f in fields), (
        f"InputError names {err.field!r}, expected one of {fields}: {err}"
    )
    assert str(err).startswith(f"{err.field}: ")
    return None
