"""Harbor's REST channel over real HTTP: what a client gets back, and what reaches Rasa."""

from __future__ import annotations

import json
import logging
from typing import Any, AsyncIterator, Optional, Tuple

import aiohttp
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.channels import limits
from bot.channels.rest import MAX_BODY_BYTES, HarborRestInput
from tests.channels.harness import Served, serving

TIMEOUT = aiohttp.ClientTimeout(total=20)


@pytest.fixture
async def harbor() -> AsyncIterator[Served]:
    """A Sanic app with the REST channel mounted like Rasa mounts it."""
    async with serving([HarborRestInput.from_credentials(None)]) as served:
        yield served


async def post(
    served: Served, body: Any = None, raw: Optional[bytes] = None, query: str = ""
) -> Tuple[int, Any]:
    """POSTs to the webhook; returns the status and the decoded JSON answer."""
    data = raw if raw is not None else json.dumps(body).encode("utf-8")
    async with aiohttp.ClientSession(timeout=TIMEOUT) as session:
        async with session.post(
            f"{served.url}/webhooks/rest/webhook{query}",
            data=data,
            headers={"Content-Type": "application/json"},
        ) as response:
            text = await response.text()
            try:
                return response.status, json.loads(text)
            except ValueError:
                return response.status, text


async def test_a_message_reaches_rasa_and_the_reply_comes_back(harbor: Served) -> None:
    status, answer = await post(harbor, {"sender": "u-1", "message": "hello"})
    assert status == 200
    assert answer == [{"recipient_id": "rest:u-1", "text": "echo: hello"}]
    [message] = harbor.agent.messages
    assert (message.text, message.sender_id, message.input_channel) == ("hello", "rest:u-1", "rest")


async def test_the_webhook_url_and_health_route_are_rasa_s(harbor: Served) -> None:
    async with aiohttp.ClientSession(timeout=TIMEOUT) as session:
        async with session.get(f"{harbor.url}/webhooks/rest/") as response:
            assert response.status == 200
            assert await response.json() == {"status": "ok"}


async def test_text_is_trimmed_and_control_characters_dropped(harbor: Served) -> None:
    status, _ = await post(harbor, {"sender": "u", "message": "  I miss\x00 him\x07 \n"})
    assert status == 200
    assert harbor.agent.texts == ["I miss him"]


async def test_emoji_only_messages_are_ordinary_messages(harbor: Served) -> None:
    status, answer = await post(harbor, {"sender": "u", "message": "💔😔"})
    assert status == 200
    assert answer[0]["text"] == "echo: 💔😔"


@pytest.mark.parametrize("message", ["", "   ", "\n\t \r\n", "\x00\x01"])
async def test_an_empty_message_is_a_400_with_a_clear_reason(harbor: Served, message: str) -> None:
    status, answer = await post(harbor, {"sender": "u", "message": message})
    assert status == 400
    assert answer["error"] == "empty_message"
    assert "empty" in answer["message"]
    assert harbor.agent.messages == []


async def test_a_100_kb_message_gets_a_friendly_answer_without_nlu(harbor: Served) -> None:
    status, answer = await post(harbor, {"sender": "u", "message": "a" * 100_000})
    assert status == 200
    assert answer == [{"recipient_id": "rest:u", "text": limits.say("channel.too_long")}]
    assert "send it in parts" in answer[0]["text"]
    assert harbor.agent.messages == []


async def test_the_length_limit_comes_from_the_environment(
    harbor: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HARBOR_MAX_MESSAGE_CHARS", "10")
    assert (await post(harbor, {"sender": "u", "message": "x" * 10}))[0] == 200
    status, answer = await post(harbor, {"sender": "u", "message": "x" * 11})
    assert status == 200 and answer[0]["text"] == limits.say("channel.too_long")
    assert harbor.agent.texts == ["x" * 10]


async def test_a_message_at_the_default_limit_goes_through(harbor: Served) -> None:
    text = "y" * limits.DEFAULT_MAX_MESSAGE_CHARS
    status, answer = await post(harbor, {"sender": "u", "message": text})
    assert status == 200 and answer[0]["text"] == f"echo: {text}"


@pytest.mark.parametrize(
    "raw, error",
    [
        (b"{not json", "invalid_json"),
        (b"[1, 2, 3]", "invalid_json"),
        (b'"hi"', "invalid_json"),
        (b"null", "invalid_json"),
        (b"", "empty_body"),
        (b'{"sender": "u", "message": "caf\xe9"}', "invalid_utf8"),
        (b"\xff\xfe\x00binary", "invalid_utf8"),
        (b"[" * 100_000, "invalid_json"),
    ],
)
async def test_a_body_that_is_not_a_json_object_is_a_400(
    harbor: Served, raw: bytes, error: str
) -> None:
    status, answer = await post(harbor, raw=raw)
    assert status == 400
    assert answer["error"] == error
    assert harbor.agent.messages == []


async def test_a_huge_body_is_refused_with_413(harbor: Served) -> None:
    raw = json.dumps({"sender": "u", "message": "z" * (MAX_BODY_BYTES + 10)}).encode()
    status, answer = await post(harbor, raw=raw)
    assert status == 413 and answer["error"] == "body_too_large"


@pytest.mark.parametrize(
    "body",
    [
        {"message": "hi"},
        {"sender": None, "message": "hi"},
        {"sender": "", "message": "hi"},
        {"sender": True, "message": "hi"},
        {"sender": ["u"], "message": "hi"},
        {"sender": {"id": "u"}, "message": "hi"},
        {"sender": "has space", "message": "hi"},
        {"sender": "x" * 129, "message": "hi"},
    ],
)
async def test_a_missing_or_odd_sender_is_a_400(harbor: Served, body: dict) -> None:
    status, answer = await post(harbor, body)
    assert status == 400 and answer["error"] == "invalid_sender"
    assert harbor.agent.messages == []


async def test_a_numeric_sender_is_accepted_as_text(harbor: Served) -> None:
    status, answer = await post(harbor, {"sender": 4242, "message": "hi"})
    assert status == 200 and answer[0]["recipient_id"] == "rest:4242"


@pytest.mark.parametrize("message", [None, 42, 1.5, True, ["hi"], {"text": "hi"}])
async def test_a_message_of_the_wrong_type_is_a_400(harbor: Served, message: Any) -> None:
    status, answer = await post(harbor, {"sender": "u", "message": message})
    assert status == 400 and answer["error"] == "invalid_message"


async def test_a_missing_message_is_a_400(harbor: Served) -> None:
    status, answer = await post(harbor, {"sender": "u"})
    assert status == 400 and answer["error"] == "missing_message"


async def test_a_lone_surrogate_is_not_text(harbor: Served) -> None:
    status, answer = await post(harbor, raw=b'{"sender": "u", "message": "\\ud800 hi"}')
    assert status == 400 and answer["error"] == "invalid_message"


async def test_metadata_must_be_an_object_and_reaches_rasa(harbor: Served) -> None:
    status, answer = await post(harbor, {"sender": "u", "message": "hi", "metadata": "x"})
    assert status == 400 and answer["error"] == "invalid_metadata"
    await post(harbor, {"sender": "u", "message": "hi", "metadata": {"language": "en-GB"}})
    assert harbor.agent.messages[-1].metadata == {"language": "en-GB"}


async def test_unknown_fields_are_ignored_and_the_channel_cannot_be_spoofed(
    harbor: Served,
) -> None:
    body = {"sender": "u", "message": "hi", "input_channel": "telegram", "extra": [1, 2]}
    status, _ = await post(harbor, body)
    assert status == 200
    assert harbor.agent.messages[-1].input_channel == "rest"


async def test_a_failure_inside_rasa_is_a_kind_200_and_keeps_the_text_out_of_logs(
    harbor: Served, caplog: pytest.LogCaptureFixture
) -> None:
    harbor.agent.fail = True
    secret = "my ex's address is 12 Elm Street"
    with caplog.at_level(logging.DEBUG, logger="bot.channels.rest"):
        status, answer = await post(harbor, {"sender": "u", "message": secret})
    assert status == 200
    assert answer == [{"recipient_id": "rest:u", "text": limits.say("channel.failure")}]
    logged = [r for r in caplog.records if r.levelno >= logging.INFO]
    assert logged, "the failure must be logged"
    assert all(secret not in r.getMessage() for r in logged)


async def test_streaming_still_works(harbor: Served) -> None:
    async with aiohttp.ClientSession(timeout=TIMEOUT) as session:
        async with session.post(
            f"{harbor.url}/webhooks/rest/webhook?stream=true",
            json={"sender": "u", "message": "hi"},
        ) as response:
            assert response.status == 200
            lines = [json.loads(line) for line in (await response.text()).splitlines() if line]
    assert lines == [{"recipient_id": "rest:u", "text": "echo: hi"}]


# Issue 7: any body at all gets a 2xx or 4xx, never a 5xx and never a hang.
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)
message_bodies = st.fixed_dictionaries(
    {},
    optional={
        "sender": st.one_of(st.text(max_size=140), st.integers(), json_values),
        "message": st.one_of(st.text(max_size=300), json_values),
        "metadata": json_values,
        "input_channel": json_values,
    },
)
raw_bodies = st.one_of(
    json_values.map(lambda v: json.dumps(v).encode()),
    message_bodies.map(lambda v: json.dumps(v).encode()),
    st.binary(max_size=512),
    st.text(max_size=300).map(lambda s: s.encode("utf-8", "surrogatepass")),
)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(raw=raw_bodies)
async def test_any_body_gets_a_2xx_or_4xx(harbor: Served, raw: bytes) -> None:
    status, answer = await post(harbor, raw=raw)
    assert 200 <= status < 500, (status, answer)
    if status >= 400:
        assert isinstance(answer, dict) and answer.get("error")
    else:
        assert isinstance(answer, list) and answer


def test_too_long_message_with_a_crisis_still_gets_crisis_lines() -> None:
    from bot.channels import limits

    text = "i keep thinking about him and everything he said. " * 200 + "i want to kill myself"
    checked = limits.check_text(text, limit=4000)
    assert checked.verdict is limits.Verdict.TOO_LONG
    assert "988" in checked.reply and "findahelpline.com" in checked.reply


def test_too_long_ordinary_message_asks_for_parts() -> None:
    from bot.channels import limits

    checked = limits.check_text("i miss him so much. " * 400, limit=4000)
    assert checked.reply == limits.say("channel.too_long")


def test_web_clients_cannot_speak_as_a_telegram_user() -> None:
    from bot.channels import limits

    assert limits.check_sender_id("telegram:12345") is None
    assert limits.check_sender_id("TELEGRAM:12345") is None
    assert limits.check_sender_id("web-abc:1") == "web-abc:1"


# --- whose conversation a REST request reaches -------------------------------------------


async def test_a_rest_sender_can_never_name_another_channel_s_person(harbor: Served) -> None:
    from bot.store.identity import split_sender_id

    for sender in ("42", "web:alice", "alice", "a3f9c2d1e4b5a6978877665544332211"):
        status, answer = await post(harbor, {"sender": sender, "message": "export my data"})
        assert status == 200
    people = {split_sender_id(message.sender_id) for message in harbor.agent.messages}
    # Every one of them is a REST person: not Telegram chat 42, not a web-page session.
    assert people == {
        ("rest", "42"), ("rest", "web:alice"), ("rest", "alice"),
        ("rest", "a3f9c2d1e4b5a6978877665544332211"),
    }  # fmt: skip


async def test_with_a_token_rest_requires_it() -> None:
    channel = HarborRestInput.from_credentials({"token": "integration-secret"})
    async with serving([channel]) as served:
        status, answer = await post(served, {"sender": "u", "message": "hi"})
        assert status == 401 and answer["error"] == "token_required"
        async with aiohttp.ClientSession(timeout=TIMEOUT) as session:
            for header, expected in (("Bearer wrong", 401), ("Bearer integration-secret", 200)):
                async with session.post(
                    f"{served.url}/webhooks/rest/webhook",
                    json={"sender": "u", "message": "hi"},
                    headers={"Authorization": header},
                ) as response:
                    assert response.status == expected, header
        assert served.agent.texts == ["hi"]


async def test_one_sender_flooding_is_slowed_and_others_are_not(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HARBOR_RATE_BURST", "3")
    monkeypatch.setenv("HARBOR_RATE_PER_MINUTE", "1")
    async with serving([HarborRestInput.from_credentials(None)]) as served:
        statuses = [
            (await post(served, {"sender": "flood", "message": f"m{i}"}))[0] for i in range(5)
        ]
        assert statuses == [200, 200, 200, 429, 429]
        status, answer = await post(served, {"sender": "flood", "message": "i want to kill myself"})
        assert status == 429
        waiting = limits.say("channel.rate_limited")
        assert answer[0]["text"] != waiting, "a crisis is never told to wait"
        assert "988" in answer[0]["text"] or "emergency" in answer[0]["text"].lower()
        status, _ = await post(served, {"sender": "calm", "message": "hi"})
        assert status == 200, "another person is not limited by the flood"
        assert served.agent.texts == ["m0", "m1", "m2", "hi"]
