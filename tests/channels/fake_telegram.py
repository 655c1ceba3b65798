"""A fake Telegram Bot API server on 127.0.0.1 that records every call.

Answers like the real server (`{"ok": true, "result": ...}` or `{"ok": false,
"error_code": ..., "description": ...}`), reads JSON and multipart bodies (files included),
and can be told to fail a method.
"""

import asyncio
import itertools
import json
import time
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Tuple

from aiohttp import web


@dataclass
class Call:
    """One recorded Bot API call."""

    method: str
    params: Dict[str, Any]
    files: Dict[str, Tuple[str, bytes]]  # field -> (filename, content)


class FakeTelegram:
    """The fake server; `await start()`, then point TELEGRAM_API_SERVER at `url`."""

    def __init__(self, token: str) -> None:
        """Creates the server for one bot token (other tokens get 401, like Telegram)."""
        self.token = token
        self.calls: List[Call] = []
        self.url = ""
        self._failures: Dict[str, List[Any]] = {}
        self._message_ids = itertools.count(1000)
        self._changed = asyncio.Condition()
        self._runner: Optional[web.AppRunner] = None

    async def start(self, port: int = 0) -> None:
        """Starts listening on 127.0.0.1 (on a free port unless one is given)."""
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port)
        await site.start()
        port = self._runner.addresses[0][1]
        self.url = f"http://127.0.0.1:{port}"

    async def stop(self) -> None:
        """Stops the server."""
        if self._runner is not None:
            await self._runner.cleanup()

    def fail(
        self,
        method: str,
        code: int,
        description: str,
        retry_after: Optional[int] = None,
        times: Optional[int] = None,
    ) -> None:
        """Makes later calls of `method` fail with this Bot API error (`times` calls, or all)."""
        self._failures[method] = [code, description, retry_after, times]

    def recover(self, method: str) -> None:
        """Undoes `fail`."""
        self._failures.pop(method, None)

    def of(self, method: str) -> List[Call]:
        """The recorded calls of one method, in order."""
        return [call for call in self.calls if call.method == method]

    def sent_texts(self) -> List[str]:
        """The texts of every sendMessage, in order."""
        return [call.params["text"] for call in self.of("sendMessage")]

    async def wait_for(self, method: str, count: int = 1, timeout: float = 10.0) -> List[Call]:
        """Waits until `method` was called `count` times (guards against hangs only)."""

        def enough() -> bool:
            return len(self.of(method)) >= count

        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(enough), timeout)
        return self.of(method)

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if request.match_info["token"] != self.token:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        params, files = await _read_body(request)
        async with self._changed:
            self.calls.append(Call(method, params, files))
            self._changed.notify_all()
        if method in self._failures:
            code, description, retry_after, times = self._failures[method]
            if times is not None:
                self._failures[method][3] = times - 1
                if times <= 1:
                    self.recover(method)
            body: Dict[str, Any] = {"ok": False, "error_code": code, "description": description}
            if retry_after is not None:
                body["parameters"] = {"retry_after": retry_after}
            return web.json_response(body, status=code)
        return web.json_response({"ok": True, "result": self._result(method, params)})

    def _result(self, method: str, params: Dict[str, Any]) -> Any:
        if method in ("sendMessage", "sendDocument", "sendPhoto"):
            chat_id = int(params.get("chat_id", 0))
            message: Dict[str, Any] = {
                "message_id": next(self._message_ids),
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private"},
                "from": {"id": 1, "is_bot": True, "first_name": "Harbor"},
            }
            if "text" in params:
                message["text"] = params["text"]
            return message
        if method == "getMe":
            return {"id": 1, "is_bot": True, "first_name": "Harbor", "username": "harbor_bot"}
        return True


async def _read_body(request: web.Request) -> Tuple[Dict[str, Any], Dict[str, Tuple[str, bytes]]]:
    params: Dict[str, Any] = {}
    files: Dict[str, Tuple[str, bytes]] = {}
    if request.content_type == "application/json":
        params = json.loads(await request.read() or b"{}")
    elif request.content_type == "multipart/form-data":
        reader = await request.multipart()
        async for part in reader:
            content = await part.read()
            if part.filename:
                files[part.name] = (part.filename, bytes(content))
            else:
                params[part.name] = content.decode()
    return params, files
