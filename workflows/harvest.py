"""Reading a message for everything it says, whatever question is pending.

Customers answer out of order: asked which product, they write "It was last Friday, and I'd
like an apology"; asked how to reach them, "I already told you, bea.jones@example.net".
Every message is read for the facts that fit an unanswered question (a contact, a date, an
order number, the outcome wanted), and a fact only ever goes where it fits: a contact is an
email address or a phone number, never "yes".

What a customer did not offer as an answer is taken only when they say what it is: an email
address or a number in a complaint may be the shop's, a tracking number or an order
("I rang your helpline on 0800...", "tracking JD0002 1234 5678 90"), so unasked contacts need
"email me at", "call me on"...
"""

from __future__ import annotations

import re
from typing import NamedTuple

from workflows.context import CustomerContext, IntakeSettings
from workflows.conversation import Conversation, Field
from workflows.date_readers import without_numeric_dates
from workflows.dates import certain_date
from workflows.extraction import find_order_reference
from workflows.phrases import contains_phrase, longest_first, normalise
from workflows.questions import MAX_CONTACT_LENGTH, MAX_NAME_LENGTH, with_wish_words
from workflows.told_weekdays import weekday_told_of
from workflows.vocabulary import Vocabulary

_EMAIL_IN = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}(?![\w-])")
# A phone number: + or 0 first, then 10 to 15 digits with the usual separators.
# A full stop may end the sentence after it ("call him on 07 81 44 29 63."), not a dotted number;
# a slash only after the area code ("0231 / 52 19 84").
_PHONE_IN = re.compile(
    r"(?<![\w+./-])(?:\+|0)\d(?:\d{1,4} ?/ ?(?=\d))?[\d ()]{4,18}\d(?![\w/-]|\.\w)"
)
# Right after words that say it is theirs ("Llámenme al fijo 922 38 14 07", "Rappelez-moi au
# 581 307-4456"): a number written without its leading 0 or + is theirs too, and one of nine
# digits with it ("Llamame al 099 456 321", Uruguay).
_CUED_PHONE = re.compile(r"(?<![\w+./-])\d{2,4}(?:[ -]\d{2,4}){2,4}(?![\w/-]|\.\w)")
# Shorter ones there too: six digits in pairs ("Rappelez au 44.18.27", New Caledonia), eight
# in two fours ("call my office 6123 4567", Singapore).
_CUED_SHORT_PHONE = re.compile(
    r"(?<![\w+./-])(?<!\d )(?:\d{2}([ .])\d{2}\1\d{2}|\d{4} \d{4})(?![\w/-]|\.\w|[ .]\d)"
)
_CUED_PHONE_REACH = 32
# Said of a contact that is the customer's own ("email me at", "my mobile is", "call me on").
_OWN_CONTACT = re.compile(
    r"(?i)\b(?:e-?mail|mail|write to|contact|reach|call|ring|phone|text|message|get hold of)"
    r"\s+(?:me|us)\b|\bmy\s+(?:e-?mail|email address|address|number|phone|mobile|cell|tel)"
    r"|\b(?:mobile|tel|telephone|phone number|email address)\s*(?:is|:)"
)
_CUE_REACH = 60  # characters before a contact in which its cue must stand


class _ContactKind(NamedTuple):
    """A kind of contact and how sure its pattern is of one."""

    pattern: re.Pattern[str]
    digits: range | None  # how many digits a phone number of it holds (None: an address)
    reach: int  # how far back its cue may stand
    cued_only: bool = False  # a number without 0 or +: never after an order word
    # Short enough to be anything ("dossier 75 42 18", "avant le 14.03.26"): even asked, only
    # with its cue, and never a date.
    short: bool = False


_CONTACT_PATTERNS = (
    _ContactKind(_EMAIL_IN, None, _CUE_REACH),
    _ContactKind(_PHONE_IN, range(10, 16), _CUE_REACH),
    _ContactKind(_CUED_PHONE, range(9, 16), _CUED_PHONE_REACH, cued_only=True),
    _ContactKind(_CUED_SHORT_PHONE, range(6, 9), _CUED_PHONE_REACH, cued_only=True, short=True),
)
# Asked how to reach them, customers write numbers in their country's own way: "(312)
# 555-0148", "07700.900.331", "0176 / 44 21 98 03", "11 5823-4417", "9 5544 3322".
_ANY_PHONE = re.compile(r"(?<![\w+])\+?\(?\d[\d ()./-]{5,22}\d(?![\w])")
_A_DATE = re.compile(r"^\d{1,4}[./-]\d{1,2}(?:[./-]\d{2,4})?$")
# "My name is Bea Jones" (any case for "my name is"; the name itself capitalised).
_A_NAME = r"([^\W\d_][\w'\u2019-]*(?: [^\W\d_][\w'\u2019-]*){0,3})"
_NAME_IN = re.compile(r"(?i:\bmy name is|\bmy name's)\s+" + _A_NAME)
# Capitalised words of letters, hyphens and apostrophes ("Lucía Gómez", "Siobhán O'Neill").
_BARE_WORD = r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*"
_BARE_NAME = re.compile(rf"{_BARE_WORD}(?: {_BARE_WORD})*")
_NAME_WORDS = 4
# "Ich will," / "je veux," before the wish itself.
_BARE_WISH_WORDS = 3
# "I don't want an apology, I want it fixed": an outcome named to be refused is not wanted.
_REFUSED = re.compile(
    r"(?i)\b(?:don'?t|do not|not|never)\s+(?:want|need|asking for|looking for)\b|\bno need for\b"
)
# "i dont want another booking i want me money back": a wish after the refusal is wanted.
_WISH_AFTER = re.compile(
    r"(?i)\b(?:i|we)\s+(?:(?:just|only|really)\s+)?(?:want|need|'d like|would like)\b"
)


def contact_in(
    text: str,
    *,
    asked: bool = True,
    cues: frozenset[str] = frozenset(),
    orders: frozenset[str] = frozenset(),
) -> str | None:
    """An email address or phone number in a message.

    ``asked``: the customer is answering "how can we reach you", so any address or number is
    theirs; otherwise only one they say is theirs ("email me at ...", "my mobile is ...", or
    one of the language's ``cues``: "mon numéro"). A number without its leading 0 or + is
    theirs only just after such words, and not after an ``orders`` word ("mon numéro de
    commande 4412 887 01").
    """
    # The first one said: "01423 566 120 in the day, or m.o@gmail.com" puts the phone first.
    found: list[tuple[int, str]] = []
    for kind in _CONTACT_PATTERNS:
        for match in kind.pattern.finditer(text):
            digits = sum(character.isdigit() for character in match.group(0))
            if kind.digits is not None and digits not in kind.digits:
                continue
            before = text[max(0, match.start() - kind.reach) : match.start()]
            said = normalise(before)
            if kind.cued_only and any(contains_phrase(said, word) for word in orders):
                continue
            if kind.short and _a_day(match.group(0)):
                continue
            if (
                (asked and not kind.short)
                or _OWN_CONTACT.search(before)
                or any(contains_phrase(said, cue) for cue in cues)
            ):
                found.append((match.start(), _whole(text, match.start(), match.group(0))))
                break
    if asked and (loose := _any_phone(text)) is not None:
        found.append(loose)
    return min(found)[1][:MAX_CONTACT_LENGTH] if found else None


def _a_day(value: str) -> bool:
    """Whether three pairs of digits could be a day, a month and a year ("14.03.26")."""
    pairs = [int(pair) for pair in re.split(r"[ .]", value)]
    return len(pairs) == 3 and 1 <= pairs[0] <= 31 and 1 <= pairs[1] <= 12


def email_in(text: str) -> str | None:
    """The first email address anywhere in a message, whoever it belongs to."""
    found = _EMAIL_IN.search(text)
    return found.group(0)[:MAX_CONTACT_LENGTH] if found else None


def bare_contact(text: str) -> str | None:
    """An email address, or a phone number in international form, sent as a message of its
    own ("sam.jones@example.com" typed where the outcome was asked): nobody sends the shop's
    address alone, and a number starting with "+" is no order."""
    said = text.strip().rstrip(".!")
    if _EMAIL_IN.fullmatch(said) or (said.startswith("+") and _PHONE_IN.fullmatch(said)):
        return said[:MAX_CONTACT_LENGTH]
    return None


def _whole(text: str, start: int, value: str) -> str:
    """The number with the opening bracket of its area code ("(030) 812 34 56")."""
    value = value.strip()
    if start > 0 and text[start - 1] == "(" and ")" in value and "(" not in value:
        return "(" + value
    return value


def _any_phone(text: str) -> tuple[int, str] | None:
    """A phone number in any national format, in an answer to "how can we reach you", and
    where it starts."""
    for match in _ANY_PHONE.finditer(text):
        number = match.group(0).strip()
        digits = sum(character.isdigit() for character in number)
        # Six digits in groups, said alone or first, is a number in New Caledonia or the
        # Faroes ("75 42 18", "78 44 92, ou le fixe"); inside a sentence six digits are more
        # often an order.
        opens = number == text.strip(" .") or not text[: match.start()].strip()
        fewest = 6 if opens and len(number.split()) >= 3 else 7
        if fewest <= digits <= 15 and not _A_DATE.match(number):
            return match.start(), _whole(text, match.start(), number)
    return None


def bare_name(text: str, vocab: Vocabulary) -> str | None:
    """A name said alone where something else was asked ("Lucía Gómez" for "how can we reach
    you?"): two to four capitalised words, none a yes, a no, a courtesy or a command."""
    said = text.strip().rstrip(".!")
    words = said.split()
    if not _BARE_NAME.fullmatch(said) or not 2 <= len(words) <= _NAME_WORDS:
        return None
    if not all(word[0].isupper() for word in words):
        return None
    plain = normalise(said).split()
    known = vocab.yes | vocab.no | vocab.courtesy | set(vocab.dates.weekdays)
    if any(word in known for word in plain) or vocab.command_in(said) is not None:
        return None
    return said[:MAX_NAME_LENGTH]


def name_in(
    text: str, intros: frozenset[str] = frozenset(), self_intros: frozenset[str] = frozenset()
) -> str | None:
    """A name the customer gives in so many words ("my name is Bea Jones", "je m'appelle …",
    or after ``self_intros`` two capitalised words or more: "I'm Priya Shah")."""
    found = _NAME_IN.search(text)
    least = 1
    if _title_case(text):
        self_intros = frozenset()  # "I'm Very Disappointed With Your Service"
    for intro in longest_first(intros | self_intros):
        if found is not None:
            break
        # The phrase is stored normalised ("je m appelle", "ich heisse"): any punctuation may
        # stand between its words, and "ss" was "ß" before case folding.
        words = r"[\W_]+".join(re.escape(w).replace("ss", "(?:ss|ß)") for w in intro.split())
        found = re.search(rf"(?i:(?<!\w){words})\s+{_A_NAME}", text)
        least = 2 if intro in self_intros and intro not in intros else 1
    if found is None:
        return None
    name = _name_words(found.group(1), least)
    if name and least > 1 and not _plainly_a_name(name):
        return None
    return name[:MAX_NAME_LENGTH] if name else None


def _plainly_a_name(name: str) -> bool:
    """Whether words after "I'm" are a person's name, not a title and surname ("je suis Mme
    Perrin": her first name is asked) or a course ("I am MSc Data Science student")."""
    first = name.split()[0]
    return first.rstrip(".").lower() not in _TITLES and sum(c.isupper() for c in first[:3]) < 2


_TITLES = frozenset(
    "mr mrs ms miss dr prof mme mlle madame monsieur herr frau sr sra srta don doña".split()  # noqa: SIM905
)


def _title_case(text: str) -> bool:
    """Whether a message capitalises most of its words, as some customers write throughout
    ("I'm Very Disappointed With Your Service"); a sentence's first word and "I" say nothing."""
    inside = [
        word
        for sentence in re.split(r"[.!?\n]+", text)
        for word in sentence.split()[1:]
        if word[:1].isalpha() and word.lower() not in _I
    ]
    capitalised = sum(word[:1].isupper() for word in inside)
    return len(inside) >= _TITLE_WORDS and capitalised * 2 > len(inside)


_I = frozenset(["i", "i'm", "i've", "i'd", "i'll", "im"])
_TITLE_WORDS = 4


# Small words inside names ("María de la Cruz", "Ludwig van Beethoven").
_PARTICLES = frozenset(
    "de del della der di du da das dos la le van von ten ter bin ibn al el".split()  # noqa: SIM905
)


def _name_words(said: str, least: int) -> str | None:
    """The capitalised words a name is made of at the start of ``said`` ("Bea" of "Bea and I
    want a refund"), at least ``least`` of them, and not shouted ("UNA CLIENTA MUY ENFADADA")."""
    words = said.split()
    kept: list[str] = []
    for index, word in enumerate(words):
        inside = kept and word in _PARTICLES and index + 1 < len(words)
        if not (word[:1].isupper() or inside):
            break
        kept.append(word)
    while kept and not kept[-1][:1].isupper():
        kept.pop()  # "María de": the particle belongs to a word that did not come
    named = [word for word in kept if word[:1].isupper()]
    if len(named) < least or any(len(word) > 1 and word.isupper() for word in named):
        return None
    return " ".join(kept)


def harvest(
    conversation: Conversation,
    text: str,
    context: CustomerContext,
    settings: IntakeSettings,
    *,
    besides: Field | None = None,
) -> Conversation:
    """Fill every unanswered question (other than ``besides``) that the message answers."""
    updated = conversation

    def open_(question: Field) -> bool:
        return question is not besides and not updated.answered(question)

    if open_(Field.NAME):
        name = name_in(text, settings.vocab.name_intros, settings.vocab.self_intros)
        if name is not None:
            updated = updated.with_answer(Field.NAME, name)
    if open_(Field.CONTACT):
        vocab = settings.vocab
        contact = contact_in(text, asked=False, cues=vocab.contact_cues, orders=vocab.order_words)
        contact = contact or bare_contact(text)
        if contact is not None:
            updated = updated.with_answer(Field.CONTACT, contact)
    if open_(Field.WHEN):
        # Numbers in an answer to "which product" name the thing ("Chambre 3.07", "Cello
        # 1/2", "facture du 24/12"), not the day it went wrong.
        said = without_numeric_dates(text) if besides is Field.PRODUCT else text
        today, dates = context.local_date(settings), settings.vocab.dates
        found = certain_date(said, today, dates)
        # "La consulta, la del martes" after "el martes 10 … el jueves 12": the Tuesday named.
        told = updated.answer(Field.DESCRIPTION) or ""
        found = (weekday_told_of(said, told, today, dates) or found) if found else None
        if found is not None and found.valid and found.value is not None:
            updated = updated.with_answer(Field.WHEN, found.value.isoformat())
    if open_(Field.PRODUCT):
        order = find_order_reference(text, settings.vocab)
        if order:
            updated = updated.with_answer(Field.PRODUCT, order)
    if open_(Field.OUTCOME):
        wished = _wished(text, settings)
        if wished is not None:
            updated = updated.with_answer(Field.OUTCOME, wished)
    return updated


def _wished(text: str, settings: IntakeSettings) -> str | None:
    """The outcome wanted, from sentences that do not refuse it."""
    if (corrected := settings.vocab.corrected_outcome(text)) is not None:
        return corrected
    kept = [
        clause
        for sentence in re.split(r"[.!?\n;]+", text)
        for clause in _wish_clauses(sentence, settings)
    ]
    wished = settings.vocab.wished_outcome(". ".join(kept)) if kept else None
    return with_wish_words(wished, kept, settings.vocab) if wished is not None else None


def _wish_clauses(sentence: str, settings: IntakeSettings) -> list[str]:
    """A sentence's comma-separated parts that do not refuse, read as customers link them.

    A condition belongs with what follows it ("if you can't fix it, I want my money back"),
    a fallback with what precedes it ("fix it, otherwise a new one"), and a bare "Ich will,"
    with the wish after its comma.
    """
    vocab = settings.vocab
    parts = [kept for p in sentence.split(",") if (kept := _unrefused(p.strip()))]
    joined: list[str] = []
    glue_next = False
    for part in parts:
        words = normalise(part)
        if joined and (glue_next or any(_starts(words, f) for f in vocab.markers.fallbacks)):
            joined[-1] = f"{joined[-1]}, {part}"
        else:
            joined.append(part)
        glue_next = _negated_condition(words, settings) or _bare_wish(words, settings)
    return joined


def _unrefused(part: str) -> str:
    """What of a part is not refused: all of it, or the wish after its last refusal ("i dont
    want another booking i want me money back"), or nothing."""
    refusals = list(_REFUSED.finditer(part))
    if not refusals:
        return part
    wish = _WISH_AFTER.search(part, refusals[-1].end())
    return part[wish.start() :] if wish is not None else ""


def _negated_condition(words: str, settings: IntakeSettings) -> bool:
    """ "if you can't fix it", "wenn ihr es nicht reparieren könnt": it hopes for what follows
    is not needed; "if the replacement arrives damaged again" sets no such hope."""
    vocab = settings.vocab
    return (
        any(_starts(words, c) for c in vocab.conditionals)
        and any(contains_phrase(words, n) for n in vocab.negations)
        and not vocab.wish_words.counterfactual(words)
    )


def _bare_wish(words: str, settings: IntakeSettings) -> bool:
    """ "Ich will," / "je veux," with the wish after its comma (not "Please," or "I need help,")."""
    vocab = settings.vocab
    said = words.split()
    return (
        0 < len(said) <= _BARE_WISH_WORDS
        and said[-1] not in vocab.courtesy
        and any(words == w or words.endswith(f" {w}") for w in vocab.wishes)
    )


def _starts(words: str, phrase: str) -> bool:
    return words == phrase or words.startswith(f"{phrase} ")
