"""Starts real Harbor processes (Rasa server, action server) on free loopback ports for tests.

The command lines and process settings come from ``bot.server.launch`` (through
``bench.procs``), the one description ``make`` serves with too.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Tuple

import requests

from bench.procs import action_server_args, api_params, free_port, quiet_env, rasa_run_args
from bot.server.launch import SERVERS

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
LOG_DIR = ROOT / "tests" / "artifacts" / "logs"


def newest_model() -> Optional[Path]:
    """Returns the newest trained model in models/, if any."""
    models = sorted((ROOT / "models").glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    return models[-1] if models else None


def base_env(**overrides: str) -> Dict[str, str]:
    """The environment a Harbor process gets in tests: what the bench serves with, on loopback.

    One set of defaults for both (``bench.procs.quiet_env``): Telegram off and offline, the
    test session's own random secrets (API token, action secret, session and data keys), no
    inherited workers or lock store, one TensorFlow thread, backlog 1024.
    """
    return quiet_env(**{"SANIC_HOST": "127.0.0.1", **overrides})


@dataclass
class Process:
    """A server process started for a test, with the URL it answers on."""

    name: str
    args: List[str]
    env: Dict[str, str]
    url: str
    health_path: str
    popen: Optional[subprocess.Popen] = field(default=None, repr=False)

    def start(self, timeout: float = 180.0) -> "Process":
        """Starts the process and waits until its health URL answers 200."""
        LOG_DIR.mkdir(parents=True, exist_ok=True)
        log = open(LOG_DIR / f"{self.name}.log", "ab")  # noqa: SIM115 (closed with the process)
        self.popen = subprocess.Popen(
            self.args, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.popen.poll() is not None:
                raise RuntimeError(f"{self.name} exited early; see {LOG_DIR / self.name}.log")
            try:
                answer = requests.get(self.url + self.health_path, params=api_params(), timeout=2)
                if answer.status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"{self.name} did not answer within {timeout} s")

    def stop(self) -> None:
        """Stops the process (and waits for it)."""
        if self.popen is None or self.popen.poll() is not None:
            return
        self.popen.terminate()
        try:
            self.popen.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait()

    @property
    def running(self) -> bool:
        """Whether the process is alive."""
        return self.popen is not None and self.popen.poll() is None


def action_server(name: str = "actions", **env: str) -> Process:
    """An action server on a free port (not started)."""
    port = free_port()
    return Process(
        name=name,
        args=action_server_args(port),
        env=base_env(**env),
        url=f"http://127.0.0.1:{port}",
        health_path=SERVERS["actions"].health_path,
    )


def rasa_server(
    model: Path, action_url: str, database_url: str, name: str = "rasa", **env: str
) -> Process:
    """A Rasa server with ``model`` on a free port (not started)."""
    port = free_port()
    args = rasa_run_args(model, port)
    return Process(
        name=name,
        args=args,
        env=base_env(ACTION_ENDPOINT_URL=action_url, DATABASE_URL=database_url, **env),
        url=f"http://127.0.0.1:{port}",
        health_path=SERVERS["rasa"].health_path,
    )


@contextlib.contextmanager
def own_stack(model: Path, database_url: str, name: str) -> Iterator[Tuple[Process, Process]]:
    """An action server and a Rasa server of a test module's own, sharing one database.

    For a module that stops or kills one of them: ``<name>-actions`` and ``<name>-rasa``,
    both stopped afterwards.

    Yields:
        The action server and the Rasa server, both up.
    """
    actions = action_server(f"{name}-actions", DATABASE_URL=database_url).start()
    rasa = rasa_server(model, f"{actions.url}/webhook", database_url, name=f"{name}-rasa")
    try:
        rasa.start()
        yield actions, rasa
    finally:
        rasa.stop()
        actions.stop()


class RestClient:
    """Talks to a Rasa server over the REST channel, as a person's client would."""

    def __init__(self, base_url: str) -> None:
        """Remembers the server's base URL."""
        self.base_url = base_url

    def send(self, sender: str, message: str, timeout: float = 30.0) -> List[Dict[str, Any]]:
        """Sends one message and returns the bot's replies."""
        response = requests.post(
            f"{self.base_url}/webhooks/rest/webhook",
            json={"sender": sender, "message": message},
            timeout=timeout,
        )
        response.raise_for_status()
        return response.json()

    def texts(self, sender: str, message: str) -> str:
        """Sends one message and returns the replies' text joined by newlines."""
        return "\n".join(reply.get("text", "") for reply in self.send(sender, message))

    def parse(self, text: str) -> Dict[str, Any]:
        """Runs NLU only (``/model/parse``, with the API token)."""
        response = requests.post(
            f"{self.base_url}/model/parse", params=api_params(), json={"text": text}, timeout=30
        )
        response.raise_for_status()
        return response.json()

    def tracker(self, sender: str) -> Dict[str, Any]:
        """Returns the stored conversation of REST ``sender`` (conversation ``rest:<sender>``)."""
        response = requests.get(
            f"{self.base_url}/conversations/{conversation_id(sender)}/tracker",
            params=api_params(),
            timeout=30,
        )
        response.raise_for_status()
        return response.json()


def conversation_id(sender: str) -> str:
    """The conversation id Harbor's REST channel stores a sender's messages under."""
    return f"rest:{sender}"
