"""End to end over REST (needs the trained model): a conversation survives a restart of
the Rasa server, and "delete my data" leaves nothing of it in the database file."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import servers

pytestmark = [pytest.mark.model, pytest.mark.server, pytest.mark.timeout(600)]

WORDS = "i keep rereading our old texts from march 8c2e"


def user_texts(tracker: dict) -> list:
    return [e.get("text") for e in tracker.get("events", []) if e.get("event") == "user"]


def test_restart_keeps_the_conversation_and_delete_leaves_nothing(
    model_path: Path, tmp_path: Path
) -> None:
    db = tmp_path / "harbor.db"
    url = f"sqlite:///{db}"
    sender = "privacy-e2e"
    actions = servers.action_server(name="actions-privacy-e2e", DATABASE_URL=url).start()
    action_url = f"{actions.url}/webhook"
    rasa = servers.rasa_server(model_path, action_url, url, name="rasa-privacy-e2e")
    try:
        rasa.start()
        assert servers.RestClient(rasa.url).send(sender, WORDS), "the bot answered"
        rasa.stop()

        rasa = servers.rasa_server(model_path, action_url, url, name="rasa-privacy-e2e-2")
        rasa.start()
        client = servers.RestClient(rasa.url)
        assert WORDS in user_texts(client.tracker(sender)), "the restart kept the conversation"

        confirm = client.send(sender, "/delete_my_data")
        assert any(reply.get("buttons") for reply in confirm), "a yes/no confirmation first"
        assert WORDS in user_texts(client.tracker(sender)), "nothing deleted before the yes"

        done = " ".join(reply.get("text", "") for reply in client.send(sender, "/affirm"))
        assert "gone" in done
        assert user_texts(client.tracker(sender)) == []
    finally:
        rasa.stop()
        actions.stop()
    assert WORDS.encode() not in db.read_bytes()
