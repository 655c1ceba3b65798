"""Connector settings: credentials.yml first, the environment as fallback, problems named."""

from bot.channels.telegram_settings import DEFAULT_COMMANDS, TelegramSettings

TOKEN = "123456:ABC-def_ghi"


def test_credentials_win_and_the_environment_fills_gaps() -> None:
    environ = {"TELEGRAM_TOKEN": "999:from-env", "TELEGRAM_BOT_NAME": "env_bot"}

    settings = TelegramSettings.from_credentials({"token": TOKEN, "bot_name": ""}, environ)

    assert settings.token == TOKEN
    assert settings.bot_name == "env_bot"
    assert settings.api_server == "https://api.telegram.org"


def test_an_unexpanded_placeholder_counts_as_missing() -> None:
    # Rasa leaves a quoted "${TELEGRAM_TOKEN}" in credentials.yml as it is.
    settings = TelegramSettings.from_credentials(
        {"token": "${TELEGRAM_TOKEN}"}, {"TELEGRAM_TOKEN": TOKEN}
    )

    assert settings.token == TOKEN


def test_no_token_means_off_without_problems() -> None:
    settings = TelegramSettings.from_credentials(None, {})

    assert not settings.configured
    assert settings.problems() == []


def test_bad_values_are_named() -> None:
    settings = TelegramSettings.from_credentials(
        {"token": "not a token", "secret_token": "has spaces!", "api_server": "ftp://x"}, {}
    )

    problems = " ".join(settings.problems())

    assert "TELEGRAM_TOKEN" in problems
    assert "TELEGRAM_SECRET_TOKEN" in problems
    assert "TELEGRAM_API_SERVER" in problems


def test_the_derived_secret_is_stable_valid_and_not_the_token() -> None:
    one = TelegramSettings(token=TOKEN)
    two = TelegramSettings(token=TOKEN)
    other = TelegramSettings(token="123456:another")

    assert one.webhook_secret == two.webhook_secret != other.webhook_secret
    assert TOKEN not in one.webhook_secret
    assert TelegramSettings(token=TOKEN, secret_token="abc").webhook_secret == "abc"
    assert TelegramSettings(token=TOKEN, secret_token=one.webhook_secret).problems() == []


def test_commands_can_be_renamed_and_are_checked() -> None:
    settings = TelegramSettings.from_credentials(
        {"token": TOKEN, "commands": {"/export": "download_my_data", "bad": "no spaces"}}, {}
    )

    assert settings.commands["export"] == "download_my_data"
    assert settings.commands["sos"] == DEFAULT_COMMANDS["sos"]
    assert any("no spaces" in problem for problem in settings.problems())


def test_the_summary_for_logs_has_no_token_or_secret() -> None:
    settings = TelegramSettings(token=TOKEN, secret_token="s3cret")

    assert TOKEN not in str(settings.describe())
    assert "s3cret" not in str(settings.describe())
