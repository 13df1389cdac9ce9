"""Customers are answered in their own language, on every channel, from start to finish."""

from __future__ import annotations

from sqlalchemy import select

from bot.services.app import App
from bot.services.staff import handle_staff_action
from bot.storage.models import Case, Identity
from fakes.smtp_sink import SmtpSink
from tests.bot.conversation import customer_text, say
from tests.bot.mailing import dispatch, mail, send
from workflows.staff import StaffAction, StaffActionKind


async def language_of(app: App, address: str, channel: str = "console") -> str | None:
    async with app.sessions() as session:
        identity = await session.scalar(
            select(Identity).where(Identity.address == address, Identity.channel == channel)
        )
        assert identity is not None
        return identity.language


async def test_a_french_customer_is_answered_in_french_and_understood(app: App) -> None:
    first = await say(app, "Bonjour, mon grille-pain a pris feu hier soir dans la cuisine.")
    text = customer_text(first)
    assert "De quel produit, service ou commande" in text, text
    assert await language_of(app, "alice") == "fr"
    # Short answers stay French, and are read as French.
    await say(app, "commande n° 44521")
    asked = customer_text(await say(app, "je veux un remboursement"))
    # Date ("hier soir"), order and outcome taken: what is left is how to reach them.
    assert "Comment pouvons-nous vous tenir au courant" in asked, asked


async def test_a_french_hazard_is_graded_critical(app: App) -> None:
    await say(app, "Le chargeur a fait des étincelles et a pris feu, mon fils s'est brûlé la main")
    for answer in ("commande 7781", "hier", "un remboursement", "marie@example.fr", "oui", "oui"):
        await say(app, answer)
    async with app.sessions() as session:
        case = await session.scalar(select(Case))
        assert case is not None
        assert case.severity == "critical", case.triage_reasons


async def test_asking_for_english_mid_complaint_switches_and_asks_again(app: App) -> None:
    await say(app, "Mi pedido llegó roto y nadie me contesta desde hace una semana")
    assert await language_of(app, "alice") == "es"
    again = customer_text(await say(app, "in English please"))
    assert await language_of(app, "alice") == "en"
    assert "Which product, service or order" in again, again


async def test_a_staff_reply_reaches_a_german_customer_inside_a_german_message(app: App) -> None:
    await say(app, "Meine Waschmaschine läuft aus und der Techniker ist nie gekommen.")
    for answer in ("Bestellung 88123", "gestern", "eine Reparatur", "jonas@example.de", "ja", "ja"):
        rows = await say(app, answer)
    assert "Vorgangsnummer" in customer_text(rows) or "Beschwerde" in customer_text(rows)
    async with app.sessions() as session:
        case = await session.scalar(select(Case))
        assert case is not None
        reference = case.reference
    staff = StaffAction(
        kind=StaffActionKind.REPLY, reference=reference, actor="carol", text="Ein Techniker kommt."
    )
    result = await handle_staff_action(app, staff, "cli")
    assert result.ok
    from tests.bot.conversation import outbox_rows

    sent = customer_text(await outbox_rows(app, result.outbox_ids))
    assert "Ein Techniker kommt." in sent  # staff's words as written ...
    assert "Update" not in sent
    assert "Reply" not in sent


async def test_a_german_email_gets_a_german_acknowledgement(
    mail_app: App, smtp_port: int, relay: SmtpSink
) -> None:
    body = (
        "Guten Tag,\n\nmeine Bestellung 88123 ist vor zwei Wochen angekommen, aber der "
        "Wasserkocher ist defekt. Ich möchte einen Ersatz.\n\nMit freundlichen Grüßen\nJonas Weber"
    )
    await send(smtp_port, mail(body, subject="Defekter Wasserkocher"))
    (ack,) = await dispatch(mail_app, relay, 1)
    text = ack.parsed.get_body(preferencelist=("plain",)).get_content()
    assert "Your reference" not in text
    assert "Beschwerde" in text, text
    html = ack.parsed.get_body(preferencelist=("html",)).get_content()
    assert 'lang="de"' in html


async def test_content_language_decides_only_when_the_text_cannot(
    mail_app: App, smtp_port: int, relay: SmtpSink
) -> None:
    await send(smtp_port, mail("Hi", subject="Hi", headers={"Content-Language": "es-ES"}))
    (reply,) = await dispatch(mail_app, relay, 1)
    text = reply.parsed.get_body(preferencelist=("plain",)).get_content()
    assert await language_of(mail_app, "ana@customer.example", "email") == "es"
    assert "reclamaci" in text, text
