"""The store's failures in the window: a damaged database (restore the latest backup, or open
it for reading only) and a database held by another run (try again). Swedish, never SQL."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox, QWidget

from desktop_app.services.bootstrap import (
    AppContext,
    DamagedDatabaseError,
    StorageError,
    open_read_only,
    restore_latest_backup,
)

RESTORE = "Återställ säkerhetskopian"
READ_ONLY = "Öppna skrivskyddad"
QUIT = "Avsluta"
RETRY = "Försök igen"
CANCEL = "Avbryt"


class DamagedDatabaseBox(QMessageBox):
    """What to do with a damaged database: restore the newest backup copy (offered only when
    there is one), open it for reading only, or quit. ``choice`` is the button's text."""

    def __init__(self, damaged: DamagedDatabaseError, parent: QWidget | None = None) -> None:
        super().__init__(QMessageBox.Icon.Critical, "SVF-redovisning", str(damaged), parent=parent)
        self.setInformativeText(
            "Återställ den senaste säkerhetskopian (den skadade filen sparas bredvid), eller "
            "öppna databasen skrivskyddad för att läsa och exportera det som går att läsa."
        )
        self.restore_button = None
        if damaged.backup is not None:
            self.restore_button = self.addButton(RESTORE, QMessageBox.ButtonRole.AcceptRole)
        self.read_only_button = self.addButton(READ_ONLY, QMessageBox.ButtonRole.ActionRole)
        self.quit_button = self.addButton(QUIT, QMessageBox.ButtonRole.RejectRole)
        self.setDefaultButton(self.restore_button or self.read_only_button)

    @property
    def choice(self) -> str:
        clicked = self.clickedButton()
        return clicked.text() if clicked is not None else QUIT


def recover_damaged(
    damaged: DamagedDatabaseError, parent: QWidget | None = None
) -> AppContext | None:
    """Ask, then restore or open read-only; None when the user quits. A restore that fails
    (no copy, the copy damaged too) is said and asked again."""
    while True:
        box = DamagedDatabaseBox(damaged, parent)
        box.exec()
        choice = box.choice
        if choice == QUIT:
            return None
        if choice == READ_ONLY:
            return open_read_only(damaged)
        try:
            ctx, kept = restore_latest_backup(damaged)
        except DamagedDatabaseError as again:
            damaged = again
            continue
        except StorageError as exc:
            QMessageBox.warning(parent, "SVF-redovisning", str(exc))
            continue
        assert damaged.backup is not None
        QMessageBox.information(
            parent,
            "SVF-redovisning",
            f"Säkerhetskopian {damaged.backup.name} är återställd. Den skadade filen finns "
            f"kvar som {kept.name}.",
        )
        return ctx


class BusyBox(QMessageBox):
    """The database was held by another run past the wait: a Swedish message with "Försök
    igen", which runs ``retry``; "Avbryt" runs ``cancel`` (the screens show the stored state)."""

    def __init__(
        self,
        text: str,
        retry: Callable[[], object],
        cancel: Callable[[], object] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(QMessageBox.Icon.Warning, "SVF-redovisning", text, parent=parent)
        self.retry_button = self.addButton(RETRY, QMessageBox.ButtonRole.AcceptRole)
        self.cancel_button = self.addButton(CANCEL, QMessageBox.ButtonRole.RejectRole)
        self.setDefaultButton(self.retry_button)
        self._retry = retry
        self._cancel = cancel
        self.buttonClicked.connect(self._clicked)

    def _clicked(self, button: object) -> None:
        if button is self.retry_button:
            self._retry()
        elif self._cancel is not None:
            self._cancel()
