"""A scripted bot behind Harbor's real socket.io channel, for fast browser tests.

The Sanic app carries :class:`bot.channels.socketio.HarborSocketIOInput` exactly as Rasa
would; only Rasa's ``on_new_message`` is replaced by a short script, so the page can be
tested (typing, buttons, crisis card, pushed messages) without a trained model.

Run it by hand to work on the page: ``python -m tests.browser.stub_bot --port 5005``.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import socket
import struct
import threading
import uuid
import zlib
from typing import Any, Dict, List, Optional

from rasa.core.channels.channel import UserMessage
from sanic import Sanic, response
from sanic.request import Request

from bot.channels.socketio import HarborSocketIOInput

GREETING = "Hi, I'm Harbor — a chatbot, not a therapist. What's going on for you tonight?"
GREETING_BUTTONS = [
    {"title": "I want to text my ex", "payload": "/craving"},
    {"title": "My heart is racing", "payload": "/panic"},
]
URGE_REPLY = (
    "That pull can feel enormous at 2 a.m. Let's ride it out together.\n\n"
    "Put the phone down for ninety seconds and notice where the urge sits in your body."
)
CRISIS_TEXT = (
    "I'm really glad you told me. You deserve support from a person right now.\n\n"
    "In the US or Canada, call or text 988 (24/7). "
    "In the UK or Ireland, call Samaritans on 116 123, or text SHOUT to 85258 (UK).\n\n"
    "If you are in immediate danger, call 911 or your local emergency number."
)
CRISIS_CUSTOM = {"harbor": {"card": "crisis"}}
PUSH_TEXT = "Checking in, like you asked. How are you doing now?"
ASK_COUNTRY = "Where are you? Tap or type your country for local numbers."
COUNTRY_BUTTONS = [
    {"title": "US", "payload": '/inform_country{"country":"US"}'},
    {"title": "UK", "payload": '/inform_country{"country":"GB"}'},
]
COUNTRY_SAVED_GB = (
    "Got it: the UK. I'll remember that and show lines for the UK whenever you type SOS."
)
EXPORT = {
    "filename": "harbor-export-2026-01-01.json",
    "mime_type": "application/json",
    "data": {"format": "harbor-export/1", "reasons": [{"text": "my own reason 4c1"}]},
}
MARKUP_TEXT = '<img src="x" onerror="document.title=\'owned\'"> <b>bold?</b>'
CHART_TEXT = "Your last 30 days: 2 cravings, from 8 to 4 on average. Grounding helped most."
CHART_PATH = "/charts/3f9c2a7e.png"
FAR_CHART = "https://charts.example.org/chart.png"
CHOICES = [
    {"title": "Grounding", "payload": "/request_grounding"},
    {"title": "Not now", "payload": "/not_now"},
]
LATER_CHOICES = [{"title": "Breathe with me", "payload": "/request_breathing"}]
NEWS_TEXT = "Something new from Harbor."


def tiny_png(width: int = 40, height: int = 20) -> bytes:
    """A small valid PNG (a grey rectangle), made without any imaging library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def chart_data_uri() -> str:
    """The tiny PNG as a data: URI, as a reply may carry it inline."""
    return "data:image/png;base64," + base64.b64encode(tiny_png()).decode("ascii")


class StubBot:
    """Runs the scripted bot on a free loopback port in a background thread."""

    def __init__(self, web_origin: str, port: int = 0, push_delay: float = 0.3) -> None:
        """Prepares (does not start) the bot.

        Args:
            web_origin: the chat page's origin, allowed by the channel's CORS check.
            port: the port to listen on; 0 picks a free one.
            push_delay: seconds before the scripted "push" check-in arrives.
        """
        self.channel = HarborSocketIOInput(cors_allowed_origins=web_origin)
        self.received: List[UserMessage] = []
        self.push_delay = push_delay
        # Cleared by a test to hold replies back (to see the typing indicator), then set.
        self.gate = threading.Event()
        self.gate.set()
        self._sock = socket.socket()
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", port))
        self._sock.listen(64)
        self.port = self._sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self._thread: Optional[threading.Thread] = None
        self._ready = threading.Event()
        self._server: Any = None

    def start(self) -> "StubBot":
        """Starts serving; returns once the server accepts connections."""
        self._thread = threading.Thread(target=self._run, name="stub-bot", daemon=True)
        self._thread.start()
        if not self._ready.wait(30):
            raise RuntimeError("the stub bot did not start")
        return self

    def stop(self) -> None:
        """Stops the server and its thread (a second call does nothing)."""
        if self._loop is None:
            return
        asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread:
            self._thread.join(10)
        self._loop = None

    def _run(self) -> None:
        self._loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self._loop)
        self._loop.run_until_complete(self._startup())
        self._ready.set()
        self._loop.run_forever()
        self._loop.close()

    async def _startup(self) -> None:
        Sanic.test_mode = True  # several apps per test process
        app = Sanic(f"stub_bot_{uuid.uuid4().hex[:8]}", configure_logging=False)
        app.blueprint(self.channel.blueprint(self.on_new_message), url_prefix="/webhooks/socketio")

        @app.get(CHART_PATH)
        async def chart(_: Request) -> response.HTTPResponse:
            return response.raw(tiny_png(), content_type="image/png")

        self._server = await app.create_server(
            sock=self._sock, return_asyncio_server=True, access_log=False
        )
        await self._server.startup()
        await self._server.before_start()
        await self._server.after_start()

    async def _shutdown(self) -> None:
        await self._server.before_stop()
        self._server.close()
        await self._server.wait_closed()
        await self._server.after_stop()

    async def on_new_message(self, message: UserMessage) -> None:
        """The script: what the stub answers to what."""
        self.received.append(message)
        await asyncio.get_running_loop().run_in_executor(None, self.gate.wait, 30)
        out = message.output_channel
        text = message.text.lower()
        for reply in self.replies(text):
            await out.send_response(message.sender_id, dict(reply))
        if text == "remind me":
            self.push_later(message.sender_id, {"text": PUSH_TEXT})
        if text == "choices then news":
            self.push_later(message.sender_id, {"text": NEWS_TEXT})

    def push_later(self, sender_id: str, reply: Dict[str, Any]) -> None:
        """Sends ``reply`` on the bot's own after ``push_delay`` seconds."""
        asyncio.get_running_loop().call_later(
            self.push_delay, lambda: asyncio.ensure_future(self.push(sender_id, reply))
        )

    async def push(self, sender_id: str, reply: Optional[Dict[str, Any]] = None) -> None:
        """A message the bot sends on its own, as a reminder would."""
        output = self.channel.get_output_channel()
        await output.send_response(sender_id, reply or {"text": PUSH_TEXT})

    def replies(self, text: str) -> List[Dict[str, Any]]:
        """The stub's answers to ``text`` (lower-cased)."""
        if text == "show my progress":
            return [{"text": CHART_TEXT, "image": chart_data_uri()}]
        if text == "served chart":
            return [{"text": CHART_TEXT, "image": self.url + CHART_PATH}]
        if text == "far chart":
            return [{"text": CHART_TEXT, "image": FAR_CHART}]
        if text == "two choices":
            return [
                {"text": "Pick one.", "buttons": CHOICES},
                {"text": "Or this.", "buttons": LATER_CHOICES},
            ]
        if text == "choices then news":
            return [{"text": "Pick one.", "buttons": CHOICES}]
        if text in ("hi", "hello"):
            return [{"text": GREETING, "buttons": GREETING_BUTTONS}]
        if text == "/craving":
            return [{"text": URGE_REPLY}]
        if text == "sos" or "die" in text or "kill myself" in text:
            return [{"text": CRISIS_TEXT, "custom": CRISIS_CUSTOM}]
        if text == "remind me":
            return [{"text": "I'll check in with you in a moment."}]
        if text == "export my data":
            return [{"custom": {"harbor_export": EXPORT}}]
        if text == "html":
            return [{"text": MARKUP_TEXT}]
        if text == "where":
            return [{"text": ASK_COUNTRY, "buttons": COUNTRY_BUTTONS}]
        if text.startswith("/inform_country"):
            return [{"text": "Thank you."}]
        if text == "i'm in the uk":
            return [{"text": COUNTRY_SAVED_GB}]
        return [{"text": "I hear you. Tell me more?"}]


def main() -> None:
    """Runs the stub on a fixed port until Ctrl-C (for working on the page by hand)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=5005)
    parser.add_argument("--origin", default="http://127.0.0.1:8080")
    args = parser.parse_args()
    bot = StubBot(args.origin, args.port).start()
    print(f"stub bot on {bot.url} (page origin {args.origin}); Ctrl-C stops it", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        bot.stop()


if __name__ == "__main__":
    main()
