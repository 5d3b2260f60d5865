"""Issue 13, point 4: Qt's own words are Swedish too (standard buttons, context menus)."""

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialogButtonBox

from desktop_app.ui.translations import install_swedish


def test_qt_standard_buttons_and_menus_are_swedish(qapp):
    assert "qtbase" in install_swedish(qapp)
    box = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Cancel | QDialogButtonBox.StandardButton.Save
    )
    texts = {b.text().replace("&", "") for b in box.buttons()}
    assert texts == {"Avbryt", "Spara"}
    assert QCoreApplication.translate("QLineEdit", "&Undo").replace("&", "") == "Ångra"
