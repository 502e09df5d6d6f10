"""Several app processes starting together on an empty database (a fresh deployment): each
migrates the schema and seeds the demo at start-up. They take turns (an advisory lock on
PostgreSQL, a lock file next to an SQLite database), so all start and the demo is loaded once."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa

from cer_core.transparency import store
from cer_core.transparency.models import import_log

REPO = Path(__file__).resolve().parents[2]
PROCESSES = 4

START = """
import sys, time
from cer_core.transparency import store
gate = float(sys.argv[2])
while time.time() < gate:  # all four leave the gate at the same instant
    time.sleep(0.001)
engine = store.open_store(sys.argv[1], seed_demo=True)
print(len(store.read_table(engine, "payments")))
"""


def test_four_processes_starting_together_on_an_empty_database(db_url):
    import time

    gate = time.time() + 3.0  # imports of pandas/sqlalchemy take ~1-2 s on a busy machine
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", START, db_url, str(gate)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=REPO,
            env=env,
        )
        for _ in range(PROCESSES)
    ]
    results = [(run.wait(timeout=180), *run.communicate()) for run in runs]
    failures = [err[-600:] for code, _, err in results if code != 0]
    assert failures == []
    counts = {out.strip() for _, out, _ in results}
    engine = store.make_engine(db_url)
    try:
        expected = len(store.read_table(engine, "payments"))
        with engine.connect() as connection:
            seeds = connection.execute(sa.select(sa.func.count()).select_from(import_log)).scalar()
    finally:
        engine.dispose()
    assert expected > 0
    assert counts == {str(expected)}
    assert seeds == 1  # one demo seeding, the others found it done
