"""A small static server for the chat page (stdlib ``http.server`` on a bounded thread pool).

It serves only the page's own files from ``web/`` (never ``node_modules/``, dotfiles or
anything outside the folder), a generated ``/config.js`` that tells the page where the
Rasa socket is, and ``/healthz``. Every response carries the security headers from
:class:`bot.web.settings.WebSettings`, including a Content-Security-Policy that allows
nothing but this server and the Rasa socket.

No client can hold it up: a fixed pool of ``WORKERS`` threads serves connections, at most
``QUEUED`` more wait (anything beyond gets an immediate 503), and each request must arrive
whole within ``REQUEST_DEADLINE_S`` seconds (slow-loris clients and idle keep-alive
connections are closed), and each answer be taken within ``WRITE_TIMEOUT_S``.

Text files (HTML, CSS, JavaScript, SVG) go out gzip-compressed to clients that accept it;
each file is compressed once and kept in memory until it changes on disk.
"""

from __future__ import annotations

import gzip
import logging
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any, Dict, Optional, Tuple
from urllib.parse import unquote, urlsplit

from bot.web.settings import WebSettings

logger = logging.getLogger(__name__)

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".webmanifest": "application/manifest+json",
    ".txt": "text/plain; charset=utf-8",
}
# Types worth compressing, and the smallest body worth it.
COMPRESSIBLE = {".html", ".css", ".js", ".svg", ".webmanifest", ".txt"}
MIN_COMPRESS_BYTES = 512
# Folders under web/ that hold build inputs, not the page.
PRIVATE_DIRS = {"node_modules"}
WORKERS = 16
QUEUED = 64
REQUEST_DEADLINE_S = 10.0
WRITE_TIMEOUT_S = 30.0
OVERLOADED = (
    b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nRetry-After: 1\r\n"
    b"Connection: close\r\n\r\n"
)


class PageServer(HTTPServer):
    """An HTTP server on a bounded thread pool that carries the page settings to its handlers."""

    allow_reuse_address = True
    request_queue_size = 128

    def __init__(
        self,
        address: Tuple[str, int],
        settings: WebSettings,
        workers: int = WORKERS,
        queued: int = QUEUED,
        request_deadline: float = REQUEST_DEADLINE_S,
    ) -> None:
        """Binds ``address`` (port 0 picks a free one) and keeps ``settings``."""
        self.settings = settings
        self.request_deadline = request_deadline
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="page")
        self._slots = threading.BoundedSemaphore(workers + queued)
        self.compressed = CompressedFiles()
        super().__init__(address, PageHandler)

    def process_request(self, request: Any, client_address: Any) -> None:
        """Hands the connection to the pool, or answers 503 at once when it is full."""
        if not self._slots.acquire(blocking=False):
            try:
                request.settimeout(1.0)
                request.sendall(OVERLOADED)
            except OSError:
                pass
            self.shutdown_request(request)
            return
        self._pool.submit(self._serve_connection, request, client_address)

    def _serve_connection(self, request: Any, client_address: Any) -> None:
        try:
            self.finish_request(request, client_address)
        except Exception:  # noqa: BLE001 - one broken connection never stops the server
            self.handle_error(request, client_address)
        finally:
            self.shutdown_request(request)
            self._slots.release()

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Logs a broken connection in one line (timeouts are routine)."""
        logger.debug("page connection ended with an error", exc_info=True)

    def server_close(self) -> None:
        """Stops listening and lets the pool's threads finish."""
        super().server_close()
        self._pool.shutdown(wait=False, cancel_futures=True)

    @property
    def url(self) -> str:
        """The base URL the server answers on."""
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"


class CompressedFiles:
    """gzip copies of the page's files, made once per version of each file."""

    def __init__(self) -> None:
        """Starts empty; files are compressed when first asked for."""
        self._copies: Dict[Path, Tuple[Tuple[int, int], bytes]] = {}
        self._lock = threading.Lock()

    def get(self, file: Path, body: bytes) -> bytes:
        """The gzip copy of ``file`` (whose current content is ``body``)."""
        stat = file.stat()
        version = (stat.st_mtime_ns, stat.st_size)
        with self._lock:
            cached = self._copies.get(file)
        if cached and cached[0] == version:
            return cached[1]
        packed = gzip.compress(body, compresslevel=9, mtime=0)
        with self._lock:
            self._copies[file] = (version, packed)
        return packed


def accepts_gzip(header: Optional[str]) -> bool:
    """Whether an ``Accept-Encoding`` header allows gzip (and does not refuse it with q=0)."""
    for item in (header or "").split(","):
        name, _, params = item.strip().partition(";")
        if name.strip().lower() in ("gzip", "*"):
            quality = params.strip().lower().replace(" ", "")
            return quality not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


class DeadlineReader:
    """The request side of a connection, where each request must arrive within a deadline.

    ``http.server`` reads with no timeout at all, so a client that sends one byte a minute
    holds a thread for ever. Every read here waits at most until the current request's
    deadline; then the connection is closed.
    """

    def __init__(self, connection: socket.socket) -> None:
        """Reads from ``connection``; call :meth:`start` before each request."""
        self.connection = connection
        self.buffer = b""
        self.deadline = float("inf")

    def start(self, seconds: float) -> None:
        """The next request (and any idle wait before it) must arrive within ``seconds``."""
        self.deadline = time.monotonic() + seconds

    def _fill(self) -> bool:
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("request not received in time")
        self.connection.settimeout(remaining)
        chunk = self.connection.recv(8192)
        self.buffer += chunk
        return bool(chunk)

    def readline(self, limit: int = -1) -> bytes:
        """One line (up to ``limit`` bytes), as ``io.BufferedReader.readline``."""
        while b"\n" not in self.buffer and (limit < 0 or len(self.buffer) < limit):
            if not self._fill():
                break
        end = self.buffer.find(b"\n") + 1 or len(self.buffer)
        if limit >= 0:
            end = min(end, limit)
        line, self.buffer = self.buffer[:end], self.buffer[end:]
        return line

    def read(self, size: int = -1) -> bytes:
        """Up to ``size`` bytes (the page server never reads bodies, but http.server may)."""
        while size >= 0 and len(self.buffer) < size and self._fill():
            pass
        size = len(self.buffer) if size < 0 else size
        data, self.buffer = self.buffer[:size], self.buffer[size:]
        return data

    def close(self) -> None:
        """Nothing to release: the server closes the socket."""


class PageHandler(BaseHTTPRequestHandler):
    """Answers GET/HEAD for the page's files; every other method gets 405."""

    server: PageServer
    server_version = "Harbor"
    sys_version = ""
    protocol_version = "HTTP/1.1"

    def setup(self) -> None:
        """Reads through a :class:`DeadlineReader`; writes time out too."""
        super().setup()
        self.rfile = DeadlineReader(self.connection)  # type: ignore[assignment]

    def handle_one_request(self) -> None:
        """One request, which must arrive within the server's deadline."""
        self.rfile.start(self.server.request_deadline)  # type: ignore[attr-defined]
        try:
            super().handle_one_request()
        except (TimeoutError, socket.timeout):
            self.close_connection = True

    def send_response(self, code: int, message: Optional[str] = None) -> None:
        """Starts an answer; the client must take it within ``WRITE_TIMEOUT_S``."""
        self.connection.settimeout(WRITE_TIMEOUT_S)
        super().send_response(code, message)

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        """Serves a file, /config.js or /healthz."""
        self._serve(head=False)

    def do_HEAD(self) -> None:  # noqa: N802
        """Like GET, without the body."""
        self._serve(head=True)

    def _not_allowed(self) -> None:
        self.close_connection = True  # its body (if any) is never read
        self.send_response(HTTPStatus.METHOD_NOT_ALLOWED)
        self.send_header("Allow", "GET, HEAD")
        self._send_body(b"Method not allowed\n", "text/plain; charset=utf-8", head=False)

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _not_allowed  # noqa: N815

    def end_headers(self) -> None:
        """Adds the security headers to every response, errors included."""
        for name, value in self.server.settings.security_headers().items():
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Access log through ``logging`` (paths only; the page never puts text in URLs)."""
        logger.info("%s %s", self.address_string(), format % args)

    def _serve(self, head: bool) -> None:
        path = request_path(self.path)
        if path == "/config.js":
            body = self.server.settings.config_js().encode("utf-8")
            self.send_response(HTTPStatus.OK)
            self._send_body(body, CONTENT_TYPES[".js"], head)
            return
        if path == "/healthz":
            self.send_response(HTTPStatus.OK)
            self._send_body(b"ok\n", CONTENT_TYPES[".txt"], head)
            return
        file = resolve(self.server.settings.root, path)
        if file is None:
            self.send_response(HTTPStatus.NOT_FOUND)
            self._send_body(b"Not found\n", CONTENT_TYPES[".txt"], head)
            return
        body = file.read_bytes()
        self.send_response(HTTPStatus.OK)
        if file.suffix in COMPRESSIBLE:
            self.send_header("Vary", "Accept-Encoding")
            if len(body) >= MIN_COMPRESS_BYTES and accepts_gzip(
                self.headers.get("Accept-Encoding")
            ):
                body = self.server.compressed.get(file, body)
                self.send_header("Content-Encoding", "gzip")
        self._send_body(body, CONTENT_TYPES[file.suffix], head)

    def _send_body(self, body: bytes, content_type: str, head: bool) -> None:
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)


def request_path(raw: str) -> Optional[str]:
    """The decoded path of a request target, or None when it cannot be one of ours."""
    try:
        path = unquote(urlsplit(raw).path, errors="strict")
    except (UnicodeDecodeError, ValueError):
        return None
    if not path.startswith("/") or "\x00" in path or "\\" in path:
        return None
    return path


def resolve(root: Path, path: Optional[str]) -> Optional[Path]:
    """The file under ``root`` that ``path`` names, or None when it must not be served.

    Refused: ``..`` and dotfile segments, private folders, unknown file types, and
    anything whose real location (after symlinks) is outside ``root``.
    """
    if path is None:
        return None
    if path.endswith("/"):
        path += "index.html"
    parts = [part for part in path.split("/") if part]
    if not parts or parts[0] in PRIVATE_DIRS or any(p.startswith(".") for p in parts):
        return None
    base = root.resolve()
    file = base.joinpath(*parts).resolve()
    if not file.is_relative_to(base) or not file.is_file():
        return None
    if file.suffix not in CONTENT_TYPES:
        return None
    return file


def make_server(host: str, port: int, settings: Optional[WebSettings] = None) -> PageServer:
    """Creates (binds, does not start) the page server."""
    return PageServer((host, port), settings or WebSettings.from_env())
