"""The production shape on loopback: PostgreSQL + two Streamlit processes + nginx (deploy/stack.py).

One stack for the module (~3 s to start), over TLS (a throw-away certificate) with the admin
instance behind its own, non-public site. Checks the proxy's security headers (HSTS, a ``Secure``
sticky cookie), the redirect from plain HTTP, the health endpoint, that the public site closes
the upload endpoint and the metrics, the admin site's upload cap, XSRF, allow-list and rate
limit, that the ``cer_node`` cookie pins a browser to one backend and that a value of another
shape is replaced, that a transparency import made through one process's environment is seen
through the proxy on the other process, that the admin page is unreachable without
authentication, and that the Content-Security-Policy (no eval, no CDN, websocket to the same
origin only) lets every page work in a real browser without a single violation.
"""

from __future__ import annotations

import http.client
import os
import re
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid

import pytest

from app.i18n import translate
from deploy.stack import REPO_ROOT, Stack
from tests.e2e.helpers import TIMEOUT_MS, open_page, wait_for_app

pytestmark = pytest.mark.e2e

#: Records init script: every CSP violation event of every frame lands in ``window.__csp``.
CSP_LISTENER = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__csp.push(`${e.violatedDirective} blocked ${String(e.blockedURI).slice(0, 80)}`);
});
"""
PAGES = {
    "": "CER Milano",
    "mappa?indirizzo=Bovisa": "Mappa",
    "calcolatore": "Calcolatore",
    "trasparenza": "Trasparenza",
    "trasparenza?vista=flussi": "Trasparenza",
    "trasparenza?vista=municipi": "Trasparenza",
}


#: The stack's certificate is self-signed for 127.0.0.1: the tests trust it without checking.
INSECURE = ssl._create_unverified_context()
# The loopback address of the connection-limit test: no other test connects from it.
OWN_ADDRESS = "127.0.0.77"


@pytest.fixture(scope="module")
def stack():
    with Stack(processes=2, admin=True, tls=True, admin_allow=(OWN_ADDRESS,)) as running:
        yield running


def https(stack: Stack, admin: bool = False) -> http.client.HTTPSConnection:
    port = stack.admin_proxy_port if admin else stack.proxy_port
    return http.client.HTTPSConnection("127.0.0.1", port, timeout=10, context=INSECURE)


def access_log(stack: Stack) -> list[str]:
    return (stack.work_dir / "nginx-access.log").read_text().splitlines()


def upstreams_of(stack: Stack, node: str, path_part: str = "") -> set[str]:
    """Backend ports that served requests carrying ``cer_node=node`` (and ``path_part``)."""
    ports = set()
    for line in access_log(stack):
        if f"node={node} " in line and path_part in line:
            ports.update(re.findall(r"upstream=127\.0\.0\.1:(\d+)", line))
    return ports


def get(stack: Stack, path: str, node: str | None = None, base: str | None = None):
    request = urllib.request.Request((base or stack.url) + path)
    if node:
        request.add_header("Cookie", f"cer_node={node}")
    try:
        with urllib.request.urlopen(request, timeout=10, context=INSECURE) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@pytest.fixture(scope="module")
def nodes(stack) -> dict[str, str]:
    """A ``cer_node`` cookie value for each backend port (found by asking the proxy)."""
    found: dict[str, str] = {}
    for _ in range(40):
        node = uuid.uuid4().hex
        get(stack, "/_stcore/health", node)
        # nginx writes the access-log line after the response: poll for it briefly
        ports: set[str] = set()
        for _ in range(50):
            ports = upstreams_of(stack, node)
            if ports:
                break
            time.sleep(0.05)
        (port,) = ports
        found.setdefault(port, node)
        if len(found) == len(stack.app_ports):
            return found
    pytest.fail(f"40 cookie values all hashed onto {sorted(found)}: the upstream hash is broken")


def test_proxy_sets_security_headers_and_the_sticky_cookie(stack):
    status, headers, body = get(stack, "/")
    assert status == 200
    assert b"<noscript>" in body or b"<div id=" in body  # Streamlit's index page
    csp = headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'self'"
    assert directives["connect-src"] == "'self'"  # Streamlit's websocket, to this origin only
    assert "'unsafe-eval'" not in csp  # 'wasm-unsafe-eval' (WebAssembly only) is allowed
    assert "cdn" not in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["X-Frame-Options"] == "SAMEORIGIN"
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    cookie = next(c for c in headers.get_all("Set-Cookie") if c.startswith("cer_node="))
    assert re.match(r"cer_node=[0-9a-f]{32}; Path=/; HttpOnly; SameSite=Lax; Secure$", cookie)
    assert headers["Server"] == "nginx"  # server_tokens off: no version


def test_healthz_answers_ok_through_the_proxy_with_streamlit_xsrf_cookie(stack):
    status, headers, body = get(stack, "/healthz")
    assert (status, body) == (200, b"ok")
    assert any(c.startswith("_streamlit_xsrf=") for c in headers.get_all("Set-Cookie"))


def test_plain_http_redirects_to_https_but_answers_health_checks(stack):
    connection = http.client.HTTPConnection("127.0.0.1", stack.http_port, timeout=10)
    connection.request("GET", "/trasparenza?vista=flussi", headers={"Host": "127.0.0.1"})
    response = connection.getresponse()
    assert response.status == 301
    assert response.getheader("Location") == (
        f"https://127.0.0.1:{stack.proxy_port}/trasparenza?vista=flussi"
    )
    assert get(stack, "/healthz", base=stack.http_url)[::2] == (200, b"ok")


def _upload(connection: http.client.HTTPConnection, size: int, announced: int | None = None):
    connection.putrequest("PUT", "/_stcore/upload_file/some-session/some-file")
    connection.putheader("Content-Type", "multipart/form-data; boundary=zz")
    connection.putheader("Content-Length", str(announced or size))
    connection.endheaders()
    connection.send(b"x" * size)
    response = connection.getresponse()
    return response.status, response.read()


def test_public_site_closes_uploads_and_metrics(stack):
    """No public page has an uploader: the endpoint never reaches Streamlit (issue 14: six 55 MB
    uploads took a process from 78 to 414 MB)."""
    before = len(access_log(stack))
    assert _upload(https(stack), 1024)[0] == 403
    assert _upload(https(stack), 1024, announced=55 * 1024 * 1024)[0] in (403, 413)
    assert get(stack, "/_stcore/metrics")[0] == 404
    time.sleep(0.3)
    new = [line for line in access_log(stack)[before:] if "upload_file" in line]
    assert new
    assert all("upstream=-" in line for line in new)  # answered by nginx itself


def test_admin_site_xsrf_protection_refuses_an_upload_without_token(stack):
    status, body = _upload(https(stack, admin=True), 8)
    assert status == 403
    assert b"XSRF" in body
    assert get(stack, "/_stcore/metrics", base=stack.admin_url)[0] == 404


def test_admin_site_refuses_an_upload_above_the_importer_limit(stack):
    """7 MiB announced: nginx answers 413 before reading the body (limit 6m: 5 MiB + envelope)."""
    assert _upload(https(stack, admin=True), 1024, announced=7 * 1024 * 1024)[0] == 413


def test_admin_site_answers_only_its_allow_list(stack):
    with socket.create_connection(
        ("127.0.0.1", stack.admin_proxy_port), timeout=10, source_address=("127.0.0.2", 0)
    ) as raw:
        with INSECURE.wrap_socket(raw, server_hostname="127.0.0.1") as tls:
            tls.sendall(
                b"GET /_stcore/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
            )
            answer = tls.recv(200)
    assert answer.startswith(b"HTTP/1.1 403")
    assert get(stack, "/_stcore/health", base=stack.admin_url)[::2] == (200, b"ok")


def test_sticky_cookie_of_another_shape_is_replaced(stack):
    for chosen in ("1", "x" * 32, "0" * 31 + "g", "0" * 33):
        _, headers, _ = get(stack, "/_stcore/health", chosen)
        cookie = next(c for c in headers.get_all("Set-Cookie") if c.startswith("cer_node="))
        value = cookie.split(";")[0].split("=", 1)[1]
        assert value != chosen
        assert re.fullmatch(r"[0-9a-f]{32}", value)


def test_sticky_cookie_pins_a_browser_to_one_backend(stack, nodes):
    assert sorted(nodes) == sorted(str(p) for p in stack.app_ports)
    for port, node in nodes.items():
        for _ in range(6):
            get(stack, "/_stcore/health", node)
            get(stack, "/", node)
        assert upstreams_of(stack, node) == {port}


@pytest.fixture
def context_on(browser, stack, nodes):
    """``context_on(port)``: a browser context whose sticky cookie lands on backend ``port``."""
    contexts = []

    def make(port: str):
        context = browser.new_context(
            viewport={"width": 1280, "height": 900}, locale="it-IT", ignore_https_errors=True
        )
        context.add_cookies([{"name": "cer_node", "value": nodes[port], "url": stack.url}])
        context.add_init_script(CSP_LISTENER)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


def project_titles(page) -> str:
    return page.locator('[data-testid="stDataFrame"]').first.inner_text()


def test_import_through_one_process_is_seen_on_the_other(stack, nodes, context_on, tmp_path):
    port_a, port_b = sorted(nodes)
    title = f"Progetto di prova del deployment {uuid.uuid4().hex[:6]}"
    url = f"{stack.url}/trasparenza?vista=progetti"

    page_a = context_on(port_a).new_page()
    open_page(page_a, url, "Trasparenza")  # backend A migrates the shared database
    assert title not in page_a.content()

    projects = tmp_path / "projects.csv"
    projects.write_text(
        "project_id,title,configuration_id,fund_year,municipio,proposer,category,status,"
        "approved_eur,spent_eur,beneficiaries,vote_date,source\n"
        f"deploy-{uuid.uuid4().hex[:8]},{title},citta-studi,2025,3,Test,community,proposed,"
        "0,0,0,,tests/deploy/test_stack.py\n",
        encoding="utf-8",
    )
    # the import runs with process A's environment: the same CER_DATABASE_URL
    done = subprocess.run(
        [sys.executable, "-m", "cer_core.transparency", "import", str(projects)],
        cwd=REPO_ROOT,
        env={**os.environ, "CER_DATABASE_URL": stack.postgres.url},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "1 rows were inserted" in done.stdout

    page_b = context_on(port_b).new_page()
    open_page(page_b, url, "Trasparenza")
    # st.dataframe draws on a canvas; its cells are also in an (invisible) accessible grid
    page_b.get_by_text(title).first.wait_for(state="attached", timeout=TIMEOUT_MS)
    # the two pages really were served by two processes: the websockets went to A and to B
    # (nginx logs a websocket when it closes)
    page_a.close()
    page_b.close()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not all(
        upstreams_of(stack, nodes[port], "/_stcore/stream") for port in (port_a, port_b)
    ):
        time.sleep(0.2)
    assert upstreams_of(stack, nodes[port_a], "/_stcore/stream") == {port_a}
    assert upstreams_of(stack, nodes[port_b], "/_stcore/stream") == {port_b}


def test_admin_page_is_unreachable_without_authentication(stack, context_on, nodes):
    page = context_on(sorted(nodes)[0]).new_page()
    page.goto(f"{stack.url}/admin")
    wait_for_app(page)
    page.wait_for_timeout(500)
    assert page.locator('[data-testid="stFileUploader"]').count() == 0
    assert page.get_by_text(translate("it", "admin.title")).count() == 0
    nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
    assert translate("it", "nav.trasparenza") in nav  # the navigation is there...
    assert translate("it", "admin.nav") not in nav  # ...without the import page


def csp_violations(page, messages: list[str]) -> list[str]:
    found = [m for m in messages if "Content Security Policy" in m or "violates" in m]
    for frame in page.frames:
        try:
            found += frame.evaluate("window.__csp || []")
        except Exception:  # noqa: BLE001 - a frame that went away has nothing to report
            continue
    return found


@pytest.mark.parametrize("path", list(PAGES))
def test_no_csp_violation_on_any_page(stack, context_on, nodes, path, screenshots_dir):
    page = context_on(sorted(nodes)[-1]).new_page()
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    open_page(page, f"{stack.url}/{path}", PAGES[path])
    page.wait_for_timeout(1500)  # late frames (folium, plotly) load their scripts
    if path.startswith("mappa"):
        # Leaflet (shipped as data: URIs) ran: the areas are drawn inside the component frame
        paths = page.frame_locator('iframe[src*="streamlit_folium"]').locator(
            "path.leaflet-interactive"
        )
        paths.first.wait_for(state="attached", timeout=TIMEOUT_MS)
    assert csp_violations(page, messages) == []
    name = re.sub(r"[^a-z0-9]+", "-", path) or "home"
    page.screenshot(path=str(screenshots_dir / f"deploy-{name}.png"))


def _open_websocket(stack: Stack, admin: bool, source_address: str = "127.0.0.1"):
    raw = socket.create_connection(
        ("127.0.0.1", stack.admin_proxy_port if admin else stack.proxy_port),
        timeout=10,
        source_address=(source_address, 0),
    )
    tls = INSECURE.wrap_socket(raw, server_hostname="127.0.0.1")
    tls.sendall(
        b"GET /_stcore/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
        b"Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
        b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        b"Sec-WebSocket-Protocol: streamlit\r\n\r\n"
    )
    return tls, tls.recv(100).split(b"\r\n", 1)[0]


def test_connections_per_address_are_limited(stack):
    """The admin site allows 20 open connections per address (the public site 100): the 21st
    websocket is refused with 429 while the others stay open.

    The connections come from a loopback address no other test uses: nginx counts every open
    connection of an address (both sites share one zone), and a browser page of an earlier test
    can still be closing (once the 20th was refused for that reason)."""
    sockets, statuses = [], []
    try:
        for _ in range(24):
            connection, status = _open_websocket(stack, admin=True, source_address=OWN_ADDRESS)
            sockets.append(connection)
            statuses.append(status)
    finally:
        for connection in sockets:
            connection.close()
    assert statuses[:20] == [b"HTTP/1.1 101 Switching Protocols"] * 20, statuses
    assert set(statuses[20:]) == {b"HTTP/1.1 429 Too Many Requests"}


def test_admin_uploads_are_rate_limited_per_address(stack):
    """Last in the module: it spends the upload allowance (10 a minute, burst 10)."""
    statuses = [_upload(https(stack, admin=True), 8)[0] for _ in range(16)]
    assert statuses[0] == 403  # reaches Streamlit (XSRF refusal)
    assert 429 in statuses
