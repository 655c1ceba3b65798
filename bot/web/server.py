"""A small static server for the chat page (stdlib ``http.server``, one thread per request).

It serves only the page's own files from ``web/`` (never ``node_modules/``, dotfiles or
anything outside the folder), a generated ``/config.js`` that tells the page where the
Rasa socket is, and ``/healthz``. Every response carries the security headers from
:class:`bot.web.settings.WebSettings`, including a Content-Security-Policy that allows
nothing but this server and the Rasa socket.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Optional, Tuple
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
# Folders under web/ that hold build inputs, not the page.
PRIVATE_DIRS = {"node_modules"}


class PageServer(ThreadingHTTPServer):
    """A threading HTTP server that carries the page settings to its handlers."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: Tuple[str, int], settings: WebSettings) -> None:
        """Binds ``address`` (port 0 picks a free one) and keeps ``settings``."""
        self.settings = settings
        super().__init__(address, PageHandler)

    @property
    def url(self) -> str:
        """The base URL the server answers on."""
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"


class PageHandler(BaseHTTPRequestHandler):
    """Answers GET/HEAD for the page's files; every other method gets 405."""

    server: PageServer
    server_version = "Harbor"
    sys_version = ""
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        """Serves a file, /config.js or /healthz."""
        self._serve(head=False)

    def do_HEAD(self) -> None:  # noqa: N802
        """Like GET, without the body."""
        self._serve(head=True)

    def _not_allowed(self) -> None:
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
        self.send_response(HTTPStatus.OK)
        self._send_body(file.read_bytes(), CONTENT_TYPES[file.suffix], head)

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
