"""Smart cards found, not typed (issue 13, point 8): the PKCS#11 modules in their usual places
(the real locations file, over folders made to look like / and like C:\\), the user's own
modules, the cards and keys on SoftHSM2, and the Swedish explanations of why nothing was
found."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from desktop_app.domain.errors import UserError
from desktop_app.services import cards, signing
from desktop_app.signing.cards import (
    USER_ADDED,
    CardKey,
    CardModule,
    CardScan,
    CardToken,
    ModuleScan,
    expand,
    find_modules,
    load_locations,
    scan_cards,
    scan_module,
)
from tests.helpers.softhsm import fresh_softhsm, make_token, require_softhsm  # noqa: F401

TODAY = dt.date.today()


def touch(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\x7fELF not really a library")
    return path


def test_linux_modules_are_found_in_the_multiarch_and_local_places(tmp_path):
    opensc = touch(tmp_path / "usr/lib/x86_64-linux-gnu/pkcs11/opensc-pkcs11.so")
    touch(tmp_path / "usr/lib/x86_64-linux-gnu/pkcs11/pkcs11-spy.so")  # a proxy, not a card
    touch(tmp_path / "usr/lib/x86_64-linux-gnu/pkcs11/onepin-opensc-pkcs11.so")
    softhsm = touch(tmp_path / "usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so")
    link = tmp_path / "usr/lib/softhsm/libsofthsm2.so"  # Debian's symlink to the same file
    link.parent.mkdir(parents=True)
    link.symlink_to(softhsm)
    local = touch(tmp_path / "usr/local/lib/opensc-pkcs11.so")
    other = touch(tmp_path / "usr/lib/pkcs11/libvendor-p11.so")

    found = find_modules(platform="linux", env={}, root=tmp_path)

    by_path = {m.path: m.name for m in found}
    assert by_path[opensc] == by_path[local] == "OpenSC"
    assert by_path[other] == "Annan PKCS#11-modul"
    assert [m.name for m in found].count("SoftHSM2 (programvarutoken för test)") == 1
    assert link in by_path or softhsm in by_path
    assert not any("spy" in m.path.name or "onepin" in m.path.name for m in found)
    assert len(found) == 4
    assert not any(m.added_by_user for m in found)


def test_windows_net_id_and_opensc_are_found_under_system32_and_program_files(tmp_path):
    windows, program_files = tmp_path / "Windows", tmp_path / "Program Files"
    system32 = touch(windows / "System32/iidp11.dll")
    client = touch(program_files / "SecMaker/Net iD Client/iidp11.dll")
    opensc = touch(program_files / "OpenSC Project/OpenSC/pkcs11/opensc-pkcs11.dll")
    env = {"SYSTEMROOT": str(windows), "ProgramFiles": str(program_files)}  # case as Windows

    found = find_modules(platform="windows", env=env)

    assert [(m.path, m.name) for m in found] == [
        (system32, "Net iD / SITHS eID"),
        (client, "Net iD / SITHS eID"),
        (opensc, "OpenSC"),
    ]
    # ProgramFiles(x86) is not set: its patterns are skipped, not searched from the root.
    assert expand("%ProgramFiles(x86)%/SecMaker/*/iidp11.dll", env) is None


def test_a_module_the_user_added_comes_first_and_once(tmp_path):
    own = touch(tmp_path / "usr/lib/pkcs11/libvendor-p11.so")
    elsewhere = touch(tmp_path / "opt/kortprogram/libkort.so")

    found = find_modules([str(elsewhere), str(own)], platform="linux", env={}, root=tmp_path)

    assert [(m.path, m.name, m.added_by_user) for m in found] == [
        (elsewhere, USER_ADDED, True),
        (own, USER_ADDED, True),  # also in a usual place: listed once, as the user's
    ]


def test_the_locations_are_data_for_each_platform():
    locations = load_locations()
    for platform in ("windows", "linux", "darwin"):
        assert locations.patterns(platform)
    linux = [p for _, p in locations.patterns("linux")]
    assert "/usr/lib/*/pkcs11/opensc-pkcs11.so" in linux
    assert "/usr/lib/*/softhsm/libsofthsm2.so" in linux
    assert any(p.startswith("/usr/local/lib/") for p in linux)
    windows = [p for _, p in locations.patterns("windows")]
    assert "%SystemRoot%/System32/iidp11.dll" in windows


def test_a_file_that_is_no_pkcs11_module_is_explained_in_swedish(tmp_path):
    fake = touch(tmp_path / "fake-p11.so")
    scan = scan_module(CardModule(fake, USER_ADDED, True))
    assert scan.tokens == () and "kan inte laddas" in scan.problem
    gone = scan_module(CardModule(tmp_path / "borta.so", USER_ADDED, True))
    assert "finns inte" in gone.problem
    found = CardScan((scan,))
    assert "Ingen av modulerna kunde laddas" in found.explanation(TODAY)
    assert cards.module_file_problem(tmp_path / "x.txt") != ""
    assert cards.module_file_problem(fake) == ""


def test_no_module_at_all_says_what_to_install(tmp_path):
    found = scan_cards(platform="linux", env={}, root=tmp_path)
    assert found.modules == ()
    why = found.explanation(TODAY)
    assert "Inget program för smarta kort" in why and "Net iD" in why
    lines = [line.text for line in cards.test_report(found, TODAY)]
    assert "Platser som söktes:" in lines and str(tmp_path) not in " ".join(lines)


def _key(valid_to: dt.datetime, for_signing: bool = True, key_id: str = "01") -> CardKey:
    return CardKey(
        Path("/m.so"), "SITHS", "1", "Underskrift", key_id, "Åsa Ekonomsson", "SITHS e-id CA",
        dt.datetime(2024, 1, 1, tzinfo=dt.UTC), valid_to, for_signing,
    )  # fmt: skip


def _scan(token: CardToken) -> CardScan:
    return CardScan((ModuleScan(CardModule(Path("/m.so"), "Net iD / SITHS eID"), 1, (token,)),))


def test_a_locked_pin_and_expired_certificates_are_told_apart():
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=300)
    locked = _scan(CardToken("SITHS", "1", "", "", (_key(later),), pin_locked=True))
    assert locked.usable(TODAY) == []
    assert "låst efter för många felaktiga PIN-koder" in locked.explanation(TODAY)
    report = cards.test_report(locked, TODAY)
    assert any(line.problem and "PIN-koden är låst" in line.text for line in report)

    old = dt.datetime(2024, 6, 30, tzinfo=dt.UTC)
    expired = _scan(CardToken("SITHS", "1", "", "", (_key(old),)))
    assert "gällde till 2024-06-30" in expired.explanation(TODAY)

    empty = _scan(CardToken("SITHS", "1", "", ""))
    assert "har inget certifikat" in empty.explanation(TODAY)
    reader_only = CardScan((ModuleScan(CardModule(Path("/m.so"), "OpenSC"), 1, ()),))
    assert "Inget kort sitter i läsaren" in reader_only.explanation(TODAY)
    no_reader = CardScan((ModuleScan(CardModule(Path("/m.so"), "OpenSC"), 0, ()),))
    assert "Ingen kortläsare hittades" in no_reader.explanation(TODAY)

    good = _scan(CardToken("SITHS", "1", "", "", (_key(later, False, "02"), _key(later))))
    assert len(good.usable(TODAY)) == 2 and good.explanation(TODAY) == ""


def test_a_card_seen_by_two_modules_is_listed_once():
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=300)
    key = _key(later)
    token = CardToken("SITHS", "1", "", "", (key,))
    net_id = ModuleScan(CardModule(Path("/iidp11.dll"), "Net iD / SITHS eID"), 1, (token,))
    opensc = ModuleScan(CardModule(Path("/opensc-pkcs11.dll"), "OpenSC"), 1, (token,))
    both = CardScan((net_id, opensc))
    assert both.all_keys() == [key] and both.usable(TODAY) == [key]


@pytest.mark.usefixtures("fresh_softhsm")
def test_softhsm_without_a_card_says_no_card_is_inserted(tmp_path, monkeypatch):
    module = require_softhsm()
    (tmp_path / "tokens").mkdir()
    conf = tmp_path / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tmp_path / 'tokens'}\nobjectstore.backend = file\n")
    monkeypatch.setenv("SOFTHSM2_CONF", str(conf))
    found = scan_cards([module], platform="linux", env={}, root=tmp_path)
    (only,) = found.modules
    assert only.problem == "" and only.slots >= 1 and only.tokens == ()
    assert "Inget kort sitter i läsaren" in found.explanation(TODAY)


@pytest.fixture(scope="module")
def card(tmp_path_factory):
    """A SoftHSM2 card with one key whose certificate has a label of its own (as on SITHS
    cards, key and certificate are paired by id)."""
    require_softhsm()
    tmp = tmp_path_factory.mktemp("card")
    p12 = tmp / "kort.p12"
    signing.create_demo_certificate("Kalle Kortsson", p12, "lösen")
    conf = make_token(tmp, p12, "lösen", label="SITHS-test", cert_label="Kalle Kortsson cert")
    return conf


@pytest.mark.usefixtures("fresh_softhsm")
def test_the_key_on_a_softhsm_card_is_listed_with_name_validity_and_signs(card, monkeypatch):
    monkeypatch.setenv("SOFTHSM2_CONF", str(card))
    found = cards.scan()  # the usual places: no module path typed
    (key,) = found.usable(TODAY)
    assert (key.subject, key.token_label, key.key_id, key.for_signing) == (
        "Kalle Kortsson", "SITHS-test", "42", True,
    )  # fmt: skip
    assert key.valid_from.date() <= TODAY < key.valid_to.date()
    assert "Kalle Kortsson (underskrift, giltigt " in cards.key_text(key)
    lines = [line.text for line in cards.test_report(found, TODAY)]
    assert any(t.startswith("Kort: SITHS-test") for t in lines)
    assert lines[-1] == "Klart att signera: 1 nyckel."
    with signing.open_card(key.module, key.token_label, "1234", key.label, key.key_id) as s:
        assert s.subject_name == "Kalle Kortsson"
    with pytest.raises(UserError, match="Fel PIN-kod"):
        signing.open_card(key.module, key.token_label, "0000", key.label, key.key_id)


def test_a_search_waits_for_an_open_card_signer_and_the_other_way_round():
    import threading
    import time

    from desktop_app.signing.cards import CardAccess

    access = CardAccess(timeout=10)
    events: list[str] = []

    def search() -> None:
        with access.scanning():
            events.append("search")

    release = access.opened()  # a signature in progress
    worker = threading.Thread(target=search)
    worker.start()
    time.sleep(0.2)
    assert events == []  # the search waits
    release()
    release()  # closing twice counts once
    worker.join(5)
    assert events == ["search"]

    with access.scanning():
        opener = threading.Thread(target=lambda: events.append("open") or access.opened()())
        opener.start()
        time.sleep(0.2)
        assert events == ["search", "open"]  # started, but waits inside opened()
        assert opener.is_alive()
    opener.join(5)
    assert not opener.is_alive()


def test_a_signer_left_open_does_not_stop_the_search_for_good():
    from desktop_app.signing.cards import CardAccess

    access = CardAccess(timeout=0.2)
    access.opened()  # never closed
    with access.scanning():
        pass  # went ahead after the timeout
