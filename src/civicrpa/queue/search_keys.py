"""Finding work items by a resident number, an account or a phone number, without decrypting them.

A data subject may ask which of their data the city holds, and have it corrected or deleted
(개인정보 열람·정정·삭제 요구, PIPA Art. 35-36). Payloads are encrypted at rest
(:mod:`civicrpa.queue.sealing`), so the privacy officer cannot search them; instead, when an
item is added, the personal values of its payload are written beside it as **search keys**
(table ``item_search_keys``): the keyed blind index (:meth:`FieldCipher.blind_index`,
HMAC-SHA256 under the key ring's index key) of each normalised value, never the value itself.
Without the index key, a digest cannot be checked against a dictionary of resident numbers.

**Which values.** Fields are chosen by name, with the rules :func:`civicrpa.security.pii.mask_mapping`
guesses kinds with (first hit wins): names with ``rrn`` or ``resident`` hold a resident number,
``account`` an account, ``phone`` or ``mobile`` a phone number (``email`` and ``name`` fields,
and everything else, are not indexed). Names apply at every depth; a field that names no kind
inside one that does (``{"account": {"number": ...}}``) takes its parent's kind.

**Normal form** (:func:`normalise`): full-width digits become ASCII digits, then only digits are
kept (hyphens, spaces, dots and words go), so ``900101-1234568``, ``9001011234568`` and
``９００１０１－１２３４５６８`` are one key; a phone written ``+82 10-1234-5678`` is
``01012345678``. Several numbers in one field (``010-1234-5678, 02-123-4567``, separated by
``,`` ``;`` ``/`` ``|`` or a line break) are indexed each. Only plausible values are indexed;
anything else is skipped without failing the add: a resident number is 13 digits whose first
six are a date (``YYMMDD``; the old check digit is not required, numbers issued since 2020-10
have none), a phone 9 to 11 digits starting with ``0`` and a non-zero digit, an account 10 to 16
digits. Each kind is hashed under its own context, so the same digits as an account and as a
phone are different keys.

**Keys.** The index key is separate from the data keys and is *not* rotated by
``civicrpa keys rotate`` (:meth:`KeyRing.with_new_key` carries it over), so search keys stay
valid across data-key rotations and re-encryption leaves them alone (:mod:`civicrpa.queue.rekey`).
Replacing the index key itself (a suspected leak of the ring) makes every search key useless
until :func:`reindex_items` has rebuilt them from the decrypted payloads; the same function
indexes items added before search keys existed (revision 0006).

Search keys are erased with the payload when the retention period ends
(:mod:`civicrpa.queue.retention`), so a destroyed item is no longer found.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Engine, delete, func, insert, select

from civicrpa.core.errors import InputRejected
from civicrpa.db.engine import write_transaction
from civicrpa.queue.models import item_search_keys, work_items
from civicrpa.queue.sealing import PayloadSealer
from civicrpa.queue.states import ItemState
from civicrpa.security import audit
from civicrpa.security.audit import AuditRecord
from civicrpa.security.crypto import FieldCipher
from civicrpa.security.pii import Personal, kind_from_name, mask_personal


class SearchKind(enum.StrEnum):
    """The kinds of personal value an item can be found by (``item_search_keys.kind``)."""

    RRN = "rrn"
    ACCOUNT = "account"
    PHONE = "phone"

    @property
    def label_ko(self) -> str:
        return _LABELS_KO[self]

    @property
    def personal(self) -> Personal:
        """How a value of this kind is masked."""
        return _PERSONAL[self]


_LABELS_KO = {
    SearchKind.RRN: "주민등록번호",
    SearchKind.ACCOUNT: "계좌번호",
    SearchKind.PHONE: "전화번호",
}
_PERSONAL = {
    SearchKind.RRN: Personal.RESIDENT_NUMBER,
    SearchKind.ACCOUNT: Personal.ACCOUNT,
    SearchKind.PHONE: Personal.PHONE,
}
_BY_PERSONAL = {personal: kind for kind, personal in _PERSONAL.items()}

#: Longer strings are text, not a number (and are not read digit by digit).
_VALUE_MAX = 64
_FULL_WIDTH = str.maketrans({**{chr(0xFF10 + i): str(i) for i in range(10)}, "＋": "+"})
_NOT_DIGIT = re.compile(r"[^0-9]+")
#: What separates several numbers written in one field.
_LIST_SEPARATORS = re.compile(r"[,;/|\n]")
#: Longer fields are free text: not read for numbers at all.
_FIELD_MAX = 512
_PLAUSIBLE = {
    # YYMMDD, then the sex/century digit and six more.
    SearchKind.RRN: re.compile(r"[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])[0-9]{7}"),
    SearchKind.PHONE: re.compile(r"0[1-9][0-9]{7,9}"),
    SearchKind.ACCOUNT: re.compile(r"[0-9]{10,16}"),
}
#: Marks a field that names a kind not indexed (``email``, ``name``): its children inherit none.
_NOT_INDEXED = object()


@lru_cache(maxsize=4096)
def _field_kind(name: str) -> SearchKind | object | None:
    """The kind a field name says (pii's rules); None when it says nothing."""
    personal = kind_from_name(name)
    if personal is Personal.OTHER:
        return None
    return _BY_PERSONAL.get(personal, _NOT_INDEXED)


def normalise(kind: SearchKind, value: Any) -> str | None:
    """The digits of ``value`` that identify it, or None when it is not a plausible ``kind``."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    text = str(value)
    if len(text) > _VALUE_MAX:
        return None
    text = text.translate(_FULL_WIDTH).strip()
    digits = _NOT_DIGIT.sub("", text)
    if kind is SearchKind.PHONE and text.startswith("+"):
        if not text.startswith("+82"):
            return None  # another country's number
        digits = digits[2:]  # +82 10-1234-5678 and +82 (0)10-1234-5678 are 010-1234-5678
        if not digits.startswith("0"):
            digits = "0" + digits
    return digits if _PLAUSIBLE[kind].fullmatch(digits) else None


def personal_values(payload: Mapping[str, Any]) -> set[tuple[SearchKind, str]]:
    """The plausible personal values of ``payload`` (JSON data), normalised, by kind."""
    found: set[tuple[SearchKind, str]] = set()
    for key, value in payload.items():
        kind = _field_kind(key)
        if not isinstance(kind, SearchKind) and not isinstance(value, dict | list):
            continue  # the common case: a plain field that names no kind to index
        _walk(value, kind, found)
    return found


def _walk(value: Any, kind: SearchKind | object | None, found: set[tuple[SearchKind, str]]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            own = _field_kind(key)
            _walk(item, kind if own is None else own, found)
    elif isinstance(value, list):
        for item in value:
            _walk(item, kind, found)
    elif isinstance(kind, SearchKind):
        # "010-1234-5678, 02-123-4567": each number of a list written in one field.
        if isinstance(value, str):
            if len(value) > _FIELD_MAX:
                return
            parts: list[Any] = _LIST_SEPARATORS.split(value)
        else:
            parts = [value]
        for part in parts:
            normal = normalise(kind, part)
            if normal is not None:
                found.add((kind, normal))


def _context(kind: SearchKind) -> str:
    return f"item_search_keys.{kind.value}"


def digest(cipher: FieldCipher, kind: SearchKind, normal: str) -> str:
    """The search key of a normalised value (hexadecimal HMAC-SHA256 under the index key)."""
    return cipher.blind_index(normal, context=_context(kind))


def item_keys(cipher: FieldCipher, payload: Mapping[str, Any]) -> list[tuple[str, str]]:
    """``(kind, digest)`` of every personal value of ``payload``; empty for most payloads."""
    values = personal_values(payload)
    if not values:
        return []
    return sorted({(kind.value, digest(cipher, kind, normal)) for kind, normal in values})


def parse_kind(value: SearchKind | str) -> SearchKind:
    try:
        return SearchKind(value)
    except ValueError:
        raise InputRejected("privacy.search_kind_unknown", {"kind": str(value)[:20]}) from None


def masked(kind: SearchKind, value: str) -> str:
    """``value`` as it may be shown (and recorded): ``900101-1******``, ``010-****-5678``."""
    return str(mask_personal(value, kind.personal))


@dataclass(frozen=True, kw_only=True)
class FoundItem:
    """A work item whose payload holds the searched value (nothing personal in it)."""

    id: int
    queue: str
    reference: str
    state: ItemState
    created_at: datetime


def search(
    engine: Engine, kind: SearchKind | str, value: str, cipher: FieldCipher
) -> list[FoundItem]:
    """Items (not destroyed) holding ``value`` as ``kind``, oldest first.

    Raises :class:`InputRejected` when ``value`` is not a plausible ``kind`` (no item could hold
    it as one); the error does not repeat the value.
    """
    kind = parse_kind(kind)
    normal = normalise(kind, value)
    if normal is None:
        raise InputRejected(
            "privacy.search_value_invalid", {"kind": kind.label_ko}, field=kind.value
        )
    matching = select(item_search_keys.c.item_id).where(
        item_search_keys.c.kind == kind.value,
        item_search_keys.c.digest == digest(cipher, kind, normal),
    )
    query = (
        select(
            work_items.c.id,
            work_items.c.queue,
            work_items.c.reference,
            work_items.c.state,
            work_items.c.created_at,
        )
        .where(work_items.c.id.in_(matching), work_items.c.destroyed_at.is_(None))
        .order_by(work_items.c.id)
    )
    with engine.connect() as conn:
        return [
            FoundItem(
                id=row.id,
                queue=row.queue,
                reference=row.reference,
                state=ItemState(row.state),
                created_at=row.created_at,
            )
            for row in conn.execute(query)
        ]


def find_items(
    engine: Engine, kind: SearchKind | str, value: str, cipher: FieldCipher
) -> list[int]:
    """Ids of the items (not destroyed) holding ``value`` as ``kind`` (see :func:`search`)."""
    return [found.id for found in search(engine, kind, value, cipher)]


@dataclass(frozen=True, kw_only=True)
class ReindexReport:
    """What :func:`reindex_items` did."""

    #: Items read (every item not destroyed).
    items: int
    #: Search keys written because they were missing (items from before revision 0006, or a new
    #: index key).
    added: int
    #: Search keys deleted because no payload value gives them any more (an old index key).
    removed: int
    #: Search keys found as they should be, left alone.
    kept: int


def reindex_items(
    engine: Engine,
    sealer: PayloadSealer,
    *,
    actor: str,
    batch: int = 500,
    progress: Callable[[int, int], None] | None = None,
) -> ReindexReport:
    """Bring the search keys of every item not destroyed in line with its payload, in batches.

    For items added before search keys existed, and after the index key was replaced. Each
    batch is one transaction that adds the missing keys and deletes the stale ones, with one
    audit entry when it changed something; a run that finds everything in order writes
    nothing, so running it again, or after an interruption, is harmless. ``progress`` is
    called with (items read, items in all) before the first batch and after each.
    """
    pending = work_items.c.destroyed_at.is_(None)
    with engine.connect() as conn:
        total = int(conn.execute(select(func.count()).where(pending)).scalar_one())
    if progress is not None:
        progress(0, total)
    last_id, scanned, added, removed, kept = 0, 0, 0, 0, 0
    while True:
        with engine.connect() as conn, write_transaction(conn):
            rows = conn.execute(
                select(
                    work_items.c.id,
                    work_items.c.queue,
                    work_items.c.reference,
                    work_items.c.payload,
                )
                .where(pending, work_items.c.id > last_id)
                .order_by(work_items.c.id)
                .limit(batch)
            ).all()
            if not rows:
                break
            ids = [row.id for row in rows]
            wanted = {
                (row.id, str(kind), key)
                for row in rows
                for kind, key in item_keys(
                    sealer.cipher,
                    sealer.open("payload", row.queue, row.reference, row.payload) or {},
                )
            }
            present = {
                (found.item_id, found.kind, found.digest)
                for found in conn.execute(
                    select(
                        item_search_keys.c.item_id,
                        item_search_keys.c.kind,
                        item_search_keys.c.digest,
                    ).where(item_search_keys.c.item_id.in_(ids))
                )
            }
            missing, stale = wanted - present, present - wanted
            for item_id, kind, digest in stale:
                conn.execute(
                    delete(item_search_keys).where(
                        item_search_keys.c.item_id == item_id,
                        item_search_keys.c.kind == kind,
                        item_search_keys.c.digest == digest,
                    )
                )
            if missing:
                conn.execute(
                    insert(item_search_keys),
                    [
                        {"item_id": item_id, "kind": kind, "digest": digest}
                        for item_id, kind, digest in sorted(missing)
                    ],
                )
            if missing or stale:
                audit.append(
                    conn,
                    [
                        AuditRecord(
                            actor=actor,
                            action="search_keys.reindex",
                            target=f"work_items:{ids[0]}-{ids[-1]}",
                            detail={
                                "items": len(ids),
                                "added": len(missing),
                                "removed": len(stale),
                            },
                        )
                    ],
                )
        last_id = rows[-1].id
        scanned += len(rows)
        added += len(missing)
        removed += len(stale)
        kept += len(wanted & present)
        if progress is not None:
            progress(scanned, total)
    return ReindexReport(items=scanned, added=added, removed=removed, kept=kept)


__all__ = [
    "FoundItem",
    "ReindexReport",
    "SearchKind",
    "digest",
    "find_items",
    "item_keys",
    "masked",
    "normalise",
    "parse_kind",
    "personal_values",
    "reindex_items",
    "search",
]
