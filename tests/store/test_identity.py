"""Sender ids become (channel, channel user id); logs get pseudonyms, never the id."""

from __future__ import annotations

import pytest

from bot.store.identity import pseudonym, split_sender_id


@pytest.mark.parametrize(
    ("sender_id", "expected"),
    [
        ("telegram:123456", ("telegram", "123456")),
        # Prefixes are exact: no second spelling reaches a Telegram or REST person.
        ("TELEGRAM:42", ("web", "TELEGRAM:42")),
        ("web:alice", ("web", "web:alice")),
        ("socketio:alice", ("web", "socketio:alice")),
        ("3f2a9c1e-web-session", ("web", "3f2a9c1e-web-session")),
        ("rest:abc", ("rest", "abc")),
        ("someone:else", ("web", "someone:else")),  # unknown prefix: the whole id is kept
        ("telegram:", ("web", "telegram:")),
    ],
)
def test_split_sender_id(sender_id: str, expected: tuple) -> None:
    assert split_sender_id(sender_id) == expected


@pytest.mark.parametrize("bad", ["", "   ", "x" * 256])
def test_bad_sender_ids_are_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        split_sender_id(bad)


def test_pseudonym_is_stable_and_does_not_contain_the_id() -> None:
    assert pseudonym("telegram:123456") == pseudonym("telegram:123456")
    assert pseudonym("telegram:123456") != pseudonym("telegram:123457")
    assert "123456" not in pseudonym("telegram:123456")


def test_pseudonym_depends_on_the_salt(monkeypatch: pytest.MonkeyPatch) -> None:
    before = pseudonym("telegram:1")
    monkeypatch.setenv("HARBOR_LOG_SALT", "another deployment")
    assert pseudonym("telegram:1") != before


def test_no_two_sender_ids_name_the_same_person() -> None:
    ids = ["alice", "web:alice", "rest:alice", "REST:alice", "telegram:42", "TELEGRAM:42", "42"]
    assert len({split_sender_id(i) for i in ids}) == len(ids)


def test_the_log_salt_is_random_per_deployment_and_kept_in_var(
    monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    monkeypatch.delenv("HARBOR_LOG_SALT", raising=False)
    monkeypatch.setenv("HARBOR_VAR_DIR", str(tmp_path / "one"))
    first = pseudonym("telegram:1")
    assert first == pseudonym("telegram:1")
    salt_file = tmp_path / "one" / "log-salt"
    assert salt_file.stat().st_mode & 0o777 == 0o600
    assert salt_file.read_text().strip() not in ("", "harbor")
    monkeypatch.setenv("HARBOR_VAR_DIR", str(tmp_path / "two"))
    assert pseudonym("telegram:1") != first, "two deployments share no salt"
