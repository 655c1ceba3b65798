"""A real Sanic server on a free loopback port with channels mounted the way Rasa mounts them.

Rasa's agent is replaced by :class:`StubAgent`, which records every user message and
answers through the message's own output channel, so a test sees exactly what a user
of the channel would see.
"""

from __future__ import annotations

import contextlib
import socket
import uuid
from typing import Any, AsyncIterator, Callable, Dict, List, Optional

from rasa import server as rasa_server
from rasa.core.channels import channel as rasa_channel
from sanic import Sanic


class StubAgent:
    """Stands in for Rasa's Agent.

    Attributes:
        messages: every ``UserMessage`` that reached "Rasa".
        replies: bot messages to send for a given text (default: an echo).
        fail: raise inside ``handle_message``, as a broken Rasa would.
    """

    def __init__(self) -> None:
        """Starts with no messages, echo replies and no failure."""
        self.messages: List[rasa_channel.UserMessage] = []
        self.replies: Dict[str, List[Dict[str, Any]]] = {}
        self.fail = False

    @property
    def texts(self) -> List[str]:
        """The texts Rasa received, in order."""
        return [message.text for message in self.messages]

    async def handle_message(self, message: rasa_channel.UserMessage) -> None:
        """Records ``message`` and answers it."""
        self.messages.append(message)
        if self.fail:
            raise RuntimeError(f"the assistant is down while reading {message.text}")
        default = [{"text": f"echo: {message.text}"}]
        for reply in self.replies.get(message.text, default):
            await message.output_channel.send_response(message.sender_id, dict(reply))


class Served:
    """A running app: its base URL, the stub agent and the app itself."""

    def __init__(self, url: str, agent: StubAgent, app: Sanic) -> None:
        """Keeps what a test needs."""
        self.url = url
        self.agent = agent
        self.app = app


@contextlib.asynccontextmanager
async def serving(
    channels: List[Any],
    cors: Optional[str] = None,
    configure: Optional[Callable[[Sanic], None]] = None,
) -> AsyncIterator[Served]:
    """Runs a Sanic app with ``channels`` registered by Rasa's own ``register``.

    Args:
        channels: input channels to mount under ``/webhooks/``.
        cors: origins for Rasa's own CORS setup (``rasa run --cors``), if any.
        configure: a hook to change the app before it starts.
    """
    # Test mode lets Sanic start many apps in one process (its start-up "touch-up"
    # rewrites methods once per process otherwise).
    Sanic.test_mode = True
    app = Sanic(f"harbor_channel_test_{uuid.uuid4().hex[:12]}", configure_logging=False)
    if cors is not None:
        rasa_server.configure_cors(app, cors)
    app.ctx.agent = StubAgent()
    rasa_channel.register(channels, app, route="/webhooks/")
    if configure:
        configure(app)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = await app.create_server(sock=sock, return_asyncio_server=True, access_log=False)
    await server.startup()
    await server.before_start()
    await server.after_start()
    try:
        yield Served(f"http://127.0.0.1:{port}", app.ctx.agent, app)
    finally:
        await server.before_stop()
        server.close()
        await server.wait_closed()
        await server.after_stop()
