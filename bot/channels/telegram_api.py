"""A small asynchronous client for the Telegram Bot API.

One `aiohttp.ClientSession` is created lazily, on the event loop that first makes a call,
and is replaced if a later call runs on another loop. Nothing touches the network when the
client is built, so a server can construct it before its loop exists (stock Rasa's client
is bound at construction and fails later with "Event loop is closed").

The bot token is part of every URL; it never appears in a log line or an error message.
"""

import asyncio
import json
import logging
from typing import Any, Callable, Dict, Optional, Tuple

import aiohttp

logger = logging.getLogger(__name__)

DEFAULT_API_SERVER = "https://api.telegram.org"
DEFAULT_TIMEOUT_SECONDS = 15.0
# Telegram answers 429 with the number of seconds to wait. One retry covers the common
# burst limit; anything longer is the caller's problem (it is logged, never fatal).
MAX_RETRY_AFTER_SECONDS = 5.0


class TelegramApiError(Exception):
    """A Bot API call failed: the network, an HTTP error or `{"ok": false}`."""

    def __init__(
        self,
        method: str,
        description: str,
        error_code: Optional[int] = None,
        retry_after: Optional[float] = None,
    ) -> None:
        """Creates the error.

        Args:
            method: the Bot API method that failed, e.g. "sendMessage".
            description: what went wrong, free of the bot token.
            error_code: Telegram's error code (an HTTP status), when there is one.
            retry_after: seconds Telegram asked us to wait (flood control).
        """
        super().__init__(f"{method} failed ({error_code}): {description}")
        self.method = method
        self.description = description
        self.error_code = error_code
        self.retry_after = retry_after


class TelegramBotApi:
    """Calls Bot API methods for one bot token against one API server."""

    def __init__(
        self,
        token: str,
        server: str = DEFAULT_API_SERVER,
        timeout: float = DEFAULT_TIMEOUT_SECONDS,
    ) -> None:
        """Stores the settings; opens no connection.

        Args:
            token: the bot token from BotFather.
            server: the API base URL (the official server, a self-hosted Bot API
                server, or a fake one in tests).
            timeout: seconds allowed for one whole call.
        """
        self._token = token
        self._server = server.rstrip("/")
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._session: Optional[aiohttp.ClientSession] = None
        self._session_loop: Optional[asyncio.AbstractEventLoop] = None

    async def call(self, method: str, params: Optional[Dict[str, Any]] = None) -> Any:
        """Calls a Bot API method with JSON parameters.

        Args:
            method: the method name, e.g. "sendMessage".
            params: its parameters.

        Returns:
            The `result` field of Telegram's answer.

        Raises:
            TelegramApiError: the call failed.
        """
        body = params or {}
        return await self._call_with_retry(method, lambda: {"json": body})

    async def send_document(
        self,
        chat_id: int,
        filename: str,
        content: bytes,
        caption: Optional[str] = None,
        content_type: str = "application/json",
    ) -> Any:
        """Uploads `content` as a file with `sendDocument` (multipart form data).

        Args:
            chat_id: the chat to send to.
            filename: the name the user sees.
            content: the file's bytes.
            caption: an optional line shown under the file.
            content_type: the file's MIME type.

        Returns:
            The sent Message object.

        Raises:
            TelegramApiError: the call failed.
        """

        return await self._upload(
            "sendDocument", chat_id, ("document", filename, content_type), content, caption
        )

    async def send_photo(
        self,
        chat_id: int,
        content: bytes,
        caption: Optional[str] = None,
        reply_markup: Optional[Dict[str, Any]] = None,
    ) -> Any:
        """Uploads a PNG with `sendPhoto` (multipart form data), with an optional caption.

        Args:
            chat_id: the chat to send to.
            content: the picture's bytes (PNG).
            caption: text shown under the picture (at most 1024 characters).
            reply_markup: an inline keyboard, if any.

        Returns:
            The sent Message object.

        Raises:
            TelegramApiError: the call failed.
        """

        return await self._upload(
            "sendPhoto",
            chat_id,
            ("photo", "progress.png", "image/png"),
            content,
            caption,
            reply_markup,
        )

    async def _upload(
        self,
        method: str,
        chat_id: int,
        file: Tuple[str, str, str],
        content: bytes,
        caption: Optional[str],
        reply_markup: Optional[Dict[str, Any]] = None,
    ) -> Any:
        """Sends one file as multipart form data, with an optional caption and keyboard.

        Args:
            method: the Bot API method ("sendDocument", "sendPhoto").
            chat_id: the chat to send to.
            file: the form field, the file name the user sees and its MIME type.
            content: the file's bytes.
            caption: an optional line shown under the file.
            reply_markup: an inline keyboard, if any.

        Returns:
            The sent Message object.
        """
        field, filename, content_type = file

        def form() -> Dict[str, Any]:
            # A FormData can be sent only once, so a retry needs a fresh one.
            data = aiohttp.FormData()
            data.add_field("chat_id", str(chat_id))
            if caption:
                data.add_field("caption", caption)
            if reply_markup:
                data.add_field("reply_markup", json.dumps(reply_markup))
            data.add_field(field, content, filename=filename, content_type=content_type)
            return {"data": data}

        return await self._call_with_retry(method, form)

    async def close(self) -> None:
        """Closes the HTTP session, if one is open on the running loop."""
        session, self._session = self._session, None
        loop, self._session_loop = self._session_loop, None
        if session is None or session.closed:
            return
        if loop is asyncio.get_running_loop():
            await session.close()
        # A session from another (finished) loop cannot be closed from here; it is dropped.

    async def _call_with_retry(
        self, method: str, request_kwargs: Callable[[], Dict[str, Any]]
    ) -> Any:
        try:
            return await self._post(method, request_kwargs())
        except TelegramApiError as error:
            wait = error.retry_after
            if wait is None or wait > MAX_RETRY_AFTER_SECONDS:
                raise
            logger.info("Telegram %s: flood control, retrying in %s s", method, wait)
            await asyncio.sleep(wait)
            return await self._post(method, request_kwargs())

    async def _post(self, method: str, request_kwargs: Dict[str, Any]) -> Any:
        url = f"{self._server}/bot{self._token}/{method}"
        try:
            async with self._current_session().post(url, **request_kwargs) as response:
                status = response.status
                try:
                    answer = await response.json(content_type=None)
                except ValueError:
                    answer = None
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
            raise TelegramApiError(method, self._scrub(error)) from None
        return _result_or_raise(method, status, answer)

    def _current_session(self) -> aiohttp.ClientSession:
        loop = asyncio.get_running_loop()
        if self._session is None or self._session.closed or self._session_loop is not loop:
            self._session = aiohttp.ClientSession(timeout=self._timeout)
            self._session_loop = loop
        return self._session

    def _scrub(self, error: BaseException) -> str:
        """Describes a transport error without the token (some errors quote the URL)."""
        text = f"{type(error).__name__}: {error}".rstrip(": ")
        if self._token:
            text = text.replace(self._token, "<token>")
        return text


def _result_or_raise(method: str, status: int, answer: Any) -> Any:
    if not isinstance(answer, dict):
        raise TelegramApiError(method, f"HTTP {status} without a Bot API answer", status)
    if answer.get("ok") is True:
        return answer.get("result")
    parameters = answer.get("parameters")
    retry_after = None
    if isinstance(parameters, dict) and isinstance(parameters.get("retry_after"), (int, float)):
        retry_after = float(parameters["retry_after"])
    error_code = answer.get("error_code")
    raise TelegramApiError(
        method,
        str(answer.get("description") or f"HTTP {status}"),
        error_code if isinstance(error_code, int) else status,
        retry_after,
    )
