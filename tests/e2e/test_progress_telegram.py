"""Progress and the vault reminder on Telegram, with the real servers and a fake Bot API.

A person in the UK (their country gives their zone) rides out a craving by writing the
message here instead. ``/progress`` then sends a photo with a caption; the vault reminder
is scheduled for the next day in daytime where they are, and when it fires its text holds
none of the words they wrote.
"""

from __future__ import annotations

import asyncio
import threading
import time
from datetime import datetime
from typing import Any, Dict, Iterator, List, Optional

import pytest
import requests
from sqlalchemy import create_engine, text

from bench.procs import api_params
from bot.channels.telegram import SECRET_HEADER
from bot.reading.daytime import is_daytime
from tests import servers
from tests.channels.fake_telegram import Call, FakeTelegram
from tests.channels.test_telegram import CHAT, SECRET, TOKEN, callback_update, text_update
from tests.conftest import _session_db_url

pytestmark = [pytest.mark.model, pytest.mark.server]
VAULT_WORDS = ("marigold", "lighthouse", "7f3a", "laugh")


class ThreadedFake:
    """The fake Bot API on its own event loop in a thread (the servers are other processes)."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.fake = FakeTelegram(TOKEN)
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def start(self) -> "ThreadedFake":
        self.thread.start()
        asyncio.run_coroutine_threadsafe(self.fake.start(), self.loop).result(10)
        return self

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self.fake.stop(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)

    def calls(self, method: str) -> List[Call]:
        return list(self.fake.of(method))

    def wait(self, method: str, count: int, timeout: float = 60.0) -> List[Call]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.calls(method)
            if len(found) >= count:
                return found
            time.sleep(0.2)
        raise AssertionError(f"{method} was not called {count} times in {timeout} s")


@pytest.fixture(scope="module")
def telegram() -> Iterator[ThreadedFake]:
    fake = ThreadedFake().start()
    yield fake
    fake.stop()


@pytest.fixture(scope="module")
def rasa_telegram(model_path, actions_process, telegram: ThreadedFake) -> Iterator[servers.Process]:
    process = servers.rasa_server(
        model_path,
        f"{actions_process.url}/webhook",
        _session_db_url(),
        name="rasa-telegram",
        TELEGRAM_TOKEN=TOKEN,
        TELEGRAM_SECRET_TOKEN=SECRET,
        TELEGRAM_API_SERVER=telegram.fake.url,
    ).start()
    yield process
    process.stop()


def _post(rasa: servers.Process, update: Dict[str, Any]) -> None:
    answer = requests.post(
        f"{rasa.url}/webhooks/telegram/webhook",
        json=update,
        headers={SECRET_HEADER: SECRET},
        timeout=60,
    )
    assert answer.status_code == 200, answer.text


def _say(rasa: servers.Process, fake: ThreadedFake, words: str) -> List[Call]:
    before = len(fake.calls("sendMessage"))
    _post(rasa, text_update(words))
    return fake.calls("sendMessage")[before:]


def _press(rasa: servers.Process, fake: ThreadedFake, title: str) -> List[Call]:
    data = _button(fake, title)
    assert data is not None, f"no button {title!r} on screen"
    before = len(fake.calls("sendMessage"))
    _post(rasa, callback_update(data))
    return fake.calls("sendMessage")[before:]


def _button(fake: ThreadedFake, title: str) -> Optional[str]:
    for call in reversed(fake.calls("sendMessage")):
        rows = (call.params.get("reply_markup") or {}).get("inline_keyboard") or []
        for row in rows:
            for key in row:
                if title.lower() in key["text"].lower():
                    return key["callback_data"]
    return None


def test_progress_photo_and_a_daytime_vault_reminder_without_its_words(
    rasa_telegram: servers.Process, telegram: ThreadedFake
) -> None:
    conversation = f"telegram:{CHAT}"
    _say(rasa_telegram, telegram, "/start")
    _say(rasa_telegram, telegram, "i live in the uk")
    _say(rasa_telegram, telegram, "i want to text him so bad")
    _say(rasa_telegram, telegram, "8")
    _press(rasa_telegram, telegram, "Write it here instead")
    _say(rasa_telegram, telegram, "marigold lighthouse 7f3a i miss your laugh")
    reflected = _say(rasa_telegram, telegram, "3")
    assert any("3" in call.params["text"] for call in reflected), reflected

    _post(rasa_telegram, text_update("/progress"))
    (photo,) = telegram.wait("sendPhoto", 1)
    assert photo.params["chat_id"] == str(CHAT)
    assert "writing the message here" in photo.params["caption"]
    name, content = photo.files["photo"]
    assert content.startswith(b"\x89PNG") and len(content) >= 1024

    tracker = requests.get(
        f"{rasa_telegram.url}/conversations/{conversation}/tracker",
        params=api_params(),
        timeout=30,
    ).json()
    reminders = [
        e for e in tracker["events"]
        if e["event"] == "reminder" and e.get("intent") == "EXTERNAL_vault_revisit"
    ]
    assert reminders, "no vault reminder was scheduled"
    when = datetime.fromisoformat(reminders[-1]["date_time"])
    assert is_daytime(when, "Europe/London"), when

    # The next day has come: the entry is due, and Rasa fires the reminder.
    engine = create_engine(_session_db_url())
    with engine.begin() as connection:
        connection.execute(text("UPDATE vault_entries SET revisit_after = '2000-01-01 00:00:00'"))
    engine.dispose()
    before = len(telegram.calls("sendMessage"))
    fired = requests.post(
        f"{rasa_telegram.url}/conversations/{conversation}/trigger_intent",
        params={**api_params(), "output_channel": "telegram"},
        json={"name": "EXTERNAL_vault_revisit"},
        timeout=60,
    )
    assert fired.status_code == 200, fired.text
    notice = telegram.wait("sendMessage", before + 1)[before:]
    said = " ".join(call.params["text"] for call in notice).lower()
    assert said and not any(word in said for word in VAULT_WORDS), said
    shown = _press(rasa_telegram, telegram, "Show me")
    assert any("marigold" in call.params["text"] for call in shown)
