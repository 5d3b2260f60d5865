"""The justification of a warning (issue 15, point 5): why a value the program warns about is
right. It is kept with the warning, printed next to the value in the signed PDF and shown to
the RCC; when the values change it no longer applies. Cancel keeps everything as it was."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QLabel, QWidget

from desktop_app.domain.findings import Finding
from desktop_app.domain.template import WarningSettings
from desktop_app.ui.reason_dialog import _TextReasonDialog


class JustifyDialog(_TextReasonDialog):
    """Shows the warning and asks why the value is right; *Spara motiveringen* is enabled once
    the text is as long as the template asks."""

    def __init__(
        self,
        finding: Finding,
        limits: WarningSettings,
        parent: QWidget | None,
        current: str = "",
    ) -> None:
        warning = QLabel(finding.message)
        warning.setObjectName("justifyWarning")
        warning.setStyleSheet("color: #8a5a00;")
        super().__init__(
            parent,
            "Motivera varningen",
            "<b>Programmet varnar för det här värdet.</b> Om du har kontrollerat att det "
            "stämmer, skriv varför. Motiveringen står bredvid värdet i den undertecknade "
            "PDF:en och visas för RCC. Ändras värdena gäller den inte längre.",
            warning,
            "T.ex. en ny remissväg infördes i mars; färre patienter inkluderades under "
            "omställningen.",
            "Spara motiveringen",
            (limits.justification_min_chars, limits.justification_max_chars),
            current,
        )

    def justification(self) -> str:
        return self.written()


def ask_justification(
    parent: QWidget | None, finding: Finding, limits: WarningSettings, current: str = ""
) -> str | None:
    """The justification typed, or None when the user cancels."""
    dialog = JustifyDialog(finding, limits, parent, current)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.justification() or None
