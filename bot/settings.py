"""Settings from the environment and ``.env`` (every one documented in .env.example)."""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AliasChoices, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url

from bot.paths import PROJECT_ROOT as PROJECT_ROOT  # where it always was, for importers

# Local test credentials the product and the pretend clients agree on (see pretend_channels).
# They reach nothing but fakes on 127.0.0.1: they are not secrets.
PRETEND_TWILIO_ACCOUNT_SID = "AC" + "0" * 31 + "1"
PRETEND_TWILIO_AUTH_TOKEN = "pretend-local-twilio-auth-token"  # noqa: S105
PRETEND_SMS_NUMBER = "+447700900000"
PRETEND_TELEGRAM_TOKEN = "7000000001:AA-pretend-local-telegram-bot-token"  # noqa: S105
PRETEND_TELEGRAM_SECRET = "pretend-local-telegram-webhook-secret"  # noqa: S105


class Settings(BaseSettings):
    """Everything an operator can configure; channels switch on when their credentials are set."""

    # The project's .env, wherever a command is run from: staff running `complaintbot cases`
    # from another folder must see the same database as `serve`.
    model_config = SettingsConfigDict(
        env_prefix="COMPLAINTBOT_",
        env_file=PROJECT_ROOT / ".env",
        env_file_encoding="utf-8",
        extra="ignore",
    )

    # Relative to the project folder, not to where a command is run.
    data_dir: Path = Path("data")
    database_url: str | None = Field(
        default=None, validation_alias=AliasChoices("DATABASE_URL", "COMPLAINTBOT_DATABASE_URL")
    )
    http_host: str = "127.0.0.1"
    http_port: int = 8080
    organisation: str = "Example Ltd"
    reference_prefix: str = Field(default="CB", pattern=r"^[A-Za-z]{1,5}$")
    # The default language (staff text and customers whose language is not known), and every
    # language customers are answered in (each needs templates/<code>/), comma-separated.
    locale: str = "en"
    languages: str = "en,fr,de,es"
    # The organisation's timezone (IANA name): dates customers type and dates shown are in it.
    timezone: str = "UTC"
    templates_dir: Path = PROJECT_ROOT / "templates"
    routing_file: Path = PROJECT_ROOT / "config" / "routing.toml"
    # Where each queue's staff notices go (a Slack channel, the staff feed) and escalations.
    staff_file: Path = PROJECT_ROOT / "config" / "staff.toml"
    # One triage lexicon per language (<language>.toml); the locale's is used.
    triage_dir: Path = PROJECT_ROOT / "config" / "triage"
    # One learnt wish model per language (<language>.model.json; see scripts/train_wishes.py):
    # the nearest outcome to a wish no phrase names. A missing file: phrases only.
    wishes_dir: Path = PROJECT_ROOT / "config" / "wishes"
    max_message_length: int = Field(default=5000, ge=100)
    # A customer who writes again this long after their last message, mid-complaint, is
    # first reminded what the complaint was about.
    resume_after_hours: float = Field(default=6.0, gt=0)
    # A customer silent mid-complaint is reminded once after this long; after the second, the
    # complaint is registered with what is known (or, with no description, set aside).
    intake_reminder_hours: float = Field(default=24.0, gt=0)
    intake_give_up_hours: float = Field(default=72.0, gt=0)
    outbox_max_attempts: int = Field(default=8, ge=1)
    outbox_base_delay_seconds: float = Field(default=2.0, gt=0)
    outbox_max_delay_seconds: float = Field(default=900.0, gt=0)
    poll_interval_seconds: float = Field(default=1.0, gt=0)
    # A webhook's message not in the database this long after it arrived is journaled on
    # disk and the provider answered (Twilio gives up at 15 s); see bot.services.journal.
    inbound_deadline_seconds: float = Field(default=8.0, gt=0)
    # Automatic replies to one address in an hour, at most: a guard against mail loops.
    auto_replies_per_hour: int = Field(default=20, ge=1)
    staff_feed_dir: Path | None = None
    # The address providers reach this server at (scheme and host as the provider sees them,
    # e.g. https://complaints.example.com behind a TLS-terminating proxy). Provider signatures
    # are computed over it, so it must be exact.
    # Unset: this server's own HTTP address (http://http_host:http_port), for local use.
    public_base_url: str | None = None
    # Largest webhook body accepted; bigger requests get 413 before anything is parsed.
    max_webhook_bytes: int = Field(default=256 * 1024, ge=1024)

    # Email: the built-in SMTP server takes mail for the complaint addresses (on by default,
    # on a local port); replies go to a relay when one is set, else into a drop folder.
    email_enabled: bool = True
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 2525
    # Comma-separated addresses the server accepts mail for; everything else gets 550.
    complaint_addresses: str = "complaints@localhost"
    mail_domain: str | None = None
    mail_from_name: str | None = None
    max_mail_bytes: int = Field(default=25 * 1024 * 1024, ge=1024)
    # Open SMTP connections at once, and from one client address; beyond them, 421.
    smtp_max_connections: int = Field(default=100, ge=1)
    smtp_max_connections_per_client: int = Field(default=10, ge=1)
    # Messages received at once (each is held in memory while it arrives); others wait.
    smtp_max_receiving: int = Field(default=10, ge=1)
    max_attachment_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)
    smtp_tls_cert: Path | None = None
    smtp_tls_key: Path | None = None
    smtp_require_starttls: bool = False
    smtp_auth_username: str | None = None
    smtp_auth_password: SecretStr | None = None
    # Who really sent an email (issue 11): "mx" checks SPF, DKIM and DMARC here (this server
    # receives straight from senders' servers); "forwarded" trusts the topmost
    # Authentication-Results header written by EMAIL_AUTHSERV_ID (the operator's mail server);
    # "off" believes the From header (unsafe: anyone can act on anyone's complaint).
    email_sender_checks: Literal["mx", "forwarded", "off"] = "mx"
    email_authserv_id: str | None = None
    # Hosts that hand over mail already checked or written locally (comma-separated networks):
    # their mail is taken as from its From. The local machine by default, for `make run`.
    email_trusted_networks: str = "127.0.0.0/8,::1/128"
    dns_timeout_seconds: float = Field(default=3.0, gt=0, le=30)
    # DKIM-sign our own mail (for sending without a relay that signs): a PEM RSA key, and the
    # selector its public key is published under (selector._domainkey.<mail domain>).
    dkim_private_key_path: Path | None = None
    dkim_selector: str = "complaintbot"
    relay_host: str | None = None
    relay_port: int = 587
    relay_username: str | None = None
    relay_password: SecretStr | None = None
    relay_starttls: bool = True
    relay_implicit_tls: bool = False
    mail_drop_dir: Path | None = None

    # SMS through Twilio: on when the account SID, auth token and a sender are set.
    twilio_account_sid: str | None = None
    twilio_auth_token: SecretStr | None = None
    twilio_from_number: str | None = None
    twilio_messaging_service_sid: str | None = None
    # Region for numbers written without a country code (ISO 3166 code, e.g. GB, US).
    sms_default_region: str = "GB"
    # Only for local fakes and tests: where the Twilio REST API is. Unset in production.
    twilio_api_base_url: str | None = None

    # Slack staff console: on when the bot token, the workspace (team id) and a way in are set
    # (the signing secret for HTTP mode, or an app-level token for Socket Mode).
    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_team_id: str | None = None
    # "http": Slack calls /webhooks/slack/... on the public URL; "socket": we connect out.
    slack_mode: Literal["http", "socket"] = "http"
    slack_command: str = Field(default="/complaint", pattern=r"^/[a-z0-9_-]{1,31}$")
    # Only for local fakes and tests: where the Slack Web API is. Unset in production.
    slack_api_base_url: str | None = None

    # Telegram: on when the bot token (from BotFather) is set, and in webhook mode a secret
    # Telegram sends back with every update.
    telegram_bot_token: SecretStr | None = None
    # "webhook": Telegram calls telegram_webhook_path on the public URL; "polling": we ask it
    # for updates (no public URL needed; one poller across all instances).
    telegram_mode: Literal["webhook", "polling"] = "webhook"
    telegram_webhook_secret: SecretStr | None = Field(default=None, min_length=16)
    telegram_webhook_path: str = Field(default="/webhooks/telegram", pattern=r"^/[A-Za-z0-9/_-]+$")
    # Seconds a getUpdates long poll waits for news.
    telegram_poll_seconds: int = Field(default=25, ge=0, le=50)
    # Only for local fakes and tests: where the Bot API is. Unset in production.
    telegram_api_base_url: str | None = None

    # The audit chain's key (any long random string). Unset: made once in
    # <data_dir>/audit.key. Several servers on one PostgreSQL must share it: set it on each.
    # Kept apart from the database, so whoever can write to the database cannot re-seal it.
    audit_key: SecretStr | None = Field(default=None, min_length=32)
    # How often `serve` anchors every event written since the last anchor.
    audit_anchor_hours: float = Field(default=24.0, gt=0)
    # Each week's management review is written to <data_dir>/reports and announced to the
    # default queue's staff destinations (`serve`, once a week ends).
    weekly_review: bool = True
    # A person's personal data is erased this many days after the last of their cases closed
    # (`serve` looks daily; the anonymous facts stay for the reports). 0: kept until erased
    # on request (`complaintbot customer erase`).
    retention_days: int = Field(default=2190, ge=0)

    # For trying the product on one machine (`make run` sets it): SMS and Telegram are on,
    # pointed at the pretend clients in scripts/ (sms_phone, telegram_chat) with the fixed
    # local test credentials below, unless real ones are set. Never in production.
    pretend_channels: bool = False
    pretend_sms_port: int = Field(default=8091, ge=1, le=65535)
    pretend_telegram_port: int = Field(default=8092, ge=1, le=65535)

    @model_validator(mode="after")
    def _pretend(self) -> Settings:
        if not self.pretend_channels:
            return self
        if self.sms_problem is not None:
            self.twilio_account_sid = PRETEND_TWILIO_ACCOUNT_SID
            self.twilio_auth_token = SecretStr(PRETEND_TWILIO_AUTH_TOKEN)
            self.twilio_from_number = PRETEND_SMS_NUMBER
            self.twilio_messaging_service_sid = None
            self.twilio_api_base_url = f"http://127.0.0.1:{self.pretend_sms_port}"
        if self.telegram_problem is not None:
            self.telegram_bot_token = SecretStr(PRETEND_TELEGRAM_TOKEN)
            self.telegram_webhook_secret = SecretStr(PRETEND_TELEGRAM_SECRET)
            self.telegram_mode = "webhook"
            self.telegram_api_base_url = f"http://127.0.0.1:{self.pretend_telegram_port}"
        return self

    @property
    def sms_pretend(self) -> bool:
        """Whether SMS goes to the pretend phone (scripts.sms_phone), not to Twilio."""
        return self.twilio_account_sid == PRETEND_TWILIO_ACCOUNT_SID

    @property
    def telegram_pretend(self) -> bool:
        """Whether Telegram is the pretend app (scripts.telegram_chat), not a real bot."""
        token = self.telegram_bot_token
        return token is not None and token.get_secret_value() == PRETEND_TELEGRAM_TOKEN

    @model_validator(mode="after")
    def _tls_for_auth(self) -> Settings:
        # Without a certificate aiosmtpd never offers AUTH or STARTTLS: every sender would be
        # refused, with nothing said at startup.
        if self.smtp_tls_cert is None and (self.smtp_require_starttls or self.smtp_auth_username):
            raise ValueError(
                "COMPLAINTBOT_SMTP_AUTH_USERNAME and COMPLAINTBOT_SMTP_REQUIRE_"
                "STARTTLS need COMPLAINTBOT_SMTP_TLS_CERT (and _KEY)"
            )
        return self

    @model_validator(mode="after")
    def _authserv_id_when_forwarded(self) -> Settings:
        if self.email_sender_checks == "forwarded" and not self.email_authserv_id:
            raise ValueError(
                "COMPLAINTBOT_EMAIL_SENDER_CHECKS=forwarded needs COMPLAINTBOT_EMAIL_AUTHSERV_ID "
                "(the name your mail server writes first in its Authentication-Results)"
            )
        return self

    @field_validator("dkim_private_key_path")
    @classmethod
    def _readable_key(cls, value: Path | None) -> Path | None:
        if value is not None and not value.is_file():
            raise ValueError(f"no DKIM key file at {value}")
        return value

    @field_validator("email_trusted_networks")
    @classmethod
    def _networks(cls, value: str) -> str:
        for network in filter(None, (part.strip() for part in value.split(","))):
            ipaddress.ip_network(network, strict=False)  # raises ValueError, reported clearly
        return value

    @property
    def trusted_networks(self) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
        """The networks whose mail is taken as from its From."""
        parts = (part.strip() for part in self.email_trusted_networks.split(","))
        return tuple(ipaddress.ip_network(part, strict=False) for part in parts if part)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown timezone {value!r} (use a name like Europe/London)"
            ) from None
        return value

    @property
    def audit_key_file(self) -> Path:
        """Where the audit key is kept when it is not set in the environment."""
        return self.data_dir / "audit.key"

    @property
    def zone(self) -> ZoneInfo:
        """The organisation's timezone."""
        return ZoneInfo(self.timezone)

    @property
    def language_codes(self) -> tuple[str, ...]:
        """The languages customers are answered in, the default first."""
        listed = [code.strip().lower() for code in self.languages.split(",") if code.strip()]
        return tuple(dict.fromkeys([self.locale, *listed]))

    @field_validator("data_dir")
    @classmethod
    def _anchored(cls, value: Path) -> Path:
        return value if value.is_absolute() else PROJECT_ROOT / value

    @field_validator("reference_prefix")
    @classmethod
    def _upper(cls, value: str) -> str:
        return value.upper()

    @property
    def database(self) -> str:
        """The async SQLAlchemy URL: DATABASE_URL, or a SQLite file in the data folder."""
        url = self.database_url or f"sqlite+aiosqlite:///{self.data_dir / 'complaintbot.db'}"
        for plain, driver in (
            ("postgresql://", "postgresql+asyncpg://"),
            ("postgres://", "postgresql+asyncpg://"),
            ("sqlite://", "sqlite+aiosqlite://"),
        ):
            if url.startswith(plain):
                url = driver + url[len(plain) :]
                break
        parsed = make_url(url)
        path = parsed.database
        relative = bool(path) and path != ":memory:" and not Path(str(path)).is_absolute()
        if parsed.get_backend_name() == "sqlite" and relative:
            # A relative file is the project's, like the data folder: a command run from
            # another folder must not open (and create) a different, empty database there.
            url = parsed.set(database=str(PROJECT_ROOT / str(path))).render_as_string(False)
        return url

    @property
    def sqlite_path(self) -> Path | None:
        """The SQLite database file in use, or None (PostgreSQL, or SQLite in memory)."""
        parsed = make_url(self.database)
        path = parsed.database
        if parsed.get_backend_name() != "sqlite" or not path or path == ":memory:":
            return None
        return Path(path)

    @property
    def sms_problem(self) -> str | None:
        """Why SMS is off (a label key under channel_detail), or None when it is on."""
        if not (self.twilio_account_sid and self.twilio_auth_token):
            return "sms_no_credentials"
        if not (self.twilio_from_number or self.twilio_messaging_service_sid):
            return "sms_no_sender"
        return None

    @property
    def slack_problem(self) -> str | None:
        """Why the Slack console is off (a label key under channel_detail), or None when on."""
        if not (self.slack_bot_token and self.slack_team_id):
            return "slack_no_token"
        if self.slack_mode == "socket" and not self.slack_app_token:
            return "slack_no_app_token"
        if self.slack_mode == "http" and not self.slack_signing_secret:
            return "slack_no_signing_secret"
        return None

    @property
    def telegram_problem(self) -> str | None:
        """Why Telegram is off (a label key under channel_detail), or None when it is on."""
        if not self.telegram_bot_token:
            return "telegram_no_token"
        if self.telegram_mode == "webhook" and not self.telegram_webhook_secret:
            return "telegram_no_secret"
        return None

    @property
    def complaint_address_list(self) -> list[str]:
        """The addresses mail is accepted for, lower-cased."""
        return [a.strip().lower() for a in self.complaint_addresses.split(",") if a.strip()]

    @property
    def mail_domain_name(self) -> str:
        """The domain of our Message-IDs: set, or that of the first complaint address."""
        if self.mail_domain:
            return self.mail_domain
        first = self.complaint_address_list[0] if self.complaint_address_list else "localhost"
        return first.rpartition("@")[2] or "localhost"

    @property
    def mail_drop_path(self) -> Path:
        """Where outgoing mail is written when no relay is configured."""
        return self.mail_drop_dir or self.data_dir / "mail-out"

    def public_url(self, path: str) -> str:
        """The URL a provider calls for ``path``, as it signs it."""
        base = self.public_base_url or f"http://{self.http_host}:{self.http_port}"
        return base.rstrip("/") + path

    @property
    def journal_path(self) -> Path:
        """Where webhook messages wait on disk while the database cannot take them."""
        return self.data_dir / "inbound-journal"

    @property
    def staff_feed_path(self) -> Path:
        """Where staff notifications are written when no staff chat channel is configured."""
        return self.staff_feed_dir or self.data_dir / "staff-feed"
