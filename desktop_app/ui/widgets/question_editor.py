"""One question of the template: title, question, guidance and the answer, saved as you type."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.template import Question
from desktop_app.services.reports import Changes
from desktop_app.ui.session import ReportSession


class QuestionEditor(QFrame):
    """Text questions get a plain-text editor; yes/no questions two radio buttons."""

    def __init__(
        self, session: ReportSession, question: Question, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.question = question
        self._updating = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 8)
        title = QLabel(
            f"<b>{question.title}</b>"
            + (" <span style='color:#b00020'>*</span>" if question.required else "")
        )
        title.setWordWrap(True)  # a long title wraps in a narrow column, never cut
        layout.addWidget(title)
        text = QLabel(question.question)
        text.setWordWrap(True)
        layout.addWidget(text)
        if question.guidance:
            guide = QLabel(question.guidance)
            guide.setWordWrap(True)
            guide.setStyleSheet("color: #555;")
            layout.addWidget(guide)
        answer = session.report.answers.get(question.id, "")
        if question.type == "yes_no":
            row = QHBoxLayout()
            self.yes = QRadioButton("Ja")
            self.no = QRadioButton("Nej")
            self.yes.setAccessibleName(f"{question.title}: ja")
            self.no.setAccessibleName(f"{question.title}: nej")
            self.group = QButtonGroup(self)
            self.group.addButton(self.yes)
            self.group.addButton(self.no)
            row.addWidget(self.yes)
            row.addWidget(self.no)
            row.addStretch(1)
            layout.addLayout(row)
            self.yes.toggled.connect(self._yes_no_changed)
            self.no.toggled.connect(self._yes_no_changed)
            self.editor: QPlainTextEdit | None = None
            title.setBuddy(self.yes)
        else:
            self.editor = QPlainTextEdit()
            self.editor.setAccessibleName(question.title)
            self.editor.setTabChangesFocus(True)
            self.editor.setMinimumHeight(110)
            self.editor.setPlaceholderText("Skriv svaret här. Det sparas medan du skriver.")
            layout.addWidget(self.editor)
            self.editor.textChanged.connect(self._text_changed)
            title.setBuddy(self.editor)
        from desktop_app.ui.history_view import question_history_button

        self.history_button = question_history_button(session, question, self)
        layout.addWidget(self.history_button, 0, Qt.AlignmentFlag.AlignLeft)
        self._show(answer)
        session.changed.connect(self.refresh)

    def focus(self) -> None:
        target = self.editor if self.editor is not None else self.yes
        target.setFocus(Qt.FocusReason.OtherFocusReason)

    def _show(self, answer: str) -> None:
        self._updating = True
        try:
            if self.editor is not None:
                if self.editor.toPlainText() != answer:
                    cursor = self.editor.textCursor()
                    pos = cursor.position()
                    self.editor.setPlainText(answer)
                    cursor.setPosition(min(pos, len(answer)))
                    self.editor.setTextCursor(cursor)
            else:
                self.group.setExclusive(False)
                self.yes.setChecked(answer == "ja")
                self.no.setChecked(answer == "nej")
                self.group.setExclusive(True)
        finally:
            self._updating = False

    def refresh(self, changes: Changes) -> None:
        if changes.answers:
            self._show(self.session.report.answers.get(self.question.id, ""))

    def _text_changed(self) -> None:
        if not self._updating and self.editor is not None:
            self.session.set_answer(self.question.id, self.editor.toPlainText())

    def _yes_no_changed(self, checked: bool) -> None:
        if self._updating or not checked:
            return
        self.session.set_answer(self.question.id, "ja" if self.yes.isChecked() else "nej")
