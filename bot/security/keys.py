"""Harbor's secrets: from the environment, or random ones kept in ``var/`` (mode 0600).

Every secret has an environment variable and a file name. The variable wins; without it the
first process that needs the secret creates the file with fresh random bytes (``var/`` is
0700, the file 0600, created atomically so two processes starting together agree), and every
later process reads it. Nothing here is read at import time and no secret is ever passed on a
command line (``/proc/<pid>/cmdline`` is readable by every local user).

| secret | variable | file |
|---|---|---|
| HTTP API token | ``HARBOR_API_TOKEN`` | ``var/api-token`` |
| Rasa → action server secret | ``HARBOR_ACTION_SECRET`` | ``var/action-secret`` |
| session-id signing key | ``HARBOR_SESSION_SECRET`` | ``var/session-secret`` |
| data key(s) for text at rest | ``HARBOR_DATA_KEYS`` | ``var/data-key`` |
| log pseudonym salt | ``HARBOR_LOG_SALT`` | ``var/log-salt`` |
"""

from __future__ import annotations

import base64
import hmac
import os
import secrets
import stat
from pathlib import Path
from typing import Callable, Optional

DEFAULT_VAR_DIR = "var"


def var_dir() -> Path:
    """Harbor's private folder (``HARBOR_VAR_DIR``, default ``var`` in the working directory).

    Created 0700 when missing; an existing folder is tightened to 0700.
    """
    path = Path(os.environ.get("HARBOR_VAR_DIR", "").strip() or DEFAULT_VAR_DIR)
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    private_dir(path)
    return path


def private_dir(path: Path) -> None:
    """Makes ``path`` (a folder we own) readable by its owner only."""
    try:
        if stat.S_IMODE(path.stat().st_mode) != 0o700:
            path.chmod(0o700)
    except PermissionError:  # not ours (e.g. /tmp): leave it
        pass


def _urlsafe(nbytes: int) -> Callable[[], str]:
    return lambda: secrets.token_urlsafe(nbytes)


def _fernet_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode("ascii")


def read_or_create(name: str, make: Callable[[], str]) -> str:
    """The content of ``var/<name>``, creating it (0600, atomically) from ``make()`` if absent."""
    path = var_dir() / name
    try:
        return _read(path)
    except FileNotFoundError:
        pass
    temporary = path.with_name(f".{name}.{secrets.token_hex(6)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w") as handle:
            handle.write(make() + "\n")
        try:
            os.link(temporary, path)  # fails if another process got there first
        except FileExistsError:
            pass
    finally:
        temporary.unlink(missing_ok=True)
    return _read(path)


def _read(path: Path) -> str:
    value = path.read_text(encoding="ascii").strip()
    if stat.S_IMODE(path.stat().st_mode) & 0o077:
        path.chmod(0o600)  # never leave a secret readable by others
    if not value:
        raise ValueError(f"{path} is empty; delete it to get a new one")
    return value


def _secret(variable: str, file_name: str, make: Callable[[], str]) -> str:
    value = os.environ.get(variable, "").strip()
    return value or read_or_create(file_name, make)


def api_token() -> str:
    """The token Rasa's HTTP API demands (``HARBOR_API_TOKEN`` or ``var/api-token``)."""
    return _secret("HARBOR_API_TOKEN", "api-token", _urlsafe(32))


def action_secret() -> str:
    """The secret Rasa sends the action server (``HARBOR_ACTION_SECRET``/``var/action-secret``)."""
    return _secret("HARBOR_ACTION_SECRET", "action-secret", _urlsafe(32))


def session_secret() -> bytes:
    """The key that signs web session ids (``HARBOR_SESSION_SECRET`` or ``var/session-secret``)."""
    return _secret("HARBOR_SESSION_SECRET", "session-secret", _urlsafe(32)).encode("utf-8")


def data_keys() -> list[str]:
    """Fernet keys for text at rest, newest first (``HARBOR_DATA_KEYS`` or ``var/data-key``).

    ``HARBOR_DATA_KEYS`` may list several keys separated by commas: the first encrypts,
    all of them decrypt (key rotation, docs/security.md).
    """
    raw = _secret("HARBOR_DATA_KEYS", "data-key", _fernet_key)
    return [key.strip() for key in raw.replace("\n", ",").split(",") if key.strip()]


def log_salt() -> str:
    """The salt of log pseudonyms (``HARBOR_LOG_SALT`` or ``var/log-salt``)."""
    return _secret("HARBOR_LOG_SALT", "log-salt", _urlsafe(24))


def token_matches(given: Optional[str], expected: str) -> bool:
    """Constant-time comparison; an empty expected token matches nothing."""
    if not expected or not isinstance(given, str) or not given:
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))
