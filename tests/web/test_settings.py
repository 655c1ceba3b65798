"""Page server settings from the environment."""

from __future__ import annotations

import json

import pytest

from bot.web.settings import WEB_ROOT, WebSettings, origin_of


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "RASA_PUBLIC_URL",
        "RASA_PORT",
        "HARBOR_EXIT_URL",
        "HARBOR_MAX_MESSAGE_CHARS",
        "HARBOR_FRAME_ANCESTORS",
        "HARBOR_WEB_ROOT",
        "HARBOR_RETENTION_DAYS",
    ):
        monkeypatch.delenv(name, raising=False)


def config_of(settings: WebSettings) -> dict:
    body = settings.config_js()
    return json.loads(body[body.index("(") + 1 : body.rindex(")")])


def test_local_defaults() -> None:
    settings = WebSettings.from_env()
    assert settings.root == WEB_ROOT
    assert config_of(settings) == {
        "socketUrl": "http://127.0.0.1:5005",
        "socketPath": "/socket.io",
        "maxChars": 4000,
        "exitUrl": "https://www.wikipedia.org",
        "retentionDays": 90,
    }


def test_the_rasa_port_and_public_url_set_the_socket(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RASA_PORT", "5999")
    assert WebSettings.from_env().rasa_url == "http://127.0.0.1:5999"
    monkeypatch.setenv("RASA_PUBLIC_URL", "https://user:pw@chat.example.org/rasa/")
    settings = WebSettings.from_env()
    assert settings.rasa_url == "https://chat.example.org"
    assert "connect-src 'self' https://chat.example.org wss://chat.example.org" in (
        settings.content_security_policy()
    )
    # A progress chart may come from Harbor's server, or inline; from nowhere else.
    assert "img-src 'self' data: https://chat.example.org;" in settings.content_security_policy()


def test_the_page_learns_how_long_the_server_keeps_a_conversation(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HARBOR_RETENTION_DAYS", "30")
    assert config_of(WebSettings.from_env())["retentionDays"] == 30
    monkeypatch.setenv("HARBOR_RETENTION_DAYS", "off")
    assert config_of(WebSettings.from_env())["retentionDays"] == 0
    monkeypatch.setenv("HARBOR_RETENTION_DAYS", "ninety")  # the page still starts
    assert config_of(WebSettings.from_env())["retentionDays"] == 0


@pytest.mark.parametrize(
    "name, value",
    [
        ("RASA_PUBLIC_URL", "javascript:alert(1)"),
        ("RASA_PUBLIC_URL", "127.0.0.1:5005"),
        ("HARBOR_EXIT_URL", "javascript:alert(1)"),
        ("HARBOR_EXIT_URL", "data:text/html,hi"),
        ("HARBOR_FRAME_ANCESTORS", "*"),
    ],
)
def test_unsafe_urls_are_refused_at_start(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ValueError):
        WebSettings.from_env()


def test_the_message_limit_reaches_the_page(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HARBOR_MAX_MESSAGE_CHARS", "1200")
    assert config_of(WebSettings.from_env())["maxChars"] == 1200
    monkeypatch.setenv("HARBOR_MAX_MESSAGE_CHARS", "lots")
    assert config_of(WebSettings.from_env())["maxChars"] == 4000


def test_config_js_cannot_close_a_script_tag(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HARBOR_EXIT_URL", "https://example.org/?q=</script><b>")
    body = WebSettings.from_env().config_js()
    assert "</script>" not in body and "<b>" not in body
    assert config_of(WebSettings.from_env())["exitUrl"] == "https://example.org/?q=</script><b>"


def test_origin_of_keeps_scheme_host_and_port() -> None:
    assert origin_of("http://127.0.0.1:5005/socket.io/?x=1") == "http://127.0.0.1:5005"
