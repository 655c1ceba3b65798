"""Who may read a conversation, tried as an attacker would against servers started as ``make
run`` starts them (scripts/serve-rasa.sh and scripts/serve-actions.sh) on loopback.

Rasa's HTTP API reads and rewrites every conversation, so it always needs its token, on
loopback too; the token comes from var/api-token (0600) and never appears on a command line.
The chat channels people use stay open as channels. The action server runs actions only for
Rasa. A REST sender can never reach another channel's person.
"""

from __future__ import annotations

import json
import stat
import uuid
from pathlib import Path
from typing import Dict, Iterator, List

import pytest
import requests

from bench.procs import descendants
from tests import servers

pytestmark = [pytest.mark.server, pytest.mark.model, pytest.mark.timeout(400)]

EVIL_ORIGIN = "http://evil.example"


class Served:
    """The servers as make run starts them, and what a test needs to attack them."""

    def __init__(self, rasa: servers.Process, actions: servers.Process, var: Path) -> None:
        self.rasa = rasa
        self.actions = actions
        self.var = var

    @property
    def url(self) -> str:
        return self.rasa.url

    @property
    def token(self) -> str:
        return (self.var / "api-token").read_text().strip()

    @property
    def action_secret(self) -> str:
        return (self.var / "action-secret").read_text().strip()


def _script_env(var: Path, database: str, **extra: str) -> Dict[str, str]:
    env = servers.base_env(HARBOR_VAR_DIR=str(var), DATABASE_URL=database, **extra)
    # As a fresh `make run`: no secret in the environment, so the servers make their own.
    for name in ("HARBOR_API_TOKEN", "HARBOR_ACTION_SECRET", "HARBOR_SESSION_SECRET"):
        env.pop(name, None)
    return env


@pytest.fixture(scope="module")
def served(model_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """serve-actions.sh and serve-rasa.sh on free loopback ports, secrets in a fresh var/."""
    folder = tmp_path_factory.mktemp("api-security")
    var = folder / "var"
    database = f"sqlite:///{folder / 'harbor.db'}"
    actions_port, rasa_port = servers.free_port(), servers.free_port()
    actions = servers.Process(
        name="security-actions",
        args=["bash", "scripts/serve-actions.sh"],
        env=_script_env(var, database, ACTIONS_PORT=str(actions_port)),
        url=f"http://127.0.0.1:{actions_port}",
        health_path="/health",
    ).start()
    rasa = servers.Process(
        name="security-rasa",
        args=["bash", "scripts/serve-rasa.sh"],
        env=_script_env(
            var,
            database,
            RASA_PORT=str(rasa_port),
            HARBOR_HOST="127.0.0.1",
            ACTION_ENDPOINT_URL=f"http://127.0.0.1:{actions_port}/webhook",
        ),
        url=f"http://127.0.0.1:{rasa_port}",
        health_path="/",  # the only API route that answers without the token
    )
    try:
        rasa.start()
        yield Served(rasa, actions, var)
    finally:
        rasa.stop()
        actions.stop()


def _rest(served: Served, sender: str, message: str) -> List[dict]:
    response = requests.post(
        f"{served.url}/webhooks/rest/webhook",
        json={"sender": sender, "message": message},
        timeout=60,
    )
    response.raise_for_status()
    return response.json()


# --- the HTTP API ------------------------------------------------------------------------


def test_make_run_creates_a_private_api_token(served: Served) -> None:
    token_file = served.var / "api-token"
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(served.var.stat().st_mode) == 0o700
    assert len(served.token) >= 32


def test_no_secret_is_on_any_command_line(served: Served) -> None:
    secrets = [served.token, served.action_secret]
    for process in (served.rasa, served.actions):
        for pid in [process.popen.pid, *descendants(process.popen.pid)]:
            try:
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
            except OSError:
                continue
            for secret in secrets:
                assert secret not in cmdline, f"a secret is readable in /proc/{pid}/cmdline"


def test_the_api_needs_the_token_on_loopback_too(served: Served) -> None:
    person = f"api-{uuid.uuid4().hex[:8]}"
    for path in ("/status", f"/conversations/rest:{person}/tracker", "/domain"):
        assert requests.get(served.url + path, timeout=10).status_code == 401, path
    wrong = requests.get(f"{served.url}/status", params={"token": "wrong"}, timeout=10)
    assert wrong.status_code == 401
    right = requests.get(f"{served.url}/status", params={"token": served.token}, timeout=10)
    assert right.status_code == 200


def test_a_text_plain_write_from_a_web_page_is_refused(served: Served) -> None:
    """The form a CSRF attack takes: no preflight, so the server itself must refuse it."""
    person = f"csrf-{uuid.uuid4().hex[:8]}"
    _rest(served, person, "hello")
    events = json.dumps([{"event": "slot", "name": "country", "value": "GB"}])
    url = f"{served.url}/conversations/rest:{person}/tracker/events"
    plain = {"Content-Type": "text/plain", "Origin": EVIL_ORIGIN}
    assert requests.post(url, data=events, headers=plain, timeout=10).status_code == 401
    with_token = requests.post(
        url, params={"token": served.token}, data=events, headers=plain, timeout=10
    )
    assert with_token.status_code == 415
    tracker = requests.get(
        f"{served.url}/conversations/rest:{person}/tracker",
        params={"token": served.token},
        timeout=10,
    ).json()
    assert tracker["slots"].get("country") != "GB", "the forged write changed nothing"
    # The webhook refuses a text/plain message from a page, too.
    webhook = requests.post(
        f"{served.url}/webhooks/rest/webhook",
        data=json.dumps({"sender": person, "message": "export my data"}),
        headers=plain,
        timeout=10,
    )
    assert webhook.status_code == 415


def test_a_foreign_host_header_is_refused(served: Served) -> None:
    """DNS rebinding: a page on evil.example resolving to 127.0.0.1 sends its own Host."""
    for path in ("/status", "/webhooks/rest/", "/"):
        answer = requests.get(
            served.url + path,
            params={"token": served.token},
            headers={"Host": "evil.example:5005"},
            timeout=10,
        )
        assert answer.status_code == 421, path
    assert requests.get(served.url + "/", headers={"Host": "localhost"}, timeout=10).ok


def test_the_api_sends_no_cors_headers_to_other_sites(served: Served) -> None:
    answer = requests.get(
        f"{served.url}/status",
        params={"token": served.token},
        headers={"Origin": EVIL_ORIGIN},
        timeout=10,
    )
    assert "access-control-allow-origin" not in {k.lower() for k in answer.headers}


def test_models_load_only_from_the_models_folder(served: Served, tmp_path: Path) -> None:
    outside = tmp_path / "evil.tar.gz"
    outside.write_bytes(b"not a model")
    for body in (
        {"model_file": str(outside)},
        {"model_file": "models/../tests/evil.tar.gz"},
        {"model_server": {"url": "http://evil.example/model.tar.gz"}},
    ):
        answer = requests.put(
            f"{served.url}/model", params={"token": served.token}, json=body, timeout=30
        )
        assert answer.status_code == 403, body
    status = requests.get(f"{served.url}/status", params={"token": served.token}, timeout=10)
    assert status.json()["model_file"], "the served model is still loaded"


# --- the channels, and whose conversation they reach -------------------------------------


def test_people_can_still_chat_over_rest_without_a_token(served: Served) -> None:
    replies = _rest(served, f"api-{uuid.uuid4().hex[:8]}", "i want to die")
    assert any("988" in reply.get("text", "") for reply in replies)


def test_a_rest_sender_cannot_reach_another_channel_s_person(served: Served) -> None:
    """Naming a Telegram chat or a web id as REST sender reaches only a REST conversation."""
    victim = "telegram:424242"
    words = f"my private words {uuid.uuid4().hex[:6]}"
    requests.post(
        f"{served.url}/conversations/{victim}/tracker/events",
        params={"token": served.token},
        json=[{"event": "user", "text": words, "parse_data": {"intent": {"name": "greet"}}}],
        timeout=30,
    ).raise_for_status()
    for sender in ("424242", "web:telegram:424242", "rest:telegram:424242"):
        replies = _rest(served, sender, "/export_my_data")
        assert words not in json.dumps(replies), sender
        assert {reply["recipient_id"] for reply in replies} == {f"rest:{sender}"}
    for spelling in ("telegram:424242", "TELEGRAM:424242"):
        refused = requests.post(
            f"{served.url}/webhooks/rest/webhook",
            json={"sender": spelling, "message": "/export_my_data"},
            timeout=30,
        )
        assert refused.status_code == 400, spelling


# --- the action server --------------------------------------------------------------------


def _action_call(sender: str) -> str:
    return json.dumps(
        {
            "next_action": "action_export_my_data",
            "sender_id": sender,
            "tracker": {"sender_id": sender, "slots": {}, "latest_message": {}, "events": []},
            "domain": {},
            "version": "3.6.21",
        }
    )


def test_the_action_server_runs_actions_only_for_rasa(served: Served) -> None:
    url = f"{served.actions.url}/webhook"
    call = _action_call("telegram:424242")
    for headers in (
        {"Content-Type": "text/plain", "Origin": EVIL_ORIGIN},  # a page's forged call
        {"Content-Type": "application/json"},  # a local program without the secret
        {"Content-Type": "application/json", "X-Harbor-Action-Secret": "guess"},
    ):
        answer = requests.post(url, data=call, headers=headers, timeout=30)
        assert answer.status_code == 403, headers
        assert "access-control-allow-origin" not in {k.lower() for k in answer.headers}
    preflight = requests.options(
        url,
        headers={"Origin": EVIL_ORIGIN, "Access-Control-Request-Method": "POST"},
        timeout=10,
    )
    assert "access-control-allow-origin" not in {k.lower() for k in preflight.headers}
    rasa_s_call = requests.post(
        url,
        data=call,
        headers={
            "Content-Type": "application/json",
            "X-Harbor-Action-Secret": served.action_secret,
        },
        timeout=30,
    )
    assert rasa_s_call.status_code == 200


def test_rasa_reaches_the_action_server_with_its_secret(served: Served) -> None:
    """A custom action (the craving flow) runs end to end: Rasa sends the right secret."""
    from bench.client import degraded_replies

    person = f"actions-{uuid.uuid4().hex[:8]}"
    replies = [
        reply.get("text", "") for reply in _rest(served, person, "i want to text him so bad")
    ]
    assert replies and not set(replies) & degraded_replies(), replies
    tracker = requests.get(
        f"{served.url}/conversations/rest:{person}/tracker",
        params={"token": served.token},
        timeout=10,
    ).json()
    ran = [e["name"] for e in tracker["events"] if e["event"] == "action"]
    assert "action_craving_start" in ran, ran
