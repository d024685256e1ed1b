"""Which messaging channels are on, read from environment variables (never from credentials.yml).

A channel is on only when every variable it needs is set. Otherwise its webhook answers 503 and says
which variables are missing; nothing reaches the dialogue and nothing is sent to the provider.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from typing import Dict, Sequence, Tuple

logger = logging.getLogger(__name__)

SETUP_GUIDE = "docs/CHANNELS.md"

SMS_VARS = ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_NUMBER")
WHATSAPP_VARS = ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_WHATSAPP_NUMBER")
TWILIO_OPTIONAL = ("TWILIO_WEBHOOK_URL",)
TELEGRAM_VARS = ("TELEGRAM_ACCESS_TOKEN", "TELEGRAM_SECRET_TOKEN")
TELEGRAM_OPTIONAL = ("TELEGRAM_VERIFY", "TELEGRAM_WEBHOOK_URL")
MESSENGER_VARS = ("FACEBOOK_VERIFY", "FACEBOOK_SECRET", "FACEBOOK_PAGE_ACCESS_TOKEN")

# Test-only: where outbound calls go. Tests point them at a local stand-in for the provider.
TWILIO_API = ("TWILIO_API_BASE_URL", "https://api.twilio.com")
TELEGRAM_API = ("TELEGRAM_API_BASE_URL", "https://api.telegram.org")
FACEBOOK_API = ("FACEBOOK_GRAPH_URL", "https://graph.facebook.com")

# Seconds to wait for the provider's API when sending a reply or registering a webhook.
SEND_TIMEOUT_S = 10.0


def env(name: str) -> str:
    return os.environ.get(name, "").strip()


@dataclass(frozen=True)
class ChannelConfig:
    """The variables of one channel, and whether all the required ones are set."""

    label: str
    required: Tuple[str, ...]
    values: Dict[str, str]

    @property
    def missing(self) -> Tuple[str, ...]:
        return tuple(name for name in self.required if not self.values.get(name))

    @property
    def on(self) -> bool:
        return not self.missing

    def get(self, name: str) -> str:
        return self.values.get(name, "")

    def off_message(self) -> str:
        return (
            f"{self.label} is off on this server. To turn it on, set {', '.join(self.missing)} "
            f"(see {SETUP_GUIDE})."
        )

    def log_status(self) -> None:
        if self.on:
            logger.info("%s channel is on.", self.label)
        elif len(self.missing) < len(self.required):
            logger.warning("%s channel is off: %s is not set.", self.label, ", ".join(self.missing))
        else:
            logger.info("%s channel is off (no variables set).", self.label)


def channel_config(
    label: str, required: Sequence[str], optional: Sequence[str] = ()
) -> ChannelConfig:
    names = (*required, *optional)
    return ChannelConfig(label, tuple(required), {name: env(name) for name in names})


def sms_config() -> ChannelConfig:
    return channel_config("SMS", SMS_VARS, TWILIO_OPTIONAL)


def whatsapp_config() -> ChannelConfig:
    return channel_config("WhatsApp", WHATSAPP_VARS, TWILIO_OPTIONAL)


def telegram_config() -> ChannelConfig:
    return channel_config("Telegram", TELEGRAM_VARS, TELEGRAM_OPTIONAL)


def messenger_config() -> ChannelConfig:
    return channel_config("Messenger", MESSENGER_VARS)


def api_base(setting: Tuple[str, str]) -> str:
    """The provider's API address (test-only override through the environment)."""
    name, default = setting
    return (env(name) or default).rstrip("/")


def max_chars(name: str, api_limit: int) -> int:
    """A channel's longest message: the API's limit, or less if `name` is set lower."""
    value = env(name)
    if not value:
        return api_limit
    try:
        chosen = int(value)
    except ValueError:
        logger.warning("%s=%r is not a number; using %d.", name, value, api_limit)
        return api_limit
    return max(160, min(chosen, api_limit))
