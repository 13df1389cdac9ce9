"""Template rendering: every word a customer or staff member reads comes from templates/."""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path
from typing import Any, Protocol

import jinja2
from markupsafe import Markup

from bot.config_files import ConfigError
from channels.base import Choice
from workflows.effects import ChoiceSpec
from workflows.references import check_symbol, format_reference

# The formats a channel's messages are written in, best first; "text" is the fallback.
CHANNEL_FORMATS: dict[str, tuple[str, ...]] = {
    "console": ("console", "text"),
    "cli": ("cli", "text"),
    "staff-feed": ("feed", "text"),
    "sms": ("sms", "text"),
    "email": ("email", "text"),
    "telegram": ("telegram", "text"),
    "slack": ("slack", "text"),
}


# Output read in a terminal or a log (a staff member's screen): customer text there must not
# carry escape sequences that move the cursor, retitle the window or reorder the line.
TERMINAL_CHANNELS = frozenset({"console", "cli", "staff-feed"})
# The channel staff commands in a terminal act as, and render their templates for.
STAFF_CHANNEL = "cli"
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def visible_controls(text: str) -> str:
    """Show control and bidi-override characters as escapes (keeping newlines and tabs)."""
    return _CONTROLS.sub(
        lambda match: (
            f"\\x{ord(match[0]):02x}" if ord(match[0]) < 256 else f"\\u{ord(match[0]):04x}"
        ),
        text,
    )


# Channels whose text is Slack mrkdwn: &, < and > are control characters there (mentions,
# links, @channel), so every value put into a template is escaped first.
SLACK_CHANNELS = frozenset({"slack"})
# A member of staff as the Slack console records them: "Display Name (slack:U0123ABCD)".
_SLACK_PERSON = re.compile(r"\(slack:(?P<id>[UW][A-Z0-9]{2,})\)$")


def slack_escape(text: str) -> str:
    """Text as Slack shows it literally: no mention, link or @channel survives."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _escaped(value: object) -> object:
    if isinstance(value, Markup):
        return value  # already made safe (a notice rendered for Slack, quoted in another)
    if isinstance(value, str):
        return slack_escape(value)
    if isinstance(value, Mapping):
        return {key: _escaped(inner) for key, inner in value.items()}
    if isinstance(value, list | tuple):
        return [_escaped(inner) for inner in value]
    return value


@dataclass(frozen=True, slots=True)
class Rendered:
    """A rendered message: body text, optional subject and HTML, labelled choices, blocks."""

    text: str
    subject: str | None
    html: str | None
    choices: tuple[Choice, ...]
    # A rich layout (Slack Block Kit) where the template gives one; ``text`` is the fallback.
    blocks: tuple[dict[str, Any], ...] = ()


class TemplateMissing(LookupError):
    """No template exists for a purpose in any format the channel accepts."""


class RenderingSettings(Protocol):
    """What staff text is rendered with: ``Settings`` has it, and so do quicker readers."""

    @property
    def templates_dir(self) -> Path:
        """Where the templates are."""

    @property
    def locale(self) -> str:
        """The default language."""

    @property
    def organisation(self) -> str:
        """The organisation's name."""

    @property
    def reference_prefix(self) -> str:
        """The letters before every reference."""

    @property
    def zone(self) -> tzinfo:
        """The organisation's timezone."""


class Renderer:
    """Renders ``<locale>/<name>.<format>.j2`` with strict undefined variables.

    With a ``fallback`` locale (the default language), a template or label the locale has not
    translated yet comes from the fallback: a half-translated locale still answers.
    """

    def __init__(
        self,
        templates_dir: Path,
        locale: str,
        organisation: str,
        reference_prefix: str = "CB",
        timezone: tzinfo = UTC,
        fallback: str | None = None,
    ) -> None:
        self._locale = locale
        self._search = (locale,) if fallback in (None, locale) else (locale, str(fallback))
        self._zone = timezone
        self._labels: dict[str, str] = {}
        for code in reversed(self._search):
            self._labels.update(_load_labels(templates_dir / code / "labels.toml"))
        self._env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(templates_dir),
            undefined=jinja2.StrictUndefined,
            autoescape=jinja2.select_autoescape(
                enabled_extensions=("html.j2",), default_for_string=False
            ),
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
        )
        self._env.globals.update(
            label=self.label,
            label_or=self.label_or,
            organisation=organisation,
            # A valid reference to show as an example (a made-up one would fail its own check).
            reference_example=example_reference(reference_prefix),
        )
        self._names = set(self._env.list_templates())
        self._env.filters.update(
            day=self.day,
            when=self.when,
            paragraphs=paragraphs,
            person=person,
            mention=mention,
            fit=fit,
            quoted=quoted,
            inline=inline,
        )
        # Templates shared by the staff feed and Slack quote customer text only on Slack.
        self._env.globals["slack"] = False

    @classmethod
    def for_staff(cls, settings: RenderingSettings) -> Renderer:
        """The renderer of the organisation's default language (staff text, and its fallback)."""
        return cls(
            settings.templates_dir,
            settings.locale,
            settings.organisation,
            settings.reference_prefix,
            settings.zone,
        )

    def label(self, key: str) -> str:
        """A short label (a choice, a field name, a status) from labels.toml."""
        try:
            return self._labels[key]
        except KeyError:
            raise TemplateMissing(f"no label {key!r} in {self._locale}/labels.toml") from None

    def label_or(self, key: str, default: str) -> str:
        """A label where one exists, else ``default`` (for keys from data, e.g. a language)."""
        return self._labels.get(key, default)

    def day(self, value: date | datetime | str | None) -> str:
        """A date as people read it, e.g. 2 December 2026 (text passes through unchanged)."""
        if value is None:
            return ""
        if isinstance(value, str):
            try:
                parsed = date.fromisoformat(value)
            except ValueError:
                return value
            return self.day(parsed)
        if isinstance(value, datetime):
            value = value.astimezone(self._zone)
        # Each language writes dates its own way ("2. Dezember", "2 de diciembre de").
        pattern = self._labels.get("format.day", "{day} {month} {year}")
        return pattern.format(
            day=value.day, month=self.label(f"month.{value.month}"), year=value.year
        )

    def when(self, value: datetime | None) -> str:
        """A moment in the organisation's timezone, e.g. 2 December 2026 14:05 GMT."""
        if value is None:
            return ""
        local = value.astimezone(self._zone)
        return f"{self.day(local)} {local:%H:%M} {local.tzname()}"

    def render(
        self,
        name: str,
        context: Mapping[str, object],
        channel: str,
        choices: Sequence[ChoiceSpec] = (),
    ) -> Rendered:
        """Render template ``name`` for ``channel`` (its own format, else plain text)."""
        formats = CHANNEL_FORMATS.get(channel, ("text",))
        text_template = self._first(name, formats)
        values = dict(context)
        if channel in SLACK_CHANNELS:
            values = {key: _escaped(value) for key, value in values.items()}
            values["slack"] = True
            if (text_template.name or "").endswith(".slack.j2"):
                return self._slack_document(text_template, values, choices)
        module = text_template.make_module(values)
        subject = getattr(module, "subject", None)
        html = None
        html_name = self._found(f"{name}.{formats[0]}.html.j2")
        if html_name is not None:
            html = self._env.get_template(html_name).render(values)
        if channel == "email":
            # Every email has a subject (with the reference) and an HTML part; a purpose
            # without its own gets the shared ones.
            if not subject:
                subject = self._first("customer/email_subject", formats).render(values)
            if html is None:
                layout = self._env.select_template(
                    [f"{code}/layout/email.html.j2" for code in self._search]
                )
                html = layout.render(body=str(module).strip(), subject=str(subject).strip())
        labelled = tuple(Choice(choice.value, self.label(choice.label)) for choice in choices)
        if channel in TERMINAL_CHANNELS:
            text = visible_controls(str(module))
            return Rendered(text.strip(), None, None, labelled)
        return Rendered(
            str(module).strip(), str(subject).strip() if subject else None, html, labelled
        )

    def page(self, name: str, context: Mapping[str, object]) -> str:
        """A whole HTML document (the management report) from ``<name>.html.j2``, escaped."""
        return self._first(name, ("html",)).render(dict(context))

    def view(self, name: str, context: Mapping[str, object]) -> dict[str, Any]:
        """A Slack view (a modal, the App Home) from its JSON template, values escaped."""
        template = self._first(name, ("slack",))
        values = {key: _escaped(value) for key, value in context.items()}
        try:
            document = json.loads(template.render(values))
        except ValueError as error:
            raise TemplateMissing(f"{template.name} is not a Slack view: {error}") from None
        if not isinstance(document, dict):
            raise TemplateMissing(f"{template.name} is not a Slack view")
        return document

    def _slack_document(
        self, template: jinja2.Template, values: dict[str, object], choices: Sequence[ChoiceSpec]
    ) -> Rendered:
        """A Slack template is a JSON document: {"text": fallback, "blocks": [...]}."""
        source = template.render(values)
        try:
            document = json.loads(source)
            text = document["text"]
            blocks = document.get("blocks", [])
        except (ValueError, KeyError, TypeError) as error:
            raise TemplateMissing(f"{template.name} is not a Slack document: {error}") from None
        if not isinstance(text, str) or not isinstance(blocks, list):
            raise TemplateMissing(f"{template.name}: text must be a string, blocks a list")
        labelled = tuple(Choice(choice.value, self.label(choice.label)) for choice in choices)
        return Rendered(text.strip(), None, None, labelled, tuple(blocks))

    @property
    def locale(self) -> str:
        """The language this renderer writes in."""
        return self._locale

    def _found(self, name: str) -> str | None:
        return next((f"{c}/{name}" for c in self._search if f"{c}/{name}" in self._names), None)

    def _first(self, name: str, formats: Sequence[str]) -> jinja2.Template:
        # Every format in the locale first, then the fallback's: a French SMS without its own
        # .sms template is the French text, not the English SMS.
        tried = [f"{code}/{name}.{fmt}.j2" for code in self._search for fmt in formats]
        try:
            return self._env.select_template(tried)
        except jinja2.TemplatesNotFound:
            raise TemplateMissing(f"none of {tried} exists") from None

    def template_names(self) -> list[str]:
        """Every template purpose available in this locale (for checks and tests)."""
        prefix = f"{self._locale}/"
        return sorted(
            {
                name[len(prefix) :].split(".")[0]
                for name in self._env.list_templates(extensions=["j2"])
                if name.startswith(prefix)
                and not name.startswith((f"{prefix}macros/", f"{prefix}layout/", f"{prefix}texts/"))
            }
        )


def person(value: str | None) -> str:
    """A member of staff as Slack shows them: a mention when the console recorded their id."""
    if not value:
        return ""
    found = _SLACK_PERSON.search(value)
    return f"<@{found['id']}>" if found else value


def fit(text: str, limit: int) -> str:
    """Text cut to ``limit`` characters with an ellipsis, never inside an escape like &amp;.

    Slack refuses a whole message when one text is over its limit (3,000 for a section,
    2,000 for a field), and escaping can make text five times longer.
    """
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    amp = cut.rfind("&")
    if amp != -1 and ";" not in cut[amp:]:
        cut = cut[:amp]
    return cut + "…"


def quoted(text: str) -> str:
    """Text with every line marked as quoted (">"; a block quote in Slack), so customer words
    can never pass for the product's own lines in a staff feed or channel.

    Every kind of line break starts a quoted line ("\\r" and "\\u2028" too); other control
    characters are shown escaped wherever text reaches a terminal (see ``render``).
    """
    return "\n".join(">" + line for line in text.splitlines() or [""])


def inline(text: str) -> str:
    """Customer words for a one-line field ("From:", "About:"): every kind of line break
    becomes a space, so they cannot start a line of their own."""
    return " ".join(text.splitlines())


def mention(group: str | None) -> str:
    """A Slack user group mention (the escalation's on-call group), or nothing."""
    return f"<!subteam^{group}>" if group else ""


def paragraphs(text: str) -> Markup:
    """Plain text as escaped HTML paragraphs, line breaks kept."""
    blocks = [block for block in re.split(r"\n\s*\n", text.strip()) if block.strip()]
    return Markup("\n").join(
        Markup("<p>{}</p>").format(Markup("<br>\n").join(block.splitlines())) for block in blocks
    )


def example_reference(prefix: str) -> str:
    """A reference that passes its check, for templates to show what one looks like."""
    body = "K7M3XD9"
    return format_reference(prefix, body + check_symbol(body))


def _load_labels(path: Path) -> dict[str, str]:
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(
            f"{path} does not exist (is the locale or templates folder right?)"
        ) from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path} is not valid TOML: {error}") from None
    flat: dict[str, str] = {}

    def walk(prefix: str, value: object) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), inner)
        else:
            flat[prefix] = str(value)

    walk("", data)
    return flat
