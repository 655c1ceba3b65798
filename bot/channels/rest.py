"""Harbor's REST channel: Rasa's ``RestInput`` with its input bounded.

Stock ``RestInput`` trusts the request: a non-object body, a missing sender or a
100 KB message either crash into a 500 or hold the server for half a minute. This
channel checks the request first and answers bad input with a 4xx JSON error (or, for
a message that is merely too long, a short bot reply) before Rasa is involved.

REST is for trusted integrations (a script, a partner's backend), never for browsers:

* Its conversations are ``rest:<sender>``. A REST client can only ever speak as a REST
  person: never as a web-page session, a Telegram chat or another channel's person, however
  it spells ``sender`` (``bot.store.identity`` matches the prefix exactly).
* With ``token`` set (``HARBOR_REST_TOKEN``) every request needs
  ``Authorization: Bearer <token>``; the Rasa server refuses to listen beyond loopback
  without it (``bot.server.rasa_server``).
* Each sender is rate limited (``bot.security.ratelimit``): 429 with ``Retry-After``.

The channel keeps the name ``rest`` so the URL stays ``/webhooks/rest/webhook``.
credentials.yml::

    bot.channels.rest.HarborRestInput:
      token: ${HARBOR_REST_TOKEN}
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text, Union

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse, ResponseStream

from bot.channels import limits
from bot.security import ratelimit
from bot.server.guard import token_matches

logger = logging.getLogger(__name__)

# A body this large is refused outright (413); anything smaller is parsed so that an
# over-long message still gets the friendly "send it in parts" answer.
MAX_BODY_BYTES = 1024 * 1024
CONVERSATION_PREFIX = "rest:"

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


class BadRequest(Exception):
    """A request Harbor refuses, with the HTTP status and a JSON-able explanation."""

    def __init__(self, status: int, error: str, message: str) -> None:
        """Creates the error.

        Args:
            status: the HTTP status to answer with (4xx).
            error: a short machine-readable code, e.g. ``invalid_json``.
            message: a sentence a developer can act on.
        """
        super().__init__(message)
        self.status = status
        self.error = error
        self.message = message

    def to_response(self) -> HTTPResponse:
        """The JSON response for this error."""
        return response.json({"error": self.error, "message": self.message}, status=self.status)


@dataclass(frozen=True)
class RestRequest:
    """A validated REST message; ``sender_id`` is the conversation id (``rest:<sender>``)."""

    sender_id: str
    checked: limits.Checked
    metadata: Optional[Dict[Text, Any]]
    text: Any = None


def parse_body(body: Optional[bytes]) -> Dict[Text, Any]:
    """Decodes a request body into a JSON object.

    Raises:
        BadRequest: the body is too large, not UTF-8, not JSON or not an object.
    """
    if not body:
        raise BadRequest(400, "empty_body", 'Send a JSON object: {"sender": ..., "message": ...}.')
    if len(body) > MAX_BODY_BYTES:
        raise BadRequest(413, "body_too_large", f"The request body is over {MAX_BODY_BYTES} bytes.")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest(400, "invalid_utf8", "The request body is not valid UTF-8.") from None
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise BadRequest(400, "invalid_json", "The request body is not valid JSON.") from None
    if not isinstance(data, dict):
        raise BadRequest(400, "invalid_json", "The request body must be a JSON object.")
    return data


def validate(data: Dict[Text, Any]) -> RestRequest:
    """Checks the fields of a REST message.

    Raises:
        BadRequest: sender, message or metadata is missing or of the wrong type.
    """
    sender_id = limits.check_sender_id(data.get("sender"))
    if sender_id is None:
        raise BadRequest(
            400,
            "invalid_sender",
            "'sender' is required: a string of up to "
            f"{limits.MAX_SENDER_ID_CHARS} letters, digits or _.:@+-",
        )
    if "message" not in data:
        raise BadRequest(400, "missing_message", "'message' is required.")
    checked = limits.check_text(data["message"])
    if checked.verdict is limits.Verdict.NOT_TEXT:
        raise BadRequest(400, "invalid_message", "'message' must be a string of text.")
    if checked.verdict is limits.Verdict.EMPTY:
        raise BadRequest(400, "empty_message", "'message' is empty. " + limits.say("channel.empty"))
    metadata = data.get("metadata")
    if metadata is not None and not isinstance(metadata, dict):
        raise BadRequest(400, "invalid_metadata", "'metadata' must be a JSON object.")
    return RestRequest(CONVERSATION_PREFIX + sender_id, checked, metadata, data["message"])


class HarborRestInput(RestInput):
    """Rasa's REST channel with bounded, validated input."""

    @classmethod
    def name(cls) -> Text:
        """Same name as the stock channel, so the webhook URL does not change."""
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "HarborRestInput":
        """Builds the channel; ``token`` (optional) is what integrations must present."""
        token = (credentials or {}).get("token")
        return cls(token=str(token) if token else None)

    def __init__(self, token: Optional[str] = None) -> None:
        """Creates the channel; without ``token`` it is open (loopback only, see module doc)."""
        super().__init__()
        self.token = token or None
        self.limiter = ratelimit.from_environment()

    def _authorized(self, request: Request) -> bool:
        if self.token is None:
            return True
        scheme, _, given = (request.headers.get("authorization") or "").partition(" ")
        return scheme.lower() == "bearer" and token_matches(given.strip(), self.token)

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        """The ``/webhooks/rest`` routes: a health check and the message webhook."""
        webhook = Blueprint(f"harbor_webhook_{type(self).__name__}", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> Union[ResponseStream, HTTPResponse]:
            if not self._authorized(request):
                refusal = BadRequest(401, "token_required", "Send Authorization: Bearer <token>.")
                return refusal.to_response()
            try:
                message = validate(parse_body(request.body))
            except BadRequest as error:
                return error.to_response()
            if not self.limiter.allow(message.sender_id):
                text = limits.rate_limited_reply(message.text)
                reply = [{"recipient_id": message.sender_id, "text": text}]
                seconds = self.limiter.retry_after(message.sender_id)
                return response.json(reply, status=429, headers={"Retry-After": str(seconds)})
            if not message.checked.ok:
                # Too long: answer at once, without spending NLU on it.
                return response.json(
                    [{"recipient_id": message.sender_id, "text": message.checked.reply}]
                )
            if _wants_stream(request):
                return response.stream(
                    self.stream_response(
                        on_new_message,
                        message.checked.text,
                        message.sender_id,
                        self.name(),
                        message.metadata,
                    ),
                    content_type="text/event-stream",
                )
            return response.json(await self._handle(on_new_message, message))

        return webhook

    async def _handle(
        self, on_new_message: OnNewMessage, message: RestRequest
    ) -> List[Dict[Text, Any]]:
        """Runs one turn and returns the bot's messages.

        A failure inside Rasa is logged (without the user's text) and answered with a
        short "please send it again", never a 500: the user must not lose the thread.
        """
        collector = CollectingOutputChannel()
        try:
            await on_new_message(
                UserMessage(
                    message.checked.text,
                    collector,
                    message.sender_id,
                    input_channel=self.name(),
                    metadata=message.metadata,
                )
            )
        except Exception as error:
            # The type only: exception texts (e.g. SQL parameters) may hold the message.
            logger.error("REST turn failed inside Rasa: %s", type(error).__name__)
            logger.debug("REST turn failure", exc_info=True)
            return collector.messages or [_failure(message.sender_id)]
        return collector.messages


def _failure(sender_id: str) -> Dict[Text, Any]:
    return {"recipient_id": sender_id, "text": limits.say("channel.failure")}


def _wants_stream(request: Request) -> bool:
    value = request.args.get("stream", "")
    return isinstance(value, str) and value.lower() == "true"
