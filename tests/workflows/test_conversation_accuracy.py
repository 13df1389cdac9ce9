"""How well the intake understands whole conversations written the way customers write.

The labelled conversations are in tests/workflows/conversation_data/ (see its README): a first
message, how the customer would answer each question if asked, and the record a careful
officer would write down. Each is run through the real workflow (the customer answers
whatever is asked, and says yes at the summary), and the registered case is compared field
by field. A quarter (every id divisible by four) is held out: never read to tune the
workflow. Run with ``-s`` to print the per-field table.
"""

from __future__ import annotations

import json
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from tests.workflows.chat import Chat, templates
from workflows.context import IntakeSettings
from workflows.effects import Decision, OpenCase
from workflows.vocabulary import Vocabulary

DATA = Path(__file__).parent / "conversation_data" / "conversations.jsonl"
FIELDS = ("product", "when", "outcome", "name", "contact")
# Consent taken as the customer meant it at their first answer: a yes registers, a question or
# a hesitation is asked again (then they say "yes"), a refusal stops the complaint.
CONSENT = "consent"
# Where the figures stood on 2026-11-30, less a margin (one conversation in 210 is 0.5%): a
# change that understands customers worse fails here. English held-out, first scored before
# any tuning: product 82.5%, date 47.5%, outcome 70.0%, name 85.0%, contact 85.0%; after tuning
# on the other three quarters: 97.5%, 80.0%, 80.0%, 100%, 100%. French, German and Spanish
# v161-v232: their 18 held-out, first scored, 77.8%, 72.2%, 55.6%, 88.9%, 88.9%. English
# v233-v312: their 20 held-out, first scored, 100%, 90.0%, 85.0%, 100%, 100%. English
# v313-v392 (wishes, then dates, said every which way): their 20 held-out, first scored, 95.0%,
# 90.0%, 75.0%, 95.0%, 95.0%; French, German and Spanish v393-v464: their 18, first scored,
# 88.9%, 50.0%, 83.3%, 100%, 100%. English v465-v504 (other sectors): their 10, first scored,
# 100%, 90.0%, 80.0%, 100%, 100%; French, German, Spanish v505-v576: their 18, first scored,
# 94.4%, 61.1%, 94.4%, 100%, 100%. English v577-v616 and French, German, Spanish v617-v688
# (two or more dates in most): their 28 held-out, first scored, 85.7%, 75.0%, 89.3%, 100%,
# 100%. English v689-v768 (wishes, many by text) and French, German, Spanish v769-v840 (dates):
# their 38 held-out, first scored, 97.4%, 84.2%, 84.2%, 100%, 100%. All 210 held-out after
# tuning on the rest: 97.1%, 90.0%, 89.0%, 100%, 100%. The tuning floors went down as sets
# written to be hard (several dates, text-speak wishes) joined; nothing read before got worse.
# v841-v1040 (all four languages; new sectors, wishes, dates and contacts said every which
# way), all 200 first scored: 95.5%, 89.5%, 83.0%, 97.5%, 88.0% (numbers in national formats
# inside sentences, "call me at ..."); their 50 held-out after tuning on their other 150:
# 96.0%, 88.0%, 88.0%, 98.0%, 98.0%. All 260 held-out then: 96.9%, 91.2%, 91.2%, 99.6%, 99.6%
# (the first 210 alone: 97.1%, 91.9%, 91.9%, 100%, 100%). v1041-v1240 (all four languages;
# hotels, restaurants, banks, lettings, garages, dentists, public services; a third with
# wishes a keyword list struggles with, "I just want what I paid for", and a third with the
# incident among booking and payment dates), all 200 first scored: 90.0%, 91.0%, 79.0%,
# 98.0%, 98.0%; their 50 held-out after tuning on their other 150: 90.0%, 94.0%, 92.0%,
# 100%, 100%. All 310 held-out then: 95.8%, 91.6%, 91.3%, 99.7%, 99.7%; the 260 before
# them did not change. Floors for product (held-out) and outcome (tuning) went down as
# this harder set joined. v1281-v1408 (English, French, German, Spanish; trades, repairs,
# laundrettes, venues, transport, insurance, courses, apps), all 130 first scored: 89.2%,
# 94.6%, 93.8%, 99.2%, 99.2%; their 32 held-out after tuning on the rest: 90.6%, 93.8%,
# 96.9%, 100%, 100%. Products are now compared without accents ("suscripcion premium" is
# the "suscripción premium"). All 342 held-out then: 95.3%, 91.8%, 91.8%, 99.7%, 99.7%.
# v1241-v1280 (English trades and bookings), all 40 first scored: 100%, 97.5%, 90.0%, 100%,
# 100%. All 352 held-out with them: 95.5%, 92.0%, 91.8%, 99.7%, 99.7%. v1409-v1544 (all four
# languages; opticians, mobile networks, car dealers, pest control, universities, taxis,
# tailors, campsites, smart meters, couriers, warranties), all 136 first scored: 97.8%,
# 95.6%, 82.4%, 100%, 100%; their 34 held-out after tuning on the rest: 100%, 100%, 88.2%,
# 100%, 100%, and the 352 before them 96.3%, 92.3%, 92.3%, 99.7%, 99.7% (product helped by
# codes with slashes, "2026/0412"). All 386 held-out then: 96.6%, 93.0%, 92.0%, 99.7%, 99.7%.
# v1545-v1704 (English, French, German, Spanish; wishes said indirectly, only in the answer,
# with conditions and negations; dates among other dates and corrected in the answer; two
# contacts in one answer), all 160 first scored: 96.2%, 93.1%, 74.4%, 98.8%, 93.8%; their 40
# held-out after tuning on their other 120: 97.5%, 95.0%, 82.5%, 100%, 100%. All 426
# held-out with them, before that tuning: 96.7%, 93.0%, 90.8%, 99.8%, 99.5%; after: 96.7%,
# 93.7%, 91.3%, 99.8%, 99.8% (the held-out outcome floor went down as this harder set
# joined, not because of a change). Tuning then: 97.3%, 97.9%, 97.5%, 100%, 99.9%.
# v1705-v1864 (the same brief, other sectors: utilities, councils, clinics, airlines, banks,
# landlords; dialects from Lagos to Vienna), all 160 first scored after that tuning: 93.8%,
# 88.8%, 78.1%, 98.8%, 98.8%; their 40 held-out, before and after tuning on their other 120:
# 95.0%, 95.0%, 70.0%, 97.5%, 97.5% both times (the wish phrases learnt did not carry over to
# their siblings: the phrase lists have reached what they can do for outcomes). All 466
# held-out then: 96.6%, 94.4%, 89.5%, 99.6%, 99.6% (93.8% date before that tuning; the
# outcome floor went down as this set joined). Tuning: 97.0%, 97.4%, 97.4%, 100%, 99.9%.
# 2026-12-01: a learnt wish model (config/wishes/, scripts/train_wishes.py, trained on the
# tuning quarters only) names the nearest outcome when no phrase or stem does; its threshold
# was chosen by leaving writers out within the tuning set. All 466 held-out, scored once:
# outcome 89.5% -> 91.4%, the other fields unchanged. Tuning outcome 98.1% (it learnt them).
# v1865-v2024 (English, French, German, Spanish by writers who saw nothing of the product;
# sectors from Abidjan phone shops to Swiss hotels; the incident among other dates, often
# corrected only in the answer to "when", which the bot never asks when the first message
# already gave a date: about half of their date misses), all 160 first scored with the wish
# model: 90.6%, 73.8%, 74.4% (71.9% without it), 95.0%, 95.6%; their 40 held-out after
# retraining the wish models on their other 120: 92.5%, 75.0%, 77.5%, 97.5%, 97.5%. All 506
# held-out then: 96.2%, 92.9%, 90.3%, 99.4%, 99.4%; tuning: 96.4%, 95.7%, 96.6%, 99.5%,
# 99.5%. The floors went down as this set joined, not because of a change. Reluctant
# consents ("I suppose so", "si c'est nécessaire, oui", "meinetwegen", "simón") understood:
# twelve tuning conversations that never registered now do; tuning 97.2%, 96.4%, 97.2%,
# 99.9%, 99.9%; held-out unchanged. Days of finding out ("gesehen habe ich es am 16.")
# set aside, "Mittwoch der 11.", and several days named in a first message asked about
# even beside "since": tuning when 97.0%, held-out when 93.3%.
# A fourth blind round, v2025-v2184 (40 in each language, written by helpers who never saw
# the code), scored first as it came: 92.5%, 79.4%, 78.8% (76.2% without the wish model),
# 96.9%, 96.9% (the round before: 90.6%, 73.8%, 74.4%, 95.0%, 95.6%); seven of its 120
# tuning conversations never registered (consent said as "if u must", "jau", "Doy mi
# consentimiento…"). With it in and the wish models retrained: tuning 97.4%, 96.4%, 96.9%,
# 99.9%, 99.9%; all 546 held-out 96.0%, 92.3%, 90.3%, 99.5%, 99.5%. The floors went down
# as this set joined. Then an attack review found 270 of 376 answers that are not consent
# ("yes delete it", "sure, when pigs fly", "ok later", "si me pagan") read as consent: now
# every word of a consent must be accounted for (a yes, a consent, what it grants, courtesy),
# else it is asked again ("Please answer yes or no"), to which the customer here says "yes".
# Consent understood at the first answer is counted on its own: tuning 99.8%, held-out
# 97.1%; the fields: tuning 97.4%, 96.4%, 96.9%, 99.9%, 99.9%; held-out 96.9%, 93.2%,
# 91.2%, 100%, 100%.
# Rounds 5-7 (v2185-v2664) joined the same way; round 7 scored first 98.1%, 83.8%, 85.0%,
# 100%, 100%, consent 91.9%. With it in: held-out (666) 97.0%, 92.8%, 91.0%, 100%, 99.8%,
# consent 97.0%; the held-out outcome floor went down as its quarter joined (90.7% before
# the changes it prompted). Round 8 (v2665-v2824) scored first with this session's code:
# 96.9%, 85.6%, 89.4%, 99.4%, 100%, consent 91.2% (the session's starting code: 96.9%,
# 84.4%, 88.8%); with it in, held-out (706) 97.2%, 91.9%, 91.2%, 100%, 99.9% (starting
# code 97.2%, 91.5%, 91.1%), and the held-out date floor went down as its quarter joined.
# Round 9 (v2825-v2984) scored first with the code of the start of its session: 98.8%,
# 88.1%, 78.1%, 99.4%, 100%, consent 94.4%; round 10 (v2985-v3144) with the code after
# round 9's changes: 98.8%, 83.1%, 85.0%, 100%, 100%, consent 93.8% (start code 98.8%,
# 83.1%, 83.1%). Their tuning quarters brought the tuning date floor down: 95.8% before,
# 94.9% with them in (their dates of tours, letters and first nights split the writers).
# Round 11 (v3145-v3304) scored first with the code of the start of its session: 95.6%,
# 85.6%, 83.8%, 100%, 100%, consent 94.4%. Its held-out quarter brought the held-out date
# floor down: 91.6% before, 91.4% with it in (826 held out). An answer to "when" that names
# several days then means the first (it was the latest): held-out date 92.0%, floor back up;
# with the rest of that session's date changes, tuning 95.1% and held-out 92.4%.
# Round 12 (v3305-v3464; funeral directors, removals, car rental, parking fines, care homes,
# dialects from Cologne to Lima) scored first with the code of the start of its session:
# 98.1%, 85.0%, 86.2%, 100%, 100%, consent 91.2%. With it in: held-out (866) 97.6%, 92.0%,
# 91.6%, 100%, 99.9%, consent 97.0%; tuning date 94.6%, and that floor went down as its
# tuning quarter joined (most of its misses correct a certain first-message day only in an
# answer to "when", which is not asked then). After its vocabulary: tuning 94.8%.
# Round 13 (v3465-v3624; libraries, carers, car washes, e-scooters, alarms, music lessons)
# scored first with that session's code: 98.1%, 84.4%, 86.9%, 100%, 100%, consent 92.5%
# (the session's starting code: outcome 86.2%, the rest the same). Its held-out quarter
# brought the held-out date floor down: 92.0% before, 91.5% with it in (906 held out).
# Round 14 (v3625-v3784; solar installers, wedding photographers, boat and ski hire, dry
# cleaners, hearing aids, escape rooms, locksmiths, chimney sweeps, tattoo studios, cakes;
# about one consent in ten not a plain yes) scored first with that session's code: 96.2%,
# 84.4%, 81.2%, 96.9%, 95.6%, consent 71.2%; its held-out 40: 95.0%, 77.5%, 80.0%, 100%,
# 97.5%, consent 57.5%. Its quarters brought the floors for date (tuning 94.7% before, 94.4%
# with it; held-out 91.6%, 91.0%) and consent (tuning 99.6%, 98.6%; held-out 96.9%, 95.2%)
# down. After its changes (a yes limited to this complaint, "no marketing", is consent;
# "Refund of ₹1,499 is not the point"; contacts asked for in familiar forms, "escribidme"):
# the 906 held out before it 97.4%, 91.6%, 91.4%, 100%, 99.9%, consent 97.2%.
# Round 15 (v3785-v3944; vets, window cleaners, music shops, printers, boiler plans, taxi
# apps, cinemas, car parks, glasses online, furniture assembly, pools, brewery tours; the same
# brief) scored first with the code after round 14's changes: 98.8%, 81.9%, 78.8%, 98.8%,
# 95.0%, consent 67.5%; its held-out 40: 100%, 85.0%, 80.0%, 100%, 95.0%, consent 75.0%.
# Its quarters brought the floors for date (tuning), consent (both) and outcome (held-out)
# down; with its vocabulary (dialect yeses, "keep yer sorry", "dejarlo bien") and the wish
# models retrained: all 986 held-out 97.4%, 90.8%, 90.4%, 100%, 99.6%, consent 95.2%.
# Round 16 (v3945-v4104; dentists, driving schools, self-storage, bike repairs, online
# pharmacies, airport parking, hotel spas, theatre tickets, phone repairs, gardeners,
# mattresses, dog groomers; Jamaican, Kenyan, Corsican, Réunion, Luxembourgish, Basque and
# Dominican voices; the same brief) scored first with the code of the start of its session:
# 100%, 85.0%, 82.5%, 100%, 95.6%, consent 70.6%; its held-out 40: 100%, 90.0%, 82.5%, 100%,
# 97.5%, consent 67.5%. Its quarters brought the consent floors down (tuning 98.3% before,
# 97.3% with it in; held-out 95.2%, 94.2%). With its changes (money for damage or a vet's
# bill is compensation; a wish said before "if not possible" is the wish; dialect yeses):
# tuning 97.9%, 93.6%, 99.4%, 99.6%, 99.5%, consent 97.8%; the 986 held out before it 97.4%,
# 90.9%, 90.6%, 100%, 99.6%, consent 95.3%; all 1,026 97.5%, 90.9%, 90.3%, 100%, 99.5%,
# consent 94.2%.
# Round 17 (v4105-v4264; vets, removals, kitchen fitters, broadband, gyms, wedding venues,
# boilers, airport car hire, music lessons, window cleaners, upholsterers, opticians; Glasgow,
# Lagos, Trinidad, Dakar, Berlin, Saxon, Tyrolean, Bernese, Andalusian, Venezuelan voices)
# scored first with the code of the start of its session: 97.5%, 83.1%, 78.1%, 98.8%,
# 93.1%, consent 71.2% (counted the old way); its held-out 40: 97.5%, 87.5%, 75.0%, 97.5%,
# 92.5%. Consent is now scored as meant: 66 first answers are labelled "unclear" (a question
# or hesitation: asked again is right) or "refused" (to stop there, registering nothing, so
# their fields are not scored), from their writers' notes and words. With round 17 in and
# that scoring, the start code: tuning 97.9%, 93.2%, 98.7%, 99.7%, 99.3%, consent 97.6%;
# held-out (1,066) 97.6%, 90.8%, 89.8%, 100%, 99.3%, consent 95.6%: the floors for date
# (tuning) and contact (both) went down as the round joined (SMS customers giving an
# email only in answer to a question the bot does not ask on SMS). With this session's
# changes and the wish models retrained: tuning 97.9%, 93.4%, 99.4%, 99.7%, 99.4%, consent
# 99.0%; held-out 97.6%, 91.3%, 90.1%, 100%, 99.3%, consent 95.8%.
# Round 18 (v4265-v4424; pet insurance, holiday lets, washing machine repairs, carpet fitters,
# dental payment plans, furniture delivery, council tax, airport taxis, hair salons, car
# chargers, garden centres, phone contracts; Newfoundland, Cork, Kumasi, Lahore, Madagascar,
# Guadeloupe, Saxon, Swiss, Yucatecan voices; its writers labelled consent themselves) scored
# first with this session's code before any tuning on it: 95.4%, 90.1%, 87.5%, 99.3%, 97.4%,
# consent 74.4%; its held-out 40: 97.3%, 91.9%, 81.1%, 100%, 97.3%, consent 80.0%. The
# session's start code on the same 160: 95.4%, 84.2%, 84.9%, 99.3%, 97.4%, consent 73.1%. With
# its tuning quarter's words and the wish models retrained: tuning 97.8%, 94.0%, 99.4%, 99.7%,
# 99.3%, consent 98.8%; held-out (1,106) 97.6%, 91.7%, 90.1%, 100%, 99.3%, consent 95.3%.
# Issue 14's goal on held-out conversations is 95% for contact, outcome and date. Raise
# these; never lower them to make a change pass.
FLOOR: dict[str, dict[str, float]] = {
    "tuning": {
        "product": 0.97,
        "when": 0.93,
        "outcome": 0.965,
        "name": 0.995,
        "contact": 0.99,
        "consent": 0.985,
    },
    "held-out": {
        "product": 0.965,
        "when": 0.91,
        "outcome": 0.90,
        "name": 0.995,
        "contact": 0.99,
        "consent": 0.95,
    },
}


@dataclass(frozen=True)
class Labelled:
    """One conversation and the record it should produce."""

    id: str
    channel: str
    first: str
    answers: dict[str, str]
    expect: dict[str, Any]
    language: str = "en"

    @property
    def consent(self) -> str:
        """What the first answer to the consent question says: "yes" (the default), "unclear"
        (a question or a hesitation: to be asked again) or "refused" (to stop there)."""
        return str(self.expect.get(CONSENT, "yes"))

    @property
    def held_out(self) -> bool:
        """Every fourth conversation is kept out of tuning."""
        return int(self.id.lstrip("v")) % 4 == 0


def load() -> list[Labelled]:
    """Every labelled conversation."""
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line]
    return [
        Labelled(
            row["id"],
            row["channel"],
            row["first"],
            row["answers"],
            row["expect"],
            row.get("language", "en"),
        )
        for row in rows
    ]


@dataclass(frozen=True)
class Run:
    """How a conversation ended: the case it registered, if any, and how consent went."""

    case: OpenCase | None
    consent_asks: int
    refused: bool


def run(item: Labelled, chat: Chat) -> Run:
    """Hold the conversation: answer what is asked, say yes at the summary.

    Consent is answered in the customer's words. Asked again ("Please answer yes or no"), a
    customer who refused says so again and one who hesitated says "yes", as that message asks.
    """
    decision: Decision = chat.say(item.first)
    asks = 0
    refused = False
    for _ in range(12):
        opened = decision.of_type(OpenCase)
        if opened:
            break
        said = templates(decision)
        refused = refused or "customer/consent_refused" in said
        asked = next((t for t in reversed(said) if t.startswith("customer/ask_")), None)
        if asked == "customer/ask_consent":
            asks += 1
            first = item.answers.get("consent") or "yes"
            again = first if item.consent == "refused" else "yes"
            decision = chat.say(first if asks == 1 else again)
        elif asked is not None:
            field = asked.removeprefix("customer/ask_")
            decision = chat.say(item.answers.get(field) or "skip")
        elif "customer/summary" in said:
            decision = chat.say("1")  # "register it" (1 is yes on every menu, in any language)
        elif "customer/confirm_request" in said:
            decision = chat.say("2")
        else:
            break
    opened = decision.of_type(OpenCase)
    return Run(opened[0] if opened else None, asks, refused)


def consent_right(item: Labelled, ran: Run) -> bool:
    """Whether consent went as the customer meant it: a yes registers at the first answer, a
    question or hesitation is asked again, a refusal stops the complaint (a bare "no" after
    one word on why consent is needed) and registers nothing."""
    if item.consent == "refused":
        return ran.refused and ran.case is None
    if item.consent == "unclear":
        return ran.consent_asks > 1 and not ran.refused
    return ran.consent_asks == 1


def recorded(case: OpenCase | None) -> dict[str, object]:
    """The fields of the registered case, in the labels' terms."""
    if case is None:
        return dict.fromkeys(FIELDS)
    details = case.details
    return {
        "product": details.product,
        "when": details.occurred_on.isoformat() if details.occurred_on else None,
        "outcome": (details.outcome or "").partition(":")[0] or None,
        "name": details.customer_name,
        "contact": details.contact,
    }


def agrees(field: str, found: object, wanted: object) -> bool:
    """Whether the case holds what the officer wrote (names and products loosely)."""
    if wanted is None:
        return found is None or field in {"name", "product"}
    if found is None:
        return False
    if field in {"product", "name"}:
        # Loosely: "la suscripcion premium" records the "suscripción premium" it was about.
        return _folded(str(wanted)) in _folded(str(found))
    if field == "contact":
        return _squeezed(str(found)) == _squeezed(str(wanted))
    return str(found) == str(wanted)


def _folded(text: str) -> str:
    """Lower case without accents."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _squeezed(text: str) -> str:
    return "".join(text.lower().split())


def score(
    items: list[Labelled], make_chat: Callable[[Labelled], Chat]
) -> tuple[dict[str, float], list[str]]:
    """Per-field accuracy, and what went wrong where.

    A conversation whose customer refuses consent should register nothing: its fields are not
    scored, only that it stopped.
    """
    right: Counter[str] = Counter()
    misses: list[str] = []
    asked = understood = 0
    scored = [item for item in items if item.consent != "refused"]
    for item in items:
        ran = run(item, make_chat(item))
        if ran.consent_asks:
            asked += 1
            if consent_right(item, ran):
                understood += 1
            else:
                answer = item.answers.get("consent")
                misses.append(f"{item.id} consent ({item.consent}) not understood: {answer!r}")
        if item.consent == "refused":
            continue
        found = recorded(ran.case)
        for field in FIELDS:
            if agrees(field, found[field], item.expect.get(field)):
                right[field] += 1
            else:
                misses.append(f"{item.id} {field}: {found[field]!r}, wanted {item.expect[field]!r}")
    accuracy = {field: right[field] / len(scored) for field in FIELDS}
    # Of the conversations asked for consent, those whose first answer was taken as meant.
    accuracy[CONSENT] = understood / asked if asked else 1.0
    return accuracy, misses


@pytest.mark.parametrize("part", ["tuning", "held-out"])
def test_the_intake_records_what_customers_said(
    part: str,
    intake_settings: IntakeSettings,
    vocabularies: dict[str, Vocabulary],
    now: datetime,
    new_reference: Callable[[], str],
) -> None:
    items = [item for item in load() if item.held_out == (part == "held-out")]
    assert len(items) >= 40

    def make_chat(item: Labelled) -> Chat:
        return Chat(
            settings=replace(intake_settings, vocab=vocabularies[item.language]),
            now=now,
            new_reference=new_reference(),
            channel=item.channel,
            lasting_address=item.channel != "console",
        )

    accuracy, misses = score(items, make_chat)
    print(f"\n{part}: {len(items)} conversations")
    for field in (*FIELDS, CONSENT):
        print(f"  {field:<8} {accuracy[field]:6.1%}")
    floor = FLOOR[part]
    assert all(accuracy[f] >= floor[f] for f in (*FIELDS, CONSENT)), "\n".join(misses)


def test_a_quarter_of_the_conversations_are_held_out() -> None:
    items = load()
    assert len(items) >= 150
    assert sum(item.held_out for item in items) / len(items) >= 0.25


def test_every_label_is_complete() -> None:
    outcomes = {"refund", "replacement", "repair", "explanation", "apology", "other"}
    for item in load():
        assert set(FIELDS) <= set(item.expect), item.id
        assert item.expect["outcome"] in outcomes, item.id
        assert item.consent in {"yes", "unclear", "refused"}, item.id
        assert item.channel in {"console", "sms"}, item.id
        assert item.language in {"en", "fr", "de", "es"}, item.id
        assert isinstance(item.answers, dict), item.id
        assert all(isinstance(v, str) for v in item.answers.values()), item.id
