"""Starts Rasa and action servers for the benchmark and reads what they cost.

Every process binds 127.0.0.1 on a free port. Start-up is timed from ``Popen`` to the first
REST reply (the moment a person could get an answer), and memory is read from
``/proc/<pid>/status`` (``VmHWM``: the peak resident set) for a process and its children,
because Sanic workers are child processes of the one we start.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional

from bot.server import launch

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# Secrets the servers this process starts share with it (and with each other): the API token
# the clients send, the Rasa -> action server secret, the session-signing key, the data key.
SECRET_VARIABLES = (
    "HARBOR_API_TOKEN",
    "HARBOR_ACTION_SECRET",
    "HARBOR_SESSION_SECRET",
    "HARBOR_DATA_KEYS",
    "HARBOR_LOG_SALT",
)


def shared_secrets() -> Dict[str, str]:
    """Random secrets, made once per bench or test process and kept in ``os.environ``."""
    import base64

    for name in SECRET_VARIABLES:
        if not os.environ.get(name):
            raw = secrets.token_bytes(32)
            value = (
                base64.urlsafe_b64encode(raw).decode() if name == "HARBOR_DATA_KEYS" else raw.hex()
            )
            os.environ[name] = value
    return {name: os.environ[name] for name in SECRET_VARIABLES}


def api_params() -> Dict[str, str]:
    """Query parameters that authenticate a client to the HTTP API of servers we started."""
    return {"token": shared_secrets()["HARBOR_API_TOKEN"]}


def quiet_env(**overrides: str) -> Dict[str, str]:
    """The environment for a served process: ours, quietened, plus ``overrides``."""
    shared_secrets()
    # The process settings make serves with (launch.PROCESS_DEFAULTS: one TensorFlow thread,
    # backlog 1024), the same for the starter bot for a fair ratio. Every variable
    # credentials.yml / endpoints.yml name must exist (scripts/env.sh sets them for make run);
    # Telegram stays off and nothing leaves the machine.
    env = launch.environment(
        os.environ,
        TF_CPP_MIN_LOG_LEVEL="3",
        RASA_TELEMETRY_ENABLED="false",
        TELEGRAM_TOKEN="",
        TELEGRAM_BOT_NAME="",
        TELEGRAM_WEBHOOK_URL="",
        TELEGRAM_SECRET_TOKEN="",
        TELEGRAM_API_SERVER="http://127.0.0.1:9",
    )
    env.setdefault("HARBOR_WEB_ORIGIN", "http://127.0.0.1:8080")
    env.setdefault("HARBOR_REST_TOKEN", "")  # REST open: every server here is on loopback
    env.setdefault("ACTION_ENDPOINT_URL", "http://127.0.0.1:9/webhook")
    for name in ("SANIC_WORKERS", "LOCK_STORE_URL", "ACTION_SERVER_SANIC_WORKERS"):
        env.pop(name, None)
    env.update({k: v for k, v in overrides.items() if v is not None})
    return env


def post_json(url: str, payload: dict, timeout: float = 10.0) -> tuple[int, object]:
    """POSTs JSON with the standard library; returns (status, decoded body or None)."""
    request = urllib.request.Request(
        url, data=json.dumps(payload).encode(), headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, None


def get_status(url: str, timeout: float = 2.0) -> int:
    """GETs ``url`` and returns the HTTP status, 0 when nothing answered."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except (OSError, ValueError):
        return 0


@dataclass
class Server:
    """One served process (Rasa or action server) and its measurements."""

    name: str
    args: List[str]
    env: Dict[str, str]
    port: int
    cwd: Path = ROOT
    log_path: Optional[Path] = None
    popen: Optional[subprocess.Popen] = field(default=None, repr=False)
    started_at: float = 0.0

    @property
    def url(self) -> str:
        """Base URL on loopback."""
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "Server":
        """Starts the process (returns at once; see the ``wait_*`` methods)."""
        log_dir = ROOT / "var" / "bench" / "logs"
        log_dir.mkdir(parents=True, exist_ok=True)
        self.log_path = log_dir / f"{self.name}.log"
        log = open(self.log_path, "ab")  # noqa: SIM115 (lives as long as the process)
        self.started_at = time.monotonic()
        self.popen = subprocess.Popen(
            self.args,
            cwd=self.cwd,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # so stop() can end Sanic's worker processes too
        )
        return self

    def wait_health(self, path: str, timeout: float = 240.0) -> float:
        """Waits until ``path`` answers 200; returns seconds since start."""
        return self._wait(lambda: get_status(self.url + path) == 200, timeout)

    def wait_first_answer(self, timeout: float = 240.0) -> float:
        """Waits for the first non-empty REST reply; returns seconds since start."""

        def answered() -> bool:
            try:
                status, body = post_json(
                    f"{self.url}/webhooks/rest/webhook",
                    {"sender": f"bench-first-{self.port}", "message": "hello"},
                    timeout=30,
                )
            except OSError:
                return False
            return status == 200 and isinstance(body, list) and len(body) > 0

        return self._wait(answered, timeout)

    def _wait(self, ready, timeout: float) -> float:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.popen is not None and self.popen.poll() is not None:
                raise RuntimeError(f"{self.name} exited early; see {self.log_path}")
            if ready():
                return round(time.monotonic() - self.started_at, 2)
            time.sleep(0.2)
        raise RuntimeError(
            f"{self.name} did not come up within {timeout:.0f} s; see {self.log_path}"
        )

    def pids(self) -> List[int]:
        """The process and all its descendants (Sanic workers)."""
        if self.popen is None:
            return []
        return [self.popen.pid, *descendants(self.popen.pid)]

    def peak_rss_mb(self) -> Dict[str, Optional[float]]:
        """Peak resident memory (VmHWM) of the process, its children, and their sum, in MB."""
        pids = self.pids()
        peaks = [peak_rss_kb(pid) for pid in pids]
        known = [p for p in peaks if p is not None]
        return {
            "main": _mb(peaks[0]) if peaks else None,
            "children": [_mb(p) for p in peaks[1:]],
            "total": _mb(sum(known)) if known else None,
        }

    def kill(self) -> None:
        """SIGKILLs the whole process group: a crash, not a shutdown."""
        if self.popen is None or self.popen.poll() is not None:
            return
        os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait()

    def stop(self) -> None:
        """Stops the process group gently, then firmly."""
        if self.popen is None or self.popen.poll() is not None:
            return
        os.killpg(self.popen.pid, signal.SIGTERM)
        try:
            self.popen.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.kill()


def descendants(pid: int) -> List[int]:
    """All descendants of ``pid``, read from /proc (no psutil needed)."""
    parents: Dict[int, List[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # Field 4 is the parent pid; the command name (field 2) may contain spaces.
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        parents.setdefault(ppid, []).append(int(entry.name))
    found, queue = [], [pid]
    while queue:
        for child in parents.get(queue.pop(), []):
            found.append(child)
            queue.append(child)
    return found


def peak_rss_kb(pid: int) -> Optional[int]:
    """``VmHWM`` of ``pid`` in kB, or None when the process is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def _mb(kb: Optional[int]) -> Optional[float]:
    return None if kb is None else round(kb / 1024.0, 1)


def rasa_server(
    name: str,
    model: Path,
    *,
    cwd: Path = ROOT,
    endpoints: str = "endpoints.yml",
    credentials: str = "credentials.yml",
    env: Optional[Dict[str, str]] = None,
    stock: bool = False,
) -> Server:
    """A Rasa server with the HTTP API and the channels in ``credentials`` (not started).

    ``stock``: plain ``rasa run`` (the starter bot) instead of Harbor's guarded server.
    """
    port = free_port()
    if stock:
        args = stock_rasa_run_args(model, port, credentials, endpoints)
    else:
        args = rasa_run_args(model, port, credentials, endpoints)
    return Server(name=name, args=args, env=quiet_env(**(env or {})), port=port, cwd=cwd)


def rasa_run_args(
    model: Path,
    port: int,
    credentials: str = "credentials.yml",
    endpoints: str = "endpoints.yml",
) -> List[str]:
    """Harbor's guarded Rasa server on 127.0.0.1:``port``, as ``bot.server.launch`` starts it.

    The API token travels in the environment (``HARBOR_API_TOKEN``), never on this command line.
    """
    extra = ["--model", str(model), "--credentials", credentials, "--endpoints", endpoints]
    return launch.command("rasa", port, extra=extra, python=str(VENV_BIN / "python"))


def stock_rasa_run_args(
    model: Path,
    port: int,
    credentials: str = "credentials.yml",
    endpoints: str = "endpoints.yml",
) -> List[str]:
    """Stock ``rasa run`` with the HTTP API on 127.0.0.1:``port`` (the starter bot)."""
    return [
        str(VENV_BIN / "rasa"), "run", "--enable-api", "--interface", "127.0.0.1",
        "--port", str(port), "--model", str(model),
        "--credentials", credentials, "--endpoints", endpoints,
    ]  # fmt: skip


def action_server(
    name: str, *, cwd: Path = ROOT, env: Optional[Dict[str, str]] = None, stock: bool = False
) -> Server:
    """An action server serving ``actions`` from ``cwd`` (not started).

    Harbor's (``bot.server.action_server``: loopback, Rasa's secret required) unless
    ``stock``: plain ``rasa run actions`` (the starter bot), kept on loopback by ``SANIC_HOST``.
    """
    port = free_port()
    args = action_server_args(port, stock)
    environment = quiet_env(SANIC_HOST="127.0.0.1", **(env or {}))
    return Server(name=name, args=args, env=environment, port=port, cwd=cwd)


def action_server_args(port: int, stock: bool = False) -> List[str]:
    """The command line of an action server on 127.0.0.1:``port``."""
    if stock:
        return [str(VENV_BIN / "rasa"), "run", "actions", "--actions", "actions", "-p", str(port)]
    return launch.command("actions", port, python=str(VENV_BIN / "python"))
