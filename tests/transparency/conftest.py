"""Fixtures of the transparency tests: a REAL PostgreSQL server and a fresh database per test.

One PostgreSQL server per test session is created with ``initdb`` and started with ``pg_ctl`` from
Debian's ``/usr/lib/postgresql/*/bin`` in a temporary folder, on a free loopback port, as the
``postgres`` OS user when the tests run as root (PostgreSQL refuses to run as root). The store
tests run on it and on SQLite (``db_url`` is parametrised over both). Missing binaries FAIL the
tests with the command that installs them: they are never skipped.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from cer_core.transparency import store
from deploy.programs import program_path


def _pg_bin() -> Path:
    # a missing server FAILS these tests naming the package (tests/conftest.py): never skipped
    return Path(program_path("initdb")).parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_postgres(command: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return [program_path("runuser"), "-u", "postgres", "--", *command]
    return command


@pytest.fixture(scope="session")
def postgres_server():
    """URL prefix ``postgresql+psycopg://postgres@127.0.0.1:PORT`` of a throw-away server."""
    bin_dir = _pg_bin()
    root = Path(tempfile.mkdtemp(prefix="cer-pg-"))
    data = root / "data"
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    os.chmod(root, 0o700)
    port = _free_port()
    subprocess.run(
        _as_postgres(
            [
                str(bin_dir / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--no-sync",
            ]
        ),
        check=True,
        capture_output=True,
    )
    options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off"
    subprocess.run(
        _as_postgres(
            [str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(root / "log"), "-w"]
            + ["start"]
        ),
        check=True,
        capture_output=True,
        timeout=60,
    )
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run(
            _as_postgres([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]),
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    """URL of an empty database, on SQLite and on the real PostgreSQL server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'transparency.db'}"
        return
    server = request.getfixturevalue("postgres_server")
    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield f"{server}/{name}"
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def engine(db_url):
    """An empty, migrated store (no demo data)."""
    engine = store.open_store(db_url, seed_demo=False)
    yield engine
    engine.dispose()


@pytest.fixture
def demo_engine(db_url):
    """A store holding the embedded demo dataset."""
    engine = store.open_store(db_url, seed_demo=True)
    yield engine
    engine.dispose()
