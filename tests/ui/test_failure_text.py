"""What a failed export, signature, verification or card search says: Swedish, naming the
file, never Python's or a library's English text (DEVELOPERS: never English library text in
front of a user)."""

from __future__ import annotations

import errno

from desktop_app.domain.errors import UserError
from desktop_app.ui.errors import failure_text


def test_a_file_error_is_swedish_and_names_the_file():
    exc = PermissionError(errno.EACCES, "Permission denied", "/hem/rapport.pdf")
    text = failure_text(exc, "Exporten misslyckades")
    assert text.startswith("Exporten misslyckades: du har inte behörighet")
    assert "/hem/rapport.pdf" in text and "Permission" not in text
    full = failure_text(
        OSError(errno.ENOSPC, "No space left on device"), "Det gick inte att skriva"
    )
    assert full == "Det gick inte att skriva: disken är full."


def test_an_unexpected_error_keeps_its_english_text_in_the_log_only(tmp_path, monkeypatch):
    monkeypatch.setenv("SVF_REPORT_LOG_DIR", str(tmp_path))
    text = failure_text(
        RuntimeError("Failed to read dictionary key at byte 0x0"), "Det gick inte att verifiera"
    )
    assert "Failed to read" not in text and "RuntimeError" not in text
    assert "ett oväntat fel" in text and str(tmp_path) in text
    assert "Failed to read dictionary key" in "".join(p.read_text() for p in tmp_path.iterdir())


def test_a_user_error_is_shown_as_it_is():
    assert failure_text(UserError("Fel PIN-kod."), "Det gick inte att signera") == "Fel PIN-kod."
