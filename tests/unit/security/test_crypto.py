"""Field encryption: round trips, bound contexts, tampering, rotation, blind indexes."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from civicrpa.core.errors import ConfigurationError
from civicrpa.security.crypto import DecryptionError, FieldCipher, KeyRing

RING = KeyRing.generate("k1")
CIPHER = FieldCipher(RING)
RRN = "900101-1234568"


@given(st.text(max_size=300))
def test_round_trip_any_text(text: str) -> None:
    token = CIPHER.encrypt(text, context="work_items.payload")
    assert CIPHER.decrypt(token, context="work_items.payload") == text


def test_ciphertext_hides_the_value_and_differs_each_time() -> None:
    first = CIPHER.encrypt(RRN, context="c")
    second = CIPHER.encrypt(RRN, context="c")
    assert first != second  # a fresh nonce each time
    assert RRN not in first
    assert "9001011234568" not in first
    assert first.startswith("v1.k1.")


def test_another_context_or_a_changed_byte_does_not_decrypt() -> None:
    token = CIPHER.encrypt(RRN, context="residents.rrn")
    with pytest.raises(DecryptionError):
        CIPHER.decrypt(token, context="payments.account")
    head, body = token.rsplit(".", 1)
    flipped = body[:-2] + ("A" if body[-2] != "A" else "B") + body[-1]
    with pytest.raises(DecryptionError):
        CIPHER.decrypt(f"{head}.{flipped}", context="residents.rrn")


def test_rotation_keeps_old_ciphertexts_readable() -> None:
    old = CIPHER.encrypt(RRN, context="c")
    rotated = FieldCipher(RING.with_new_key("k2"))
    assert not rotated.is_current(old)
    assert rotated.decrypt(old, context="c") == RRN
    new = rotated.encrypt(RRN, context="c")
    assert rotated.key_id_of(new) == "k2"
    with pytest.raises(DecryptionError):
        CIPHER.decrypt(new, context="c")  # the old ring does not know k2


def test_blind_index_finds_the_same_number_however_written() -> None:
    index = CIPHER.blind_index(RRN, context="rrn")
    assert CIPHER.blind_index("9001011234568", context="rrn") == index
    assert CIPHER.blind_index(" 900101 - 1234568 ", context="rrn") == index
    assert CIPHER.blind_index("900101-1234567", context="rrn") != index
    assert CIPHER.blind_index(RRN, context="account") != index
    other = FieldCipher(KeyRing.generate("k1"))
    assert other.blind_index(RRN, context="rrn") != index  # keyed: useless without the key
    assert "900101" not in index


def test_key_ring_file_round_trip_is_private(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "keyring.json"
    RING.save(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    loaded = KeyRing.load(path)
    assert FieldCipher(loaded).decrypt(CIPHER.encrypt(RRN, context="c"), context="c") == RRN
    assert repr(loaded) == "KeyRing(active='k1')"  # no key material in logs or tracebacks


@pytest.mark.parametrize(
    "text",
    ["not json", '{"active": "k9", "keys": {}, "index_key": ""}', '{"keys": {"k1": "AA"}}'],
)
def test_bad_key_rings_are_refused(text: str) -> None:
    with pytest.raises(ConfigurationError):
        KeyRing.from_json(text)


def test_missing_key_ring_names_the_path(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError) as caught:
        KeyRing.load(tmp_path / "nope.json")
    assert caught.value.code == "security.keyring_missing"
