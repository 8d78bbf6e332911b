"""Search keys on the real databases: items found by a personal value, never storing the value."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, event, func, select, update

from civicrpa.core.errors import InputRejected
from civicrpa.queue import queries
from civicrpa.queue.models import item_search_keys, work_items
from civicrpa.queue.records import NewItem
from civicrpa.queue.rekey import reencrypt_items
from civicrpa.queue.retention import destroy_expired
from civicrpa.queue.sealing import PayloadSealer
from civicrpa.queue.search_keys import (
    SearchKind,
    find_items,
    normalise,
    personal_values,
    reindex_items,
    search,
)
from civicrpa.queue.states import ItemState
from civicrpa.queue.store import QueueStore
from civicrpa.security import audit
from civicrpa.security.crypto import FieldCipher, KeyRing
from civicrpa.security.models import audit_log

RRN = "900101-1234568"
ACCOUNT = "110-123-456789"
PHONE = "010-1234-5678"


def _find(store: QueueStore, kind: str, value: str) -> list[int]:
    return find_items(store.engine, kind, value, store.sealer.cipher)


def _keys(store: QueueStore) -> list[tuple[int, str, str]]:
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(item_search_keys).order_by(
                item_search_keys.c.item_id, item_search_keys.c.kind, item_search_keys.c.digest
            )
        ).all()
    return [(row.item_id, row.kind, row.digest) for row in rows]


def _applicant(reference: str, **payload: Any) -> NewItem:
    return NewItem(reference=reference, payload={"application_no": reference, **payload})


def test_found_by_every_written_form(store: QueueStore) -> None:
    item_id, _ = store.add(
        "q", _applicant("A-1", applicant_rrn=RRN, account_no=ACCOUNT, mobile_phone=PHONE)
    )
    other, _ = store.add(
        "q",
        _applicant("A-2", applicant_rrn="850505-2345678", account_no="220-333-444555"),
    )
    for value in (RRN, "9001011234568", "９００１０１－１２３４５６８", " 900101 1234568 "):
        assert _find(store, "rrn", value) == [item_id], value
    for value in (ACCOUNT, "110123456789", "１１０-１２３-４５６７８９"):
        assert _find(store, "account", value) == [item_id], value
    for value in (PHONE, "01012345678", "+82 10-1234-5678", "010 1234 5678"):
        assert _find(store, "phone", value) == [item_id], value
    assert _find(store, "rrn", "850505-2345678") == [other]
    # Another value, or the right digits under another kind, find nothing.
    assert _find(store, "rrn", "900101-1234567") == []
    assert _find(store, "account", "110-123-456780") == []
    assert _find(store, "phone", "010-1234-5679") == []
    assert _find(store, "account", "01012345678") == []
    (found,) = search(store.engine, SearchKind.RRN, RRN, store.sealer.cipher)
    assert (found.id, found.queue, found.reference, found.state) == (
        item_id,
        "q",
        "A-1",
        ItemState.NEW,
    )


def test_the_table_holds_no_plaintext(store: QueueStore) -> None:
    store.add("q", _applicant("A-1", applicant_rrn=RRN, account_no=ACCOUNT, phone=PHONE))
    keys = _keys(store)
    assert sorted(kind for _, kind, _ in keys) == ["account", "phone", "rrn"]
    dumped = repr(keys)
    for digits in ("9001011234568", "900101", "1234568", "110123456789", "456789", "5678"):
        assert digits not in dumped.replace("-", ""), digits
    for _, _, key in keys:
        assert len(key) == 64
        int(key, 16)  # a hexadecimal HMAC-SHA256, nothing else
    # A different index key gives different digests: the value is not merely hashed.
    other = FieldCipher(KeyRing.generate("k1"))
    assert find_items(store.engine, "rrn", RRN, other) == []


def test_nested_fields_and_lists_are_indexed(store: QueueStore) -> None:
    item_id, _ = store.add(
        "q",
        NewItem(
            reference="N-1",
            payload={
                "applicant": {"name": "홍길동", "rrn": RRN},
                "children": [{"resident_no": "200101-3234567"}, {"resident_no": "bad"}],
                "refund_account": {"bank": "국민", "number": ACCOUNT},
                "phones": {"mobile": PHONE, "home": "02-123-4567"},
                "contact_name": "김 010-9999-8888",  # a name field: not a phone, not indexed
                "guardian_phone": "010-5555-6666, 031-777-8888 / 없음",
            },
        ),
    )
    assert _find(store, "rrn", RRN) == [item_id]
    assert _find(store, "rrn", "2001013234567") == [item_id]
    assert _find(store, "account", ACCOUNT) == [item_id]
    assert _find(store, "phone", "0212345 67") == [item_id]
    assert _find(store, "phone", "010-9999-8888") == []
    assert _find(store, "phone", "010-5555-6666") == [item_id]
    assert _find(store, "phone", "031-777-8888") == [item_id]


def test_bad_values_are_skipped_without_failing_the_add(store: QueueStore) -> None:
    result = store.add_many(
        "q",
        [
            _applicant(
                "B-1",
                applicant_rrn="not a number",
                rrn_2=12,
                resident_flag=True,
                account_no=None,
                account_list=[1.5, {"x": []}, "1" * 200],
                phone="+1 212 555 0100",
            ),
            _applicant("B-2", applicant_rrn="901301-1234568"),  # month 13
            _applicant("B-3", applicant_rrn=RRN, phone="12"),
        ],
    )
    assert len(result.added) == 3
    assert _find(store, "rrn", RRN) == [result.added[2]]
    assert [kind for item_id, kind, _ in _keys(store)] == ["rrn"]


def test_items_without_personal_fields_cost_no_statement(store: QueueStore) -> None:
    inserts: list[str] = []

    def _record(
        _conn: Any, _cursor: Any, statement: str, _params: Any, _context: Any, _many: bool
    ) -> None:
        if "item_search_keys" in statement:
            inserts.append(statement)

    event.listen(store.engine, "before_cursor_execute", _record)
    try:
        store.add_many("q", [NewItem(reference=f"P-{i}", payload={"i": i}) for i in range(50)])
        assert inserts == []
        store.add_many(
            "q",
            [_applicant(f"R-{i}", phone=f"010-1234-{i:04d}", rrn=RRN) for i in range(1200)],
        )
        assert len(inserts) == 1  # one executemany for the whole add
    finally:
        event.remove(store.engine, "before_cursor_execute", _record)
    assert len(_find(store, "rrn", RRN)) == 1200
    assert len(_find(store, "phone", "010-1234-0042")) == 1


def test_a_reference_already_queued_keeps_its_own_keys(store: QueueStore) -> None:
    first, _ = store.add("q", _applicant("A-1", rrn=RRN))
    again, created = store.add("q", _applicant("A-1", rrn="850505-2345678"))
    assert (again, created) == (first, False)
    assert _find(store, "rrn", RRN) == [first]
    assert _find(store, "rrn", "850505-2345678") == []
    assert len(_keys(store)) == 1


def test_destroyed_items_are_no_longer_found(store: QueueStore) -> None:
    old, _ = store.add("q", _applicant("OLD", rrn=RRN, phone=PHONE))
    kept, _ = store.add("q", _applicant("KEPT", rrn=RRN))
    with store.engine.begin() as conn:
        conn.execute(
            update(work_items)
            .where(work_items.c.id == old)
            .values(state=ItemState.SUCCESSFUL.value, finished_at=store.now() - timedelta(days=9))
        )
    assert sorted(_find(store, "rrn", RRN)) == [old, kept]
    done = destroy_expired(
        store.engine, "q", before=store.now() - timedelta(days=1), actor="system"
    )
    assert done.items == 1
    assert _find(store, "rrn", RRN) == [kept]
    assert _find(store, "phone", PHONE) == []
    assert [item_id for item_id, _, _ in _keys(store)] == [kept]
    assert audit.verify(store.engine).intact


def test_keys_survive_a_data_key_rotation(store: QueueStore) -> None:
    item_id, _ = store.add("q", _applicant("A-1", rrn=RRN))
    before = _keys(store)
    rotated = PayloadSealer(FieldCipher(store.sealer.cipher.ring.with_new_key("k2")))
    report = reencrypt_items(store.engine, rotated, actor="person:admin")
    assert report.resealed == 1
    assert _keys(store) == before
    assert find_items(store.engine, "rrn", RRN, rotated.cipher) == [item_id]
    rotated_store = QueueStore(store.engine, sealer=rotated)
    try:
        new_id, _ = rotated_store.add("q", _applicant("A-2", rrn=RRN))
    finally:
        rotated_store.close()
    assert _find(store, "rrn", RRN) == [item_id, new_id]


def test_reindex_rebuilds_missing_keys(store: QueueStore) -> None:
    ids = [store.add("q", _applicant(f"A-{i}", rrn=RRN, phone=PHONE))[0] for i in range(3)]
    destroyed, _ = store.add("q", _applicant("GONE", rrn=RRN))
    expected = _keys(store)
    with store.engine.begin() as conn:
        conn.execute(item_search_keys.delete())  # as before revision 0006
        conn.execute(
            update(work_items)
            .where(work_items.c.id == destroyed)
            .values(destroyed_at=store.now(), payload={})
        )
    assert _find(store, "rrn", RRN) == []
    seen: list[tuple[int, int]] = []
    report = reindex_items(
        store.engine,
        store.sealer,
        actor="person:admin",
        batch=2,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert (report.items, report.added, report.removed, report.kept) == (3, 6, 0, 0)
    assert seen == [(0, 3), (2, 3), (3, 3)]
    assert _keys(store) == [key for key in expected if key[0] != destroyed]
    assert _find(store, "rrn", RRN) == ids
    entries = _reindex_entries(store)
    assert len(entries) == 2
    again = reindex_items(store.engine, store.sealer, actor="person:admin")
    assert (again.items, again.added, again.removed, again.kept) == (3, 0, 0, 6)
    assert _reindex_entries(store) == entries  # nothing changed, nothing recorded
    assert audit.verify(store.engine).intact


def test_reindex_deletes_keys_no_payload_gives(store: QueueStore) -> None:
    item_id, _ = store.add("q", _applicant("A-1", rrn=RRN))
    expected = _keys(store)
    with store.engine.begin() as conn:  # a key made under an index key since replaced
        conn.execute(item_search_keys.insert().values(item_id=item_id, kind="rrn", digest="0" * 64))
    report = reindex_items(store.engine, store.sealer, actor="person:admin")
    assert (report.added, report.removed, report.kept) == (0, 1, len(expected))
    assert _keys(store) == expected
    (entry,) = _reindex_entries(store)
    assert entry == {"items": 1, "added": 0, "removed": 1}


def _reindex_entries(store: QueueStore) -> list[dict[str, Any]]:
    with store.engine.connect() as conn:
        return [
            dict(detail)
            for (detail,) in conn.execute(
                select(audit_log.c.detail)
                .where(audit_log.c.action == "search_keys.reindex")
                .order_by(audit_log.c.seq)
            )
        ]


def test_search_refuses_a_value_no_item_could_hold(store: QueueStore) -> None:
    with pytest.raises(InputRejected) as caught:
        _find(store, "rrn", "900101-12345")
    assert caught.value.code == "privacy.search_value_invalid"
    assert "900101" not in caught.value.message_ko
    assert "주민등록번호" in caught.value.message_ko
    with pytest.raises(InputRejected) as unknown:
        _find(store, "email", "a@b.c")
    assert unknown.value.code == "privacy.search_kind_unknown"


def test_search_keys_go_with_their_item(engine: Engine, sealer: PayloadSealer) -> None:
    store = QueueStore(engine, sealer=sealer)
    try:
        item_id, _ = store.add("q", _applicant("A-1", rrn=RRN))
    finally:
        store.close()
    with engine.begin() as conn:
        conn.execute(work_items.delete().where(work_items.c.id == item_id))
        assert conn.execute(select(func.count()).select_from(item_search_keys)).scalar_one() == 0
    assert queries.list_items(engine) == []


@pytest.mark.parametrize(
    ("kind", "value", "normal"),
    [
        (SearchKind.RRN, "900101-1234568", "9001011234568"),
        (SearchKind.RRN, "９００１０１－１２３４５６８", "9001011234568"),
        (SearchKind.RRN, "900101.1234568", "9001011234568"),
        (SearchKind.RRN, 9001011234568, "9001011234568"),
        (SearchKind.RRN, "900132-1234568", None),
        (SearchKind.RRN, "90010-11234568", "9001011234568"),
        (SearchKind.RRN, "900101-123456", None),
        (SearchKind.PHONE, "010-1234-5678", "01012345678"),
        (SearchKind.PHONE, "+82 (0)10-1234-5678", "01012345678"),
        (SearchKind.PHONE, "+821012345678", "01012345678"),
        (SearchKind.PHONE, "02-123-4567", "021234567"),
        (SearchKind.PHONE, "(02) 123-4567", "021234567"),
        (SearchKind.PHONE, "+1 212 555 0100", None),
        (SearchKind.PHONE, "1588-1234", None),
        (SearchKind.ACCOUNT, "110-123-456789", "110123456789"),
        (SearchKind.ACCOUNT, "국민 110-123-456789", "110123456789"),
        (SearchKind.ACCOUNT, "12345", None),
        (SearchKind.ACCOUNT, True, None),
        (SearchKind.ACCOUNT, 1.5, None),
    ],
)
def test_normal_forms(kind: SearchKind, value: Any, normal: str | None) -> None:
    assert normalise(kind, value) == normal


def test_personal_values_follow_the_field_name_rules() -> None:
    assert personal_values(
        {
            "applicant_rrn": RRN,
            "resident_number": "850505-2345678",
            "bank_account": ACCOUNT,
            "mobile": PHONE,
            "email": "hong010-1234-5678@example.com",
            "applicant_name": "홍길동",
            "memo": RRN,  # free text names no kind: masked by shape elsewhere, not indexed
        }
    ) == {
        (SearchKind.RRN, "9001011234568"),
        (SearchKind.RRN, "8505052345678"),
        (SearchKind.ACCOUNT, "110123456789"),
        (SearchKind.PHONE, "01012345678"),
    }
    assert personal_values({"i": 1, "documents": ["신청서"], "nested": {"x": 2}}) == set()
