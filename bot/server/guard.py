"""The Rasa server's front door: Host check, API token, no CSRF-style writes, models/ only.

Rasa's HTTP API (``/conversations/…``, ``/model…``, ``/status``) reads and rewrites every
conversation, so it always needs the token, on loopback too (as Jupyter does): a page in the
person's browser, a DNS-rebinding site or another local program cannot use it. The channels
(``/webhooks/…``, ``/socket.io/``) are how people talk to Harbor and stay open as channels;
each checks its own input. Everything here is a pure function of the request, so the same
rules are tested without a server.
"""

from __future__ import annotations

import ipaddress
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional, Set
from urllib.parse import urlsplit

from bot.security.keys import token_matches

# People's channels: open (each channel checks its own input and callers).
CHANNEL_PREFIXES = ("/webhooks/", "/socket.io/")
# Rasa's "Hello from Rasa" (a health check that reveals nothing).
OPEN_PATHS = ("/",)
# Progress pictures: the unguessable, short-lived key in the path is the permission
# (bot/server/charts.py); read-only.
OPEN_READ_PREFIXES = ("/progress/chart/",)
# Content types a web page may POST cross-site without a CORS preflight.
SIMPLE_CONTENT_TYPES = ("text/plain", "application/x-www-form-urlencoded", "multipart/form-data")
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")


@dataclass(frozen=True)
class Refusal:
    """Why a request is refused: the HTTP status and a JSON-able explanation."""

    status: int
    error: str
    message: str


@dataclass
class Guard:
    """The rules for one server: its token, the host names it answers to, the models folder."""

    token: str
    allowed_hosts: Set[str] = field(default_factory=set)
    models_dir: Path = Path("models")

    def check(
        self,
        method: str,
        path: str,
        host: Optional[str],
        content_type: Optional[str],
        token: Optional[str],
        body: Optional[bytes] = None,
    ) -> Optional[Refusal]:
        """None when the request may go on, else the refusal."""
        if not host_allowed(host, self.allowed_hosts):
            # DNS rebinding: a page on evil.example resolving to 127.0.0.1 sends its own Host.
            return Refusal(421, "unknown_host", "This server does not answer to that host name.")
        if path.startswith(CHANNEL_PREFIXES):
            if path.startswith("/webhooks/rest/") and _is_simple_write(method, content_type):
                return Refusal(415, "json_required", "Send the message as application/json.")
            return None
        if path in OPEN_PATHS and method in ("GET", "HEAD", "OPTIONS"):
            return None
        if path.startswith(OPEN_READ_PREFIXES) and method in ("GET", "HEAD"):
            return None
        if not token_matches(token, self.token):
            return Refusal(401, "NotAuthenticated", "This API needs its token (?token=…).")
        if _is_simple_write(method, content_type):
            return Refusal(415, "json_required", "Writes to the API must be application/json.")
        if method == "PUT" and path.rstrip("/") == "/model":
            return self._check_model_request(body)
        return None

    def _check_model_request(self, body: Optional[bytes]) -> Optional[Refusal]:
        """``PUT /model`` may only name a model file inside ``models/``."""
        try:
            request = json.loads(body or b"{}")
        except ValueError:
            request = None
        if not isinstance(request, dict) or set(request) - {"model_file"}:
            return Refusal(403, "model_not_allowed", "Only a model_file in models/ can load.")
        if not model_path_allowed(request.get("model_file"), self.models_dir):
            return Refusal(403, "model_not_allowed", "Models load only from the models/ folder.")
        return None


def _is_simple_write(method: str, content_type: Optional[str]) -> bool:
    if method not in WRITE_METHODS:
        return False
    media = (content_type or "").split(";")[0].strip().lower()
    return media in SIMPLE_CONTENT_TYPES


def host_name(host: Optional[str]) -> Optional[str]:
    """The name part of a Host header (no port, no brackets), lower case."""
    if not host:
        return None
    host = host.strip().lower()
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else None
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def host_allowed(host: Optional[str], allowed: Set[str]) -> bool:
    """Whether a request's Host header names this server."""
    name = host_name(host)
    return name is not None and (name in LOOPBACK_NAMES or name in allowed)


def allowed_hosts(extra: Iterable[str] = ()) -> Set[str]:
    """Host names besides loopback: the bind interface, public URLs and ``HARBOR_ALLOWED_HOSTS``."""
    names: Set[str] = set()
    for value in (os.environ.get("HARBOR_HOST", ""), *extra):
        name = host_name(value)
        if name and name not in ("0.0.0.0", "::"):
            names.add(name)
    for variable in ("RASA_PUBLIC_URL", "TELEGRAM_WEBHOOK_URL"):
        url = os.environ.get(variable, "").strip()
        if url:
            name = urlsplit(url).hostname
            if name:
                names.add(name.lower())
    for item in os.environ.get("HARBOR_ALLOWED_HOSTS", "").split(","):
        name = host_name(item)
        if name:
            names.add(name)
    return names


def model_path_allowed(value: object, models_dir: Path) -> bool:
    """Whether ``value`` names an existing ``.tar.gz`` file inside ``models_dir``."""
    if not isinstance(value, str) or not value or "://" in value:
        return False
    folder = models_dir.resolve()
    path = Path(value)
    path = (path if path.is_absolute() else Path.cwd() / path).resolve()
    return path.parent == folder and path.name.endswith(".tar.gz") and path.is_file()


def is_loopback(interface: str) -> bool:
    """Whether ``interface`` only listens on this machine."""
    if interface == "localhost":
        return True
    try:
        return ipaddress.ip_address(interface).is_loopback
    except ValueError:
        return False
