"""Files the user makes: where the dialogs start, asking before a file is replaced, and opening
a made file or its folder.

Each kind of file ("pdf", "excel", "database" …) remembers the folder it was last saved in or
opened from (QSettings ``files/<kind>``); the first time it is the user's Documents folder."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QWidget

_KEY = "files/{kind}"


def documents_folder() -> Path:
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found else Path.home()


def last_folder(kind: str) -> Path:
    """Where a dialog for ``kind`` starts: the folder last used for it, else Documents."""
    value = QSettings().value(_KEY.format(kind=kind))
    if isinstance(value, str) and value and Path(value).is_dir():
        return Path(value)
    return documents_folder()


def remember_folder(kind: str, path: Path) -> None:
    """Remember the folder of ``path`` (a file) for the next dialog of ``kind``."""
    QSettings().setValue(_KEY.format(kind=kind), str(Path(path).parent))


def confirm_replace(parent: QWidget | None, path: Path) -> bool:
    """True when ``path`` does not exist, or the user chose to replace it."""
    if not Path(path).exists():
        return True
    box = QMessageBox(
        QMessageBox.Icon.Question,
        "Filen finns redan",
        f"Det finns redan en fil {Path(path).name} i {Path(path).parent}.\n\n"
        "Vill du ersätta den? Den gamla filen går då inte att få tillbaka.",
        parent=parent,
    )
    replace = box.addButton("Ersätt", QMessageBox.ButtonRole.DestructiveRole)
    box.addButton("Avbryt", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(QMessageBox.StandardButton.NoButton)
    box.exec()
    return box.clickedButton() is replace


def open_file(path: Path) -> bool:
    """Open ``path`` in the program the system uses for it (a PDF reader, Excel)."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def show_in_folder(path: Path) -> bool:
    """Open the folder of ``path`` in the file manager."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(path).parent)))


__all__ = [
    "confirm_replace",
    "documents_folder",
    "last_folder",
    "open_file",
    "remember_folder",
    "show_in_folder",
]
