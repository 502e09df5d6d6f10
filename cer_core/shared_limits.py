"""Limits shared by every process of a deployment: a request rate and a bounded on-disk cache.

Written for the online geocoder (Nominatim's policy: at most one request per second *for the
whole application*, however many Streamlit processes serve it), usable by any client of a
rate-limited service.

- :class:`SharedRateLimiter` hands out time slots through a small file under an exclusive
  ``flock``: the lock is held only to read and advance the next free slot (microseconds), never
  across the network call or the wait, so N processes together make at most one call per
  interval and none blocks the others while a slow answer is on its way.
- :func:`write_json_atomic` replaces a file in one step (temporary file, ``fsync``, ``rename``):
  a reader never sees half a cache, a crash never leaves one.
- :func:`bounded` keeps the newest ``max_entries`` of an insertion-ordered cache.
- :func:`contact_user_agent` builds the user agent with the operator's contact from the
  configuration (Nominatim asks for one).
"""

from __future__ import annotations

import fcntl
import json
import os
import struct
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

#: Environment variable with the operator's contact (e-mail or URL) sent in the user agent.
CONTACT_ENV = "CER_GEOCODER_CONTACT"

_SLOT = struct.Struct("<d")  # the next free slot, seconds since the epoch


class SharedRateLimiter:
    """At most one call per ``interval_s`` across every process that uses ``path``.

    Parameters
    ----------
    path : Path
        Slot file shared by the processes (e.g. ``$CER_CACHE_DIR/nominatim.slot``).
    interval_s : float
        Minimum time between two calls [s].
    clock, sleep : callables, optional
        Wall clock [s since the epoch] and sleep (tests).
    """

    def __init__(
        self,
        path: Path,
        interval_s: float,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
    ):
        if not interval_s > 0:
            raise ValueError("interval_s must be positive")
        self.path = Path(path)
        self.interval_s = float(interval_s)
        self._clock, self._sleep = clock, sleep

    def reserve(self) -> float:
        """Book the next free slot and return it [s since the epoch] without waiting."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX)
            raw = os.pread(descriptor, _SLOT.size, 0)
            booked = _SLOT.unpack(raw)[0] if len(raw) == _SLOT.size else 0.0
            now = self._clock()
            # a slot file from a clock far in the future (or garbage) must not block for ever
            if not 0 <= booked - now <= self.interval_s * 10_000:
                booked = 0.0
            slot = max(now, booked)
            os.pwrite(descriptor, _SLOT.pack(slot + self.interval_s), 0)
            return slot
        finally:
            os.close(descriptor)  # releases the lock

    def wait(self) -> float:
        """Wait for this process's next slot (the lock is not held while waiting); return it."""
        slot = self.reserve()
        delay = slot - self._clock()
        if delay > 0:
            self._sleep(delay)
        return slot

    def __call__(self, function: Callable, *args, **kwargs):
        """``function(*args, **kwargs)`` in the next free slot."""
        self.wait()
        return function(*args, **kwargs)


def write_json_atomic(path: Path, data) -> None:
    """Write ``data`` as JSON to ``path`` in one step (temporary file in the same folder, then
    ``os.replace``): concurrent readers see the old or the new file, never a torn one."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def bounded(cache: dict, max_entries: int) -> dict:
    """``cache`` without its oldest entries beyond ``max_entries`` (insertion order; a key
    re-inserted after ``del`` counts as new)."""
    if max_entries < 0:
        raise ValueError("max_entries must be ≥ 0")
    excess = len(cache) - max_entries
    if excess <= 0:
        return cache
    return dict(list(cache.items())[excess:])


def contact_user_agent(application: str, contact: str | None = None) -> str:
    """``"application (contact: …)"`` with the contact from ``contact`` or ``$CER_GEOCODER_CONTACT``.

    Raises
    ------
    ValueError
        When no contact is configured, or it holds control characters (it goes into a header).
    """
    contact = (contact if contact is not None else os.environ.get(CONTACT_ENV, "")).strip()
    if not contact:
        raise ValueError(
            f"set {CONTACT_ENV} to the operator's e-mail or URL: Nominatim's usage policy asks "
            "every application to identify itself with a contact"
        )
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in contact) or len(contact) > 200:
        raise ValueError(f"{CONTACT_ENV} must be one line of at most 200 characters")
    return f"{application} (contact: {contact})"
