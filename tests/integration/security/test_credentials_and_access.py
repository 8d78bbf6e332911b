"""Robot credentials encrypted at rest; every view of personal data recorded with a reason."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from civicrpa.core.errors import InputRejected, NotFound
from civicrpa.queue.store import QueueStore
from civicrpa.security import audit
from civicrpa.security.access_log import accesses, by_actor, record_access
from civicrpa.security.credentials import CredentialStore
from civicrpa.security.models import audit_log, credentials


def _credentials(store: QueueStore) -> CredentialStore:
    return CredentialStore(store.engine, store.sealer.cipher)


def test_credentials_round_trip_encrypted_and_never_shown(store: QueueStore) -> None:
    creds = _credentials(store)
    creds.set("intake", username="robot01", secret="s3cret-비밀", by="person:admin")
    got = creds.get("intake")
    assert got.username == "robot01"
    assert got.secret.get_secret_value() == "s3cret-비밀"
    assert "s3cret" not in repr(got)
    assert "s3cret" not in str(got.secret)
    with store.engine.connect() as conn:
        row = conn.execute(select(credentials)).one()
    assert "robot01" not in row.username_sealed
    assert "s3cret" not in row.secret_sealed
    assert [c.name for c in creds.list()] == ["intake"]
    creds.set("intake", username="robot02", secret="other", by="person:admin")
    assert creds.get("intake").username == "robot02"
    creds.delete("intake", by="person:admin")
    with pytest.raises(NotFound) as caught:
        creds.get("intake")
    assert caught.value.message_ko == "'intake' 자격 증명이 등록되어 있지 않습니다."
    with store.engine.connect() as conn:
        actions = conn.execute(select(audit_log.c.action, audit_log.c.detail)).all()
    assert [a for a, _ in actions] == ["credential.set", "credential.set", "credential.delete"]
    assert all("s3cret" not in str(detail) for _, detail in actions)


@pytest.mark.parametrize(
    ("name", "username", "secret"),
    [("Intake", "u", "s"), ("in take", "u", "s"), ("intake", " ", "s"), ("intake", "u", "")],
)
def test_bad_credentials_are_refused(
    store: QueueStore, name: str, username: str, secret: str
) -> None:
    with pytest.raises(InputRejected):
        _credentials(store).set(name, username=username, secret=secret, by="person:admin")


def test_each_view_of_personal_data_is_recorded_with_its_reason(store: QueueStore) -> None:
    with pytest.raises(InputRejected) as caught:
        record_access(
            store.engine,
            actor="person:lee",
            role="department_reviewer",
            reason="  ",
            subject_kind="work_item",
            subject_id="7",
            fields=["payload"],
        )
    assert caught.value.message_ko == "개인정보를 보려면 조회 사유를 입력해야 합니다."
    for actor in ("person:lee", "person:lee", "person:kim"):
        record_access(
            store.engine,
            actor=actor,
            role="department_reviewer",
            reason="출산장려금 지급 요건 검토",
            subject_kind="work_item",
            subject_id="7",
            fields=["payload", "output"],
        )
    rows = accesses(store.engine)
    assert len(rows) == 3
    assert rows[0].reason == "출산장려금 지급 요건 검토"
    assert rows[0].fields == ["payload", "output"]
    assert by_actor(rows) == {"person:lee": 2, "person:kim": 1}
    assert len(accesses(store.engine, actor="person:kim")) == 1
    future = datetime.now(UTC) + timedelta(days=1)
    assert accesses(store.engine, since=future) == []
    verdict = audit.verify(store.engine)
    assert verdict.intact
    assert verdict.entries == 3
