"""The Telegram connector end to end over HTTP: a real Sanic server with the channel mounted
the way Rasa mounts it, a stand-in for Rasa's agent, and a fake Bot API server that records
what the user would receive."""

import base64
import contextlib
import itertools
import json
import socket
from types import SimpleNamespace
from typing import Any, AsyncIterator, Dict, List, Optional

import aiohttp
import pytest
from rasa.server import _get_output_channel
from sanic import Sanic

from bot.channels import limits
from bot.channels.telegram import (
    SECRET_HEADER,
    SOS_FALLBACK_LINE,
    HarborTelegramInput,
    HarborTelegramOutput,
)
from tests.channels import harness
from tests.channels.fake_telegram import FakeTelegram
from tests.channels.harness import StubAgent

CAPTION_LINE = limits.say("telegram.caption")
EXPIRED_BUTTON_LINE = limits.say("telegram.expired_button")
FAILURE_LINE = limits.say("telegram.failure")
NON_TEXT_LINE = limits.say("telegram.not_text")

TOKEN = "123456:TEST-token_abc"
SECRET = "s3cret-Harbor_token"
CHAT = 111222333
WEBHOOK_URL = "https://harbor.example/webhooks/telegram/webhook"
_ids = itertools.count(5000)


class Harbor:
    """The running server under test."""

    def __init__(
        self, url: str, channel: HarborTelegramInput, agent: StubAgent, app: Sanic
    ) -> None:
        self.url = url
        self.channel = channel
        self.agent = agent
        self.app = app

    async def post(
        self, body: Any, secret: Optional[str] = SECRET, raw: bool = False
    ) -> aiohttp.ClientResponse:
        headers = {"Content-Type": "application/json"}
        if secret is not None:
            headers[SECRET_HEADER] = secret
        data = body if raw else json.dumps(body).encode()
        async with aiohttp.ClientSession() as session:
            async with session.post(
                f"{self.url}/webhooks/telegram/webhook", data=data, headers=headers
            ) as response:
                await response.read()
                return response


def credentials(fake: FakeTelegram, **overrides: str) -> Dict[str, str]:
    values = {
        "token": TOKEN,
        "bot_name": "harbor_bot",
        "webhook_url": WEBHOOK_URL,
        "secret_token": SECRET,
        "api_server": fake.url,
    }
    values.update(overrides)
    return values


@contextlib.asynccontextmanager
async def serving(channel: HarborTelegramInput) -> AsyncIterator[Harbor]:
    """Runs a Sanic app with the channel registered by Rasa's own `register`."""
    async with harness.serving([channel]) as served:
        yield Harbor(served.url, channel, served.agent, served.app)


@pytest.fixture(autouse=True)
def sanic_test_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    """Sanic 21.12 rewrites its protocol class on each app start unless in test mode, and
    the second rewrite in one process fails; test mode keeps the original."""
    monkeypatch.setattr(Sanic, "test_mode", True)


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    server = FakeTelegram(TOKEN)
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def harbor(fake: FakeTelegram) -> AsyncIterator[Harbor]:
    channel = HarborTelegramInput.from_credentials(credentials(fake))
    async with serving(channel) as running:
        assert await channel.webhook_registration is True
        yield running


def user(language_code: Optional[str] = "en") -> Dict[str, Any]:
    sender = {"id": CHAT, "is_bot": False, "first_name": "Sam"}
    if language_code:
        sender["language_code"] = language_code
    return sender


def private_chat() -> Dict[str, Any]:
    return {"id": CHAT, "first_name": "Sam", "type": "private"}


def message_update(chat: Optional[Dict[str, Any]] = None, **fields: Any) -> Dict[str, Any]:
    message = {
        "message_id": next(_ids),
        "from": user(),
        "chat": chat or private_chat(),
        "date": 1717000000,
    }
    message.update(fields)
    return {"update_id": next(_ids), "message": message}


def text_update(text: str, **kwargs: Any) -> Dict[str, Any]:
    fields: Dict[str, Any] = {"text": text}
    if text.startswith("/"):
        command = text.split()[0]
        fields["entities"] = [{"offset": 0, "length": len(command), "type": "bot_command"}]
    return message_update(**fields, **kwargs)


def callback_update(data: str, keyboard_message_id: int = 4242) -> Dict[str, Any]:
    return {
        "update_id": next(_ids),
        "callback_query": {
            "id": f"cb{next(_ids)}",
            "from": user(),
            "message": {
                "message_id": keyboard_message_id,
                "from": {"id": 1, "is_bot": True, "first_name": "Harbor"},
                "chat": private_chat(),
                "date": 1717000000,
                "text": "What's going on right now?",
            },
            "chat_instance": "-8713650276544",
            "data": data,
        },
    }


GREETING = {
    "text": "Hi, I'm Harbor, a support bot. What's going on right now?",
    "buttons": [
        {"title": "I want to contact them", "payload": "/craving_contact"},
        {"title": "I need to calm down", "payload": "/request_grounding"},
        {"title": "8", "payload": '/inform_urge{"urge_strength": 8, "note": "' + "x" * 60 + '"}'},
    ],
}


async def test_nothing_is_sent_before_the_server_starts(fake: FakeTelegram) -> None:
    channel = HarborTelegramInput.from_credentials(credentials(fake))
    channel.blueprint(StubAgent().handle_message)

    assert fake.calls == []


async def test_set_webhook_carries_the_secret_and_the_url(harbor: Harbor, fake: FakeTelegram):
    (call,) = fake.of("setWebhook")

    assert call.params["url"] == WEBHOOK_URL
    assert call.params["secret_token"] == SECRET
    assert call.params["allowed_updates"] == ["message", "callback_query"]


async def test_without_an_explicit_secret_a_derived_one_is_set_and_enforced(fake: FakeTelegram):
    channel = HarborTelegramInput.from_credentials(credentials(fake, secret_token=""))
    async with serving(channel) as harbor:
        assert await channel.webhook_registration is True
        derived = fake.of("setWebhook")[0].params["secret_token"]
        assert derived and derived != TOKEN and TOKEN not in derived

        refused = await harbor.post(text_update("hello"), secret="")
        accepted = await harbor.post(text_update("hello"), secret=derived)

    assert (refused.status, accepted.status) == (403, 200)
    assert harbor.agent.texts == ["hello"]


async def test_text_message_reaches_rasa_and_the_reply_reaches_the_chat(
    harbor: Harbor, fake: FakeTelegram
) -> None:
    answer = await harbor.post(text_update("I want to text him so badly"))

    assert answer.status == 200
    (message,) = harbor.agent.messages
    assert message.text == "I want to text him so badly"
    assert message.sender_id == f"telegram:{CHAT}"
    assert message.input_channel == "telegram"
    assert fake.sent_texts() == ["echo: I want to text him so badly"]
    assert fake.of("sendMessage")[0].params["chat_id"] == CHAT
    assert fake.of("sendChatAction")[0].params == {"chat_id": CHAT, "action": "typing"}


async def test_language_code_is_passed_as_a_hint_never_as_the_country(harbor: Harbor) -> None:
    update = text_update("hi")
    update["message"]["from"]["language_code"] = "pt-br"

    await harbor.post(update)

    metadata = harbor.agent.messages[0].metadata
    assert metadata["language_code"] == "pt-br"
    assert "country" not in json.dumps(metadata)
    assert metadata["telegram"]["chat_id"] == CHAT


async def test_buttons_become_an_inline_keyboard_with_short_callback_data(
    harbor: Harbor, fake: FakeTelegram
) -> None:
    harbor.agent.replies["hi"] = [GREETING]

    await harbor.post(text_update("hi"))

    (sent,) = fake.of("sendMessage")
    rows = sent.params["reply_markup"]["inline_keyboard"]
    keys = [key for row in rows for key in row]
    assert [key["text"] for key in keys] == ["I want to contact them", "I need to calm down", "8"]
    assert all(len(key["callback_data"].encode()) <= 64 for key in keys)


async def test_pressing_a_button_answers_the_query_and_sends_its_payload(
    harbor: Harbor, fake: FakeTelegram
) -> None:
    harbor.agent.replies["hi"] = [GREETING]
    await harbor.post(text_update("hi"))
    keys = [
        key
        for row in fake.of("sendMessage")[0].params["reply_markup"]["inline_keyboard"]
        for key in row
    ]

    pressed = callback_update(keys[0]["callback_data"])
    answer = await harbor.post(pressed)

    assert answer.status == 200
    (answered,) = fake.of("answerCallbackQuery")
    assert answered.params["callback_query_id"] == pressed["callback_query"]["id"]
    assert harbor.agent.texts[-1] == "/craving_contact"
    (cleared,) = fake.of("editMessageReplyMarkup")
    assert cleared.params["message_id"] == 4242
    assert cleared.params["reply_markup"] == {"inline_keyboard": []}
    assert fake.sent_texts()[-1] == "echo: /craving_contact"


async def test_a_payload_longer_than_64_bytes_still_round_trips(harbor: Harbor, fake: FakeTelegram):
    harbor.agent.replies["hi"] = [GREETING]
    await harbor.post(text_update("hi"))
    keys = [
        key
        for row in fake.of("sendMessage")[0].params["reply_markup"]["inline_keyboard"]
        for key in row
    ]

    await harbor.post(callback_update(keys[2]["callback_data"]))

    assert harbor.agent.texts[-1] == GREETING["buttons"][2]["payload"]


async def test_forged_callback_data_is_answered_but_never_reaches_rasa(
    harbor: Harbor, fake: FakeTelegram
) -> None:
    answer = await harbor.post(callback_update("/crisis"))

    assert answer.status == 200
    assert len(fake.of("answerCallbackQuery")) == 1
    assert harbor.agent.messages == []
    assert fake.sent_texts() == [EXPIRED_BUTTON_LINE]


@pytest.mark.parametrize(
    "fields",
    [
        {
            "sticker": {
                "file_id": "CAACAgIAAxk",
                "file_unique_id": "AgAD",
                "type": "regular",
                "width": 512,
                "height": 512,
                "is_animated": False,
                "is_video": False,
                "emoji": "😢",
            }
        },
        {
            "voice": {
                "file_id": "AwACAgIAAxk",
                "file_unique_id": "AgADv",
                "duration": 4,
                "mime_type": "audio/ogg",
                "file_size": 12034,
            }
        },
        {
            "photo": [
                {
                    "file_id": "AgACAgIAAxk",
                    "file_unique_id": "AQADp",
                    "width": 90,
                    "height": 67,
                    "file_size": 1290,
                }
            ]
        },
        {
            "document": {
                "file_id": "BQACAgIAAxk",
                "file_unique_id": "AgADd",
                "file_name": "notes.pdf",
                "mime_type": "application/pdf",
            }
        },
    ],
    ids=["sticker", "voice", "photo", "document"],
)
async def test_non_text_gets_a_kind_line_instead_of_silence(
    harbor: Harbor, fake: FakeTelegram, fields: Dict[str, Any]
) -> None:
    answer = await harbor.post(message_update(**fields))

    assert answer.status == 200
    assert fake.sent_texts() == [NON_TEXT_LINE]
    assert harbor.agent.messages == []


async def test_a_photo_caption_is_still_read(harbor: Harbor, fake: FakeTelegram) -> None:
    photo = [{"file_id": "AgACAgIAAxk", "file_unique_id": "AQADp", "width": 90, "height": 67}]

    await harbor.post(message_update(photo=photo, caption="he sent me this"))

    assert harbor.agent.texts == ["he sent me this"]
    assert fake.sent_texts() == [CAPTION_LINE, "echo: he sent me this"]


async def test_edited_messages_are_not_processed_again(harbor: Harbor, fake: FakeTelegram):
    original = text_update("I texted him")
    await harbor.post(original)
    edit = {
        "update_id": next(_ids),
        "edited_message": dict(original["message"], text="I almost texted him", edit_date=1),
    }

    answer = await harbor.post(edit)

    assert answer.status == 200
    assert harbor.agent.texts == ["I texted him"]
    assert len(fake.of("sendMessage")) == 1


async def test_group_chats_get_one_polite_line_and_nothing_is_processed(
    harbor: Harbor, fake: FakeTelegram
) -> None:
    group = {"id": -1001234567890, "title": "Friends", "type": "supergroup"}

    first = await harbor.post(text_update("/start@harbor_bot", chat=group))
    second = await harbor.post(text_update("my ex is texting me again", chat=group))

    assert (first.status, second.status) == (200, 200)
    assert harbor.agent.messages == []
    (line,) = fake.of("sendMessage")
    assert line.params["chat_id"] == group["id"]
    assert "private" in line.params["text"] and "https://t.me/harbor_bot" in line.params["text"]


@pytest.mark.parametrize(("secret", "status"), [(None, 401), ("", 403), ("guess", 403)])
async def test_a_wrong_or_missing_secret_is_refused_and_nothing_happens(
    harbor: Harbor, fake: FakeTelegram, secret: Optional[str], status: int
) -> None:
    answer = await harbor.post(text_update("hello"), secret=secret)

    assert answer.status == status
    assert harbor.agent.messages == []
    assert [call.method for call in fake.calls] == ["setWebhook"]


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not json",
        b"\xff\xfe\x00garbage",
        b"[1, 2, 3]",
        b'"a string"',
        b'{"update_id": "7"}',
        b'{"update_id": true, "message": {}}',
        b'{"message": {"text": "no update id"}}',
        b'{"update_id": 7, "message": "hello"}',
        b'{"update_id": 7, "message": {"message_id": 1, "chat": {"id": "x"}}}',
        b'{"update_id": 7, "message": {"message_id": 1, "chat": {"id": 5, "type": "private"},'
        b' "text": 42}}',
        b'{"update_id": 7, "callback_query": {"data": "x"}}',
        b"[" * 100_000 + b"]" * 100_000,
    ],
    ids=lambda body: body[:40].decode("latin-1"),
)
async def test_junk_bodies_get_400_never_a_5xx_and_the_server_keeps_going(
    harbor: Harbor, fake: FakeTelegram, body: bytes
) -> None:
    answer = await harbor.post(body, raw=True)
    after = await harbor.post(text_update("still there?"))

    assert answer.status == 400
    assert after.status == 200
    assert harbor.agent.texts == ["still there?"]


async def test_an_oversized_body_is_refused(harbor: Harbor) -> None:
    update = text_update("x" * 300_000)

    answer = await harbor.post(update)

    assert answer.status == 413
    assert harbor.agent.messages == []


async def test_unknown_update_types_and_unknown_fields_are_accepted_quietly(
    harbor: Harbor, fake: FakeTelegram
) -> None:
    poll_answer = {"update_id": next(_ids), "poll_answer": {"poll_id": "1", "option_ids": [0]}}
    with_extras = text_update("hi", brand_new_field={"x": 1})

    answers = [await harbor.post(poll_answer), await harbor.post(with_extras)]

    assert [answer.status for answer in answers] == [200, 200]
    assert harbor.agent.texts == ["hi"]


async def test_a_message_longer_than_telegram_allows_gets_a_clear_answer(
    harbor: Harbor, fake: FakeTelegram
) -> None:
    await harbor.post(text_update("a" * 5000))

    assert harbor.agent.messages == []
    assert fake.sent_texts() == [limits.say("channel.too_long")]


async def test_blank_and_odd_text_never_breaks_anything(harbor: Harbor, fake: FakeTelegram):
    answers = [
        await harbor.post(text_update("   ")),
        await harbor.post(text_update("💔💔💔")),
        await harbor.post(text_update("nul\u0000byte")),
        await harbor.post(raw=True, body=json.dumps(text_update("lone \ud800 surrogate")).encode()),
    ]

    assert [answer.status for answer in answers] == [200, 200, 200, 200]
    assert harbor.agent.texts == ["💔💔💔", "nulbyte", "lone ? surrogate"]
    assert fake.sent_texts()[0] == limits.say("channel.empty")


async def test_a_5000_character_reply_arrives_in_two_messages(harbor: Harbor, fake: FakeTelegram):
    paragraph = "Breathe in slowly and notice your feet on the floor. " * 20
    reply = "\n\n".join([paragraph.strip()] * 5)
    assert len(reply) >= 5000
    harbor.agent.replies["long please"] = [{"text": reply}]

    await harbor.post(text_update("long please"))

    texts = fake.sent_texts()
    assert len(texts) == 2
    assert all(len(text) <= 4096 for text in texts)
    assert "".join(texts).replace("\n", "") == reply.replace("\n", "")


@pytest.mark.parametrize(
    ("typed", "rasa_gets"),
    [
        ("/start", "/greet"),
        ("/start deep-link-param", "/greet"),
        ("/help", "/ask_capabilities"),
        ("/sos", "/request_resources"),
        ("/SOS@harbor_bot", "/request_resources"),
        ("/delete", "/delete_my_data"),
        ("/export", "/export_my_data"),
        ("/plan", "/request_safety_plan"),
        ("/crisis", "crisis"),
        ('/inform_country{"country": "US"}', 'inform_country{"country": "US"}'),
        ("/", "/ask_capabilities"),
    ],
)
async def test_commands_map_to_intents_and_nothing_else_can_name_one(
    harbor: Harbor, typed: str, rasa_gets: str
) -> None:
    await harbor.post(text_update(typed))

    assert harbor.agent.texts == [rasa_gets]


async def test_sos_brings_the_resources_answer_at_once(harbor: Harbor, fake: FakeTelegram):
    resources = "If you're in the US or Canada, call or text 988. You're not alone."
    harbor.agent.replies["/request_resources"] = [{"text": resources}]

    await harbor.post(text_update("/sos"))

    assert harbor.agent.texts == ["/request_resources"]
    assert fake.sent_texts() == [resources]


async def test_sos_still_answers_when_the_assistant_is_down(harbor: Harbor, fake: FakeTelegram):
    harbor.agent.fail = True

    answer = await harbor.post(text_update("/sos"))

    assert answer.status == 200
    assert fake.sent_texts() == [SOS_FALLBACK_LINE]
    assert "988" in SOS_FALLBACK_LINE


async def test_a_failing_turn_gets_a_kind_line_and_a_200(harbor: Harbor, fake: FakeTelegram):
    harbor.agent.fail = True

    answer = await harbor.post(text_update("are you there"))

    assert answer.status == 200
    assert fake.sent_texts() == [FAILURE_LINE]


async def test_export_arrives_as_a_json_document(harbor: Harbor, fake: FakeTelegram) -> None:
    export = {"user": {"country": "GB"}, "vault": [{"text": "the message I didn't send"}]}
    harbor.agent.replies["/export_my_data"] = [
        {"text": "Here is everything I keep about you.", "custom": {"export": export}}
    ]

    await harbor.post(text_update("/export"))

    assert fake.sent_texts() == ["Here is everything I keep about you."]
    (document,) = fake.of("sendDocument")
    assert document.params["chat_id"] == str(CHAT)
    filename, content = document.files["document"]
    assert filename == "harbor-export.json"
    assert json.loads(content) == export


async def test_the_export_action_s_message_arrives_as_a_document(
    harbor: Harbor, fake: FakeTelegram
) -> None:
    document = {"format": "harbor-export/1", "vault_entries": [{"text": "unsent words"}]}
    export = {"filename": "harbor-export-2026-01-01.json", "data": document}
    harbor.agent.replies["/export_my_data"] = [{"custom": {"harbor_export": export}}]

    await harbor.post(text_update("/export"))

    (sent,) = fake.of("sendDocument")
    assert json.loads(sent.files["document"][1]) == document


PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8


async def test_progress_arrives_as_a_photo_with_its_summary_as_caption(
    harbor: Harbor, fake: FakeTelegram
) -> None:
    summary = "Here's your last 30 days.\nWhat helped most: box breathing."
    photo = {"data": base64.b64encode(PNG).decode(), "caption": summary}
    harbor.agent.replies["/show_progress"] = [{"custom": {"harbor_photo": photo}}]

    await harbor.post(text_update("/progress"))

    assert harbor.agent.texts == ["/show_progress"]
    (sent,) = fake.of("sendPhoto")
    assert sent.params == {"chat_id": str(CHAT), "caption": summary}
    assert sent.files["photo"] == ("progress.png", PNG)
    assert fake.sent_texts() == []


async def test_a_summary_too_long_for_a_caption_follows_as_a_message(
    harbor: Harbor, fake: FakeTelegram
) -> None:
    summary = " ".join(["word"] * 300)
    photo = {"data": base64.b64encode(PNG).decode(), "caption": summary}
    harbor.agent.replies["/show_progress"] = [{"custom": {"harbor_photo": photo}}]

    await harbor.post(text_update("/progress"))

    (sent,) = fake.of("sendPhoto")
    assert "caption" not in sent.params
    assert "".join(fake.sent_texts()) == summary


async def test_a_failed_photo_still_brings_the_words(harbor: Harbor, fake: FakeTelegram) -> None:
    fake.fail("sendPhoto", 400, "Bad Request: PHOTO_INVALID_DIMENSIONS")
    photo = {"data": base64.b64encode(PNG).decode(), "caption": "What helped most: vault."}
    harbor.agent.replies["/show_progress"] = [{"custom": {"harbor_photo": photo}}]

    await harbor.post(text_update("/progress"))

    assert fake.sent_texts() == ["What helped most: vault."]


async def test_custom_payloads_for_other_channels_are_not_dumped_into_the_chat(
    harbor: Harbor, fake: FakeTelegram
) -> None:
    harbor.agent.replies["hi"] = [{"text": "Hello.", "custom": {"crisis_card": {"tel": "988"}}}]

    await harbor.post(text_update("hi"))

    assert fake.sent_texts() == ["Hello."]


async def test_the_same_update_delivered_twice_is_handled_once(harbor: Harbor, fake: FakeTelegram):
    update = text_update("only once")

    answers = [await harbor.post(update), await harbor.post(update)]

    assert [answer.status for answer in answers] == [200, 200]
    assert harbor.agent.texts == ["only once"]


async def test_messages_from_other_bots_are_ignored(harbor: Harbor) -> None:
    update = text_update("beep")
    update["message"]["from"]["is_bot"] = True

    await harbor.post(update)

    assert harbor.agent.messages == []


async def test_a_reminder_sent_after_the_request_reaches_the_chat(
    harbor: Harbor, fake: FakeTelegram
) -> None:
    await harbor.post(text_update("I want to text him"))
    kept = harbor.agent.messages[0].output_channel  # what Rasa's scheduler keeps

    await kept.send_response(f"telegram:{CHAT}", {"text": "How strong is the urge now?"})

    assert fake.sent_texts()[-1] == "How strong is the urge now?"
    assert isinstance(kept, HarborTelegramOutput)


async def test_trigger_intent_with_output_channel_telegram_resolves_to_the_connector(
    harbor: Harbor, fake: FakeTelegram
) -> None:
    request = SimpleNamespace(args={"output_channel": "telegram"}, app=harbor.app)

    output = _get_output_channel(request, None)
    await output.send_response(f"telegram:{CHAT}", {"text": "Checking in. How are you?"})

    assert isinstance(output, HarborTelegramOutput)
    assert fake.sent_texts() == ["Checking in. How are you?"]


async def test_a_non_telegram_conversation_id_is_not_sent_anywhere(harbor: Harbor, fake):
    output = harbor.channel.get_output_channel()

    await output.send_response("web-3f2a9c", {"text": "hello"})

    assert fake.of("sendMessage") == []


async def test_without_a_token_the_server_runs_and_the_webhook_is_inert(fake: FakeTelegram):
    channel = HarborTelegramInput.from_credentials(credentials(fake, token=""))

    async with serving(channel) as harbor:
        answer = await harbor.post(text_update("hello"))
        async with aiohttp.ClientSession() as session:
            async with session.get(f"{harbor.url}/webhooks/telegram/") as health:
                status = await health.json()

    assert answer.status == 404
    assert status == {"status": "off"}
    assert harbor.agent.messages == []
    assert fake.calls == []
    assert channel.get_output_channel() is None
    assert channel.webhook_registration is None


async def test_a_failing_set_webhook_is_logged_and_the_server_keeps_serving(fake: FakeTelegram):
    fake.fail("setWebhook", 400, "Bad Request: bad webhook: HTTPS url must be provided")
    channel = HarborTelegramInput.from_credentials(credentials(fake))

    async with serving(channel) as harbor:
        registered = await channel.webhook_registration
        answer = await harbor.post(text_update("hello"))

    assert registered is False
    assert answer.status == 200
    assert fake.sent_texts() == ["echo: hello"]


async def test_an_unreachable_bot_api_never_stops_the_server(fake: FakeTelegram) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        nowhere = f"http://127.0.0.1:{sock.getsockname()[1]}"
    channel = HarborTelegramInput.from_credentials(credentials(fake, api_server=nowhere))

    async with serving(channel) as harbor:
        registered = await channel.webhook_registration
        answer = await harbor.post(text_update("hello"))

    assert registered is False
    assert answer.status == 200
    assert harbor.agent.texts == ["hello"]


async def test_a_user_who_blocked_the_bot_does_not_break_the_turn(harbor: Harbor, fake):
    fake.fail("sendMessage", 403, "Forbidden: bot was blocked by the user")

    answer = await harbor.post(text_update("hello"))

    assert answer.status == 200
    assert harbor.agent.texts == ["hello"]
    assert len(fake.of("sendMessage")) == 1


# --- issue 16: the secret before the body, forwarded words, whose chat a number is --------


async def _raw_post(url: str, head: bytes, body_chunks: List[bytes]) -> bytes:
    """Sends a request by hand (so a body can be announced and never sent); returns the reply."""
    host, port = url.split("//")[1].split(":")
    import asyncio

    reader, writer = await asyncio.open_connection(host, int(port))
    writer.write(head)
    for chunk in body_chunks:
        writer.write(chunk)
    await writer.drain()
    try:
        return await asyncio.wait_for(reader.read(65536), 10)
    finally:
        writer.close()


async def test_a_huge_body_without_the_secret_is_refused_before_it_is_read(
    harbor: Harbor,
) -> None:
    # 90 MB announced, 64 KB sent: the answer comes without waiting for (or reading) the rest.
    head = (
        b"POST /webhooks/telegram/webhook HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/json\r\nContent-Length: 94371840\r\n\r\n"
    )
    answer = await _raw_post(harbor.url, head, [b"x" * 65536])
    assert answer.startswith(b"HTTP/1.1 401"), answer[:80]
    assert harbor.agent.messages == []


async def test_a_huge_body_with_the_secret_is_refused_by_its_announced_size(
    harbor: Harbor,
) -> None:
    head = (
        b"POST /webhooks/telegram/webhook HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + SECRET_HEADER.encode() + b": " + SECRET.encode() + b"\r\n"
        b"Content-Type: application/json\r\nContent-Length: 94371840\r\n\r\n"
    )  # fmt: skip
    answer = await _raw_post(harbor.url, head, [b"x" * 65536])
    assert answer.startswith(b"HTTP/1.1 413"), answer[:80]
    assert harbor.agent.messages == []


async def test_a_chunked_body_over_the_bound_is_refused(harbor: Harbor) -> None:
    head = (
        b"POST /webhooks/telegram/webhook HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + SECRET_HEADER.encode() + b": " + SECRET.encode() + b"\r\n"
        b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    )  # fmt: skip
    chunk = b"x" * 100_000
    chunks = [b"%x\r\n" % len(chunk) + chunk + b"\r\n"] * 3 + [b"0\r\n\r\n"]
    answer = await _raw_post(harbor.url, head, chunks)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:80]
    assert harbor.agent.messages == []


def _forwarded(text: str) -> Dict[str, Any]:
    origin = {"type": "user", "date": 1716990000, "sender_user": {"id": 555, "is_bot": False}}
    return text_update(text, forward_origin=origin, forward_date=1716990000)


async def test_a_forwarded_crisis_asks_whose_words_they_are(
    harbor: Harbor, fake: FakeTelegram
) -> None:
    from bot.channels import telegram_forwarded

    await harbor.post(_forwarded("if you leave me I will end it all, I'll kill myself"))

    assert harbor.agent.messages == [], "not answered as if the person were at risk"
    (asked,) = fake.of("sendMessage")
    assert asked.params["text"] == telegram_forwarded.question()
    keys = [key for row in asked.params["reply_markup"]["inline_keyboard"] for key in row]
    assert [key["text"] for key in keys] == ["These are my words", "Someone else wrote it"]

    # "Someone else": help for the other person, and no duty to go back.
    await harbor.post(callback_update(keys[1]["callback_data"]))
    assert fake.sent_texts()[-1] == telegram_forwarded.someone_else_line()
    assert harbor.agent.messages == []
    # "My words": Harbor's crisis lines for the person.
    await harbor.post(callback_update(keys[0]["callback_data"]))
    assert harbor.agent.texts == ["/request_resources"]


async def test_a_forwarded_everyday_message_goes_on_as_usual(harbor: Harbor) -> None:
    await harbor.post(_forwarded("miss you. can we talk tonight?"))
    assert harbor.agent.texts == ["miss you. can we talk tonight?"]


async def test_the_person_s_own_crisis_words_still_get_the_crisis_answer_path(
    harbor: Harbor,
) -> None:
    await harbor.post(text_update("i want to kill myself"))
    assert harbor.agent.texts == ["i want to kill myself"]


async def test_a_bare_number_never_reaches_a_telegram_chat(
    harbor: Harbor, fake: FakeTelegram
) -> None:
    output = harbor.channel.get_output_channel()
    await output.send_text_message(str(CHAT), "a reminder meant for REST sender 42")
    await output.send_text_message(f"rest:{CHAT}", "and this one")
    assert fake.sent_texts() == []
    await output.send_text_message(f"telegram:{CHAT}", "this one is theirs")
    assert fake.sent_texts() == ["this one is theirs"]


async def test_a_chat_sending_too_fast_is_slowed(
    fake: FakeTelegram, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HARBOR_RATE_BURST", "2")
    monkeypatch.setenv("HARBOR_RATE_PER_MINUTE", "1")
    channel = HarborTelegramInput.from_credentials(credentials(fake))
    async with serving(channel) as running:
        for text in ("one", "two", "three"):
            assert (await running.post(text_update(text))).status == 200
        assert running.agent.texts == ["one", "two"]
        assert fake.sent_texts()[-1] == limits.say("channel.rate_limited")
