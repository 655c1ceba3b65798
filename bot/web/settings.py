"""Settings of the chat page server, read from the environment with local defaults."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional
from urllib.parse import urlsplit

from bot.channels import limits
from bot.store import config as store_config

DEFAULT_EXIT_URL = "https://www.wikipedia.org"
SOCKETIO_PATH = "/socket.io"
WEB_ROOT = Path(__file__).resolve().parents[2] / "web"


@dataclass(frozen=True)
class WebSettings:
    """What the page server needs to know.

    Attributes:
        root: the folder holding index.html, CSS, JS and vendor/.
        rasa_url: the Rasa server's public origin, where the page opens its socket.
        exit_url: where "quick exit" leaves for (a neutral site).
        max_chars: the longest message the page lets a person send.
        frame_ancestors: origins allowed to embed the page in an iframe (none by default).
        retention_days: how long the server keeps a conversation (None: until deleted); the
            page says so, and drops a copy kept on the device after that long unused.
    """

    root: Path
    rasa_url: str
    exit_url: str
    max_chars: int
    frame_ancestors: List[str]
    retention_days: Optional[int] = store_config.DEFAULT_RETENTION_DAYS

    @classmethod
    def from_env(cls) -> "WebSettings":
        """Reads ``RASA_PUBLIC_URL`` (default ``http://127.0.0.1:${RASA_PORT:-5005}``),
        ``HARBOR_EXIT_URL``, ``HARBOR_MAX_MESSAGE_CHARS``, ``HARBOR_FRAME_ANCESTORS``
        (space-separated origins), ``HARBOR_WEB_ROOT`` and ``HARBOR_RETENTION_DAYS``."""
        port = os.environ.get("RASA_PORT") or "5005"
        rasa_url = os.environ.get("RASA_PUBLIC_URL") or f"http://127.0.0.1:{port}"
        return cls(
            root=Path(os.environ.get("HARBOR_WEB_ROOT") or WEB_ROOT),
            rasa_url=origin_of(rasa_url),
            exit_url=http_url(os.environ.get("HARBOR_EXIT_URL") or DEFAULT_EXIT_URL),
            max_chars=limits.max_message_chars(),
            frame_ancestors=[
                origin_of(item) for item in os.environ.get("HARBOR_FRAME_ANCESTORS", "").split()
            ],
            retention_days=retention_days(),
        )

    def content_security_policy(self) -> str:
        """Only this server and the Rasa socket; nothing else may load or connect.

        Pictures may also come from the Rasa server (a progress chart) or be inline.
        """
        socket_origins = [self.rasa_url, websocket_origin(self.rasa_url)]
        ancestors = " ".join(self.frame_ancestors) or "'none'"
        return "; ".join(
            [
                "default-src 'none'",
                "script-src 'self'",
                "style-src 'self'",
                f"img-src 'self' data: {self.rasa_url}",
                "font-src 'self'",
                "manifest-src 'self'",
                "connect-src 'self' " + " ".join(socket_origins),
                "base-uri 'none'",
                "form-action 'none'",
                f"frame-ancestors {ancestors}",
            ]
        )

    def security_headers(self) -> Dict[str, str]:
        """Headers sent with every response."""
        headers = {
            "Content-Security-Policy": self.content_security_policy(),
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",
            "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
            "Cross-Origin-Resource-Policy": "same-origin",
            # Shared devices: keep nothing in the browser's cache.
            "Cache-Control": "no-store",
        }
        if not self.frame_ancestors:
            headers["X-Frame-Options"] = "DENY"
            headers["Cross-Origin-Opener-Policy"] = "same-origin"
        return headers

    def config_js(self) -> str:
        """The script that tells the page where the Rasa socket is."""
        config = {
            "socketUrl": self.rasa_url,
            "socketPath": SOCKETIO_PATH,
            "maxChars": self.max_chars,
            "exitUrl": self.exit_url,
            "retentionDays": self.retention_days or 0,
        }
        body = json.dumps(config, ensure_ascii=True).replace("<", "\\u003c")
        return f"window.HARBOR_CONFIG = Object.freeze({body});\n"


def retention_days() -> Optional[int]:
    """``HARBOR_RETENTION_DAYS`` for the page's words, or None when off or mistyped.

    A mistyped setting must not keep the page (and its offline SOS) from starting; the
    page then names no number of days.
    """
    try:
        return store_config.retention_days()
    except ValueError:
        return None


def origin_of(url: str) -> str:
    """``scheme://host[:port]`` of an http(s) URL.

    Raises:
        ValueError: ``url`` is not an http(s) URL with a host.
    """
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an http(s) URL: {url!r}")
    return f"{parts.scheme}://{parts.netloc.rsplit('@', 1)[-1]}"


def http_url(url: str) -> str:
    """``url`` itself when it is an http(s) URL (so it is safe for ``location.replace``)."""
    origin_of(url)
    return url.strip()


def websocket_origin(origin: str) -> str:
    """The ws:// or wss:// twin of an http(s) origin."""
    return "ws" + origin[len("http") :]
