"""Simulated people: REST and socket.io senders over loopback, timed, plus tracker checks.

Everything here is asyncio + aiohttp (python-socketio for the socket.io share). Load is
bounded twice: by wall time and by a turn count, so a slow server cannot make a run hang.
"""

from __future__ import annotations

import asyncio
import functools
import itertools
import os
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence

import aiohttp

from bench.procs import api_params

REQUEST_TIMEOUT_S = 30.0
SOCKET_QUIET_S = 0.3  # after the first bot_uttered, wait this long for more of the same turn


@dataclass
class Turn:
    """One user message and what came back."""

    sender: str
    text: str
    status: int  # HTTP status; 0 = no answer (timeout, refused); 200 for socket.io replies
    seconds: float
    replies: List[str] = field(default_factory=list)
    channel: str = "rest"
    error: str = ""  # why there was no answer (exception class), for the report
    # The conversation id the server stored the turn under: Harbor's REST channel names it
    # in its replies' recipient_id ("rest:<sender>"); stock Rasa uses the sender itself.
    conversation: str = ""

    @property
    def degraded(self) -> bool:
        """Answered, but with Harbor's "trouble on my side" line instead of a real reply."""
        return any(text in degraded_replies() for text in self.replies)

    @property
    def answered(self) -> bool:
        """A 200 with at least one bot message."""
        return self.status == 200 and bool(self.replies)


@dataclass
class LoadResult:
    """Every turn of a load run and how long the run took."""

    turns: List[Turn]
    elapsed: float
    sent: Dict[str, List[str]]  # conversation id -> the user texts sent to it, in order
    senders: int = 0
    owners: Dict[str, int] = field(default_factory=dict)  # conversation id -> person index

    def messages_per_person(self) -> Dict[int, int]:
        """How many messages each simulated person sent, over all their conversations."""
        counts: Dict[int, int] = {}
        for conversation, texts in self.sent.items():
            person = self.owners.get(conversation, -1)
            counts[person] = counts.get(person, 0) + len(texts)
        return counts

    @property
    def throughput(self) -> float:
        """Completed turns per second of wall time."""
        return round(len(self.turns) / self.elapsed, 2) if self.elapsed else 0.0

    def count(self, predicate) -> int:
        """How many turns satisfy ``predicate``."""
        return sum(1 for turn in self.turns if predicate(turn))

    def summary(self) -> Dict[str, object]:
        """Counts a reader needs: turns, errors by kind, throughput."""
        from bench.stats import summarize_ms

        return {
            "senders": self.senders,
            "turns": len(self.turns),
            "elapsed_s": round(self.elapsed, 2),
            "turns_per_s": self.throughput,
            "latency_ms": summarize_ms(t.seconds for t in self.turns if t.status == 200),
            "http_5xx": self.count(lambda t: t.status >= 500),
            "http_other_errors": self.count(lambda t: t.status != 200 and t.status < 500),
            "empty_replies": self.count(lambda t: t.status == 200 and not t.replies),
            "degraded_replies": self.count(lambda t: t.degraded),
            "no_answer_errors": dict(Counter(t.error for t in self.turns if t.error)),
            "conversations": len(self.sent),
        }


@functools.lru_cache(maxsize=1)
def degraded_replies() -> frozenset:
    """Harbor's own "something is wrong on my side" lines (action server or Rasa failed).

    Read on first use (the outage guard imports Rasa), never at import time.
    """
    texts = set()
    try:
        from bot.channels.limits import FAILURE_REPLY

        texts.add(FAILURE_REPLY)
    except ImportError:
        pass
    try:
        from bot.nlu.outage_guard import outage_text

        texts.add(outage_text())
    except ImportError:
        pass
    return frozenset(texts)


def reply_texts(body: object) -> List[str]:
    """The text of each bot message in a REST reply (buttons-only messages count as '')."""
    if not isinstance(body, list):
        return []
    return [str(m.get("text", "")) for m in body if isinstance(m, dict)]


async def send_turn(
    session: aiohttp.ClientSession,
    base_url: str,
    sender: str,
    text: str,
    timeout: float = REQUEST_TIMEOUT_S,
) -> Turn:
    """Sends one REST message and times it until the whole reply has arrived."""
    started = time.perf_counter()
    error = ""
    try:
        async with session.post(
            f"{base_url}/webhooks/rest/webhook",
            json={"sender": sender, "message": text},
            timeout=aiohttp.ClientTimeout(total=timeout),
        ) as response:
            body = await response.json(content_type=None) if response.status == 200 else None
            status = response.status
    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as problem:
        body, status, error = None, 0, type(problem).__name__
    turn = Turn(sender, text, status, time.perf_counter() - started, reply_texts(body))
    turn.error = error
    turn.conversation = _recipient(body) or sender
    return turn


def _recipient(body: object) -> str:
    """The ``recipient_id`` of a REST reply list, if it names one."""
    if isinstance(body, list) and body and isinstance(body[0], dict):
        recipient = body[0].get("recipient_id")
        return recipient if isinstance(recipient, str) else ""
    return ""


async def parse_once(session: aiohttp.ClientSession, base_url: str, text: str) -> tuple:
    """``/model/parse`` for ``text``: (seconds, parsed result or None)."""
    started = time.perf_counter()
    async with session.post(
        f"{base_url}/model/parse",
        params=api_params(),
        json={"text": text},
        timeout=aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_S),
    ) as response:
        body = await response.json(content_type=None) if response.status == 200 else None
    return time.perf_counter() - started, body


async def sequential_parse(base_url: str, texts: Sequence[str], count: int) -> List[float]:
    """Times ``count`` parses, one after another, cycling through ``texts``."""
    timings = []
    async with aiohttp.ClientSession() as session:
        for text in itertools.islice(itertools.cycle(texts), count):
            seconds, _ = await parse_once(session, base_url, text)
            timings.append(seconds)
    return timings


async def parse_all(base_url: str, texts: Sequence[str], parallel: int = 4) -> List[dict]:
    """Parses every text (a few at a time) and returns the results in order."""
    semaphore = asyncio.Semaphore(parallel)
    async with aiohttp.ClientSession() as session:

        async def one(text: str) -> dict:
            async with semaphore:
                _, body = await parse_once(session, base_url, text)
                return body or {}

        return await asyncio.gather(*(one(text) for text in texts))


async def sequential_turns(
    base_url: str, scenario: Sequence[str], conversations: int, prefix: str
) -> LoadResult:
    """Plays ``scenario`` ``conversations`` times, one turn at a time."""
    turns: List[Turn] = []
    sent: Dict[str, List[str]] = {}
    started = time.perf_counter()
    async with aiohttp.ClientSession() as session:
        for number in range(conversations):
            sender = f"{prefix}-seq-{number}"
            for text in scenario:
                turn = await send_turn(session, base_url, sender, text)
                turns.append(turn)
                sent.setdefault(turn.conversation, []).append(text)
    return LoadResult(turns, time.perf_counter() - started, sent, senders=1)


async def concurrent_load(
    base_url: str,
    scenario: Sequence[str],
    senders: int,
    duration_s: float,
    max_turns: int,
    prefix: str,
    socketio_share: float = 0.0,
    conversations_per_sender: Optional[int] = None,
    timeout: float = REQUEST_TIMEOUT_S,
) -> LoadResult:
    """``senders`` simulated people replaying ``scenario`` until time or turns run out.

    Each pass through the scenario is a new conversation id, so trackers stay short as in
    real use. A share of the people (``socketio_share``) talk over socket.io instead of REST.
    ``conversations_per_sender`` stops each person after that many passes; ``timeout`` is
    how long one person waits for one reply before giving up on it.
    """
    turns: List[Turn] = []
    sent: Dict[str, List[str]] = {}
    owners: Dict[str, int] = {}
    deadline = time.monotonic() + duration_s
    budget = {"left": max_turns}
    socket_people = round(senders * socketio_share)

    def may_send() -> bool:
        if time.monotonic() >= deadline or budget["left"] <= 0:
            return False
        budget["left"] -= 1
        return True

    connector = aiohttp.TCPConnector(limit=senders + 4)
    started = time.perf_counter()
    async with aiohttp.ClientSession(connector=connector) as session:

        async def rest_person(index: int) -> None:
            for number in itertools.count():
                if conversations_per_sender is not None and number >= conversations_per_sender:
                    return
                sender = f"{prefix}-{senders}-{index}-{number}"
                for text in scenario:
                    if not may_send():
                        return
                    turn = await send_turn(session, base_url, sender, text, timeout)
                    turns.append(turn)
                    owners[turn.conversation] = index
                    sent.setdefault(turn.conversation, []).append(text)

        async def socket_person(index: int) -> None:
            for number in itertools.count():
                if conversations_per_sender is not None and number >= conversations_per_sender:
                    return
                if time.monotonic() >= deadline or budget["left"] <= 0:
                    return
                async with SocketPerson(base_url, timeout=timeout) as person:
                    owners[person.session_id] = index
                    for text in scenario:
                        if not may_send():
                            return
                        sent.setdefault(person.session_id, []).append(text)
                        turns.append(await person.say(text))

        tasks = [socket_person(i) for i in range(socket_people)]
        tasks += [rest_person(i) for i in range(socket_people, senders)]
        await asyncio.gather(*tasks)
    return LoadResult(turns, time.perf_counter() - started, sent, senders=senders, owners=owners)


class SocketPerson:
    """One person on the socket.io channel: a session, messages, the replies that come back."""

    def __init__(
        self, base_url: str, origin: Optional[str] = None, timeout: float = REQUEST_TIMEOUT_S
    ) -> None:
        """Remembers where to connect; ``origin`` defaults to ``HARBOR_WEB_ORIGIN``."""
        import socketio  # python-socketio; imported here so REST-only runs never need it

        self.base_url = base_url
        self.timeout = timeout
        self.origin = origin or os.environ.get("HARBOR_WEB_ORIGIN", "http://127.0.0.1:8080")
        # request_timeout: engine.io's own 5 s default gives up on a busy server's handshake
        # and long-polls, while the person would simply wait (as a REST client does).
        self.client = socketio.AsyncClient(reconnection=False, request_timeout=timeout)
        self.session_id = ""
        self._replies: asyncio.Queue = asyncio.Queue()
        self._confirmed: asyncio.Future = asyncio.get_running_loop().create_future()
        self.client.on("bot_uttered", self._on_bot)
        self.client.on("session_confirm", self._on_confirm)

    async def _on_bot(self, data: object) -> None:
        text = data.get("text", "") if isinstance(data, dict) else ""
        await self._replies.put(str(text))

    async def _on_confirm(self, data: object) -> None:
        session_id = data.get("session_id") if isinstance(data, dict) else data
        if not self._confirmed.done():
            self._confirmed.set_result(str(session_id))

    async def __aenter__(self) -> "SocketPerson":
        await self.client.connect(
            self.base_url,
            socketio_path="socket.io",
            # Long-polling: python-engineio's websocket client needs aiohttp >= 3.11, and
            # Rasa 3.6 pins 3.9. The server side (our channel) is the same either way.
            transports=["polling"],
            headers={"Origin": self.origin},
            wait_timeout=self.timeout,
        )
        await self.client.emit("session_request", {"session_id": None})
        self.session_id = await asyncio.wait_for(self._confirmed, self.timeout)
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.client.disconnect()

    async def say(self, text: str) -> Turn:
        """Sends ``text`` and collects the turn's replies (first reply, then a quiet gap)."""
        started = time.perf_counter()
        await self.client.emit("user_uttered", {"message": text, "session_id": self.session_id})
        replies: List[str] = []
        try:
            replies.append(await asyncio.wait_for(self._replies.get(), self.timeout))
        except asyncio.TimeoutError:
            turn = Turn(self.session_id, text, 0, time.perf_counter() - started, [], "socketio")
            turn.error = "TimeoutError"
            return turn
        seconds = time.perf_counter() - started
        while True:
            try:
                replies.append(await asyncio.wait_for(self._replies.get(), SOCKET_QUIET_S))
            except asyncio.TimeoutError:
                break
        return Turn(self.session_id, text, 200, seconds, replies, "socketio")


async def fetch_tracker(
    session: aiohttp.ClientSession, base_url: str, conversation_id: str
) -> dict:
    """The stored conversation, every event included."""
    async with session.get(
        f"{base_url}/conversations/{conversation_id}/tracker",
        params={"include_events": "ALL", **api_params()},
        timeout=aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_S),
    ) as response:
        response.raise_for_status()
        return await response.json(content_type=None)


def user_texts(tracker: dict) -> List[str]:
    """The user messages of a tracker, in order."""
    return [e.get("text") or "" for e in tracker.get("events", []) if e.get("event") == "user"]


async def verify_trackers(
    base_url: str, sent: Dict[str, List[str]], parallel: int = 8
) -> Dict[str, object]:
    """Checks that every sent message is stored exactly once, in order, per conversation.

    Returns counts and up to ten example problems (conversation ids and counts only: the
    texts are our own test sentences, but reports should not need them).
    """
    semaphore = asyncio.Semaphore(parallel)
    problems: List[str] = []
    counts = {"conversations": len(sent), "messages": 0, "missing": 0, "extra": 0}
    async with aiohttp.ClientSession() as session:

        async def check(conversation_id: str, texts: List[str]) -> None:
            async with semaphore:
                stored = user_texts(await fetch_tracker(session, base_url, conversation_id))
            counts["messages"] += len(texts)
            missing = _multiset_minus(texts, stored)
            extra = _multiset_minus(stored, texts)
            counts["missing"] += len(missing)
            counts["extra"] += len(extra)
            if missing or extra or stored != texts:
                problems.append(
                    f"{conversation_id}: sent {len(texts)}, stored {len(stored)}, "
                    f"missing {len(missing)}, extra {len(extra)}, same order {stored == texts}"
                )

        await asyncio.gather(*(check(cid, texts) for cid, texts in sent.items()))
    counts["problems"] = len(problems)
    return {**counts, "examples": problems[:10]}


def _multiset_minus(left: List[str], right: List[str]) -> List[str]:
    remaining = list(right)
    out = []
    for item in left:
        if item in remaining:
            remaining.remove(item)
        else:
            out.append(item)
    return out
