"""What a person writes never reaches the servers' logs (Rasa and the action server)."""

from __future__ import annotations

import uuid

import pytest

from tests import servers

pytestmark = [pytest.mark.server, pytest.mark.model, pytest.mark.timeout(300)]


def test_message_text_stays_out_of_the_logs(
    rest: servers.RestClient, rasa_process: servers.Process, actions_process: servers.Process
) -> None:
    secret = f"zebra{uuid.uuid4().hex[:10]}"
    person = f"logs-{uuid.uuid4().hex[:8]}"
    # A craving turn runs custom actions and database writes; a crisis turn the safety path.
    assert rest.send(person, f"i want to text {secret} so bad right now")
    assert rest.send(person, "7")
    assert rest.send(person, f"i want to kill myself {secret}")
    for process in (rasa_process, actions_process):
        log = (servers.LOG_DIR / f"{process.name}.log").read_text(errors="replace")
        assert log, f"{process.name} wrote no log at all"
        assert secret not in log, f"a message's text appeared in {process.name}'s log"
