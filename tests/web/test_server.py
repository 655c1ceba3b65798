"""The chat page's static server over real HTTP: files, types, headers and refusals."""

from __future__ import annotations

import gzip
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Dict, Iterator, Optional, Tuple

import pytest
import requests

from bot.web.server import PageServer, make_server
from bot.web.settings import WEB_ROOT, WebSettings

ROOT = Path(__file__).resolve().parents[2]


def settings_for(root: Path = WEB_ROOT, **overrides: object) -> WebSettings:
    """Settings as the environment would give them, pointed at ``root``."""
    values = dict(
        root=root,
        rasa_url="http://127.0.0.1:5005",
        exit_url="https://www.wikipedia.org",
        max_chars=4000,
        frame_ancestors=[],
    )
    values.update(overrides)
    return WebSettings(**values)  # type: ignore[arg-type]


def run(server: PageServer) -> Iterator[PageServer]:
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)


@pytest.fixture
def page() -> Iterator[PageServer]:
    """The real web/ folder, served on a free port."""
    yield from run(make_server("127.0.0.1", 0, settings_for()))


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[PageServer]:
    """A made-up web root with files that must and must not be served."""
    root = tmp_path / "web"
    (root / "js").mkdir(parents=True)
    (root / "node_modules" / "pkg").mkdir(parents=True)
    (root / "index.html").write_text("<!doctype html><title>t</title>")
    (root / "js" / "a.js").write_text("export const a = 1;")
    (root / "node_modules" / "pkg" / "index.js").write_text("secret()")
    (root / ".env").write_text("TOKEN=x")
    (root / "package.json").write_text("{}")
    (root / "notes.py").write_text("print(1)")
    (tmp_path / "outside.txt").write_text("outside")
    (root / "escape.txt").symlink_to(tmp_path / "outside.txt")
    yield from run(make_server("127.0.0.1", 0, settings_for(root)))


def raw_get(
    server: PageServer, target: str, method: str = "GET"
) -> Tuple[int, Dict[str, str], bytes]:
    """A request with the target sent exactly as given (no client-side normalising)."""
    host, port = server.server_address[:2]
    conn = http.client.HTTPConnection(host, port, timeout=10)
    try:
        conn.putrequest(method, target, skip_accept_encoding=True)
        conn.endheaders()
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def test_the_page_is_served_with_its_type_and_security_headers(page: PageServer) -> None:
    response = requests.get(page.url + "/", timeout=10)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert 'role="log"' in response.text and "Quick exit" in response.text
    csp = response.headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["default-src"] == "'none'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["connect-src"] == "'self' http://127.0.0.1:5005 ws://127.0.0.1:5005"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Cache-Control"] == "no-store"
    assert "Python" not in response.headers["Server"]


@pytest.mark.parametrize(
    "path, content_type",
    [
        ("/index.html", "text/html; charset=utf-8"),
        ("/harbor.css", "text/css; charset=utf-8"),
        ("/js/app.js", "text/javascript; charset=utf-8"),
        ("/js/links.js", "text/javascript; charset=utf-8"),
        ("/icon.svg", "image/svg+xml"),
        ("/vendor/socket.io.min.js", "text/javascript; charset=utf-8"),
        ("/config.js", "text/javascript; charset=utf-8"),
        ("/healthz", "text/plain; charset=utf-8"),
    ],
)
def test_each_file_has_its_content_type(page: PageServer, path: str, content_type: str) -> None:
    response = requests.get(page.url + path, timeout=10)
    assert response.status_code == 200, path
    assert response.headers["Content-Type"] == content_type
    assert response.content


PAGE_FILES = [
    "/",
    "/harbor.css",
    "/config.js",
    "/vendor/socket.io.min.js",
    *[f"/js/{path.name}" for path in sorted((WEB_ROOT / "js").glob("*.js"))],
]


def visit_bytes(server: PageServer, accept: Optional[str]) -> Tuple[int, int]:
    """Bytes on the wire for every file of a visit, and the same files uncompressed."""
    wire = plain = 0
    for path in PAGE_FILES:
        headers = {"Accept-Encoding": accept} if accept else {}
        status, got, body = raw_get_with(server, path, headers)
        assert status == 200, path
        wire += len(body)
        if got.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        plain += len(body)
    return wire, plain


def raw_get_with(
    server: PageServer, target: str, headers: Dict[str, str]
) -> Tuple[int, Dict[str, str], bytes]:
    host, port = server.server_address[:2]
    conn = http.client.HTTPConnection(host, port, timeout=10)
    try:
        conn.request("GET", target, headers=headers)
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def test_the_page_goes_out_compressed_to_browsers_that_accept_it(page: PageServer) -> None:
    wire, plain = visit_bytes(page, "gzip, deflate, br")
    assert wire < plain / 2.5, (wire, plain)
    status, headers, body = raw_get_with(page, "/js/app.js", {"Accept-Encoding": "gzip"})
    assert headers["Content-Encoding"] == "gzip" and headers["Vary"] == "Accept-Encoding"
    assert gzip.decompress(body) == (WEB_ROOT / "js" / "app.js").read_bytes()
    assert int(headers["Content-Length"]) == len(body)
    assert headers["Cache-Control"] == "no-store"  # shared devices: still nothing cached


@pytest.mark.parametrize("accept", [None, "identity", "gzip;q=0", "br"])
def test_clients_that_do_not_take_gzip_get_the_files_as_they_are(
    page: PageServer, accept: Optional[str]
) -> None:
    wire, plain = visit_bytes(page, accept)
    assert wire == plain


def test_config_tells_the_page_where_the_socket_is(page: PageServer) -> None:
    body = requests.get(page.url + "/config.js", timeout=10).text
    assert body.startswith("window.HARBOR_CONFIG = Object.freeze(")
    assert '"socketUrl": "http://127.0.0.1:5005"' in body
    assert '"socketPath": "/socket.io"' in body
    assert '"maxChars": 4000' in body
    assert '"exitUrl": "https://www.wikipedia.org"' in body


@pytest.mark.parametrize(
    "target",
    [
        "/../pyproject.toml",
        "/../../etc/passwd",
        "/js/../../pyproject.toml",
        "/%2e%2e/pyproject.toml",
        "/%2E%2E%2Fpyproject.toml",
        "/..%2fpyproject.toml",
        "/js/%2e%2e/%2e%2e/Makefile",
        "//etc/passwd",
        "/..\\pyproject.toml",
        "/index.html%00.js",
        "/%ff%fe",
        "/node_modules/socket.io-client/package.json",
        "/package.json",
        "/package-lock.json",
        "/nothing-here.html",
    ],
)
def test_nothing_outside_the_page_is_served(page: PageServer, target: str) -> None:
    status, headers, body = raw_get(page, target)
    assert status == 404, target
    assert b"[tool" not in body and b"root:" not in body
    assert headers["Content-Security-Policy"].startswith("default-src 'none'")


@pytest.mark.parametrize(
    "target", ["/node_modules/pkg/index.js", "/.env", "/package.json", "/notes.py", "/escape.txt"]
)
def test_private_files_dotfiles_other_types_and_symlinks_out_are_refused(
    sandbox: PageServer, target: str
) -> None:
    assert raw_get(sandbox, target)[0] == 404
    assert raw_get(sandbox, "/js/a.js")[0] == 200


def test_head_gives_headers_without_a_body(page: PageServer) -> None:
    status, headers, body = raw_get(page, "/", method="HEAD")
    assert status == 200 and body == b""
    assert int(headers["Content-Length"]) > 0


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"])
def test_only_get_and_head_are_allowed(page: PageServer, method: str) -> None:
    response = requests.request(method, page.url + "/", timeout=10)
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, HEAD"


def test_embedding_can_be_allowed_for_named_sites() -> None:
    settings = settings_for(frame_ancestors=["https://partner.example.org"])
    headers = settings.security_headers()
    assert "frame-ancestors https://partner.example.org" in headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in headers


def test_python_m_bot_web_serves_and_stops_on_sigterm() -> None:
    env = dict(os.environ, RASA_PUBLIC_URL="https://harbor.example.org:8443/")
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.web", "--host", "127.0.0.1", "--port", "0"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        line: Optional[str] = proc.stdout.readline() if proc.stdout else None
        match = re.search(r"(http://127\.0\.0\.1:\d+)/", line or "")
        assert match, line
        config = requests.get(match.group(1) + "/config.js", timeout=10).text
        assert '"socketUrl": "https://harbor.example.org:8443"' in config
        csp = requests.get(match.group(1) + "/", timeout=10).headers["Content-Security-Policy"]
        assert "https://harbor.example.org:8443 wss://harbor.example.org:8443" in csp
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=20) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


# --- no client can hold the page server up (issue 16) -----------------------------------


def _slow_client(server: PageServer) -> socket.socket:
    """A slow-loris client: a request line and half a header, then nothing more."""
    sock = socket.create_connection(("127.0.0.1", server.server_address[1]), timeout=30)
    sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
    return sock


def test_slow_clients_are_cut_off_and_everyone_else_is_served() -> None:
    server = PageServer(("127.0.0.1", 0), settings_for(), workers=2, queued=4, request_deadline=1.0)
    threads_before = threading.active_count()
    for _ in run(server):
        slow = [_slow_client(server) for _ in range(4)]
        time.sleep(0.2)
        assert threading.active_count() - threads_before <= 2 + 1, (
            "a bounded pool, not a thread each"
        )
        # Someone else still gets the page once a slow client's deadline passed.
        status, _, _ = raw_get(server, "/healthz")
        assert status == 200
        for sock in slow:  # each was closed by the server (b"" or a reset), not left hanging
            try:
                assert sock.recv(1024) == b""
            except ConnectionResetError:
                pass
            sock.close()


def test_a_flood_of_connections_beyond_the_queue_gets_a_quick_503() -> None:
    server = PageServer(("127.0.0.1", 0), settings_for(), workers=1, queued=1, request_deadline=5.0)
    for _ in run(server):
        slow = [_slow_client(server) for _ in range(2)]  # the worker and the queue
        time.sleep(0.2)
        extra = socket.create_connection(("127.0.0.1", server.server_address[1]), timeout=10)
        extra.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        assert extra.recv(1024).startswith(b"HTTP/1.1 503")
        for sock in [extra, *slow]:
            sock.close()
