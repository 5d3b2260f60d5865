"""Certification by the finance chief, the authorised representative's signature, verification
and export — the screens over services.signing / services.exports. Signing and verifying run in
a worker (``file_pool()``: pure file and CPU work) that gets the plain values it needs, read
from the form on the UI thread first; passwords and PINs are used once and never stored."""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.finance import (
    ALT_CORRECT,
    ALT_NOT_CORRECT,
    AMOUNT_FIELDS,
    CONTACT_FIELDS,
    GRANT_FIELDS,
    NOT_A_PAYMENT_CRITERION,
    RECEIVED_LABEL,
    alternative_label,
    alternative_text,
)
from desktop_app.domain.fmt import fmt_kr
from desktop_app.domain.vocabulary import Severity, Verdict, colours
from desktop_app.services import signing
from desktop_app.services.bootstrap import AppContext
from desktop_app.ui.card_picker import CardPicker
from desktop_app.ui.errors import failure_text
from desktop_app.ui.files import confirm_replace, open_file, remember_folder, show_in_folder
from desktop_app.ui.widgets.criteria_panel import CriterionCard
from desktop_app.ui.widgets.dialog_fit import FittedDialog
from desktop_app.ui.widgets.progress import ProgressLine
from desktop_app.ui.workers import Worker, assert_gui_thread, file_pool

# ------------------------------------------------------------------ jobs (off the UI thread)


@dataclass(frozen=True)
class SignerSpec:
    """Where the key is, as typed: a certificate file and its password, or a smart card's
    module, token, key and PIN. Lives only as long as the job that opens the key; the secret
    never appears in a repr."""

    card: bool
    p12_path: str = ""
    password: str = field(default="", repr=False)
    module: str = ""
    token: str = ""
    key: str = ""
    pin: str = field(default="", repr=False)
    key_id: str = ""  # hex CKA_ID of the key picked in the card list (ui.card_picker)


def open_signer(spec: SignerSpec) -> Any:
    """Open the key (UserError with a Swedish message if it cannot be); close it when done."""
    if not spec.card:
        return signing.open_p12(spec.p12_path, spec.password)
    return signing.open_card(spec.module, spec.token, spec.pin, spec.key, spec.key_id)


@dataclass(frozen=True)
class CertifyInputs:
    """The finance chief's certification as filled in, and where to write it."""

    pdf: Path
    out: Path
    request: signing.CertificationRequest
    today: date


@dataclass(frozen=True)
class SignInputs:
    """The representative's signature: the name typed, and where to write it."""

    pdf: Path
    out: Path
    name: str
    today: date


@dataclass(frozen=True)
class VerifyInputs:
    """The files to verify, the folder of trusted CA certificates and the day."""

    paths: tuple[Path, ...]
    trust_dir: Path | None
    today: date


def certify(inputs: CertifyInputs, signer: Any) -> Path:
    return signing.certify_file(inputs.pdf, inputs.out, signer, inputs.request, inputs.today)


def sign(inputs: SignInputs, signer: Any) -> Path:
    return signing.sign_file(inputs.pdf, inputs.out, signer, inputs.name, inputs.today)


def run_signing(action: Callable[[Any, Any], Path], inputs: Any, key: SignerSpec) -> Path:
    """Open the key (a smart card can take a while), certify or sign with it, and close it
    whatever happens."""
    signer = open_signer(key)
    try:
        return action(inputs, signer)
    finally:
        signer.close()


def verify_paths(worker: Worker, inputs: VerifyInputs) -> list[signing.FileVerification]:
    """Verify each file in turn, reporting progress."""
    out: list[signing.FileVerification] = []
    n = len(inputs.paths)
    for i, path in enumerate(inputs.paths):
        worker.progress(100 * i // max(n, 1), f"Verifierar {path.name} ({i + 1} av {n}) …")
        out += signing.verify_files([path], inputs.trust_dir, inputs.today)
    return out


def _line(name: str, placeholder: str = "", password: bool = False) -> QLineEdit:
    edit = QLineEdit()
    edit.setAccessibleName(name)
    edit.setPlaceholderText(placeholder)
    if password:
        edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


class SignerBox(QGroupBox):
    """Where the signing key is: a certificate file (.p12/.pfx) or a smart card (PKCS#11)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Underskrift med", parent)
        layout = QVBoxLayout(self)
        row = QHBoxLayout()
        self.file_choice = QRadioButton("Certifikatfil (.p12/.pfx)")
        self.card_choice = QRadioButton("Smart kort (SITHS, PKCS#11)")
        self.file_choice.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.file_choice)
        group.addButton(self.card_choice)
        row.addWidget(self.file_choice)
        row.addWidget(self.card_choice)
        row.addStretch(1)
        layout.addLayout(row)
        self.pages = QStackedWidget()
        file_page = QWidget()
        f = QFormLayout(file_page)
        path_row = QHBoxLayout()
        self.p12_path = _line("Certifikatfil", "Välj filen med ditt certifikat")
        browse = QPushButton("Välj…")
        browse.setAccessibleName("Välj certifikatfil")
        browse.clicked.connect(self._browse)
        path_row.addWidget(self.p12_path, 1)
        path_row.addWidget(browse)
        holder = QWidget()
        holder.setLayout(path_row)
        f.addRow("Fil:", holder)
        self.p12_password = _line("Lösenord till certifikatfilen", "Sparas inte", password=True)
        f.addRow("Lösenord:", self.p12_password)
        # The cards found, not typed (issue 13, point 8): ui.card_picker.
        self.card = card_page = CardPicker()
        self.pin = self.card.pin
        self.pages.addWidget(file_page)
        self.pages.addWidget(card_page)
        layout.addWidget(self.pages)
        self.card_choice.toggled.connect(lambda on: self.pages.setCurrentIndex(1 if on else 0))

    def _browse(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Välj certifikatfil", "", "Certifikat (*.p12 *.pfx)"
        )
        if name:
            self.p12_path.setText(name)

    def problems(self) -> list[str]:
        if self.file_choice.isChecked():
            if not self.p12_path.text().strip():
                return ["Välj certifikatfilen."]
            return []
        return self.card.problems()

    def take_spec(self) -> SignerSpec:
        """What was typed, as plain values for a job; the password and PIN fields are
        cleared (they are used once)."""
        assert_gui_thread("SignerBox.take_spec")
        try:
            if self.file_choice.isChecked():
                return SignerSpec(
                    card=False,
                    p12_path=self.p12_path.text().strip(),
                    password=self.p12_password.text(),
                )
            return SignerSpec(card=True, **self.card.take_values())
        finally:
            self.p12_password.clear()
            self.pin.clear()

    def open_signer(self) -> Any:
        """Open the key here and now (raises UserError with a Swedish message); forget the
        secret."""
        return open_signer(self.take_spec())


class _SignDialogBase(FittedDialog):
    """Shared frame: a summary of the PDF, a form, Avbryt / the action, a status line."""

    done = Signal(object)  # Path of the written file

    action_text = ""

    def __init__(
        self,
        ctx: AppContext,
        pdf: Path,
        parent: QWidget | None = None,
        summary: signing.PdfSummary | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.pdf = Path(pdf)
        self.worker: Worker | None = None
        # The main window reads and verifies the file in a worker first (_signing_dialog);
        # constructed on its own, the dialog does it here.
        self.summary = summary or signing.summarize_pdf(self.pdf, ctx.today())
        self.resize(980, 720)
        outer = QVBoxLayout(self)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        body = QWidget()
        self.body = QVBoxLayout(body)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)
        self.status = QLabel()
        self.status.setWordWrap(True)
        outer.addWidget(self.status)
        self.progress = ProgressLine("Signeringen pågår")
        outer.addWidget(self.progress)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.cancel_button = QPushButton("Avbryt")
        self.cancel_button.clicked.connect(self.reject)
        self.action_button = QPushButton(self.action_text)
        self.action_button.setDefault(True)
        self.action_button.clicked.connect(self.run)
        # After a signature: the file made, opened or shown in its folder (no second signature).
        self.open_button = QPushButton("Öppna PDF")
        self.folder_button = QPushButton("Visa i mappen")
        self.open_button.clicked.connect(lambda: self.made and self.open_made(self.made))
        self.folder_button.clicked.connect(lambda: self.made and self.show_made(self.made))
        for b in (self.open_button, self.folder_button):
            b.setVisible(False)
            buttons.addWidget(b)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.action_button)
        outer.addLayout(buttons)
        self.made: Path | None = None
        self._build()

    def _build(self) -> None:
        """The dialog's own part of the body, above the status line and the buttons."""
        raise NotImplementedError

    def _header(self) -> None:
        """Which report (region, year, version), the file and its signatures, and how many
        errors and warnings the report's checks find."""
        heading = signing.report_heading(self.summary)
        self.heading = heading
        v = self.summary.verification
        title = QLabel(f"<h2 style='margin:0'>{heading.title}</h2>")
        title.setWordWrap(True)
        title.setAccessibleName(heading.title)
        self.body.addWidget(title)
        lines = [f"Fil: {self.pdf.name}"]
        for s in v.signatures:
            lines.append(
                f"Underskrift ({s.role_label}): {s.signer_name or 'okänd'} – {'giltig' if s.ok else 'OGILTIG'}"
            )
        if not v.signatures:
            lines.append("Filen är inte intygad eller signerad ännu.")
        # A missing signature is what this dialog is about to add; anything else is a warning.
        expected = {
            signing.ProblemCode.CERTIFICATION_MISSING,
            signing.ProblemCode.REPRESENTATIVE_MISSING,
        }
        lines += [
            f"<span style='color:#a4161a'>Obs: {p.text}</span>"
            for p in v.issues
            if p.code not in expected
        ]
        info = QLabel("<br>".join(lines))
        info.setWordWrap(True)
        self.body.addWidget(info)
        listed = "".join(f"<br>– {html.escape(m)}" for m in heading.messages)
        more = heading.errors + heading.warnings - len(heading.messages)
        listed += f"<br>… och {more} till" if more > 0 else ""
        self.findings_note = QLabel(f"<b>{heading.findings_text}</b>{listed}")
        self.findings_note.setObjectName("findingsNote")
        self.findings_note.setWordWrap(True)
        self.findings_note.setAccessibleName(heading.findings_text)
        tone = Severity.ERROR if heading.errors else Severity.WARNING if heading.warnings else None
        fg, bg = colours(tone) if tone is not None else ("#1e7b34", "#e3f4e7")
        self.findings_note.setStyleSheet(
            f"QLabel#findingsNote {{ color: {fg}; background: {bg}; border: 1px solid {fg}; "
            "border-radius: 4px; padding: 6px 8px; }"
        )
        self.body.addWidget(self.findings_note)

    def _criteria(self) -> None:
        """The criteria for the second payment as cards, as in the report window's panel."""
        box = QGroupBox("Villkoren för den andra utbetalningen")
        row = QHBoxLayout(box)
        self.criterion_cards: list[CriterionCard] = []
        for c in self.summary.verification.criteria:
            card = CriterionCard()
            card.show_result(c.label, c.status, c.message)
            row.addWidget(card, 1)
            self.criterion_cards.append(card)
        self.body.addWidget(box)

    def _finance(self) -> None:
        fin = self.summary.report.finance
        box = QGroupBox("Ekonomisk redovisning (punkt 1–3)")
        form = QFormLayout(box)
        # Every field of points 1–3, labelled as in the agreement's Bilaga 2.
        for key, label in (*CONTACT_FIELDS, *GRANT_FIELDS, ("received", RECEIVED_LABEL)):
            value = getattr(fin, key)
            text = (fmt_kr(value) if value is not None else "–") if key in AMOUNT_FIELDS else value
            shown = QLabel(text or "–")
            shown.setWordWrap(True)
            form.addRow(f"{label}:", shown)
        for item in fin.costs:
            form.addRow(f"  {item.label}:", QLabel(fmt_kr(item.amount or 0)))
        form.addRow("<b>Summa kostnader:</b>", QLabel(f"<b>{fmt_kr(fin.total_costs)}</b>"))
        unspent = fin.unspent
        form.addRow(
            "<b>Medel som inte har förbrukats:</b>",
            QLabel(f"<b>{fmt_kr(unspent) if unspent is not None else '–'}</b>"),
        )
        self.body.addWidget(box)

    def _out_row(self, form: QFormLayout, suffix: str) -> None:
        self.out = _line("Spara som", "")
        self.out.setText(str(self.pdf.with_name(f"{self.pdf.stem}-{suffix}.pdf")))
        form.addRow("Spara som:", self.out)

    def show_status(self, text: str, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(
            "color: #a4161a; font-weight: 600;" if error else "color: #1e7b34;"
        )

    def problems(self) -> list[str]:
        return []

    def job(self, out: Path) -> tuple[Callable[[Any, Any], Path], Any]:
        """The job function and its inputs, read from the form (UI thread)."""
        raise NotImplementedError

    def run(self) -> None:
        problems = self.problems() + self.signer_box.problems()
        if not self.out.text().strip():
            problems.append("Ange var filen ska sparas.")
        if problems:
            self.show_status("\n".join(problems), error=True)
            return
        target = Path(self.out.text().strip())
        if not self.confirm_replace(target):
            self.show_status("Inget sparades. Ändra Spara som, eller välj att ersätta filen.")
            return
        action, inputs = self.job(target)
        key = self.signer_box.take_spec()
        self.action_button.setEnabled(False)
        self.show_status("Signerar …")
        self.progress.start("Signerar …")
        self.worker = Worker(run_signing, action, inputs, key)
        self.worker.signals.result.connect(self._finished)
        self.worker.signals.error.connect(self._failed)
        self.worker.start(file_pool())

    def _finished(self, path: object) -> None:
        assert_gui_thread("signing dialog result")
        self.progress.stop()
        self.made = Path(str(path))
        remember_folder("pdf", self.made)
        self.show_status(f"Klart. {self.made_text} Sparat som {path}.")
        # Done: the file can be opened or shown; nothing invites a second signature.
        self.action_button.setVisible(False)
        self.cancel_button.setText("Stäng")
        self.open_button.setVisible(True)
        self.folder_button.setVisible(True)
        self.open_button.setDefault(True)
        self.done.emit(path)

    made_text = "Filen är signerad."

    # Patchable in tests (they open a dialog or another program).
    def confirm_replace(self, path: Path) -> bool:
        return confirm_replace(self, path)

    def open_made(self, path: Path) -> None:
        open_file(path)

    def show_made(self, path: Path) -> None:
        show_in_folder(path)

    def _failed(self, exc: object) -> None:
        assert_gui_thread("signing dialog error")
        self.progress.stop()
        self.action_button.setEnabled(True)
        text = failure_text(exc, "Det gick inte att signera")
        self.show_status(text, error=True)


def signer_box_and_buttons(
    dialog: QDialog, layout: QVBoxLayout, ok_text: str, on_ok: Callable[[], None]
) -> tuple[SignerBox, QLabel, QPushButton]:
    """The end of a small signing dialog: the signer box, a line for the error and
    Avbryt / ``ok_text`` (the default button, connected to ``on_ok``)."""
    signer_box = SignerBox()
    layout.addWidget(signer_box)
    error = QLabel()
    error.setStyleSheet("color: #a4161a;")
    error.setWordWrap(True)
    layout.addWidget(error)
    row = QHBoxLayout()
    row.addStretch(1)
    cancel = QPushButton("Avbryt")
    cancel.clicked.connect(dialog.reject)
    ok = QPushButton(ok_text)
    ok.setDefault(True)
    ok.clicked.connect(on_ok)
    row.addWidget(cancel)
    row.addWidget(ok)
    layout.addLayout(row)
    return signer_box, error, ok


class CertifyDialog(_SignDialogBase):
    """The finance chief's certification mode: the financial statement and the summary only."""

    action_text = "Intyga och signera"
    made_text = (
        "Den ekonomiska redovisningen är intygad och signerad. Nästa steg: behörig företrädare "
        "skriver under (Underskrifter → Signera som behörig företrädare)."
    )
    # The finance chief's details, remembered per user (QSettings), never in the report database.
    REMEMBERED = ("name", "title", "phone", "email")

    def _remember_signer(self) -> None:
        settings = QSettings()
        for key in self.REMEMBERED:
            settings.setValue(f"certify/{key}", getattr(self, key).text().strip())

    def _recall_signer(self) -> None:
        settings = QSettings()
        for key in self.REMEMBERED:
            value = settings.value(f"certify/{key}")
            field = getattr(self, key)
            if isinstance(value, str) and value and not field.text():
                field.setText(value)

    def _finished(self, path: object) -> None:
        self._remember_signer()
        super()._finished(path)

    def _build(self) -> None:
        self.setWindowTitle("Intyga den ekonomiska redovisningen")
        self._header()
        self._criteria()
        self._finance()
        box = QGroupBox("4. Ekonomichefens (eller motsvarande) granskning")
        lay = QVBoxLayout(box)
        form = QFormLayout()
        self.name = _line("Namn")
        self.title = _line("Befattning", "t.ex. ekonomidirektör")
        self.phone = _line("Telefon inkl. riktnummer")
        self.email = _line("E-postadress")
        self._alternatives(lay)
        form.addRow("Namn:", self.name)
        form.addRow("Befattning:", self.title)
        form.addRow("Telefon inkl. riktnummer:", self.phone)
        form.addRow("E-postadress:", self.email)
        self._recall_signer()
        lay.addLayout(form)
        self.body.addWidget(box)
        self.signer_box = SignerBox()
        self.body.addWidget(self.signer_box)
        out_form = QFormLayout()
        self._out_row(out_form, "intygad")
        self.body.addLayout(out_form)

    def _alternatives(self, lay: QVBoxLayout) -> None:
        """Alt 1 / Alt 2 in the form's words, neither preselected (the finance chief must
        choose), with N.N. replaced by the name as it is typed; the deviation (required for
        Alt 2) and the optional actions ("eventuella åtgärder")."""
        self.alt1 = QRadioButton(alternative_label(ALT_CORRECT))
        self.alt2 = QRadioButton(alternative_label(ALT_NOT_CORRECT))
        self.alt_group = QButtonGroup(self)
        self.alt_texts: dict[int, QLabel] = {}
        choose = QLabel("<b>Välj Alt 1 eller Alt 2.</b> Inget alternativ är förvalt.")
        choose.setWordWrap(True)
        lay.addWidget(choose)
        for alt, button in ((ALT_CORRECT, self.alt1), (ALT_NOT_CORRECT, self.alt2)):
            self.alt_group.addButton(button, alt)
            text = QLabel()
            text.setWordWrap(True)
            text.setContentsMargins(24, 0, 0, 6)
            self.alt_texts[alt] = text
            lay.addWidget(button)
            lay.addWidget(text)
        self.deviations = QPlainTextEdit()
        self.deviations.setAccessibleName("Avvikelse")
        self.deviations.setPlaceholderText("Avvikelse (krävs för Alt 2)")
        self.actions = QPlainTextEdit()
        self.actions.setAccessibleName("Eventuella åtgärder")
        self.actions.setPlaceholderText("Eventuella åtgärder (frivilligt)")
        for w, caption in (
            (self.deviations, "Avvikelse (krävs för Alt 2):"),
            (self.actions, "Eventuella åtgärder (frivilligt):"),
        ):
            w.setMaximumHeight(4 * w.fontMetrics().lineSpacing() + 12)  # about four lines
            w.setTabChangesFocus(True)
            shown = QLabel(caption)  # the placeholder goes once something is typed
            shown.setBuddy(w)
            lay.addWidget(shown)
            lay.addWidget(w)
        note = QLabel(NOT_A_PAYMENT_CRITERION)
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        lay.addWidget(note)
        self.alt2.toggled.connect(self._alt_changed)
        self.name.textChanged.connect(self._name_changed)
        self._alt_changed(False)
        self._name_changed(self.name.text())

    def _name_changed(self, name: str) -> None:
        for alt, label in self.alt_texts.items():
            wording = alternative_text(alt, name)
            label.setText(wording)
            (self.alt1 if alt == ALT_CORRECT else self.alt2).setAccessibleName(wording)

    def _alt_changed(self, alt2: bool) -> None:
        self.deviations.setEnabled(alt2)
        self.actions.setEnabled(alt2)

    def chosen_alternative(self) -> int | None:
        """ALT_CORRECT, ALT_NOT_CORRECT, or None while neither is chosen."""
        alt = self.alt_group.checkedId()
        return alt if alt in (ALT_CORRECT, ALT_NOT_CORRECT) else None

    def request(self) -> signing.CertificationRequest:
        alt = self.chosen_alternative()
        alt2 = alt == ALT_NOT_CORRECT
        return signing.CertificationRequest(
            alternative=alt,
            name=self.name.text().strip(),
            title=self.title.text().strip(),
            phone=self.phone.text().strip(),
            email=self.email.text().strip(),
            deviations=self.deviations.toPlainText().strip() if alt2 else "",
            actions=self.actions.toPlainText().strip() if alt2 else "",
        )

    def problems(self) -> list[str]:
        return self.request().problems()

    def job(self, out: Path) -> tuple[Callable[[Any, Any], Path], Any]:
        return certify, CertifyInputs(self.pdf, out, self.request(), self.ctx.today())


class SignDialog(_SignDialogBase):
    """The authorised representative's signature (point 5), after the certification."""

    action_text = "Signera"
    made_text = "Redovisningen är underskriven och klar att skickas till RCC."

    def _build(self) -> None:
        self.setWindowTitle("Signera som behörig företrädare")
        self._header()
        self._chief_choice()
        self._criteria()
        box = QGroupBox("5. Underskrift av behörig företrädare")
        lay = QVBoxLayout(box)
        text = QLabel("Bidragstagaren intygar att lämnade uppgifter är riktiga.")
        text.setWordWrap(True)
        lay.addWidget(text)
        form = QFormLayout()
        self.name = _line("Namnförtydligande")
        form.addRow("Namnförtydligande:", self.name)
        form.addRow("Datum:", QLabel(self.ctx.today().isoformat()))
        lay.addLayout(form)
        self.body.addWidget(box)
        if not self.summary.verification.certified:
            self.show_status(
                "Filen har inget giltigt intygande av ekonomichefen. Låt ekonomichefen intyga "
                "den ekonomiska redovisningen först.",
                error=True,
            )
            self.action_button.setEnabled(False)
        self.signer_box = SignerBox()
        self.body.addWidget(self.signer_box)
        out_form = QFormLayout()
        self._out_row(out_form, "signerad")
        self.body.addLayout(out_form)

    def _chief_choice(self) -> None:
        """What the finance chief chose (Alt 1 / Alt 2), who and when; for Alt 2 the deviation
        and the actions; a warning when the certification no longer matches the figures."""
        choice = signing.chief_choice(self.summary)
        self.choice = choice
        box = QGroupBox("4. Ekonomichefens intygande")
        lay = QVBoxLayout(box)
        verdict = Verdict.PASS if choice.correct else Verdict.FAIL
        fg = colours(verdict)[0] if choice.alternative is not None else "#555555"
        self.choice_label = QLabel(
            f"<span style='color:{fg}; font-size:12pt; font-weight:600'>{choice.heading}</span>"
            + (f" &nbsp; {choice.who}" if choice.who else "")
        )
        self.choice_label.setAccessibleName(f"Ekonomichefens val: {choice.heading}")
        lay.addWidget(self.choice_label)
        lines = [choice.wording]
        if choice.deviations:
            lines.append(f"<b>Avvikelse:</b> {choice.deviations}")
        if choice.actions:
            lines.append(f"<b>Åtgärder:</b> {choice.actions}")
        if choice.matches is False:
            lines.append(
                "<span style='color:#a4161a'><b>Intygandet stämmer inte med de ekonomiska "
                "uppgifterna i filen.</b></span>"
            )
        text = QLabel("<br>".join(lines))
        text.setWordWrap(True)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(text)
        self.body.addWidget(box)

    def problems(self) -> list[str]:
        return [] if self.name.text().strip() else ["Skriv ditt namn (namnförtydligande)."]

    def job(self, out: Path) -> tuple[Callable[[Any, Any], Path], Any]:
        return sign, SignInputs(self.pdf, out, self.name.text().strip(), self.ctx.today())


class VerifyDialog(FittedDialog):
    """Each file's signatures, data and criteria, as `svf-report verify` reports them. The
    files are verified off the UI thread; ``results`` is None until ``verified`` is emitted."""

    verified = Signal(object)  # list[FileVerification]

    def __init__(self, ctx: AppContext, paths: list[Path], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Verifiera underskrifter")
        self.resize(900, 560)
        layout = QVBoxLayout(self)
        self.tree = QTreeWidget()
        self.tree.setAccessibleName("Verifieringsresultat")
        self.tree.setHeaderLabels(["Fil / underskrift", "Resultat"])
        self.tree.setColumnWidth(0, 420)
        layout.addWidget(self.tree, 1)
        self.progress = ProgressLine("Verifieringen pågår")
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #a4161a; font-weight: 600;")
        self.error.hide()
        layout.addWidget(self.progress)
        layout.addWidget(self.error)
        close = QPushButton("Stäng")
        close.clicked.connect(self.accept)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(close)
        layout.addLayout(row)
        self.results: list[signing.FileVerification] | None = None
        inputs = VerifyInputs(
            tuple(Path(p) for p in paths), signing.default_trust_dir(), ctx.today()
        )
        self.progress.start(f"Verifierar {len(paths)} {'fil' if len(paths) == 1 else 'filer'} …")
        self.worker = Worker(verify_paths, inputs, pass_worker=True)
        self.worker.signals.progress.connect(self.progress.update_progress)
        self.worker.signals.result.connect(self._verified)
        self.worker.signals.error.connect(self._failed)
        self.worker.start(file_pool())

    def _verified(self, results: list[signing.FileVerification]) -> None:
        assert_gui_thread("VerifyDialog._verified")
        self.progress.stop()
        self.results = list(results)
        for v in self.results:
            self.tree.addTopLevelItem(_verification_item(v))
        for i in range(self.tree.topLevelItemCount()):
            self.tree.topLevelItem(i).setExpanded(True)
        self.verified.emit(self.results)

    def _failed(self, exc: object) -> None:
        assert_gui_thread("VerifyDialog._failed")
        self.progress.stop()
        text = failure_text(exc, "Det gick inte att verifiera")
        self.error.setText(text)
        self.error.show()


def _verification_item(v: signing.FileVerification) -> QTreeWidgetItem:
    """One file's result as a tree item: the verdict, then signatures, data and criteria."""
    head = QTreeWidgetItem([Path(v.path).name, _verdict(v)])
    head.setForeground(1, Qt.GlobalColor.darkGreen if v.ok else Qt.GlobalColor.darkRed)
    if v.region_name:
        head.addChild(
            QTreeWidgetItem(
                ["Redovisning", f"{v.region_name} {v.year}, version {v.report_version}"]
            )
        )
    for s in v.signatures:
        when = s.signing_time.strftime("%Y-%m-%d %H:%M") if s.signing_time else ""
        trust = "betrodd" if s.trusted else "inte betrodd (okänd utfärdare)"
        state = f"giltig, {trust}" if s.ok else f"OGILTIG: {s.problem or 'ändrad'}"
        head.addChild(
            QTreeWidgetItem([f"Underskrift: {s.role_label}", f"{s.signer_name} {when} – {state}"])
        )
    if v.certification is not None:
        alt = "Alt 1 (korrekt)" if v.certification.alternative == 1 else "Alt 2 (inte korrekt)"
        match = "" if v.certification_matches is not False else " – stämmer INTE med siffrorna"
        head.addChild(QTreeWidgetItem(["Intygande", alt + match]))
    for c in v.criteria:
        head.addChild(QTreeWidgetItem([f"Villkor: {c.label}", c.message]))
    for p in v.problems:
        head.addChild(QTreeWidgetItem(["Fel", p]))
    for n in v.notes:
        head.addChild(QTreeWidgetItem(["Notering", n]))
    return head


def _verdict(v: Any) -> str:
    if not v.readable:
        return "Kan inte läsas"
    if v.ok:
        return "Giltig: intygad och signerad"
    return "Ogiltig eller ofullständig"
