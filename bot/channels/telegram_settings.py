"""Settings of the Telegram connector: credentials.yml first, then the environment.

credentials.yml maps each key to an environment variable (`token: ${TELEGRAM_TOKEN}`).
A key that is missing, empty or left unexpanded falls back to the environment variable,
then to a safe default: with no token the connector stays off.
"""

import hashlib
import hmac
import os
import re
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional

from bot.channels.telegram_api import DEFAULT_API_SERVER

# credentials key -> environment variable
ENVIRONMENT = {
    "token": "TELEGRAM_TOKEN",
    "bot_name": "TELEGRAM_BOT_NAME",
    "webhook_url": "TELEGRAM_WEBHOOK_URL",
    "secret_token": "TELEGRAM_SECRET_TOKEN",
    "api_server": "TELEGRAM_API_SERVER",
}

# Telegram command (without "/") -> the intent it triggers. `commands:` in credentials.yml
# can override single entries.
DEFAULT_COMMANDS = {
    "start": "greet",
    "help": "ask_capabilities",
    "sos": "request_resources",
    "delete": "delete_my_data",
    "export": "export_my_data",
    "progress": "show_progress",
    "stop": "stop",
    "plan": "request_safety_plan",
}

# What Telegram accepts (Bot API setWebhook); checked here so a typo is reported at start.
_SECRET_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,256}")
_TOKEN_PATTERN = re.compile(r"[0-9]+:[A-Za-z0-9_-]+")
_INTENT_PATTERN = re.compile(r"[A-Za-z0-9_]+")
_UNEXPANDED = re.compile(r"^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?$")


@dataclass(frozen=True)
class TelegramSettings:
    """Everything the connector needs to know, validated once."""

    token: str = field(default="", repr=False)
    bot_name: str = ""
    webhook_url: str = ""
    secret_token: str = field(default="", repr=False)
    api_server: str = DEFAULT_API_SERVER
    commands: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_COMMANDS))

    @classmethod
    def from_credentials(
        cls,
        credentials: Optional[Mapping[str, Any]],
        environ: Optional[Mapping[str, str]] = None,
    ) -> "TelegramSettings":
        """Reads the settings from credentials.yml's block, falling back to the environment.

        Args:
            credentials: the channel's block of credentials.yml (may be None).
            environ: the environment to fall back to (default `os.environ`).

        Returns:
            The settings; `problems()` says whether they can be used.
        """
        credentials = credentials or {}
        environ = os.environ if environ is None else environ
        values = {key: _value(credentials, key, environ) for key in ENVIRONMENT}
        commands = dict(DEFAULT_COMMANDS)
        extra = credentials.get("commands")
        if isinstance(extra, Mapping):
            commands.update({str(k).lstrip("/").lower(): str(v) for k, v in extra.items()})
        return cls(
            token=values["token"],
            bot_name=values["bot_name"].lstrip("@"),
            webhook_url=values["webhook_url"],
            secret_token=values["secret_token"],
            api_server=(values["api_server"] or DEFAULT_API_SERVER).rstrip("/"),
            commands=commands,
        )

    @property
    def configured(self) -> bool:
        """Whether a token was given at all (no token means Telegram is off by choice)."""
        return bool(self.token)

    def problems(self) -> List[str]:
        """Lists what keeps the connector from working; empty when it can run."""
        found = []
        if self.token and not _TOKEN_PATTERN.fullmatch(self.token):
            found.append("TELEGRAM_TOKEN does not look like a BotFather token (digits:letters)")
        if self.secret_token and not _SECRET_PATTERN.fullmatch(self.secret_token):
            found.append("TELEGRAM_SECRET_TOKEN must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
        if not self.api_server.startswith(("https://", "http://")):
            found.append("TELEGRAM_API_SERVER must be an http(s) URL")
        for command, intent in self.commands.items():
            if not _INTENT_PATTERN.fullmatch(command) or not _INTENT_PATTERN.fullmatch(intent):
                found.append(f"commands: '{command}: {intent}' is not a command and intent name")
        return found

    @property
    def webhook_secret(self) -> str:
        """The secret every update must carry in X-Telegram-Bot-Api-Secret-Token.

        TELEGRAM_SECRET_TOKEN when set. Otherwise one derived from the bot token with
        HMAC-SHA256: nobody without the token can compute it, it is the same in every
        worker and instance, and whoever holds the token controls the bot anyway.
        """
        if self.secret_token:
            return self.secret_token
        return self._derive("harbor/telegram/webhook-secret").hex()

    @property
    def callback_key(self) -> bytes:
        """The key that signs inline-button callback data (see telegram_buttons)."""
        return self._derive("harbor/telegram/callback-data")

    def _derive(self, purpose: str) -> bytes:
        return hmac.new(self.token.encode(), purpose.encode(), hashlib.sha256).digest()

    def describe(self) -> Dict[str, Any]:
        """A log-safe summary: no token, no secret."""
        return {
            "bot_name": self.bot_name or None,
            "webhook_url": self.webhook_url or None,
            "api_server": self.api_server,
            "secret": "explicit" if self.secret_token else "derived from the token",
        }


def _value(credentials: Mapping[str, Any], key: str, environ: Mapping[str, str]) -> str:
    raw = credentials.get(key)
    text = "" if raw is None else str(raw).strip()
    # Rasa leaves quoted "${VAR}" unexpanded; treat that like a missing key.
    if not text or _UNEXPANDED.match(text):
        text = environ.get(ENVIRONMENT[key], "").strip()
    return text
