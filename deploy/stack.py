"""Start CER Milano's production shape on loopback: PostgreSQL, N Streamlit processes, nginx.

    python deploy/stack.py --processes 2 --port 8080

Used by ``docs/deployment.md`` (try the stack on one machine), by the deployment test and by the
load benchmark. Everything runs from a temporary folder and stops on Ctrl-C. Debian packages:
``postgresql`` and ``nginx``. PostgreSQL refuses to run as root, so when run as root the server
runs as the ``postgres`` system user.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

try:
    from deploy.programs import program_path
except ImportError:  # run as a script: python deploy/stack.py
    from programs import program_path

REPO_ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = Path(__file__).with_name("nginx.conf.template")

# Streamlit's frontend uses inline styles and a web worker; folium maps run in a component iframe
# with Leaflet, which the app ships as data: URIs (app/components/map_view.py: vendored, works
# offline), and draw OpenStreetMap tiles. Everything else stays on this origin.
# Checked in a real browser (no CSP violation on any page) by tests/deploy/test_stack.py.
CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline' 'unsafe-eval' data: https://cdn.jsdelivr.net https://code.jquery.com https://cdnjs.cloudflare.com https://netdna.bootstrapcdn.com",
        "style-src 'self' 'unsafe-inline' data: https://cdn.jsdelivr.net https://cdnjs.cloudflare.com https://netdna.bootstrapcdn.com https://fonts.googleapis.com",
        "img-src 'self' data: blob: https://*.tile.openstreetmap.org https://tile.openstreetmap.org",
        "font-src 'self' data: https://fonts.gstatic.com https://cdnjs.cloudflare.com https://netdna.bootstrapcdn.com",
        "connect-src 'self' ws: wss:",
        "frame-src 'self' blob: data:",
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "frame-ancestors 'self'",
    ]
)


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_http(url: str, expect: bytes | None = None, timeout_s: float = 60) -> None:
    """Wait until ``url`` answers (with body ``expect`` when given)."""
    deadline = time.monotonic() + timeout_s
    last: Exception | None = None
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if expect is None or response.read() == expect:
                    return
        except OSError as exc:
            last = exc
        time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer within {timeout_s:.0f} s ({last})")


def _run(cmd: list[str]) -> None:
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed: {(done.stderr or done.stdout)[-1500:]}")


def _as_postgres(cmd: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return [program_path("runuser"), "-u", "postgres", "--", *cmd]
    return cmd


def postgres_bin(name: str) -> str:
    """Path of a PostgreSQL program (Debian keeps them out of PATH), from deploy/programs.toml."""
    return program_path(name)


@dataclass
class Postgres:
    """A throw-away PostgreSQL server on loopback."""

    data_dir: Path
    port: int
    database: str = "cer"

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{self.database}"

    def start(self) -> Postgres:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            # the postgres user must reach its folder through ours (mkdtemp makes them 0700)
            self.data_dir.parent.chmod(0o755)
            shutil.chown(self.data_dir, "postgres", "postgres")
        if not (self.data_dir / "PG_VERSION").exists():
            subprocess.run(
                _as_postgres(
                    [
                        postgres_bin("initdb"),
                        "-D",
                        str(self.data_dir),
                        "-A",
                        "trust",
                        "-U",
                        "postgres",
                    ]
                ),
                check=True,
                capture_output=True,
            )
        self.resume()
        subprocess.run(
            _as_postgres(
                [postgres_bin("createdb"), "-h", "127.0.0.1", "-p", str(self.port), self.database]
            ),
            capture_output=True,
        )
        return self

    def resume(self) -> None:
        """Start (again) the server on its data folder."""
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.data_dir}"
        _run(
            _as_postgres(
                [
                    postgres_bin("pg_ctl"),
                    "-D",
                    str(self.data_dir),
                    "-o",
                    options,
                    "-l",
                    str(self.data_dir / "server.log"),
                    "-w",
                    "start",
                ]
            )
        )

    def stop(self, mode: str = "fast") -> None:
        subprocess.run(
            _as_postgres([postgres_bin("pg_ctl"), "-D", str(self.data_dir), "-m", mode, "stop"]),
            capture_output=True,
        )


def start_streamlit(
    port: int,
    env: dict[str, str] | None = None,
    timeout_s: float = 90,
    log_path: Path | None = None,
) -> subprocess.Popen:
    """Start ``streamlit run app/streamlit_app.py`` on ``port`` and wait for its health check.

    The process's output goes to ``log_path`` when given (a pipe nobody reads would fill up and
    block the server after enough logged errors), else stderr is kept for the start-up error.
    """
    log = log_path.open("ab") if log_path is not None else None
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(REPO_ROOT / "app" / "streamlit_app.py"),
            "--server.headless=true",
            "--server.address=127.0.0.1",
            f"--server.port={port}",
        ],
        cwd=REPO_ROOT,
        env={**os.environ, **(env or {})},
        stdout=log or subprocess.DEVNULL,
        stderr=log or subprocess.PIPE,
    )
    if log is not None:
        log.close()  # the child keeps its own descriptor
    try:
        wait_http(f"http://127.0.0.1:{port}/_stcore/health", b"ok", timeout_s)
    except TimeoutError:
        process.kill()
        raise
    if process.poll() is not None:
        output = log_path.read_text() if log_path else process.stderr.read().decode()
        raise RuntimeError(f"streamlit exited: {output[-2000:]}")
    return process


def stop_process(process: subprocess.Popen, timeout_s: float = 10) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def render_nginx_conf(run_dir: Path, listen: str, app_ports: list[int]) -> Path:
    """Write nginx.conf for ``app_ports`` into ``run_dir`` and return its path."""
    upstream = "\n".join(
        f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=5s;" for port in app_ports
    )
    text = TEMPLATE.read_text().format(
        run_dir=run_dir, listen=listen, upstream_servers=upstream, csp=CSP
    )
    path = run_dir / "nginx.conf"
    path.write_text(text)
    return path


@dataclass
class Stack:
    """PostgreSQL + N app processes + nginx, all on loopback."""

    processes: int = 2
    proxy_port: int = 0
    work_dir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="cer-stack-")))
    with_postgres: bool = True
    app_env: dict[str, str] = field(default_factory=dict)
    postgres: Postgres | None = None
    apps: list[subprocess.Popen] = field(default_factory=list)
    app_ports: list[int] = field(default_factory=list)
    nginx: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.proxy_port}"

    def app_log(self, port: int) -> Path:
        """Output (log and errors) of the app process on ``port``."""
        return self.work_dir / f"streamlit-{port}.log"

    def start(self) -> Stack:
        self.work_dir.mkdir(parents=True, exist_ok=True)
        env = dict(self.app_env)
        if self.with_postgres:
            self.postgres = Postgres(self.work_dir / "pgdata", free_port()).start()
            env.setdefault("CER_DATABASE_URL", self.postgres.url)
        env.setdefault("CER_CACHE_DIR", str(self.work_dir / "cache"))
        self.app_ports = [free_port() for _ in range(self.processes)]
        for port in self.app_ports:
            self.apps.append(start_streamlit(port, env, log_path=self.app_log(port)))
        self.proxy_port = self.proxy_port or free_port()
        conf = render_nginx_conf(self.work_dir, f"127.0.0.1:{self.proxy_port}", self.app_ports)
        self.nginx = subprocess.Popen(
            [program_path("nginx"), "-c", str(conf), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        wait_http(f"{self.url}/healthz", b"ok", 30)
        return self

    def stop(self) -> None:
        if self.nginx is not None:
            stop_process(self.nginx)
        for process in self.apps:
            stop_process(process)
        if self.postgres is not None:
            self.postgres.stop()
        shutil.rmtree(self.work_dir, ignore_errors=True)

    def __enter__(self) -> Stack:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc_info) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=2, help="Streamlit processes (default 2)")
    parser.add_argument("--port", type=int, default=8080, help="proxy port (default 8080)")
    parser.add_argument("--no-postgres", action="store_true", help="use SQLite instead")
    args = parser.parse_args(argv)
    stack = Stack(args.processes, args.port, with_postgres=not args.no_postgres)
    with contextlib.ExitStack() as cleanup:
        cleanup.callback(stack.stop)
        stack.start()
        print(f"CER Milano on {stack.url} ({args.processes} processes: {stack.app_ports})")
        if stack.postgres:
            print(f"PostgreSQL: {stack.postgres.url}")
        print("Ctrl-C to stop.")
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
        signal.sigwait({signal.SIGINT, signal.SIGTERM})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
