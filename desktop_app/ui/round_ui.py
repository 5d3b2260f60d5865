"""The RCC's side of the round in the RCC view (issue 11, points 6 and 7): "Kvittens eller
återsänd…" for the file selected in the inbox, and "Skicka till Socialstyrelsen…", the
package of the signed compilation with every counted region's signed PDF attached. Both
sign with the RCC's key (SignerBox) and run on the database worker."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QBoxLayout,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.errors import UserError
from desktop_app.services import package, receipts
from desktop_app.ui.files import open_file
from desktop_app.ui.widgets.dialog_fit import FittedDialog
from desktop_app.ui.workers import Worker, assert_gui_thread, db_pool


@dataclass(frozen=True)
class RoundJob:
    """Plain values for one signing job on the worker."""

    ctx: Any
    signer: Any
    out: Path
    name: str | None
    entry_id: int | None = None
    reason: str | None = None
    scope: str = ""
    year: int = 0


def run_receipt(job: RoundJob) -> receipts.IssuedReceipt:
    with job.signer:
        assert job.entry_id is not None
        return receipts.issue_receipt(
            job.ctx, job.entry_id, job.signer, job.out, job.reason, job.name
        )


def run_package(job: RoundJob) -> package.PackageExport:
    with job.signer:
        return package.export_package(job.ctx, job.scope, job.year, job.out, job.signer, job.name)


def run_preview(job: RoundJob) -> package.PackagePreview:
    return package.preview_package(job.ctx, job.scope, job.year, job.out)


class PreviewDialog(FittedDialog):
    """What the preview holds: the reports that would be sent and the regions left out."""

    def __init__(self, res: package.PackagePreview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Förhandsgranskning av paketet till Socialstyrelsen")
        self.resize(720, 420)
        layout = QVBoxLayout(self)
        head = QLabel(
            "<b>Förhandsgranskning – inte underskriven.</b> Skicka den inte: paketet görs och "
            f"skrivs under med Skicka till Socialstyrelsen…<br>{res.pages} sidor: {res.path}"
        )
        head.setWordWrap(True)
        layout.addWidget(head)
        layout.addWidget(QLabel(f"<b>Ingår ({len(res.reports)}):</b>"))
        self.included = QListWidget()
        self.included.setAccessibleName("Redovisningar som ingår")
        self.included.addItems(list(res.included) or ["Ingen räknad redovisning."])
        layout.addWidget(self.included, 1)
        layout.addWidget(QLabel(f"<b>Ingår inte ({len(res.left_out)}):</b>"))
        self.left_out = QListWidget()
        self.left_out.setAccessibleName("Regioner som inte ingår")
        self.left_out.addItems(list(res.left_out) or ["Alla regioner i urvalet ingår."])
        layout.addWidget(self.left_out, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        self.open_button = QPushButton("Öppna PDF:en")
        self.open_button.clicked.connect(lambda: open_file(res.path))
        close = QPushButton("Stäng")
        close.clicked.connect(self.accept)
        row.addWidget(self.open_button)
        row.addWidget(close)
        layout.addLayout(row)


class RoundDialog(FittedDialog):
    """Where to save, who signs, and (for a receipt) accept or return with a reason."""

    def __init__(
        self, title: str, suggested: Path, receipt: bool, parent: QWidget | None = None
    ) -> None:
        from desktop_app.ui.signing_ui import signer_box_and_buttons

        super().__init__(parent)
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.accept_choice = QRadioButton("Kvittera: mottagen och räknad")
        self.return_choice = QRadioButton("Återsänd för komplettering")
        self.reason = QLineEdit()
        self.reason.setAccessibleName("Skäl till återsändningen")
        if receipt:
            self.accept_choice.setChecked(True)
            form.addRow(self.accept_choice)
            form.addRow(self.return_choice)
            form.addRow("Skäl:", self.reason)
        self.is_receipt = receipt
        self.out = QLineEdit(str(suggested))
        self.out.setAccessibleName("Spara som")
        form.addRow("Spara som:", self.out)
        self.name = QLineEdit()
        self.name.setAccessibleName("Namnförtydligande")
        form.addRow("Namnförtydligande:", self.name)
        layout.addLayout(form)
        self.signer_box, self.error, self.ok = signer_box_and_buttons(
            self, layout, "Skriv under och spara", self._accept
        )
        self.signer: Any = None

    @property
    def return_reason(self) -> str | None:
        if self.is_receipt and self.return_choice.isChecked():
            return self.reason.text().strip()
        return None

    def _accept(self) -> None:
        if not self.out.text().strip():
            self.error.setText("Ange var filen ska sparas.")
            return
        if self.return_reason == "":
            self.error.setText("Ange skälet till att redovisningen återsänds.")
            return
        problems = self.signer_box.problems()
        if problems:
            self.error.setText("\n".join(problems))
            return
        try:
            self.signer = self.signer_box.open_signer()
        except UserError as exc:
            self.error.setText(str(exc))
            return
        self.accept()


class RoundActions:
    """The two buttons of the RCC view and what they do; ``view`` is the RccView."""

    def __init__(self, view: Any, layout: QBoxLayout) -> None:
        self.view = view
        self.receipt_button = QPushButton("Kvittens eller återsänd…")
        self.receipt_button.setAccessibleName(
            "Ge kvittens för den markerade filen, eller återsänd den med ett skäl"
        )
        self.package_button = QPushButton("Skicka till Socialstyrelsen…")
        self.package_button.setAccessibleName(
            "Gör paketet till Socialstyrelsen: underskriven sammanställning med regionernas "
            "underskrivna redovisningar bifogade"
        )
        self.preview_button = QPushButton("Förhandsgranska…")
        self.preview_button.setAccessibleName(
            "Förhandsgranska paketet till Socialstyrelsen (inte underskrivet)"
        )
        self.receipt_button.clicked.connect(self.ask_receipt)
        self.package_button.clicked.connect(self.ask_package)
        self.preview_button.clicked.connect(self.preview)
        layout.addWidget(self.receipt_button)
        layout.addWidget(self.preview_button)
        layout.addWidget(self.package_button)
        self.dialog: RoundDialog | None = None
        self.preview_dialog: PreviewDialog | None = None
        self.worker: Worker | None = None

    def selected_entry(self) -> Any:
        rows = self.view.inbox_table.selectionModel().selectedRows()
        return self.view.entries[rows[0].row()] if rows else None

    def ask_receipt(self) -> RoundDialog | None:
        entry = self.selected_entry()
        if entry is None or entry.id is None:
            self.view.show_status("Markera först en fil i inkorgen.", error=True)
            return None
        suggested = Path.home() / (
            f"kvittens-{entry.region_code or 'okand'}-{entry.report_year or ''}-"
            f"v{entry.report_version or 0}.pdf"
        )
        self.dialog = RoundDialog(f"Kvittens för {entry.file_name}", suggested, True, self.view)
        self.dialog.accepted.connect(lambda: self._start(run_receipt, entry.id))
        self.dialog.open()
        return self.dialog

    def ask_package(self) -> RoundDialog | None:
        suggested = (
            Path.home() / f"till-socialstyrelsen-{self.view.scope_id}-{self.view.year_value}.pdf"
        )
        self.dialog = RoundDialog("Skicka till Socialstyrelsen", suggested, False, self.view)
        self.dialog.accepted.connect(lambda: self._start(run_package, None))
        self.dialog.open()
        return self.dialog

    def preview(self) -> None:
        """Write the unsigned preview to a temporary folder on the worker; then open it and
        show what it holds."""
        import tempfile

        folder = Path(tempfile.mkdtemp(prefix="svf-forhandsgranskning-"))
        out = folder / f"forhandsgranskning-{self.view.scope_id}-{self.view.year_value}.pdf"
        job = RoundJob(
            ctx=self.view.ctx,
            signer=None,
            out=out,
            name=None,
            scope=self.view.scope_id,
            year=self.view.year_value,
        )
        self.view.show_status("Gör förhandsgranskningen …")
        self.worker = Worker(run_preview, job)
        self.worker.signals.result.connect(self._done)
        self.worker.signals.error.connect(self.view._failed)  # noqa: SLF001 - the view's one error path
        self.worker.start(db_pool())

    def _start(self, fn: Any, entry_id: int | None) -> None:
        d = self.dialog
        assert d is not None
        job = RoundJob(
            ctx=self.view.ctx,
            signer=d.signer,
            out=Path(d.out.text().strip()),
            name=d.name.text().strip() or None,
            entry_id=entry_id,
            reason=d.return_reason,
            scope=self.view.scope_id,
            year=self.view.year_value,
        )
        self.view.show_status("Skriver under …")
        self.worker = Worker(fn, job)
        self.worker.signals.result.connect(self._done)
        self.worker.signals.error.connect(self.view._failed)  # noqa: SLF001 - the view's one error path
        self.worker.start(db_pool())

    def _done(self, res: object) -> None:
        assert_gui_thread("RoundActions._done")
        if isinstance(res, package.PackagePreview):
            self.view.show_status(
                f"Förhandsgranskningen är klar ({res.pages} sidor, inte underskriven): "
                f"{len(res.reports)} redovisningar ingår, {len(res.left_out)} regioner ingår inte."
            )
            open_file(res.path)
            self.preview_dialog = PreviewDialog(res, self.view)
            self.preview_dialog.open()
        elif isinstance(res, package.PackageExport):
            self.view.show_status(
                f"Sparat: {res.path} – sammanställningen underskriven med {len(res.reports)} "
                "regioners redovisningar bifogade. Skicka filen till Socialstyrelsen."
            )
        elif isinstance(res, receipts.IssuedReceipt):
            what = "Återsändning" if res.reason_given else "Kvittens"
            self.view.show_status(f"{what} sparad: {res.path}. Skicka den till regionen.")


def add_round_buttons(view: Any, layout: QBoxLayout) -> RoundActions:
    """Add the round's buttons to the RCC view's action row (the view keeps the object)."""
    view.round_actions = RoundActions(view, layout)
    return view.round_actions  # type: ignore[no-any-return]


__all__ = ["PreviewDialog", "RoundActions", "RoundDialog", "add_round_buttons"]
