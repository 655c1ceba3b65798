"""Inline keyboards and callback data: short, signed, and remembered when too long."""

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.channels.telegram_buttons import CallbackCodec, inline_keyboard

KEY = b"k" * 32


def _size(data: str) -> int:
    return len(data.encode())


@settings(deadline=None, max_examples=200)
@given(payload=st.text(min_size=1, max_size=300))
def test_any_payload_fits_in_64_bytes_and_comes_back(payload: str) -> None:
    codec = CallbackCodec(KEY)

    data = codec.encode(payload.encode("utf-8", "replace").decode())

    assert 1 <= _size(data) <= 64
    assert codec.decode(data) == payload.encode("utf-8", "replace").decode()


def test_short_payloads_need_no_memory_and_work_in_another_worker() -> None:
    data = CallbackCodec(KEY).encode('/inform_urge{"urge_strength": 8}')

    assert CallbackCodec(KEY).decode(data) == '/inform_urge{"urge_strength": 8}'


def test_a_tampered_or_foreign_payload_is_rejected() -> None:
    codec = CallbackCodec(KEY)
    data = codec.encode("/request_grounding")

    assert codec.decode(data[:-1] + "X") is None
    assert codec.decode("/crisis") is None
    assert codec.decode("") is None
    assert CallbackCodec(b"other key").decode(data) is None


def test_long_payloads_are_forgotten_least_recently_used_first() -> None:
    codec = CallbackCodec(KEY, remembered=2)
    first, second, third = (codec.encode(f'/inform{{"note": "{n * 70}"}}') for n in "abc")

    assert codec.decode(first) is None
    assert codec.decode(second) is not None and codec.decode(third) is not None


def test_short_titles_share_rows_and_long_ones_stand_alone() -> None:
    codec = CallbackCodec(KEY)
    ratings = [{"title": str(n), "payload": f'/rate{{"n": {n}}}'} for n in range(11)]
    long = [
        {"title": "I want to contact them", "payload": "/a"},
        {"title": "I need to calm down", "payload": "/b"},
    ]

    rating_rows = inline_keyboard(ratings, codec)["inline_keyboard"]
    long_rows = inline_keyboard(long, codec)["inline_keyboard"]
    vertical_rows = inline_keyboard(ratings[:3], codec, vertical=True)["inline_keyboard"]

    assert [len(row) for row in rating_rows] == [6, 5]
    assert [len(row) for row in long_rows] == [1, 1]
    assert [len(row) for row in vertical_rows] == [1, 1, 1]


def test_link_buttons_stay_links_and_unusable_buttons_are_dropped() -> None:
    codec = CallbackCodec(KEY)
    buttons = [
        {"title": "Find a helpline", "url": "https://findahelpline.com"},
        {"title": "", "payload": "/x"},
        "not a button",
        {"title": "Just the title"},
    ]

    rows = inline_keyboard(buttons, codec)["inline_keyboard"]
    keys = [key for row in rows for key in row]

    assert keys[0] == {"text": "Find a helpline", "url": "https://findahelpline.com"}
    assert codec.decode(keys[1]["callback_data"]) == "Just the title"
    assert len(keys) == 2
    assert inline_keyboard([], codec) is None
