"""scripts/serve-rasa.sh refuses settings that would expose conversations or mix them up."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Dict

ROOT = Path(__file__).resolve().parents[2]


def _serve(**env: str) -> subprocess.CompletedProcess:
    base: Dict[str, str] = {k: v for k, v in os.environ.items() if not k.startswith("HARBOR_")}
    base.pop("LOCK_STORE_URL", None)
    base.pop("SANIC_WORKERS", None)
    base.update(env)
    return subprocess.run(
        ["bash", "scripts/serve-rasa.sh"],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_public_interface_without_an_api_token_is_refused() -> None:
    result = _serve(HARBOR_HOST="0.0.0.0")
    assert result.returncode == 1
    assert "without HARBOR_API_TOKEN" in result.stderr


def test_several_workers_without_a_shared_lock_store_are_refused() -> None:
    result = _serve(SANIC_WORKERS="2")
    assert result.returncode == 1
    assert "without LOCK_STORE_URL" in result.stderr


def test_a_public_interface_without_a_rest_token_is_refused() -> None:
    """REST is for trusted integrations: beyond loopback it needs HARBOR_REST_TOKEN too."""
    result = _serve(HARBOR_HOST="10.0.0.11", HARBOR_API_TOKEN="from-the-secret-store")
    assert result.returncode == 1
    assert "without HARBOR_REST_TOKEN" in result.stderr


def test_secrets_are_refused_on_the_command_line() -> None:
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "bot.server.rasa_server", "--auth-token", "visible-to-everyone"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "never on a command line" in result.stderr
