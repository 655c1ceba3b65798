"""Harbor's socket.io channel: Rasa's ``SocketIOInput`` fixed and bounded.

What differs from stock Rasa 3.6:

- ``enter_room`` is awaited. With python-socketio >= 5.10 it is a coroutine, and the
  stock channel never awaits it, so a persistent session never joins its room and
  the user never sees a reply (rasa#13027).
- CORS and the WebSocket ``Origin`` check are limited to the chat page's origin
  (``HARBOR_WEB_ORIGIN``), not left open.
- Input is bounded like every Harbor channel (``bot.channels.limits``): a malformed,
  empty or huge payload gets a short ``bot_uttered`` answer; nothing raises.
- Session ids are issued by the server and signed (``bot.security.sessions``): a page may
  bring back an id it was given (reload, reconnect), but an id the server did not sign
  (a REST sender, a Telegram chat id, a guess) is replaced by a fresh one.
- A socket's session id is remembered on the server, so a client cannot post into
  another conversation by putting a different ``session_id`` in a message.
- Each session is rate limited (``bot.security.ratelimit``); a message over the limit gets
  a short answer (crisis lines if it reads as a crisis) and does not reach Rasa.
- One bot response is one ``bot_uttered`` event: text, quick replies and ``custom``
  travel together, so the page can draw a crisis card from a single event.
- ``session_persistence`` is on by default: the bot's pushed messages (reminders,
  external events) are addressed to the session's room and reach the page.

credentials.yml::

    bot.channels.socketio.HarborSocketIOInput:
      user_message_evt: user_uttered
      bot_message_evt: bot_uttered
      session_persistence: true
"""

from __future__ import annotations

import asyncio
import inspect
import json
import logging
import os
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text, Union

import rasa.core.channels.channel
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse
from sanic_cors.core import SANIC_CORS_EVALUATED
from socketio import AsyncRedisManager, AsyncServer

from bot.channels import limits
from bot.security import keys, ratelimit, sessions

logger = logging.getLogger(__name__)

DEFAULT_WEB_ORIGIN = "http://127.0.0.1:8080"
SHUTDOWN_WAIT_SECONDS = 2.0
# Keys of a Rasa bot message that the page understands.
_MESSAGE_KEYS = ("text", "image", "attachment", "elements", "custom")

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


def web_origins(value: Union[None, str, List[str]] = None) -> List[str]:
    """The origins allowed to open a socket: ``value`` or ``HARBOR_WEB_ORIGIN``.

    Either may list several origins separated by commas.
    """
    if value is None:
        value = os.environ.get("HARBOR_WEB_ORIGIN") or DEFAULT_WEB_ORIGIN
    items = value.split(",") if isinstance(value, str) else [str(v) for v in value]
    return [item.strip().rstrip("/") for item in items if item.strip()]


def valid_session_id(value: Any, key: Optional[bytes] = None) -> Optional[str]:
    """``value`` when it is a session id this server signed, else None."""
    if sessions.verify(value, key if key is not None else keys.session_secret()):
        return value
    return None


def quick_replies(buttons: List[Dict[Text, Any]]) -> List[Dict[Text, Any]]:
    """Rasa buttons as socket.io quick replies (the shape rasa-webchat used)."""
    return [
        {"content_type": "text", "title": b.get("title", ""), "payload": b.get("payload", "")}
        for b in buttons
        if isinstance(b, dict)
    ]


class HarborSocketBlueprint(SocketBlueprint):
    """Attaches the socket.io server and keeps Rasa's ``--cors`` off its endpoint.

    It also disconnects every socket when the server stops, so pages reconnect cleanly.

    python-socketio answers CORS for its own endpoint (limited to the page's origin).
    If Rasa's Sanic-CORS added its headers too, a polling response would carry two
    ``Access-Control-Allow-Origin`` headers, which browsers reject.
    """

    def register(self, app: Sanic, options: Dict[Text, Any]) -> None:
        """Attaches the server, keeps Sanic-CORS off it, and closes sockets on shutdown."""
        super().register(app, options)
        path = self.ctx.socketio_path.rstrip("/") + "/"
        sio: AsyncServer = self.ctx.sio

        async def cors_handled_by_socketio(request: Request) -> None:
            if request.path.startswith(path):
                setattr(request.ctx, SANIC_CORS_EVALUATED, "1")

        async def close_sockets(*_: Any) -> None:
            # Pages reconnect (to this server once it is back, or to another instance).
            # A polling client that vanished never collects its close packet: don't wait.
            if sio.eio.sockets:  # engineio fails on an empty set
                try:
                    await asyncio.wait_for(sio.eio.disconnect(), SHUTDOWN_WAIT_SECONDS)
                except asyncio.TimeoutError:
                    logger.debug("Some sockets did not close in time.")
            await sio.shutdown()

        app.register_middleware(cors_handled_by_socketio, "request")
        app.register_listener(close_sockets, "before_server_stop")


class HarborSocketIOOutput(SocketIOOutput):
    """Sends each bot response as one ``bot_uttered`` event to the session's room."""

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        """Emits the whole response at once instead of one event per paragraph."""
        payload = {key: message[key] for key in _MESSAGE_KEYS if message.get(key)}
        buttons = message.get("quick_replies") or message.get("buttons")
        if buttons:
            payload["quick_replies"] = quick_replies(buttons)
        if payload:
            await self._send_message(recipient_id, payload)

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        """Sends the text unsplit; the page lays out paragraphs itself."""
        await self._send_message(recipient_id, {"text": text})

    async def send_text_with_buttons(
        self,
        recipient_id: Text,
        text: Text,
        buttons: List[Dict[Text, Any]],
        **kwargs: Any,
    ) -> None:
        """Sends the text with its buttons as quick replies."""
        await self._send_message(
            recipient_id, {"text": text, "quick_replies": quick_replies(buttons)}
        )

    async def send_quick_replies(
        self,
        recipient_id: Text,
        text: Text,
        quick_replies: List[Dict[Text, Any]],
        **kwargs: Any,
    ) -> None:
        """Quick replies are buttons here."""
        await self.send_text_with_buttons(recipient_id, text, quick_replies)

    async def send_custom_json(
        self, recipient_id: Text, json_message: Dict[Text, Any], **kwargs: Any
    ) -> None:
        """Sends custom JSON under ``custom`` (stock passes its keys to ``emit`` itself)."""
        await self._send_message(recipient_id, {"custom": json_message})


class HarborSocketIOInput(SocketIOInput):
    """Rasa's socket.io channel with the room fix, CORS limits and input bounds."""

    @classmethod
    def name(cls) -> Text:
        """Same name as stock, so ``output_channel=socketio`` and trackers keep working."""
        return "socketio"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        """Builds the channel from its credentials.yml block (every key optional).

        Besides the stock keys: ``cors_allowed_origins`` (default ``HARBOR_WEB_ORIGIN``)
        and ``redis_url`` (default ``HARBOR_SOCKETIO_REDIS_URL``; set it when several
        Rasa processes serve sockets, so a push from one reaches a socket on another).
        ``session_persistence`` defaults to true.
        """
        credentials = credentials or {}
        return cls(
            user_message_evt=credentials.get("user_message_evt", "user_uttered"),
            bot_message_evt=credentials.get("bot_message_evt", "bot_uttered"),
            namespace=credentials.get("namespace"),
            session_persistence=credentials.get("session_persistence", True),
            socketio_path=credentials.get("socketio_path", "/socket.io"),
            jwt_key=credentials.get("jwt_key"),
            jwt_method=credentials.get("jwt_method", "HS256"),
            metadata_key=credentials.get("metadata_key", "metadata"),
            cors_allowed_origins=credentials.get("cors_allowed_origins"),
            redis_url=credentials.get("redis_url"),
        )

    def __init__(
        self,
        user_message_evt: Text = "user_uttered",
        bot_message_evt: Text = "bot_uttered",
        namespace: Optional[Text] = None,
        session_persistence: bool = True,
        socketio_path: Optional[Text] = "/socket.io",
        jwt_key: Optional[Text] = None,
        jwt_method: Optional[Text] = "HS256",
        metadata_key: Optional[Text] = "metadata",
        cors_allowed_origins: Union[None, str, List[str]] = None,
        redis_url: Optional[str] = None,
    ) -> None:
        """Creates the channel; nothing connects until Rasa asks for the blueprint."""
        super().__init__(
            user_message_evt,
            bot_message_evt,
            namespace,
            session_persistence,
            socketio_path,
            jwt_key,
            jwt_method,
            metadata_key,
        )
        self.cors_allowed_origins = web_origins(cors_allowed_origins)
        self.redis_url = redis_url or os.environ.get("HARBOR_SOCKETIO_REDIS_URL") or None
        self.limiter = ratelimit.from_environment()
        self._session_key: Optional[bytes] = None

    @property
    def session_key(self) -> bytes:
        """The session-signing key, read when first needed (never at import)."""
        if self._session_key is None:
            self._session_key = keys.session_secret()
        return self._session_key

    def get_output_channel(self) -> Optional[OutputChannel]:
        """The output channel for pushed messages (reminders, external events)."""
        if self.sio is None:
            return super().get_output_channel()
        return HarborSocketIOOutput(self.sio, self.bot_message_evt)

    def create_server(self) -> AsyncServer:
        """The python-socketio server, limited to the page's origin."""
        manager = AsyncRedisManager(self.redis_url) if self.redis_url else None
        return AsyncServer(
            async_mode="sanic",
            cors_allowed_origins=self.cors_allowed_origins,
            client_manager=manager,
        )

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        """The socket.io endpoint plus a health route at ``/webhooks/socketio/``."""
        sio = self.create_server()
        self.sio = sio
        webhook = HarborSocketBlueprint(sio, self.socketio_path, "socketio_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        async def connect(sid: Text, environ: Dict, auth: Optional[Dict] = None) -> bool:
            return self.authorize(auth)

        async def disconnect(sid: Text, reason: Any = None) -> None:
            logger.debug("A socket disconnected.")

        async def session_request(sid: Text, data: Any = None) -> None:
            await self.start_session(sid, data)

        async def user_uttered(sid: Text, data: Any = None) -> None:
            await self.handle_message(sid, data, on_new_message)

        sio.on("connect", connect, namespace=self.namespace)
        sio.on("disconnect", disconnect, namespace=self.namespace)
        sio.on("session_request", session_request, namespace=self.namespace)
        sio.on(self.user_message_evt, user_uttered, namespace=self.namespace)
        return webhook

    def authorize(self, auth: Any) -> bool:
        """Accepts a socket; with ``jwt_key`` set only one bearing a valid token."""
        if not self.jwt_key:
            return True
        token = auth.get("token") if isinstance(auth, dict) else None
        if not isinstance(token, str) or not token:
            return False
        try:
            payload = rasa.core.channels.channel.decode_bearer_token(
                token, self.jwt_key, self.jwt_algorithm
            )
        except Exception:
            return False
        return bool(payload)

    async def start_session(self, sid: Text, data: Any) -> Optional[str]:
        """Answers ``session_request``: joins the session's room and confirms its id.

        A client may bring back a session id it was given before. Without one, a
        socket keeps the session it already has (a message may have started it), and
        otherwise gets a fresh one. Returns the session id (None if the socket is gone).
        """
        requested = data.get("session_id") if isinstance(data, dict) else None
        try:
            current = await self._current_session(sid)
            session_id = (
                valid_session_id(requested, self.session_key)
                or current
                or sessions.issue(self.session_key)
            )
            await self._join(sid, session_id)
        except KeyError:
            return None  # the socket disconnected meanwhile
        await self._sio().emit("session_confirm", session_id, room=sid, namespace=self.namespace)
        return session_id

    async def handle_message(self, sid: Text, data: Any, on_new_message: OnNewMessage) -> None:
        """Checks a ``user_uttered`` payload and hands it to Rasa.

        Bad payloads are answered on the same socket and go no further; a failure
        inside Rasa is logged without the user's text and answered kindly.
        """
        if not isinstance(data, dict):
            await self._reply(sid, limits.say("channel.unreadable"))
            return
        checked = limits.check_text(data.get("message"))
        if not checked.ok:
            await self._reply(sid, checked.reply)
            return
        sender_id = await self._sender_id(sid, data)
        if sender_id is None:
            return  # the socket went away meanwhile
        if not self.limiter.allow(sender_id):
            await self._reply(sid, limits.rate_limited_reply(data.get("message")))
            return
        message = UserMessage(
            checked.text,
            HarborSocketIOOutput(self._sio(), self.bot_message_evt),
            sender_id,
            input_channel=self.name(),
            metadata=self._metadata(data),
        )
        try:
            await on_new_message(message)
        except Exception as error:
            # The type only: exception texts (e.g. SQL parameters) may hold the message.
            logger.error("socket.io turn failed inside Rasa: %s", type(error).__name__)
            logger.debug("socket.io turn failure", exc_info=True)
            await self._reply(sid, limits.say("channel.failure"))

    async def _sender_id(self, sid: Text, data: Dict[Text, Any]) -> Optional[str]:
        """The conversation a socket's message belongs to.

        With session persistence it is the session the socket joined; a socket that
        skipped ``session_request`` gets one now (its own ``session_id`` if valid).
        """
        if not self.session_persistence:
            return sid
        try:
            current = await self._current_session(sid)
        except KeyError:
            return None
        return current or await self.start_session(sid, data)

    async def _current_session(self, sid: Text) -> Optional[str]:
        """The session a socket joined, if any (KeyError once the socket is gone)."""
        session = await self._sio().get_session(sid, namespace=self.namespace)
        return session.get("session_id")

    async def _join(self, sid: Text, session_id: str) -> None:
        sio = self._sio()
        if self.session_persistence:
            session = await sio.get_session(sid, namespace=self.namespace)
            previous = session.get("session_id")
            if previous and previous != session_id:
                await _maybe_await(sio.leave_room(sid, previous, namespace=self.namespace))
            # The fix for rasa#13027: enter_room is a coroutine in python-socketio >= 5.10.
            await _maybe_await(sio.enter_room(sid, session_id, namespace=self.namespace))
            session["session_id"] = session_id
            await sio.save_session(sid, session, namespace=self.namespace)

    async def _reply(self, sid: Text, text: str) -> None:
        await self._sio().emit(
            self.bot_message_evt, {"text": text}, room=sid, namespace=self.namespace
        )

    def _metadata(self, data: Dict[Text, Any]) -> Dict[Text, Any]:
        """The message's metadata as a dict (stock also accepts a JSON string)."""
        metadata = data.get(self.metadata_key or "metadata")
        if isinstance(metadata, str):
            try:
                metadata = json.loads(metadata)
            except (ValueError, RecursionError):
                metadata = None
        return metadata if isinstance(metadata, dict) else {}

    def _sio(self) -> AsyncServer:
        if self.sio is None:
            raise RuntimeError("The socket.io server exists only once Rasa built the blueprint.")
        return self.sio


async def _maybe_await(result: Any) -> Any:
    """Awaits ``result`` when it is awaitable (python-socketio < 5.10 returns None)."""
    if inspect.isawaitable(result):
        return await result
    return result
