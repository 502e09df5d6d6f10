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
import secrets
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
# offline), and draw OpenStreetMap tiles. No JavaScript eval, no CDN: everything else stays on this origin,
# the websocket included ('self' covers ws/wss to the same host in CSP Level 3).
# Checked in a real browser (no CSP violation on any page) by tests/deploy/test_stack.py.
CSP = "; ".join(
    [
        "default-src 'self'",
        # WebAssembly only (Streamlit's Arrow decoding), not JavaScript eval.
        "script-src 'self' 'unsafe-inline' 'wasm-unsafe-eval' data:",
        "style-src 'self' 'unsafe-inline' data:",
        "img-src 'self' data: blob: https://*.tile.openstreetmap.org https://tile.openstreetmap.org",
        "font-src 'self' data:",
        "connect-src 'self'",
        "frame-src 'self' blob: data:",
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
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
    """Path of a PostgreSQL program (Debian keeps them out of PATH), see deploy/programs.py."""
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


def render_nginx_conf(
    run_dir: Path,
    listen: str,
    app_ports: list[int],
    *,
    admin_listen: str | None = None,
    admin_ports: list[int] | None = None,
    tls: tuple[Path, Path] | None = None,
    http_listen: str | None = None,
    admin_allow: tuple[str, ...] = (),
) -> Path:
    """Write nginx.conf for ``app_ports`` into ``run_dir`` and return its path.

    Parameters
    ----------
    listen : str
        Address of the public site (``host:port``).
    admin_listen, admin_ports : optional
        Address of the admin site and the admin Streamlit process(es) behind it. Without them the
        admin site listens on a free loopback port with no backend (it answers 502).
    tls : (certificate, key), optional
        Serve both sites over TLS with HSTS and a ``Secure`` sticky cookie; ``http_listen`` then
        answers plain HTTP with a redirect (and ``/healthz`` for load balancers).
    admin_allow : tuple of str, optional
        Addresses the admin site accepts besides 127.0.0.1 (a test uses a loopback address of its
        own so that no other test's connections count against its per-address limit).
    """
    upstream = "\n".join(
        f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=5s;" for port in app_ports
    )
    admin_upstream = (
        "\n".join(f"        server 127.0.0.1:{port};" for port in (admin_ports or []))
        or "        server 127.0.0.1:9 down;"
    )  # no admin process: nothing answers
    tls_directives = hsts = http_server = cookie_secure = ""
    if tls is not None:
        certificate, key = tls
        tls_directives = (
            f"        ssl_certificate {certificate};\n"
            f"        ssl_certificate_key {key};\n"
            "        ssl_protocols TLSv1.2 TLSv1.3;\n"
            "        ssl_session_cache shared:cer_tls:10m;"
        )
        hsts = (
            '        add_header Strict-Transport-Security "max-age=31536000; includeSubDomains" '
            "always;"
        )
        cookie_secure = "; Secure"
        # "listen … ssl http2": the form nginx 1.22 (Debian 12) knows; newer ones accept it too.
        listen = f"{listen} ssl http2"
        admin_listen = f"{admin_listen or '127.0.0.1:' + str(free_port())} ssl http2"
        port = listen.split(":")[-1].split()[0]
        http_server = (
            "    server {\n"
            f"        listen {http_listen or '127.0.0.1:' + str(free_port())};\n"
            "        location = /healthz { proxy_pass http://cer_app/_stcore/health; }\n"
            f"        location / {{ return 301 https://$host:{port}$request_uri; }}\n"
            "    }\n"
        )
    text = TEMPLATE.read_text().format(
        run_dir=run_dir,
        listen=listen,
        upstream_servers=upstream,
        admin_upstream_servers=admin_upstream,
        admin_listen=admin_listen or f"127.0.0.1:{free_port()}",
        admin_allow="\n".join(
            ["        # allow 10.0.0.0/8;  # the office network (production)"]
            + [f"        allow {address};" for address in admin_allow]
        ),
        tls_directives=tls_directives,
        hsts=hsts,
        cookie_secure=cookie_secure,
        http_server=http_server,
        hash_secret=secrets.token_hex(16),
        csp=CSP,
    )
    path = run_dir / "nginx.conf"
    path.write_text(text)
    return path


def self_signed_certificate(folder: Path, hosts: tuple[str, ...] = ("127.0.0.1", "localhost")):
    """A throw-away self-signed certificate for ``hosts``; returns ``(certificate, key)`` paths.

    For the loopback stack only: production uses the site's real certificate.
    """
    import datetime as dt
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    names = []
    for host in hosts:
        try:
            names.append(x509.IPAddress(ipaddress.ip_address(host)))
        except ValueError:
            names.append(x509.DNSName(host))
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, hosts[0])])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "tls.crt", folder / "tls.key"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key_path.chmod(0o600)
    return cert_path, key_path


@dataclass
class Stack:
    """PostgreSQL + N public app processes + nginx, all on loopback; optionally the admin
    instance (``admin=True``: one more process behind the admin site) and TLS (``tls=True``: a
    throw-away self-signed certificate, HSTS, ``Secure`` cookie, plain HTTP redirected)."""

    processes: int = 2
    proxy_port: int = 0
    work_dir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="cer-stack-")))
    with_postgres: bool = True
    app_env: dict[str, str] = field(default_factory=dict)
    admin: bool = False
    tls: bool = False
    admin_allow: tuple[str, ...] = ()
    postgres: Postgres | None = None
    apps: list[subprocess.Popen] = field(default_factory=list)
    app_ports: list[int] = field(default_factory=list)
    admin_port: int = 0
    admin_proxy_port: int = 0
    http_port: int = 0
    nginx: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        """The public site."""
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.proxy_port}"

    @property
    def admin_url(self) -> str:
        """The admin site (not public: loopback here)."""
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.admin_proxy_port}"

    @property
    def http_url(self) -> str:
        """Plain HTTP: the public site itself, or (with TLS) its redirect and health check."""
        return f"http://127.0.0.1:{self.http_port if self.tls else self.proxy_port}"

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
        admin_ports = []
        if self.admin:
            self.admin_port = free_port()
            self.apps.append(
                start_streamlit(self.admin_port, env, log_path=self.app_log(self.admin_port))
            )
            admin_ports = [self.admin_port]
        self.proxy_port = self.proxy_port or free_port()
        self.admin_proxy_port = free_port()
        self.http_port = free_port() if self.tls else self.proxy_port
        conf = render_nginx_conf(
            self.work_dir,
            f"127.0.0.1:{self.proxy_port}",
            self.app_ports,
            admin_listen=f"127.0.0.1:{self.admin_proxy_port}",
            admin_ports=admin_ports,
            tls=self_signed_certificate(self.work_dir) if self.tls else None,
            http_listen=f"127.0.0.1:{self.http_port}" if self.tls else None,
            admin_allow=self.admin_allow,
        )
        self.nginx = subprocess.Popen(
            [program_path("nginx"), "-c", str(conf), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        wait_http(f"{self.http_url}/healthz", b"ok", 30)
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
    parser.add_argument("--admin", action="store_true", help="also start the admin instance")
    parser.add_argument("--tls", action="store_true", help="HTTPS with a self-signed certificate")
    args = parser.parse_args(argv)
    stack = Stack(
        args.processes,
        args.port,
        with_postgres=not args.no_postgres,
        admin=args.admin,
        tls=args.tls,
    )
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
