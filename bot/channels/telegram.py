"""Harbor's Telegram connector for Rasa: a webhook input channel and a Bot API output channel.

Enable it in credentials.yml (see docs/telegram.md)::

    bot.channels.telegram.HarborTelegramInput:
      token: ${TELEGRAM_TOKEN}
      ...

Rasa then serves `POST /webhooks/telegram/webhook`. What differs from stock Rasa's
`TelegramInput`:

- nothing touches the network while Rasa builds the channel; `setWebhook` runs on the
  server's own loop after start, and a failure is logged, never fatal;
- every update must carry the webhook secret (`X-Telegram-Bot-Api-Secret-Token`);
- bad bodies get a 4xx and handler errors a 200, never a 5xx (Telegram retries those
  forever) and never a stopped server;
- one long-lived output channel, so reminders and `trigger_intent?output_channel=telegram`
  reach the user long after the request that scheduled them;
- replies are split at 4096 characters, buttons become inline keyboards with signed
  callback data, exports arrive as a file, groups get a polite line, non-text a kind one.

Conversations are keyed `telegram:<chat id>` (a private chat's id is the user's id); only
such ids are ever sent to Telegram (a bare number from another channel is not a chat).
The webhook checks the secret before it reads a byte of the body, and reads at most
`MAX_BODY_BYTES`; each chat is rate limited; a forwarded message that reads as a crisis
asks whose words they are (`bot.channels.telegram_forwarded`).
"""

import asyncio
import dataclasses
import hmac
import json
import logging
import re
import time
from collections import OrderedDict
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels import limits, telegram_forwarded
from bot.channels.telegram_api import TelegramApiError, TelegramBotApi
from bot.channels.telegram_buttons import CallbackCodec, inline_keyboard
from bot.channels.telegram_settings import TelegramSettings
from bot.channels.telegram_updates import Incoming, Kind, MalformedUpdate, parse_update
from bot.channels.textsplit import split_text
from bot.safety.fallback import FALLBACK_CRISIS_REPLY
from bot.security import ratelimit

logger = logging.getLogger(__name__)

# Rasa's callback that runs one user message through the assistant.
Handler = Callable[[UserMessage], Awaitable[Any]]

CHANNEL_NAME = "telegram"
SENDER_PREFIX = "telegram:"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# Updates Harbor subscribes to; edits are not re-answered, so they are not requested.
ALLOWED_UPDATES = ["message", "callback_query"]
EXPORT_FILENAME = "harbor-export.json"
# A real Update with a 4096-character message is a few KB; anything this big is not one.
MAX_BODY_BYTES = 256 * 1024
GROUP_NOTICE_SECONDS = 600.0
_REMEMBERED_UPDATES = 2048
_REMEMBERED_GROUPS = 1024
_CHAT_ID = re.compile(r"-?[0-9]{1,20}")
_COMMAND = re.compile(r"/([A-Za-z0-9_]{1,64})(?:@[A-Za-z0-9_]+)?(?:\s+(.*))?", re.DOTALL)

# /sos must never come back empty, even when the assistant itself is down.
SOS_FALLBACK_LINE = FALLBACK_CRISIS_REPLY


def group_line(bot_name: str) -> str:
    """The polite answer in groups: Harbor only talks one to one."""
    if bot_name:
        return limits.say("telegram.group_with_link", bot_name=bot_name)
    return limits.say("telegram.group")


def sender_id_for(chat_id: int) -> str:
    """The Rasa conversation id of a Telegram chat."""
    return f"{SENDER_PREFIX}{chat_id}"


def chat_id_from(recipient_id: Text) -> Optional[int]:
    """The Telegram chat id behind a conversation id ("telegram:42"); None for any other id.

    A bare "42" is some other channel's conversation (a REST sender, say), never chat 42:
    Telegram ids are small enumerable numbers, so no other id may reach one.
    """
    raw = str(recipient_id)
    if not raw.startswith(SENDER_PREFIX):
        return None
    raw = raw[len(SENDER_PREFIX) :]
    return int(raw) if _CHAT_ID.fullmatch(raw) else None


class HarborTelegramOutput(OutputChannel):
    """Sends Rasa's responses to a Telegram chat.

    Holds no request state: one instance, bound to the channel's long-lived API client,
    serves every reply, reminder and triggered intent. Send failures are logged and
    swallowed, so a blocked bot or a network hiccup never aborts the conversation turn
    (and never loses the user's message from the tracker).
    """

    def __init__(self, api: TelegramBotApi, codec: CallbackCodec) -> None:
        """Creates the output channel.

        Args:
            api: the Bot API client (its session opens lazily on the running loop).
            codec: turns button payloads into callback data.
        """
        self._api = api
        self._codec = codec

    @classmethod
    def name(cls) -> Text:
        """The channel name Rasa uses for `channel:` response variations."""
        return CHANNEL_NAME

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        """Sends text, split into messages of at most 4096 characters."""
        chat_id = self._chat(recipient_id)
        if chat_id is None:
            return
        for piece in split_text(text or ""):
            await self._call("sendMessage", _text_params(chat_id, piece))

    async def send_text_with_buttons(
        self,
        recipient_id: Text,
        text: Text,
        buttons: List[Dict[Text, Any]],
        **kwargs: Any,
    ) -> None:
        """Sends text with an inline keyboard under its last part."""
        chat_id = self._chat(recipient_id)
        if chat_id is None:
            return
        vertical = kwargs.get("button_type") == "vertical"
        keyboard = inline_keyboard(buttons or [], self._codec, vertical=vertical)
        pieces = split_text(text or "") or [limits.say("telegram.buttons_prompt")]
        for index, piece in enumerate(pieces):
            params = _text_params(chat_id, piece)
            if keyboard and index == len(pieces) - 1:
                params["reply_markup"] = keyboard
            await self._call("sendMessage", params)

    async def send_image_url(self, recipient_id: Text, image: Text, **kwargs: Any) -> None:
        """Sends an image by URL."""
        chat_id = self._chat(recipient_id)
        if chat_id is not None:
            await self._call("sendPhoto", {"chat_id": chat_id, "photo": image})

    async def send_custom_json(
        self, recipient_id: Text, json_message: Dict[Text, Any], **kwargs: Any
    ) -> None:
        """Sends a custom payload Telegram can show; others are skipped.

        `{"export": {...}}` arrives as the file harbor-export.json (optional `caption`), and
        so does what the export action sends, `{"harbor_export": {"filename", "data"}}`;
        `{"text": "..."}` as a message. Payloads meant for other channels (the web chat's
        crisis card, say) are not dumped as JSON into the chat.
        """
        chat_id = self._chat(recipient_id)
        if chat_id is None or not isinstance(json_message, dict):
            return
        export = json_message.get("harbor_export")
        if isinstance(export, dict) and "data" in export:
            await self.send_export(chat_id, export["data"], json_message.get("caption"))
        elif "export" in json_message:
            caption = json_message.get("caption")
            await self.send_export(chat_id, json_message["export"], caption)
        elif isinstance(json_message.get("text"), str):
            await self.send_text_message(recipient_id, json_message["text"])
        else:
            logger.debug("Telegram: custom payload with keys %s not sent", sorted(json_message))

    async def send_export(self, chat_id: int, export: Any, caption: Optional[str]) -> None:
        """Sends a data export as a JSON document."""
        content = json.dumps(export, ensure_ascii=False, indent=2, default=str).encode()
        try:
            await self._api.send_document(
                chat_id,
                EXPORT_FILENAME,
                content,
                caption=caption if isinstance(caption, str) else None,
            )
        except TelegramApiError as error:
            logger.warning("Telegram: could not send the export: %s", error)

    async def _call(self, method: str, params: Dict[str, Any]) -> Any:
        try:
            return await self._api.call(method, params)
        except TelegramApiError as error:
            logger.warning("Telegram: %s", error)
            return None

    @staticmethod
    def _chat(recipient_id: Text) -> Optional[int]:
        chat_id = chat_id_from(recipient_id)
        if chat_id is None:
            logger.warning("Telegram: conversation id is not a Telegram chat; message not sent")
        return chat_id


class HarborTelegramInput(InputChannel):
    """Receives Telegram updates on a webhook and hands messages to Rasa."""

    @classmethod
    def name(cls) -> Text:
        """Channel name; also the URL prefix: /webhooks/telegram/..."""
        return CHANNEL_NAME

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        """Builds the channel from its credentials.yml block (environment as fallback)."""
        return cls(TelegramSettings.from_credentials(credentials))

    def __init__(self, settings: TelegramSettings) -> None:
        """Validates the settings; opens no connection.

        Args:
            settings: token, webhook URL, secret, API server, commands.
        """
        self.settings = settings
        problems = settings.problems()
        self.enabled = settings.configured and not problems
        self.webhook_registration: Optional["asyncio.Task[bool]"] = None
        self._api: Optional[TelegramBotApi] = None
        self._output: Optional[HarborTelegramOutput] = None
        self._codec = CallbackCodec(settings.callback_key)
        self._seen_updates: "OrderedDict[int, None]" = OrderedDict()
        self._group_notices: "OrderedDict[int, float]" = OrderedDict()
        self.limiter = ratelimit.from_environment()
        if not settings.configured:
            logger.info("Telegram is off: TELEGRAM_TOKEN is empty.")
        elif problems:
            logger.error("Telegram is off: %s", "; ".join(problems))
        else:
            self._api = TelegramBotApi(settings.token, settings.api_server)
            self._output = HarborTelegramOutput(self._api, self._codec)
            logger.info("Telegram is on: %s", settings.describe())

    def get_output_channel(self) -> Optional[OutputChannel]:
        """The long-lived output channel (None when Telegram is off).

        Rasa's `trigger_intent?output_channel=telegram` asks for it; reminders keep the
        one passed with the user's message, which is this same object.
        """
        return self._output

    def blueprint(self, on_new_message: Handler) -> Blueprint:
        """The webhook routes, plus listeners that set the webhook and close the client."""
        telegram = Blueprint("harbor_telegram")

        @telegram.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok" if self.enabled else "off"})

        # Streamed: Sanic would otherwise read the whole body before the secret is checked.
        @telegram.route("/webhook", methods=["POST"], stream=True)
        async def webhook(request: Request) -> HTTPResponse:
            return await self.receive(request, on_new_message)

        telegram.listener("after_server_start")(self._after_server_start)
        telegram.listener("after_server_stop")(self._after_server_stop)
        return telegram

    async def receive(self, request: Request, on_new_message: Handler) -> HTTPResponse:
        """Answers one webhook call: 2xx when handled or ignored, 4xx when refused."""
        if not self.enabled:
            return _answer(404, "Telegram is not configured on this server")
        supplied = request.headers.get(SECRET_HEADER)
        if supplied is None:
            return _answer(401, "missing secret token")
        if not hmac.compare_digest(supplied.encode(), self.settings.webhook_secret.encode()):
            logger.warning("Telegram webhook: wrong secret token; update refused")
            return _answer(403, "wrong secret token")
        body = await _read_bounded(request, MAX_BODY_BYTES)
        if body is None:
            return _answer(413, "body too large for a Telegram update")
        try:
            incoming = parse_update(json.loads(body))
        except (ValueError, RecursionError) as error:
            reason = str(error) if isinstance(error, MalformedUpdate) else "body is not JSON"
            return _answer(400, reason)
        if not self._first_delivery(incoming.update_id):
            return _answer(200, "already handled")
        try:
            await self._dispatch(incoming, on_new_message)
        except Exception as error:  # noqa: BLE001 - a 5xx would make Telegram retry forever
            logger.error("Telegram update %s failed: %s", incoming.update_id, type(error).__name__)
            logger.debug("Telegram update failure", exc_info=True)
        return _answer(200, "ok")

    async def _dispatch(self, incoming: Incoming, on_new_message: Handler) -> None:
        if incoming.callback_id is not None:
            # Until answered, the user's client shows a spinner on the button.
            await self._call_quietly(
                "answerCallbackQuery", {"callback_query_id": incoming.callback_id}
            )
        if incoming.kind is Kind.TEXT:
            await self._on_text(incoming, on_new_message)
        elif incoming.kind is Kind.CALLBACK:
            await self._on_button(incoming, on_new_message)
        elif incoming.kind is Kind.MEDIA:
            await self._on_media(incoming, on_new_message)
        elif incoming.kind is Kind.GROUP:
            await self._on_group(incoming)
        else:
            logger.debug("Telegram update %s ignored: %s", incoming.update_id, incoming.reason)

    async def _on_text(self, incoming: Incoming, on_new_message: Handler) -> None:
        if not self.limiter.allow(incoming.chat_id):
            await self._say(incoming, limits.rate_limited_reply(incoming.text))
            return
        # The same bounds as every other channel (empty, too long, control characters).
        checked = limits.check_text(incoming.text or "")
        if not checked.ok:
            await self._say(incoming, checked.reply)
            return
        if incoming.forwarded and telegram_forwarded.reads_as_crisis(checked.text):
            # Someone else's words, maybe: ask before answering as if they were the person's.
            await self._ask_whose_words(incoming)
            return
        await self._forward(incoming, self.rasa_text(checked.text), on_new_message)

    async def _ask_whose_words(self, incoming: Incoming) -> None:
        if self._output is not None and incoming.chat_id is not None:
            await self._output.send_text_with_buttons(
                sender_id_for(incoming.chat_id),
                telegram_forwarded.question(),
                telegram_forwarded.buttons(),
            )

    async def _on_button(self, incoming: Incoming, on_new_message: Handler) -> None:
        if not self.limiter.allow(incoming.chat_id):
            await self._say(incoming, limits.say("channel.rate_limited"))
            return
        payload = self._codec.decode(incoming.callback_data or "")
        if payload is None:
            await self._say(incoming, limits.say("telegram.expired_button"))
            return
        if payload == telegram_forwarded.SOMEONE_ELSE_PAYLOAD:
            await self._say(incoming, telegram_forwarded.someone_else_line())
            return
        if incoming.message_id is not None:
            # One answer per question: an old keyboard pressed later would derail the flow.
            await self._call_quietly(
                "editMessageReplyMarkup",
                {
                    "chat_id": incoming.chat_id,
                    "message_id": incoming.message_id,
                    "reply_markup": {"inline_keyboard": []},
                },
            )
        await self._forward(incoming, payload, on_new_message)

    async def _on_media(self, incoming: Incoming, on_new_message: Handler) -> None:
        if not incoming.text:
            await self._say(incoming, limits.say("telegram.not_text"))
            return
        await self._say(incoming, limits.say("telegram.caption"))
        await self._on_text(dataclasses.replace(incoming, kind=Kind.TEXT), on_new_message)

    async def _on_group(self, incoming: Incoming) -> None:
        # Said once per group per interval: with privacy mode off a bot sees every message.
        now = time.monotonic()
        last = self._group_notices.get(incoming.chat_id)
        if last is not None and now - last < GROUP_NOTICE_SECONDS:
            return
        _remember(self._group_notices, incoming.chat_id, now, _REMEMBERED_GROUPS)
        await self._say(incoming, group_line(self.settings.bot_name))

    def rasa_text(self, text: str) -> str:
        """Turns what the user typed into what Rasa receives.

        Known commands become their intent ("/sos" -> "/request_resources"). Other text
        starting with "/" loses the slash, so NLU reads the words and nobody can trigger
        an arbitrary intent by typing its name.
        """
        match = _COMMAND.fullmatch(text)
        if match:
            intent = self.settings.commands.get(match.group(1).lower())
            if intent:
                return f"/{intent}"
            text = f"{match.group(1)} {match.group(2) or ''}"
        words = text.lstrip("/").strip()
        return words or f"/{self.settings.commands['help']}"

    async def _forward(
        self,
        incoming: Incoming,
        text: str,
        on_new_message: Handler,
    ) -> None:
        await self._call_quietly(
            "sendChatAction", {"chat_id": incoming.chat_id, "action": "typing"}
        )
        message = UserMessage(
            text,
            self._output,
            sender_id_for(incoming.chat_id),
            input_channel=self.name(),
            metadata=_metadata(incoming),
        )
        try:
            await on_new_message(message)
        except Exception as error:  # noqa: BLE001 - the user must hear something back
            logger.error("Telegram: handling a message failed: %s", type(error).__name__)
            logger.debug("Telegram message failure", exc_info=True)
            sos = text == f"/{self.settings.commands['sos']}"
            await self._say(incoming, SOS_FALLBACK_LINE if sos else limits.say("telegram.failure"))

    async def _say(self, incoming: Incoming, line: str) -> None:
        if self._output is not None and incoming.chat_id is not None:
            await self._output.send_text_message(sender_id_for(incoming.chat_id), line)

    async def _call_quietly(self, method: str, params: Dict[str, Any]) -> None:
        if self._api is None:
            return
        try:
            await self._api.call(method, params)
        except TelegramApiError as error:
            logger.warning("Telegram: %s", error)

    def _first_delivery(self, update_id: int) -> bool:
        # Telegram re-delivers an update it thinks we missed; answer it only once.
        if update_id in self._seen_updates:
            return False
        _remember(self._seen_updates, update_id, None, _REMEMBERED_UPDATES)
        return True

    async def _after_server_start(self, app: Any, loop: asyncio.AbstractEventLoop) -> None:
        if self.enabled:
            # In the background: a slow Bot API must not hold up the server's start.
            self.webhook_registration = asyncio.ensure_future(self.register_webhook())

    async def _after_server_stop(self, app: Any, loop: asyncio.AbstractEventLoop) -> None:
        task = self.webhook_registration
        if task is not None and not task.done():
            task.cancel()
        if self._api is not None:
            await self._api.close()

    async def register_webhook(self) -> bool:
        """Calls setWebhook with the secret; returns whether Telegram accepted it."""
        url = self.settings.webhook_url
        if self._api is None:
            return False
        if not url:
            logger.warning(
                "Telegram: TELEGRAM_WEBHOOK_URL is empty, so setWebhook was not called. "
                "Updates arrive only if a webhook with the same secret was set before."
            )
            return False
        if not url.startswith("https://"):
            logger.warning("Telegram: Telegram only delivers to https:// webhook URLs")
        params = {
            "url": url,
            "secret_token": self.settings.webhook_secret,
            "allowed_updates": ALLOWED_UPDATES,
        }
        try:
            await self._api.call("setWebhook", params)
        except TelegramApiError as error:
            logger.error("Telegram: setWebhook failed, no updates will arrive: %s", error)
            return False
        logger.info("Telegram: webhook set to %s", url)
        return True


def _text_params(chat_id: int, text: str) -> Dict[str, Any]:
    # Plain text (no parse_mode): nothing in a reply can break Markdown/HTML parsing.
    return {"chat_id": chat_id, "text": text, "link_preview_options": {"is_disabled": True}}


def _metadata(incoming: Incoming) -> Dict[str, Any]:
    # language_code is the app's language: a hint for wording, never the user's country.
    metadata: Dict[str, Any] = {
        "telegram": {
            "chat_id": incoming.chat_id,
            "message_id": incoming.message_id,
            "update_id": incoming.update_id,
        }
    }
    if incoming.language_code:
        metadata["language_code"] = incoming.language_code
    return metadata


async def _read_bounded(request: Request, limit: int) -> Optional[bytes]:
    """The request body, or None as soon as it is known to exceed ``limit`` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return None  # refused without reading it
    if request.body or request.stream is None:
        return request.body if len(request.body) <= limit else None
    body = bytearray()
    while True:
        chunk = await request.stream.read()
        if chunk is None:
            return bytes(body)
        body += chunk
        if len(body) > limit:
            return None


def _remember(memory: "OrderedDict[Any, Any]", key: Any, value: Any, capacity: int) -> None:
    memory[key] = value
    memory.move_to_end(key)
    while len(memory) > capacity:
        memory.popitem(last=False)


def _answer(status: int, description: str) -> HTTPResponse:
    return response.json({"ok": 200 <= status < 300, "description": description}, status=status)
