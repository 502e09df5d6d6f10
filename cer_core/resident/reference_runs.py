"""The configurations' runs without the user, shared by every estimate (a bounded cache).

An estimate adds the user to three base runs (one per price scenario); the base runs depend only
on the configuration, the year, the price scenario and whether the user joins, so one server
process computes each once and reuses it for every resident. The cache is an explicit object the
caller creates and keeps (the app: once per process), bounded by :data:`REFERENCE_RUNS_ENTRIES`.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping

from cer_core.resident.references import ReferenceConfiguration, load_reference_configurations
from cer_core.resident.scenarios import base_scenario, reference_configuration
from cer_core.scenario import Result, simulate

REFERENCE_RUNS_ENTRIES = 40
"""Most base runs kept [entries]: 6 reference configurations × 3 price scenarios, plus the
'not joining' runs (no plants, small) of a settlement year or two. A reference run holds its
hourly arrays, ~0.5-1.5 MB."""


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
        run = simulate(scenario)
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
