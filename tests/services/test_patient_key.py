"""The pseudonymisation key of patient lists (issue 16, point 2/4): in the OS keyring when there
is one, else in a key file readable only by this user; and the HMAC it keys."""

from __future__ import annotations

import hashlib
import hmac
import os
import stat

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail

from desktop_app.services import patients

KEY_PATH = patients.key_path


class FakeKeyring(KeyringBackend):
    """An in-memory keyring backend."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.store.get((service, username))

    def set_password(self, service, username, password):
        self.store[(service, username)] = password

    def delete_password(self, service, username):
        self.store.pop((service, username), None)


@pytest.fixture
def home(tmp_path, monkeypatch):
    """No $SVF_REPORT_KEY, and the user's data folder in tmp_path; the keyring restored after."""
    monkeypatch.delenv(patients.KEY_ENV, raising=False)
    monkeypatch.setattr(patients, "key_path", lambda: tmp_path / "data" / patients.KEY_FILENAME)
    before = keyring.get_keyring()
    yield tmp_path / "data" / patients.KEY_FILENAME
    keyring.set_keyring(before)


def test_the_key_is_made_in_the_keyring_and_no_key_file_is_written(home):
    fake = FakeKeyring()
    keyring.set_keyring(fake)
    key = patients.load_or_create_key()
    assert len(key) == patients.KEY_BYTES
    stored = fake.store[(patients.KEYRING_SERVICE, patients.KEYRING_USER)]
    assert bytes.fromhex(stored) == key
    assert not home.exists()
    assert patients.load_or_create_key() == key  # the same key the next time


def test_without_a_keyring_backend_the_key_file_readable_by_the_user_only_is_used(home):
    keyring.set_keyring(fail.Keyring())
    key = patients.load_or_create_key()
    assert home.exists()
    if os.name == "posix":
        assert stat.S_IMODE(home.stat().st_mode) == 0o600
    assert bytes.fromhex(home.read_text()) == key
    # A key file made earlier stays in use when a keyring appears (the pseudonyms stay).
    fake = FakeKeyring()
    keyring.set_keyring(fake)
    assert patients.load_or_create_key() == key
    assert fake.store == {}


def test_a_key_file_others_can_read_is_refused_in_swedish(home):
    keyring.set_keyring(fail.Keyring())
    patients.load_or_create_key()
    if os.name != "posix":
        pytest.skip("file modes are POSIX")
    home.chmod(0o644)
    with pytest.raises(patients.KeyFileError, match="kan läsas av andra än du"):
        patients.load_or_create_key()


def test_a_broken_key_in_the_keyring_is_refused_in_swedish(home):
    fake = FakeKeyring()
    fake.store[(patients.KEYRING_SERVICE, patients.KEYRING_USER)] = "inte hex"
    keyring.set_keyring(fake)
    with pytest.raises(patients.KeyFileError, match="nyckelring"):
        patients.load_or_create_key()


def test_svf_report_key_names_a_key_file_even_with_a_keyring(home, tmp_path, monkeypatch):
    fake = FakeKeyring()
    keyring.set_keyring(fake)
    monkeypatch.setattr(patients, "key_path", KEY_PATH)
    monkeypatch.setenv(patients.KEY_ENV, str(tmp_path / "egen.nyckel"))
    key = patients.load_or_create_key()
    assert bytes.fromhex((tmp_path / "egen.nyckel").read_text()) == key
    assert fake.store == {}


def test_the_pseudonym_is_hmac_sha256_of_the_number():
    for key in (b"k" * 32, b"x" * 100):  # a key longer than SHA-256's block is hashed first
        pseudo = patients.pseudonymiser(key)
        for pnr in ("197001011234", "201212121212"):
            expected = hmac.new(key, pnr.encode(), hashlib.sha256).hexdigest()
            assert pseudo(pnr) == expected
