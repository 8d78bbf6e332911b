"""Korean particles that follow a word: 을/를, 이/가, 은/는, 으로/로, 과/와.

A Korean particle depends on how the word before it ends: after a final consonant (받침) it is
을, 이, 은, 과, 으로; after a vowel 를, 가, 는, 와, 로; and 로 also after ㄹ (서울로). A message
that fills a name in cannot know it in advance, so templates write the pair (``{name}을(를)``)
and :func:`attach` picks the one a person would say.

Digits and Latin letters are read as a Korean reader says them: numbers as numbers (``6`` 육,
``10`` 십, ``1000`` 천), codes with a leading zero digit by digit (``0006`` 영영영육); acronyms
by their letter names (``URL`` 유알엘, ``PDF`` 피디에프); lower-case words as they sound at
the end (``form`` 폼, ``mail`` 메일, ``workers`` 워커스). Closing quotes and brackets are looked
through (``'A-1'`` ends in 일). When the end cannot be read (a symbol, a Chinese character),
the pair is kept as written, which is never wrong.
"""

from __future__ import annotations

import re
from typing import Final, Literal

#: How a word ends, for particles: no final consonant, a final ㄹ, another final consonant.
Ending = Literal["vowel", "rieul", "consonant"]

#: Each particle pair: (after a final consonant, after a vowel).
_PAIRS: Final[tuple[tuple[str, str], ...]] = (
    ("을", "를"),
    ("이", "가"),
    ("은", "는"),
    ("과", "와"),
    ("으로", "로"),
)
#: How templates write a pair: 을(를), 를(을), 이(가), (으)로 ...
_WRITTEN: Final[dict[str, tuple[str, str]]] = {
    **{f"{a}({b})": (a, b) for a, b in _PAIRS if a != "으로"},
    **{f"{b}({a})": (a, b) for a, b in _PAIRS if a != "으로"},
    **{f"{a}/{b}": (a, b) for a, b in _PAIRS},
    "(으)로": ("으로", "로"),
    **{a: (a, b) for a, b in _PAIRS},
    **{b: (a, b) for a, b in _PAIRS},
}
#: A written pair at the start of a text, after any closing quotes or brackets.
PAIR_AT_START: Final[re.Pattern[str]] = re.compile(
    r"^(?P<close>['\"’”)\]}>]*)(?P<pair>"
    + "|".join(re.escape(w) for w in sorted(_WRITTEN, key=len, reverse=True) if "(" in w)
    + ")"
)
#: Ending of each digit's Korean name: 영 일 이 삼 사 오 육 칠 팔 구.
_DIGITS: Final[dict[str, Ending]] = {
    "0": "consonant",
    "1": "rieul",
    "2": "vowel",
    "3": "consonant",
    "4": "vowel",
    "5": "vowel",
    "6": "consonant",
    "7": "rieul",
    "8": "rieul",
    "9": "vowel",
}
#: Ending of a number by its trailing zeros: 십 백 천 만 (십만 백만 천만) 억 ... 조 ... 경.
_POWERS: Final[tuple[Ending, ...]] = (*("consonant",) * 11, *("vowel",) * 4, "consonant")
#: Letters whose Korean names end in a consonant: 엘 엠 엔 알.
_LETTER_NAMES: Final[dict[str, Ending]] = {
    "l": "rieul",
    "m": "consonant",
    "n": "consonant",
    "r": "rieul",
}
_CLOSING: Final[str] = "'\"’”)]}>.,;:!? \t"
_NUMBER: Final[re.Pattern[str]] = re.compile(r"(?<![\d,.])(\d[\d,]*)$")


def ending(word: str) -> Ending | None:
    """How ``word`` ends when read aloud; ``None`` when that cannot be told."""
    text = str(word).rstrip(_CLOSING)
    if not text:
        return None
    last = text[-1]
    if "가" <= last <= "힣":
        final = (ord(last) - ord("가")) % 28
        return "vowel" if final == 0 else "rieul" if final == 8 else "consonant"
    if last.isdigit():
        return _number_ending(text)
    if last.isascii() and last.isalpha():
        return _latin_ending(text)
    return None


def _number_ending(text: str) -> Ending:
    found = _NUMBER.search(text)
    digits = (found.group(1) if found else text[-1]).replace(",", "")
    # A code with a leading zero (0006) is read digit by digit; a number (1000) as a number.
    stripped = digits.rstrip("0")
    if digits.startswith("0") or not stripped or stripped == digits:
        return _DIGITS[digits[-1]]
    zeros = len(digits) - len(stripped)
    return _POWERS[min(zeros, len(_POWERS)) - 1]


def _latin_ending(text: str) -> Ending:
    letters = re.search(r"[A-Za-z]+$", text)
    word = letters.group(0) if letters else text[-1]
    if word.isupper() or len(word) == 1:  # an acronym: its letters' names (URL: 엘)
        return _LETTER_NAMES.get(word[-1].lower(), "vowel")
    lower = word.lower()
    if lower.endswith(("m", "n", "ng")):  # form 폼, admin 어드민, string 스트링
        return "consonant"
    if lower.endswith("l"):  # mail 메일, model 모델
        return "rieul"
    return "vowel"  # workers 워커스, queue 큐, sample 샘플, worker 워커


def particle(word: str, pair: str) -> str:
    """The particle of ``pair`` (any written form: ``을(를)``, ``을/를``, ``를``) after ``word``.

    ``particle("'A-1'", "은(는)")`` is ``은``; when the end of ``word`` cannot be read, the pair
    is returned as written.
    """
    try:
        after_consonant, after_vowel = _WRITTEN[pair]
    except KeyError:
        raise ValueError(f"not a particle pair: {pair!r}") from None
    end = ending(word)
    if end is None:
        return pair
    if after_consonant == "으로":
        return "으로" if end == "consonant" else "로"
    return after_vowel if end == "vowel" else after_consonant


def attach(word: str, pair: str) -> str:
    """``word`` followed by its particle: ``attach("참조번호 A-1", "은(는)")`` -> ``...A-1은``."""
    return f"{word}{particle(word, pair)}"


def fix_particles(previous: str, text: str) -> str:
    """``text`` with a written pair at its start (after closing quotes) chosen for ``previous``.

    For templates: in ``'{name}'을(를)``, the text after the filled ``{name}`` starts with
    ``'을(를)``; this turns it into ``'를`` or ``'을``.
    """
    found = PAIR_AT_START.match(text)
    if found is None:
        return text
    chosen = particle(previous, found.group("pair"))
    return found.group("close") + chosen + text[found.end() :]


__all__ = ["Ending", "attach", "ending", "fix_particles", "particle"]
