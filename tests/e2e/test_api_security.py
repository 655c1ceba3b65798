"""The Rasa server as `make run` starts it (scripts/serve-rasa.sh) with an API token.

Rasa's HTTP API can read and rewrite any conversation, so outside local development it must
demand the token, while the chat channels people use stay open.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Iterator

import pytest
import requests

from tests import servers

pytestmark = [pytest.mark.server, pytest.mark.model, pytest.mark.timeout(300)]

TOKEN = f"t{uuid.uuid4().hex}"


@pytest.fixture(scope="module")
def guarded(model_path: Path) -> Iterator[str]:
    """serve-rasa.sh on a free loopback port with HARBOR_API_TOKEN set (no action server)."""
    port = servers.free_port()
    process = servers.Process(
        name="api-token-rasa",
        args=["bash", "scripts/serve-rasa.sh"],
        env=servers.base_env(
            HARBOR_API_TOKEN=TOKEN,
            HARBOR_HOST="127.0.0.1",
            RASA_PORT=str(port),
            DATABASE_URL="sqlite://",
            ACTION_ENDPOINT_URL="http://127.0.0.1:9/webhook",
        ),
        url=f"http://127.0.0.1:{port}",
        health_path="/",  # the only route that answers without the token
    ).start()
    try:
        yield process.url
    finally:
        process.stop()


def test_the_api_refuses_requests_without_the_token(guarded: str) -> None:
    person = f"api-{uuid.uuid4().hex[:8]}"
    for path in ("/status", f"/conversations/{person}/tracker"):
        assert requests.get(guarded + path, timeout=10).status_code == 401, path
    wrong = requests.get(f"{guarded}/status", params={"token": "wrong"}, timeout=10)
    assert wrong.status_code == 401
    right = requests.get(f"{guarded}/status", params={"token": TOKEN}, timeout=10)
    assert right.status_code == 200


def test_people_can_still_chat_over_rest(guarded: str) -> None:
    replies = servers.RestClient(guarded).send(f"api-{uuid.uuid4().hex[:8]}", "i want to die")
    assert any("988" in reply.get("text", "") for reply in replies)
