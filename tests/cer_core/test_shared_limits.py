"""One request rate for the whole deployment (issue 14, online geocoding): processes started
together share the slots; the lock is never held across the call; caches stay bounded and are
replaced atomically; the user agent carries the configured contact."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from cer_core.shared_limits import (
    CONTACT_ENV,
    SharedRateLimiter,
    bounded,
    contact_user_agent,
    write_json_atomic,
)

REPO = Path(__file__).resolve().parents[2]
INTERVAL_S = 0.25
CALLS_PER_PROCESS = 3

WORKER = """
import sys, time
from pathlib import Path
from cer_core.shared_limits import SharedRateLimiter
limiter = SharedRateLimiter(Path(sys.argv[1]), float(sys.argv[2]))
gate = float(sys.argv[3])
while time.time() < gate:
    time.sleep(0.001)
for _ in range(int(sys.argv[4])):
    slot = limiter.wait()
    print(slot, time.time(), flush=True)
"""


def test_processes_together_make_at_most_one_call_per_interval(tmp_path):
    slot_file = tmp_path / "nominatim.slot"
    gate = time.time() + 2.0
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(slot_file), str(INTERVAL_S), str(gate)]
            + [str(CALLS_PER_PROCESS)],
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        for _ in range(4)
    ]
    outputs = [run.communicate(timeout=120)[0] for run in runs]
    assert all(run.returncode == 0 for run in runs)
    calls = sorted(tuple(map(float, line.split())) for out in outputs for line in out.splitlines())
    assert len(calls) == 4 * CALLS_PER_PROCESS
    slots = [slot for slot, _ in calls]
    # every call got its own slot, one interval apart across the four processes (booked under
    # the lock, so this holds however busy the machine is: no timing slack needed) ...
    gaps = [b - a for a, b in zip(slots, slots[1:], strict=False)]
    assert min(gaps) >= INTERVAL_S - 1e-6, gaps
    # ... and no call ran before its slot
    assert all(called >= slot for slot, called in calls), calls


def test_the_lock_is_not_held_while_waiting_or_calling(tmp_path):
    """A slow call in one thread does not stop another thread from booking its slot."""
    limiter = SharedRateLimiter(tmp_path / "slot", 0.05)
    started = threading.Event()
    release = threading.Event()

    def slow_call():
        started.set()
        release.wait(5)

    worker = threading.Thread(target=limiter, args=(slow_call,))
    worker.start()
    started.wait(5)
    try:
        booked = limiter.reserve()  # would block for ever if the call held the lock
        assert booked >= time.time() - 1
    finally:
        release.set()
        worker.join(5)


def test_slots_follow_each_other_and_a_future_garbage_slot_is_ignored(tmp_path):
    now = [1000.0]
    limiter = SharedRateLimiter(tmp_path / "slot", 1.0, clock=lambda: now[0], sleep=lambda s: None)
    assert [limiter.reserve() for _ in range(3)] == [1000.0, 1001.0, 1002.0]
    (tmp_path / "slot").write_bytes(b"\x00\x00\x00\x00\x00\x00\xf0\x7f")  # +inf
    assert limiter.reserve() == 1000.0


def test_cache_is_bounded_and_replaced_atomically(tmp_path):
    cache = {f"via {n}": [45.4, 9.1, f"Via {n}"] for n in range(10)}
    kept = bounded(cache, 4)
    assert list(kept) == ["via 6", "via 7", "via 8", "via 9"]
    path = tmp_path / "nominatim.json"
    write_json_atomic(path, kept)
    assert json.loads(path.read_text(encoding="utf-8")) == kept
    assert [p.name for p in tmp_path.iterdir()] == ["nominatim.json"]  # no temporary left

    class Boom:
        pass

    with pytest.raises(TypeError):
        write_json_atomic(path, {"x": Boom()})
    assert json.loads(path.read_text(encoding="utf-8")) == kept  # the old file is intact
    assert [p.name for p in tmp_path.iterdir()] == ["nominatim.json"]


def test_user_agent_has_the_configured_contact(monkeypatch):
    monkeypatch.setenv(CONTACT_ENV, "ufficio.energia@comune.milano.it")
    assert contact_user_agent("cer-milano/0.1") == (
        "cer-milano/0.1 (contact: ufficio.energia@comune.milano.it)"
    )
    monkeypatch.delenv(CONTACT_ENV)
    with pytest.raises(ValueError, match=CONTACT_ENV):
        contact_user_agent("cer-milano/0.1")
    with pytest.raises(ValueError, match="one line"):
        contact_user_agent("cer-milano/0.1", "a@b.it\r\nX-Evil: 1")
