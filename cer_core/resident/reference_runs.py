"""The configurations' runs without the user, shared by every estimate (a bounded cache).

An estimate adds the user to three base runs (one per price scenario); the base runs depend only
on the configuration, the year, the price scenario and whether the user joins, so one server
process computes each once and reuses it for every resident. The cache is an explicit object the
caller creates and keeps (the app: once per process), bounded by :data:`REFERENCE_RUNS_ENTRIES`.

A run is shared by every session that reads it, so its arrays are made read-only when it enters
the cache (:func:`freeze_run`): a caller writing into one (say the price array an estimate hands
out) gets a ``ValueError`` instead of silently changing every later estimate.
"""

from __future__ import annotations

import dataclasses
import threading
from collections import OrderedDict
from collections.abc import Mapping

import numpy as np

from cer_core.parameters import Parameters
from cer_core.resident.references import ReferenceConfiguration, load_reference_configurations
from cer_core.resident.scenarios import base_scenario, reference_configuration
from cer_core.scenario import Result, Scenario, simulate

REFERENCE_RUNS_ENTRIES = 80
"""Most base runs kept [entries]: two settlement years. One year needs 36 runs: 6 reference
configurations × 3 price scenarios × (joining, not joining). Measured on the 2026 runs (numpy
arrays owned by the run, scenario and parameters aside): 0.39 MB a 'not joining' run, 0.9-3.1 MB
a joining one (3.1 MB Città Studi, 6 plants), about 33 MB a year, so about 70 MB when full."""


def freeze_run(run: Result) -> Result:
    """Make every numpy array of a run read-only, in place; returns the run.

    Walks the run's dataclasses (the result, its settlement, plants, money and cash flows) and
    their tuples and dicts. The scenario and the parameters are inputs, not arrays of the run,
    and are left alone.
    """
    seen: set[int] = set()

    def freeze(value) -> None:
        if id(value) in seen:
            return
        seen.add(id(value))
        if isinstance(value, np.ndarray):
            value.flags.writeable = False
        elif isinstance(value, (Scenario, Parameters)):
            return
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            for f in dataclasses.fields(value):
                freeze(getattr(value, f.name))
        elif isinstance(value, (tuple, list)):
            for item in value:
                freeze(item)
        elif isinstance(value, dict):
            for item in value.values():
                freeze(item)

    freeze(run)
    return run


class ReferenceRuns:
    """Base runs by (configuration, year, price scenario, joins), least recently used dropped.

    Parameters
    ----------
    references : mapping of str to ReferenceConfiguration, optional
        The reference configurations by id; default :func:`load_reference_configurations`
        (read once, here).
    maxsize : int
        Most runs kept [entries].

    Notes
    -----
    Safe to share between threads (the app's sessions): the dictionary is guarded by a lock;
    two threads missing the same run at once may both simulate it (same result), which is
    cheaper than holding the lock for a simulation.
    """

    def __init__(
        self,
        references: Mapping[str, ReferenceConfiguration] | None = None,
        maxsize: int = REFERENCE_RUNS_ENTRIES,
    ):
        refs = load_reference_configurations() if references is None else references
        self.references: dict[str, ReferenceConfiguration] = dict(refs)
        self.maxsize = int(maxsize)
        self._runs: OrderedDict[tuple, Result] = OrderedDict()
        self._lock = threading.Lock()

    def reference(self, configuration_id: str) -> ReferenceConfiguration:
        """The reference configuration of an id (``InputError`` naming ``configuration_id``)."""
        return reference_configuration(configuration_id, self.references)

    def base(self, configuration_id: str, year: int, price_scenario: str, joins: bool) -> Result:
        """The run the user is added to (computed on first use, then reused).

        Parameters
        ----------
        configuration_id : str
            Reference configuration id.
        year : int
            Settlement year.
        price_scenario : str
            ``low`` / ``central`` / ``high``.
        joins : bool
            The reference configuration (True) or the empty one of a user not joining (False).

        Raises
        ------
        InputError
            ``configuration_id`` names no reference configuration.
        """
        key = (configuration_id, year, price_scenario, joins)
        with self._lock:
            run = self._runs.get(key)
            if run is not None:
                self._runs.move_to_end(key)
                return run
        scenario = base_scenario(configuration_id, year, price_scenario, joins, self.references)
        run = freeze_run(simulate(scenario))
        with self._lock:
            self._runs[key] = run
            self._runs.move_to_end(key)
            while len(self._runs) > self.maxsize:
                self._runs.popitem(last=False)
        return run

    def __len__(self) -> int:
        with self._lock:
            return len(self._runs)

    def clear(self) -> None:
        """Forget every run."""
        with self._lock:
            self._runs.clear()
