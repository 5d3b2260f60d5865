"""Ekonomisk redovisning (Bilaga 2, points 1–3): contact details, the grant and the accounts.

Unspent funds are computed (received − costs) and shown, never typed. The finance chief's
certification (point 4) and the representative's signature (point 5) come with the signed PDF."""

from __future__ import annotations

import copy

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from desktop_app.domain.finance import (
    AMOUNT_FIELDS,
    CONTACT_FIELDS,
    GRANT_FIELDS,
    NOT_A_PAYMENT_CRITERION,
    RECEIVED_LABEL,
    CostItem,
    FinancialStatement,
)
from desktop_app.domain.fmt import fmt_kr
from desktop_app.domain.rules import Location
from desktop_app.domain.template import Step, agreement_references
from desktop_app.services.reports import Changes
from desktop_app.ui.session import ReportSession
from desktop_app.ui.steps.simple import ScrollStep
from desktop_app.ui.widgets.amount_edit import AmountEdit


class FinanceStep(ScrollStep):
    def __init__(self, session: ReportSession, step: Step, parent: QWidget | None = None) -> None:
        super().__init__(session, step, parent)
        self._updating = False
        self.fields: dict[str, QLineEdit] = {}
        self.amount_fields: set[str] = set()

        contact = QGroupBox("1. Kontaktuppgifter")
        form = QFormLayout(contact)
        for key, label in CONTACT_FIELDS:
            form.addRow(f"{label}:", self._field(key, label, amount=False))
        self.body.addWidget(contact)

        grant = QGroupBox("2. Bidrag som redovisningen avser")
        gform = QFormLayout(grant)
        gform.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        for key, label in GRANT_FIELDS:
            amount = key in AMOUNT_FIELDS
            gform.addRow(f"{label}{' (kr)' if amount else ''}:", self._field(key, label, amount))
        refs = agreement_references(self.session.template.agreement)
        # Regeringskansliet's numbers are not in the sources: say so in the empty field, and
        # keep SKR's ärendenummer from being typed in their place.
        skr = f" (inte SKR:s ärendenummer {refs.skr_reference})" if refs.skr_reference else ""
        for key in ("dnr_agreement", "dnr_decision"):
            self.fields[key].setPlaceholderText(
                f"Ej känt i mallen – ange Regeringskansliets dnr{skr}"
            )
        self.body.addWidget(grant)

        accounts = QGroupBox("3. Redovisning av verksamhet eller aktivitet")
        self.accounts = QGridLayout(accounts)
        self.accounts.addWidget(QLabel(f"{RECEIVED_LABEL} (kr):"), 0, 0)
        self.accounts.addWidget(self._field("received", RECEIVED_LABEL, True), 0, 1)
        self.accounts.addWidget(
            QLabel("<b>Kostnader</b> (specificera större kostnadsposter)"), 1, 0, 1, 3
        )
        self.cost_rows: list[tuple[QLineEdit, AmountEdit, QPushButton]] = []
        self.cost_box = QWidget()
        self.cost_layout = QGridLayout(self.cost_box)
        self.cost_layout.setContentsMargins(0, 0, 0, 0)
        self.accounts.addWidget(self.cost_box, 2, 0, 1, 3)
        add = QPushButton("Lägg till kostnadspost")
        add.clicked.connect(self._add_cost)
        self.add_button = add
        row = QHBoxLayout()
        row.addWidget(add)
        row.addStretch(1)
        holder = QWidget()
        holder.setLayout(row)
        self.accounts.addWidget(holder, 3, 0, 1, 3)
        self.total = QLabel()
        self.unspent = QLabel()
        self.accounts.addWidget(QLabel("Summa kostnader:"), 4, 0)
        self.accounts.addWidget(self.total, 4, 1)
        self.accounts.addWidget(QLabel("Medel som inte har förbrukats (bidrag – kostnader):"), 5, 0)
        self.accounts.addWidget(self.unspent, 5, 1)
        self.body.addWidget(accounts)
        note = QLabel(
            "Punkt 4 (ekonomichefens granskning) och punkt 5 (behörig företrädares underskrift) "
            "fylls i när redovisningen exporteras som PDF och intygas och signeras. "
            + NOT_A_PAYMENT_CRITERION
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        self.body.addWidget(note)
        self.body.addStretch(1)
        self.refresh(Changes(finance=True))

    # ------------------------------------------------------------------ building
    def _field(self, key: str, label: str, amount: bool) -> QLineEdit:
        if amount:
            edit: QLineEdit = self._amount_edit(label)
            edit.committed.connect(lambda _v, key=key: self._save(key))  # type: ignore[attr-defined]
            self.amount_fields.add(key)
        else:
            edit = QLineEdit()
            edit.setAccessibleName(label)
            edit.textEdited.connect(lambda _t, key=key: self._save(key))
        self.fields[key] = edit
        return edit

    def _amount_edit(self, label: str) -> AmountEdit:
        edit = AmountEdit(label)
        edit.setMaximumWidth(220)
        edit.message.connect(self.session.notice.emit)
        return edit

    def _ensure_cost_rows(self, n: int) -> None:
        while len(self.cost_rows) < n:
            i = len(self.cost_rows)
            label = QLineEdit()
            label.setAccessibleName(f"Kostnadspost {i + 1}: benämning")
            label.setPlaceholderText("Kostnadspost")
            amount = self._amount_edit(f"Kostnadspost {i + 1}: belopp i kronor")
            remove = QPushButton("Ta bort")
            remove.setAccessibleName(f"Ta bort kostnadspost {i + 1}")
            label.textEdited.connect(lambda _t: self._save("costs"))
            amount.committed.connect(lambda _v: self._save("costs"))
            remove.clicked.connect(lambda _c=False, i=i: self._remove_cost(i))
            self.cost_layout.addWidget(label, i, 0)
            self.cost_layout.addWidget(amount, i, 1)
            self.cost_layout.addWidget(remove, i, 2)
            self.cost_rows.append((label, amount, remove))
        for i, widgets in enumerate(self.cost_rows):
            for w in widgets:
                w.setVisible(i < n)

    # ------------------------------------------------------------------ editing
    def _current(self) -> FinancialStatement | None:
        """The statement as the fields show it. A field whose text is not an amount (marked
        red there) keeps the amount stored before, so the other fields still save."""
        fin = copy.deepcopy(self.session.report.finance)
        for key, edit in self.fields.items():
            if isinstance(edit, AmountEdit):
                if edit.error is None:
                    setattr(fin, key, edit.amount())
            else:
                setattr(fin, key, edit.text())
        costs = []
        for i, (label, amount, _remove) in enumerate(self.cost_rows[: len(fin.costs)]):
            stored = fin.costs[i].amount
            costs.append(
                CostItem(label.text(), amount.amount() if amount.error is None else stored)
            )
        fin.costs = costs
        return fin

    def _save(self, key: str) -> None:
        if self._updating:
            return
        fin = self._current()
        if fin is not None:
            self.session.set_finance(fin, field=key)

    def _add_cost(self) -> None:
        fin = copy.deepcopy(self.session.report.finance)
        fin.costs.append(CostItem("", None))
        self.session.set_finance(fin, field="costs-add")
        self.cost_rows[len(fin.costs) - 1][0].setFocus()

    def _remove_cost(self, index: int) -> None:
        fin = copy.deepcopy(self.session.report.finance)
        if index < len(fin.costs):
            del fin.costs[index]
            self.session.set_finance(fin, field="costs-remove")

    # ------------------------------------------------------------------ showing
    def refresh(self, changes: Changes) -> None:
        if not changes.finance:
            return
        fin = self.session.report.finance
        self._updating = True
        try:
            for key, edit in self.fields.items():
                value = getattr(fin, key)
                if isinstance(edit, AmountEdit):
                    edit.show_amount(value)  # typed text that means the value stays as typed
                elif edit.text() != (value or ""):
                    edit.setText(value or "")
            self._ensure_cost_rows(len(fin.costs))
            for (label, amount, _r), item in zip(self.cost_rows, fin.costs, strict=False):
                if label.text() != item.label:
                    label.setText(item.label)
                amount.show_amount(item.amount)
        finally:
            self._updating = False
        self.total.setText(fmt_kr(fin.total_costs))
        unspent = fin.unspent
        self.unspent.setText("–" if unspent is None else fmt_kr(unspent))
        self.unspent.setStyleSheet("color: #a4161a;" if unspent is not None and unspent < 0 else "")

    def editing_buttons(self) -> list[QAbstractButton]:
        return [self.add_button, *(remove for _l, _a, remove in self.cost_rows)]

    def focus_location(self, location: Location) -> None:
        key = (location.field or "").removeprefix("finance.")
        if key in self.fields:
            self.fields[key].setFocus(Qt.FocusReason.OtherFocusReason)
        elif key.startswith("costs") and self.cost_rows:
            self.cost_rows[0][0].setFocus(Qt.FocusReason.OtherFocusReason)
