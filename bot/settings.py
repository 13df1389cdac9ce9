"""Settings from the environment and ``.env`` (every one documented in .env.example)."""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Everything an operator can configure; channels switch on when their credentials are set."""

    model_config = SettingsConfigDict(
        env_prefix="COMPLAINTBOT_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    data_dir: Path = Path("data")
    database_url: str | None = Field(
        default=None, validation_alias=AliasChoices("DATABASE_URL", "COMPLAINTBOT_DATABASE_URL")
    )
    http_host: str = "127.0.0.1"
    http_port: int = 8080
    organisation: str = "Example Ltd"
    reference_prefix: str = Field(default="CB", pattern=r"^[A-Za-z]{1,5}$")
    locale: str = "en"
    templates_dir: Path = PROJECT_ROOT / "templates"
    routing_file: Path = PROJECT_ROOT / "config" / "routing.toml"
    max_message_length: int = Field(default=5000, ge=100)
    outbox_max_attempts: int = Field(default=8, ge=1)
    outbox_base_delay_seconds: float = Field(default=2.0, gt=0)
    outbox_max_delay_seconds: float = Field(default=900.0, gt=0)
    poll_interval_seconds: float = Field(default=1.0, gt=0)
    staff_feed_dir: Path | None = None

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
                return driver + url[len(plain) :]
        return url

    @property
    def staff_feed_path(self) -> Path:
        """Where staff notifications are written when no staff chat channel is configured."""
        return self.staff_feed_dir or self.data_dir / "staff-feed"
