"""The Bot API client against the fake server: results, errors, retries, files, loops."""

import asyncio
import json
import socket
from typing import AsyncIterator

import pytest

from bot.channels.telegram_api import TelegramApiError, TelegramBotApi
from tests.channels.fake_telegram import FakeTelegram

TOKEN = "123456:TEST-token_abc"


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    server = FakeTelegram(TOKEN)
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def api(fake: FakeTelegram) -> AsyncIterator[TelegramBotApi]:
    client = TelegramBotApi(TOKEN, fake.url + "/")
    yield client
    await client.close()


async def test_a_call_sends_json_and_returns_the_result(api, fake) -> None:
    result = await api.call("sendMessage", {"chat_id": 5, "text": "hello"})

    assert result["text"] == "hello"
    assert fake.of("sendMessage")[0].params == {"chat_id": 5, "text": "hello"}


async def test_a_refused_call_raises_with_telegrams_description(api, fake) -> None:
    fake.fail("sendMessage", 400, "Bad Request: chat not found")

    with pytest.raises(TelegramApiError) as raised:
        await api.call("sendMessage", {"chat_id": 5, "text": "x"})

    assert raised.value.error_code == 400
    assert "chat not found" in str(raised.value)


async def test_flood_control_is_retried_once(api, fake) -> None:
    fake.fail("sendMessage", 429, "Too Many Requests: retry after 0", retry_after=0, times=1)

    result = await api.call("sendMessage", {"chat_id": 5, "text": "x"})

    assert result["text"] == "x"
    assert len(fake.of("sendMessage")) == 2


async def test_a_long_flood_wait_is_not_slept_through(api, fake) -> None:
    fake.fail("sendMessage", 429, "Too Many Requests: retry after 300", retry_after=300)

    with pytest.raises(TelegramApiError) as raised:
        await api.call("sendMessage", {"chat_id": 5, "text": "x"})

    assert raised.value.retry_after == 300
    assert len(fake.of("sendMessage")) == 1


async def test_errors_never_contain_the_token(fake) -> None:
    wrong = TelegramBotApi("999:wrong-token", fake.url)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        nowhere = TelegramBotApi(TOKEN, f"http://127.0.0.1:{sock.getsockname()[1]}")
    not_an_api = TelegramBotApi(TOKEN, fake.url + "/elsewhere")

    errors = []
    for client in (wrong, nowhere, not_an_api):
        with pytest.raises(TelegramApiError) as raised:
            await client.call("getMe")
        errors.append(str(raised.value))
        await client.close()

    assert "Unauthorized" in errors[0]
    assert not any(TOKEN in error or "wrong-token" in error for error in errors)


async def test_a_document_is_uploaded_as_multipart(api, fake) -> None:
    await api.send_document(5, "harbor-export.json", b'{"a": 1}', caption="Your data")

    (call,) = fake.of("sendDocument")
    assert call.params == {"chat_id": "5", "caption": "Your data"}
    assert call.files["document"] == ("harbor-export.json", b'{"a": 1}')
    assert json.loads(call.files["document"][1]) == {"a": 1}


async def test_after_close_the_next_call_opens_a_new_session(api, fake) -> None:
    await api.call("getMe")
    await api.close()

    assert (await api.call("getMe"))["username"] == "harbor_bot"


def test_one_client_works_on_one_loop_after_another() -> None:
    """Stock Rasa's client dies with "Event loop is closed" here; ours reconnects."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = TelegramBotApi(TOKEN, f"http://127.0.0.1:{port}")

    async def one_round() -> str:
        fake = FakeTelegram(TOKEN)
        await fake.start(port)
        try:
            return (await client.call("getMe"))["username"]
        finally:
            await fake.stop()

    first = asyncio.run(one_round())
    second = asyncio.run(one_round())
    asyncio.run(client.close())

    assert first == second == "harbor_bot"
