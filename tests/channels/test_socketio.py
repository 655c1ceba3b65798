"""Harbor's socket.io channel over a real socket: replies, rooms, pushes, CORS and bad input.

The client is python-socketio's AsyncClient on the polling transport (the pinned aiohttp
is too old for its WebSocket client); the browser tests cover the WebSocket transport.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
from dataclasses import dataclass
from typing import Any, AsyncIterator, Dict, List, Optional, Tuple

import aiohttp
import jwt
import pytest
import socketio
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.channels import limits
from bot.channels.socketio import HarborSocketIOInput, web_origins
from tests.channels.harness import Served, serving

ORIGIN = "http://127.0.0.1:8080"
WAIT = 15  # seconds before a missing event fails the test (a hang, not a slow reply)
UUID_HEX = re.compile(r"^[0-9a-f]{64}$")  # 128 random bits + 128 bits of HMAC


class Client:
    """A socket.io client that records what the server sends it."""

    def __init__(self, url: str, origin: str = ORIGIN, auth: Optional[Dict] = None) -> None:
        """Prepares (does not connect) a client for ``url``."""
        self.url = url
        self.origin = origin
        self.auth = auth
        self.sio = socketio.AsyncClient(reconnection=False)
        # A polite polling disconnect waits for the server's long-poll to end (about 30 s);
        # aborting sends the same close packet without waiting.
        polite = self.sio.eio.disconnect
        self.sio.eio.disconnect = lambda abort=False, reason=None: polite(True, reason)
        self.events: "asyncio.Queue[Tuple[str, Any]]" = asyncio.Queue()
        self.sio.on("bot_uttered", lambda data: self.events.put_nowait(("bot_uttered", data)))
        self.sio.on(
            "session_confirm", lambda data: self.events.put_nowait(("session_confirm", data))
        )
        self.disconnected = asyncio.Event()
        self.sio.on("disconnect", lambda *_: self.disconnected.set())

    async def connect(self) -> "Client":
        """Connects with the page's Origin header."""
        await self.sio.connect(
            self.url,
            headers={"Origin": self.origin},
            transports=["polling"],
            auth=self.auth,
            wait_timeout=WAIT,
        )
        return self

    async def next(self, event: str, timeout: float = WAIT) -> Any:
        """The next event's data; fails on any other event first, or after ``timeout`` seconds."""
        name, data = await asyncio.wait_for(self.events.get(), timeout)
        assert name == event, (name, data)
        return data

    async def session(self, session_id: Any = None) -> str:
        """Sends ``session_request`` and returns the confirmed session id."""
        await self.sio.emit("session_request", {"session_id": session_id})
        return await self.next("session_confirm")

    async def say(self, payload: Any) -> Dict[str, Any]:
        """Sends ``user_uttered`` and returns the next bot message."""
        await self.sio.emit("user_uttered", payload)
        return await self.next("bot_uttered")

    async def close(self) -> None:
        """Disconnects at once."""
        tasks = [self.sio.eio.read_loop_task, self.sio.eio.write_loop_task]
        if self.sio.connected:
            await self.sio.disconnect()
        for task in tasks:
            if task is not None and not task.done():
                task.cancel()


@dataclass
class Harbor:
    """The running app, its channel and its clients."""

    served: Served
    channel: HarborSocketIOInput
    clients: List[Client]

    async def client(self, origin: str = ORIGIN, auth: Optional[Dict] = None) -> Client:
        """A connected client (closed when the test ends)."""
        client = Client(self.served.url, origin, auth)
        self.clients.append(client)
        return await client.connect()

    @property
    def agent(self) -> Any:
        """The stub agent standing in for Rasa."""
        return self.served.agent


@pytest.fixture
async def harbor() -> AsyncIterator[Harbor]:
    """The channel mounted like Rasa mounts it, with Rasa's own CORS set for the page."""
    channel = HarborSocketIOInput.from_credentials({"cors_allowed_origins": ORIGIN})
    clients: List[Client] = []
    try:
        async with serving([channel], cors=ORIGIN) as served:
            yield Harbor(served, channel, clients)
    finally:
        # The server closed its sockets as it stopped; this only ends the clients' tasks.
        for client in clients:
            await client.close()


async def test_a_reply_reaches_the_page_of_a_persistent_session(harbor: Harbor) -> None:
    # rasa#13027: the stock channel never awaits enter_room, so this reply is lost.
    client = await harbor.client()
    session_id = await client.session()
    assert UUID_HEX.match(session_id)
    reply = await client.say({"message": "hello", "session_id": session_id})
    assert reply == {"text": "echo: hello"}
    [message] = harbor.agent.messages
    assert (message.sender_id, message.input_channel) == (session_id, "socketio")


async def test_a_page_reload_keeps_its_session(harbor: Harbor) -> None:
    first = await harbor.client()
    session_id = await first.session()
    await first.close()
    again = await harbor.client()
    assert await again.session(session_id) == session_id
    assert (await again.say({"message": "still me"}))["text"] == "echo: still me"
    assert harbor.agent.messages[-1].sender_id == session_id


@pytest.mark.parametrize(
    "asked",
    ["123456789", "", 42, "../../etc", "a" * 65, ["x"], None, "telegram:42", "f" * 64, "0" * 32],
)
async def test_an_odd_session_id_is_replaced_by_a_fresh_one(harbor: Harbor, asked: Any) -> None:
    client = await harbor.client()
    given = await client.session(asked)
    assert UUID_HEX.match(given) and given != asked


async def test_only_ids_the_server_signed_can_join_a_conversation(harbor: Harbor) -> None:
    """A second client naming someone's id it made up, or forged, hears none of their replies."""
    person = await harbor.client()
    mine = await person.session()
    intruder = await harbor.client()
    forged = mine[:32] + ("0" if mine[32] != "0" else "1") + mine[33:]  # same random, bad MAC
    for guess in (forged, "rest-" + mine[:40], mine[:32] * 2):
        assert await intruder.session(guess) != mine
    await person.say({"message": "my private words"})
    assert harbor.agent.messages[-1].sender_id == mine
    with pytest.raises(asyncio.TimeoutError):
        await intruder.next("bot_uttered", timeout=1.0)


async def test_another_server_s_ids_are_not_accepted(
    harbor: Harbor, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.security import sessions

    elsewhere = sessions.issue(b"another deployment's secret")
    client = await harbor.client()
    assert await client.session(elsewhere) != elsewhere


async def test_a_session_sending_too_fast_is_slowed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HARBOR_RATE_BURST", "2")
    monkeypatch.setenv("HARBOR_RATE_PER_MINUTE", "1")
    channel = HarborSocketIOInput.from_credentials({"cors_allowed_origins": ORIGIN})
    clients: List[Client] = []
    try:
        async with serving([channel], cors=ORIGIN) as served:
            flood = Client(served.url, ORIGIN, None)
            clients.append(flood)
            await flood.connect()
            await flood.session()
            replies = [(await flood.say({"message": f"m{i}"}))["text"] for i in range(3)]
            assert replies == ["echo: m0", "echo: m1", limits.say("channel.rate_limited")]
            crisis = (await flood.say({"message": "i want to kill myself"}))["text"]
            assert crisis != limits.say("channel.rate_limited") and "988" in crisis
            calm = Client(served.url, ORIGIN, None)
            clients.append(calm)
            await calm.connect()
            await calm.session()
            assert (await calm.say({"message": "hi"}))["text"] == "echo: hi"
            assert served.agent.texts == ["m0", "m1", "hi"]
    finally:
        for client in clients:
            await client.close()


async def test_a_message_cannot_name_another_conversation(harbor: Harbor) -> None:
    client = await harbor.client()
    mine = await client.session()
    other = "f" * 32
    await client.say({"message": "hi", "session_id": other})
    assert harbor.agent.messages[-1].sender_id == mine


async def test_a_socket_that_skips_session_request_still_gets_its_answer(harbor: Harbor) -> None:
    client = await harbor.client()
    made_up = "0123456789abcdef" * 2
    await client.sio.emit("user_uttered", {"message": "hi", "session_id": made_up})
    session_id = await client.next("session_confirm")
    assert UUID_HEX.match(session_id) and session_id != made_up
    assert (await client.next("bot_uttered"))["text"] == "echo: hi"
    # A late session_request without an id keeps that session instead of starting another.
    assert await client.session() == session_id


@pytest.mark.parametrize(
    "payload, reply",
    [
        ("just a string", limits.say("channel.unreadable")),
        (42, limits.say("channel.unreadable")),
        (None, limits.say("channel.unreadable")),
        ([1, 2, 3], limits.say("channel.unreadable")),
        (b"\x00\xff\xfe binary", limits.say("channel.unreadable")),
        ({"msg": "hi"}, limits.say("channel.unreadable")),
        ({"message": 5}, limits.say("channel.unreadable")),
        ({"message": {"text": "hi"}}, limits.say("channel.unreadable")),
        ({"message": b"hi"}, limits.say("channel.unreadable")),
        ({"message": ""}, limits.say("channel.empty")),
        ({"message": " \n\t "}, limits.say("channel.empty")),
        ({"message": "a" * 100_000}, limits.say("channel.too_long")),
    ],
)
async def test_bad_payloads_get_a_clear_reply_and_nothing_reaches_rasa(
    harbor: Harbor, payload: Any, reply: str
) -> None:
    client = await harbor.client()
    await client.session()
    assert await client.say(payload) == {"text": reply}
    assert harbor.agent.messages == []
    # The socket still works afterwards.
    assert (await client.say({"message": "ok"}))["text"] == "echo: ok"


async def test_metadata_as_object_or_json_string_reaches_rasa(harbor: Harbor) -> None:
    client = await harbor.client()
    await client.session()
    await client.say({"message": "a", "metadata": {"language": "en-GB"}})
    await client.say({"message": "b", "metadata": json.dumps({"language": "fr"})})
    await client.say({"message": "c", "metadata": "{not json"})
    await client.say({"message": "d", "metadata": [1, 2]})
    assert [m.metadata for m in harbor.agent.messages] == [
        {"language": "en-GB"},
        {"language": "fr"},
        {},
        {},
    ]


async def test_one_bot_response_is_one_event_with_buttons_and_custom(harbor: Harbor) -> None:
    harbor.agent.replies["crisis"] = [
        {
            "text": "You matter.\n\nCall or text 988.",
            "buttons": [{"title": "I'm safe", "payload": "/false_alarm"}],
            "custom": {"harbor": {"card": "crisis"}},
        }
    ]
    client = await harbor.client()
    await client.session()
    assert await client.say({"message": "crisis"}) == {
        "text": "You matter.\n\nCall or text 988.",
        "quick_replies": [{"content_type": "text", "title": "I'm safe", "payload": "/false_alarm"}],
        "custom": {"harbor": {"card": "crisis"}},
    }
    # Nothing else was queued in between: the next event answers the next message.
    assert (await client.say({"message": "next"}))["text"] == "echo: next"


async def test_a_pushed_message_reaches_every_page_of_the_session(harbor: Harbor) -> None:
    first = await harbor.client()
    session_id = await first.session()
    second = await harbor.client()  # the same chat open in a second tab
    await second.session(session_id)
    output = harbor.channel.get_output_channel()
    await output.send_response(session_id, {"text": "Checking in. How are you now?"})
    assert (await first.next("bot_uttered"))["text"] == "Checking in. How are you now?"
    assert (await second.next("bot_uttered"))["text"] == "Checking in. How are you now?"


async def test_a_pushed_message_reaches_a_page_that_reconnected(harbor: Harbor) -> None:
    gone = await harbor.client()
    session_id = await gone.session()
    await gone.close()
    back = await harbor.client()
    await back.session(session_id)
    await harbor.channel.get_output_channel().send_response(session_id, {"text": "ping"})
    assert (await back.next("bot_uttered"))["text"] == "ping"


async def test_only_the_page_origin_may_connect(harbor: Harbor) -> None:
    handshake = f"{harbor.served.url}/socket.io/?EIO=4&transport=polling"
    async with aiohttp.ClientSession() as session:
        async with session.get(handshake, headers={"Origin": ORIGIN}) as response:
            assert response.status == 200
            # Exactly one header: Rasa's own CORS must not add a second one.
            assert response.headers.getall("Access-Control-Allow-Origin") == [ORIGIN]
        async with session.get(handshake, headers={"Origin": "http://evil.example"}) as response:
            assert response.status == 400
            assert "Access-Control-Allow-Origin" not in response.headers
    with pytest.raises(socketio.exceptions.ConnectionError):
        await harbor.client(origin="http://evil.example")


async def test_a_failure_inside_rasa_is_answered_and_keeps_the_text_out_of_logs(
    harbor: Harbor, caplog: pytest.LogCaptureFixture
) -> None:
    harbor.agent.fail = True
    client = await harbor.client()
    await client.session()
    secret = "he said he would hurt me"
    with caplog.at_level(logging.DEBUG, logger="bot.channels.socketio"):
        assert await client.say({"message": secret}) == {"text": limits.say("channel.failure")}
    logged = [r for r in caplog.records if r.levelno >= logging.INFO]
    assert logged, "the failure must be logged"
    assert all(secret not in r.getMessage() for r in logged)


async def test_with_a_jwt_key_only_a_valid_token_connects() -> None:
    channel = HarborSocketIOInput.from_credentials(
        {"jwt_key": "k" * 32, "cors_allowed_origins": ORIGIN}
    )
    clients: List[Client] = []
    try:
        async with serving([channel]) as served:
            harbor = Harbor(served, channel, clients)
            for auth in (None, {"token": "nope"}, {"token": jwt.encode({"u": 1}, "x" * 32)}):
                with pytest.raises(socketio.exceptions.ConnectionError):
                    await harbor.client(auth=auth)
            token = jwt.encode({"user": "u"}, "k" * 32, algorithm="HS256")
            client = await harbor.client(auth={"token": token})
            await client.session()
            assert (await client.say({"message": "hi"}))["text"] == "echo: hi"
    finally:
        for client in clients:
            await client.close()


async def test_stopping_the_server_disconnects_its_pages() -> None:
    channel = HarborSocketIOInput.from_credentials({"cors_allowed_origins": ORIGIN})
    clients: List[Client] = []
    try:
        async with serving([channel]) as served:
            client = await Harbor(served, channel, clients).client()
            await client.session()
        # The page hears at once that the server went away, and can reconnect.
        await asyncio.wait_for(client.disconnected.wait(), WAIT)
    finally:
        for client in clients:
            await client.close()


def test_defaults_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HARBOR_WEB_ORIGIN", "https://chat.example.org/, http://127.0.0.1:9000")
    channel = HarborSocketIOInput.from_credentials(None)
    assert channel.cors_allowed_origins == ["https://chat.example.org", "http://127.0.0.1:9000"]
    assert channel.session_persistence is True
    monkeypatch.delenv("HARBOR_WEB_ORIGIN")
    assert web_origins() == ["http://127.0.0.1:8080"]


# Issue 7: whatever a client sends, it gets exactly one answer and the socket stays up.
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)
payloads = st.one_of(
    json_values,
    st.binary(max_size=256),
    st.fixed_dictionaries(
        {"message": st.one_of(st.text(max_size=300), json_values, st.binary(max_size=32))},
        optional={"session_id": json_values, "metadata": st.one_of(json_values, st.text())},
    ),
)


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(payload=payloads)
async def test_any_payload_gets_exactly_one_answer(harbor: Harbor, payload: Any) -> None:
    if not harbor.clients:
        await (await harbor.client()).session()
    client = harbor.clients[0]
    before = len(harbor.agent.messages)
    reply = await client.say(payload)
    text = reply["text"]
    if len(harbor.agent.messages) > before:
        assert text == f"echo: {harbor.agent.messages[-1].text}"
    else:
        # A hundred payloads in a burst also meet the per-session rate limit (tested on its
        # own above): that is still exactly one answer.
        keys = ("channel.unreadable", "channel.empty", "channel.too_long", "channel.rate_limited")
        assert text in [limits.say(key) for key in keys]
    assert client.sio.connected


@pytest.mark.redis
async def test_a_push_from_another_rasa_process_reaches_the_socket_through_redis() -> None:
    # Several Rasa processes: a reminder may fire in one while the socket is on another.
    url = os.environ.get("HARBOR_TEST_REDIS_URL")
    if not url:
        pytest.skip("HARBOR_TEST_REDIS_URL is not set (CI sets it)")
    credentials = {"cors_allowed_origins": ORIGIN, "redis_url": url}
    here = HarborSocketIOInput.from_credentials(credentials)
    there = HarborSocketIOInput.from_credentials(credentials)
    clients: List[Client] = []
    try:
        async with serving([here]) as served, serving([there]):
            harbor = Harbor(served, here, clients)
            client = await harbor.client()
            session_id = await client.session()
            output = there.get_output_channel()

            async def pushed() -> Any:
                # The listener subscribes in the background after connect: retry until heard.
                while True:
                    await output.send_response(session_id, {"text": "from the other process"})
                    try:
                        return await asyncio.wait_for(client.next("bot_uttered"), 0.5)
                    except asyncio.TimeoutError:
                        continue

            assert (await asyncio.wait_for(pushed(), WAIT))["text"] == "from the other process"
    finally:
        for client in clients:
            await client.close()
