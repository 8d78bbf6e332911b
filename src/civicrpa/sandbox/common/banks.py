"""The banks every sandbox system knows, and the account-number lengths each issues.

The lengths are this sandbox's own documented table (digits only, hyphens ignored), loosely
modelled on the numbers Korean banks issue today. Real banks have more formats (old accounts,
virtual accounts); a robot must not rely on this table for anything but the sandbox.

===========  ====  ==================
bank         code  digits
===========  ====  ==================
국민은행     004   12 or 14
신한은행     088   11 or 12
농협은행     011   11, 12, 13 or 14
우리은행     020   13
하나은행     081   12 or 14
IBK기업은행  003   12 or 14
광주은행     034   12 or 13
우체국       071   14
===========  ====  ==================

This is the one table of the sandbox: the intake portal offers and checks these banks, the
finance system pays into them and HR keeps salary accounts with them, all under the clearing
code. Whatever account an application carries, a robot can type it into finance under the same
bank name, and both systems refuse a wrong length with the same message.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from civicrpa.sandbox.common.forms import Form


@dataclass(frozen=True, kw_only=True)
class Bank:
    """A bank: its clearing code, Korean name and the account lengths it issues."""

    code: str
    name: str
    lengths: tuple[int, ...]


BANKS: dict[str, Bank] = {
    bank.code: bank
    for bank in (
        Bank(code="004", name="국민은행", lengths=(12, 14)),
        Bank(code="088", name="신한은행", lengths=(11, 12)),
        Bank(code="011", name="농협은행", lengths=(11, 12, 13, 14)),
        Bank(code="020", name="우리은행", lengths=(13,)),
        Bank(code="081", name="하나은행", lengths=(12, 14)),
        Bank(code="003", name="IBK기업은행", lengths=(12, 14)),
        Bank(code="034", name="광주은행", lengths=(12, 13)),
        Bank(code="071", name="우체국", lengths=(14,)),
    )
}
#: The select's options: code -> Korean name (robots choose by the name).
BANK_CHOICES: dict[str, str] = {code: bank.name for code, bank in BANKS.items()}
#: How often each bank appears in the seed: a South Jeolla city banks with 농협 and 광주은행.
BANK_WEIGHTS: dict[str, int] = {
    "011": 30,
    "034": 20,
    "004": 15,
    "088": 10,
    "020": 8,
    "081": 7,
    "003": 5,
    "071": 5,
}

#: Who an account in the seed belongs to; part of the number so that no two accounts collide.
KIND_RESIDENT, KIND_STAFF, KIND_OTHER = 1, 2, 3


def _lengths_text(lengths: tuple[int, ...]) -> str:
    words = [str(n) for n in lengths]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " 또는 " + words[-1]


def account_number(form: Form, bank_code: str, name: str, label: str) -> str:
    """The digits of the account typed in ``name``, checked against the bank's lengths.

    Returns "" (and records an error on ``form``) when the value is not an account of that bank.
    """
    value = form.digits(name, label, max_length=20)
    if not value or name in form.errors:
        return ""
    digits = value.replace("-", "")
    bank = BANKS.get(bank_code)
    if bank is None:
        return digits  # the bank field carries the error
    if len(digits) not in bank.lengths:
        form.fail(name, "bad_length_for_bank", bank=bank.name, lengths=_lengths_text(bank.lengths))
        return ""
    return digits


def mask(digits: str) -> str:
    """All but the last four digits as stars: what exports and lists may show."""
    return "*" * max(len(digits) - 4, 0) + digits[-4:]


def synthetic_account(bank_code: str, kind: int, number: int, rng: random.Random) -> str:
    """A well-formed account of ``bank_code``, unique per ``(kind, number)``.

    The last seven digits are the kind and a six-digit serial, so seeded accounts never collide;
    the leading digits are random.
    """
    length = rng.choice(BANKS[bank_code].lengths)
    head = "".join(str(rng.randrange(10)) for _ in range(length - 7))
    return f"{head}{kind}{number % 10**6:06d}"


def pick_bank(rng: random.Random) -> str:
    """A bank code drawn with the seed's weights."""
    codes = list(BANK_WEIGHTS)
    return rng.choices(codes, weights=[BANK_WEIGHTS[c] for c in codes])[0]
