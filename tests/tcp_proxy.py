"""A loopback TCP proxy that can "unplug" a server: the database outage in fault tests.

The shared PostgreSQL server must keep running for everyone else, so a test points Harbor
at this proxy instead and cuts it: every open connection is reset and new ones are
refused, exactly what a crashed or unreachable database looks like to a client. Restoring
listens again on the same port.
"""

from __future__ import annotations

import asyncio
import threading
from typing import Optional, Set

from bench.procs import free_port


class TcpProxy:
    """Forwards 127.0.0.1:<port> to ``target_host:target_port`` until cut."""

    def __init__(self, target_host: str, target_port: int) -> None:
        """Chooses a free port; nothing listens until :meth:`start`."""
        self.target = (target_host, target_port)
        self.port = free_port()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._server: Optional[asyncio.base_events.Server] = None
        self._writers: Set[asyncio.StreamWriter] = set()

    def start(self) -> "TcpProxy":
        """Starts the proxy's thread and listens."""
        self._thread.start()
        self.restore()
        return self

    def restore(self) -> None:
        """Listens again (the database is back)."""
        self._call(self._listen())

    def cut(self) -> None:
        """Resets every connection and stops listening (the database is gone)."""
        self._call(self._cut())

    def close(self) -> None:
        """Cuts and stops the thread."""
        self.cut()
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)

    @property
    def listening(self) -> bool:
        """Whether the proxy accepts connections now."""
        return self._server is not None

    def _call(self, coroutine) -> None:
        asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout=10)

    async def _listen(self) -> None:
        if self._server is None:
            self._server = await asyncio.start_server(
                self._handle, "127.0.0.1", self.port, reuse_address=True
            )

    async def _cut(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
        for writer in list(self._writers):
            writer.transport.abort()  # RST, like a dead server
        self._writers.clear()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.transport.abort()
            return
        self._writers.update((writer, upstream_writer))
        await asyncio.gather(
            self._pipe(reader, upstream_writer), self._pipe(upstream_reader, writer)
        )

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            self._writers.discard(writer)
            writer.transport.abort()
