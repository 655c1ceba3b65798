"""Reading Telegram Update JSON: what arrived and from where; junk is refused."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.channels.telegram_updates import Kind, MalformedUpdate, clean_text, parse_update

PRIVATE = {"id": 42, "type": "private", "first_name": "Sam"}
SAM = {"id": 42, "is_bot": False, "first_name": "Sam", "language_code": "en"}


def _message(**fields):
    message = {"message_id": 7, "date": 1717000000, "chat": PRIVATE, "from": SAM}
    message.update(fields)
    return {"update_id": 1, "message": message}


def test_a_private_text_message() -> None:
    incoming = parse_update(_message(text="I miss him"))

    assert incoming.kind is Kind.TEXT
    assert (incoming.chat_id, incoming.message_id, incoming.text) == (42, 7, "I miss him")
    assert incoming.language_code == "en"


@pytest.mark.parametrize("code", ["en-US-x-" + "a" * 40, "../etc", 7, "", "e"])
def test_an_odd_language_code_is_dropped(code) -> None:
    update = _message(text="hi")
    update["message"]["from"] = dict(SAM, language_code=code)

    assert parse_update(update).language_code is None


def test_groups_channels_edits_and_bots() -> None:
    group = dict(_message(text="hi"))
    group["message"] = dict(group["message"], chat={"id": -5, "type": "group", "title": "G"})
    bot = _message(text="hi")
    bot["message"]["from"] = dict(SAM, is_bot=True)

    assert parse_update(group).kind is Kind.GROUP
    assert parse_update(bot).kind is Kind.IGNORED
    assert parse_update({"update_id": 2, "edited_message": {}}).kind is Kind.IGNORED
    assert parse_update({"update_id": 3, "channel_post": {"text": "x"}}).kind is Kind.IGNORED
    assert parse_update(_message(new_chat_title="x")).kind is Kind.IGNORED


def test_media_with_and_without_caption() -> None:
    assert parse_update(_message(sticker={"file_id": "x"})).text is None
    captioned = parse_update(_message(photo=[{"file_id": "x"}], caption="look"))

    assert captioned.kind is Kind.MEDIA
    assert captioned.text == "look"


def test_a_callback_outside_a_private_chat_is_only_acknowledged() -> None:
    query = {"id": "q1", "from": SAM, "data": "sabc", "message": {"message_id": 3}}

    incoming = parse_update({"update_id": 4, "callback_query": query})

    assert incoming.kind is Kind.IGNORED
    assert incoming.callback_id == "q1"


@pytest.mark.parametrize(
    "update",
    [
        None,
        [],
        "x",
        {},
        {"update_id": 1.5},
        {"update_id": False},
        {"update_id": 1, "message": []},
        {"update_id": 1, "message": {"chat": PRIVATE}},
        {"update_id": 1, "message": {"message_id": 1, "chat": PRIVATE, "text": ["a"]}},
        {"update_id": 1, "callback_query": {"id": 5}},
    ],
)
def test_junk_is_malformed(update) -> None:
    with pytest.raises(MalformedUpdate):
        parse_update(update)


def test_text_is_cleaned_of_what_no_store_can_keep() -> None:
    assert clean_text("a\x00b\ud800c") == "ab?c"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner),
    max_leaves=20,
)


@settings(deadline=None, max_examples=300)
@given(
    update=st.fixed_dictionaries(
        {"update_id": json_values},
        optional={"message": json_values, "callback_query": json_values, "x": json_values},
    )
    | json_values
)
def test_any_json_is_classified_or_refused_never_crashes(update) -> None:
    try:
        incoming = parse_update(update)
    except MalformedUpdate:
        return
    assert isinstance(incoming.update_id, int)
    assert incoming.text is None or isinstance(incoming.text, str)
