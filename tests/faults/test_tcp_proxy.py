"""The outage proxy itself: it forwards, it cuts open connections, it comes back."""

from __future__ import annotations

import socket
import threading
from typing import Iterator, Tuple

import pytest

from tests.tcp_proxy import TcpProxy


@pytest.fixture
def echo_server() -> Iterator[Tuple[str, int]]:
    """A tiny echo server on loopback."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()

    def serve() -> None:
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=echo, args=(connection,), daemon=True).start()

    def echo(connection: socket.socket) -> None:
        with connection:
            while data := connection.recv(1024):
                connection.sendall(data)

    threading.Thread(target=serve, daemon=True).start()
    yield listener.getsockname()
    listener.close()


def _roundtrip(port: int, payload: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
        connection.sendall(payload)
        return connection.recv(1024)


def test_forwards_cuts_and_restores(echo_server: Tuple[str, int]) -> None:
    proxy = TcpProxy(*echo_server).start()
    try:
        assert _roundtrip(proxy.port, b"ping") == b"ping"

        held = socket.create_connection(("127.0.0.1", proxy.port), timeout=5)
        held.sendall(b"one")
        assert held.recv(1024) == b"one"
        proxy.cut()
        with pytest.raises(OSError):
            held.sendall(b"two")
            if not held.recv(1024):  # an orderly close would also mean "gone"
                raise ConnectionResetError
        held.close()
        with pytest.raises(OSError):
            _roundtrip(proxy.port, b"refused")

        proxy.restore()
        assert _roundtrip(proxy.port, b"back") == b"back"
    finally:
        proxy.close()
