"""A patient-level SVF list to the report's figures, in the window (issue 16): choose the file,
map its columns (remembered per file layout), read and compute it off the UI thread with
progress and Avbryt, review the figures old → new, apply them as one undoable step.

The screens hold no rule: the mapping is checked by domain.patients, the reading and the
figures come from services.patients. No identity number reaches a widget: the review shows
counts and row numbers only."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QSettings, Qt
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressDialog,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.domain.errors import UserError
from desktop_app.domain.figures import Cell, Number
from desktop_app.domain.fmt import fmt_int
from desktop_app.domain.patients import (
    FIELD_LABELS,
    FIELDS,
    ColumnMapping,
    MappingError,
    mapping_from_dict,
)
from desktop_app.domain.template import Template
from desktop_app.domain.vocabulary import EndReason, label
from desktop_app.services.bootstrap import AppContext
from desktop_app.services.patients import (
    PatientPreview,
    apply_patient_figures,
    column_values,
    headers_of,
    preview_patient_list,
)
from desktop_app.services.reports import Changes
from desktop_app.ui.session import ReportSession
from desktop_app.ui.widgets.dialog_fit import FittedDialog
from desktop_app.ui.workers import Worker, db_pool

NO_COLUMN = "(ingen kolumn)"
CODE_MAPS = (
    ("sex", "Koder för kön", "t.ex. K=kvinnor; M=man"),
    ("end_reason", "Koder för avslut", "t.ex. 1=treatment; 2=written_off; 3=other"),
    ("treatment_type", "Koder för behandlingstyp", "t.ex. KIR=kirurgi; STR=stralbehandling"),
)
SETTINGS_GROUP = "patientlista/mappning"


def layout_key(headers: list[str]) -> str:
    """The key under which a mapping is remembered: the file's column headers."""
    text = "\x1f".join(h.strip().casefold() for h in headers)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def remembered_mapping(headers: list[str]) -> dict[str, Any] | None:
    value = QSettings().value(f"{SETTINGS_GROUP}/{layout_key(headers)}")
    if not isinstance(value, str):
        return None
    try:
        data = json.loads(value)
    except json.JSONDecodeError:
        return None
    return data if isinstance(data, dict) else None


def remember_mapping(headers: list[str], mapping: ColumnMapping) -> None:
    QSettings().setValue(
        f"{SETTINGS_GROUP}/{layout_key(headers)}", json.dumps(mapping.to_dict(), ensure_ascii=False)
    )


def _codes_text(codes: dict[str, Any]) -> str:
    return "; ".join(f"{k}={v}" for k, v in codes.items())


def _parse_codes(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for part in text.replace("\n", ";").split(";"):
        if not part.strip():
            continue
        if "=" not in part:
            raise MappingError(f"'{part.strip()}' ska skrivas kod=värde.")
        code, value = part.split("=", 1)
        out[code.strip()] = value.strip()
    return out


ColumnValues = Callable[[str], tuple[list[str], int, bool]]
NOT_MAPPED = "(ingen – läses som mallens id eller namn)"


def code_targets(tpl: Template, key: str) -> list[tuple[str, str]]:
    """(value, label) a code of ``key`` may map to."""
    if key == "sex":
        return [(x.id, x.label) for x in tpl.sexes]
    if key == "end_reason":
        return [(e.value, label(e)) for e in EndReason]
    return [(t.id, t.label) for t in _types(tpl)]


class CodePickDialog(FittedDialog):
    """The distinct values of a column of the file, each mapped to one of the template's values
    with a list (instead of typing ``K=kvinnor; M=man``)."""

    def __init__(
        self,
        title: str,
        values: list[str],
        more: bool,
        hidden: int,
        targets: list[tuple[str, str]],
        current: dict[str, str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        notes = [f"{fmt_int(len(values))} olika värden i kolumnen. Välj vad vart och ett betyder."]
        if more:
            notes.append(
                f"Kolumnen har fler än {fmt_int(len(values))} olika värden – är det rätt kolumn?"
            )
        if hidden:
            notes.append(f"{fmt_int(hidden)} värden som liknar personnummer visas inte.")
        intro = QLabel(" ".join(notes))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        # Up to 60 values: the list scrolls, so the buttons stay on a laptop's screen.
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        inner = QWidget()
        form = QFormLayout(inner)
        scroll.setWidget(inner)
        self.combos: dict[str, QComboBox] = {}
        by_label = {lbl.casefold(): v for v, lbl in targets} | {v.casefold(): v for v, _ in targets}
        for value in values:
            combo = QComboBox()
            combo.addItem(NOT_MAPPED, "")
            for target, text in targets:
                combo.addItem(f"{text} ({target})", target)
            chosen = current.get(value) or by_label.get(value.casefold(), "")
            combo.setCurrentIndex(max(0, combo.findData(chosen)))
            combo.setAccessibleName(f"Värdet {value}")
            self.combos[value] = combo
            form.addRow(f"”{value}”", combo)
        layout.addWidget(scroll, 1)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Avbryt")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def choose(self, value: str, target: str) -> None:
        """Map ``value`` to ``target`` (as a user picks it in the list)."""
        combo = self.combos[value]
        combo.setCurrentIndex(max(0, combo.findData(target)))

    def codes(self) -> dict[str, str]:
        return {v: c.currentData() for v, c in self.combos.items() if c.currentData()}


class PatientMappingDialog(FittedDialog):
    """Which column of the file is which of our fields, and how its codes map (typed, or picked
    from the column's own values with ``Välj ur filen…``)."""

    def __init__(
        self,
        headers: list[str],
        tpl: Template,
        parent: QWidget | None = None,
        column_values: ColumnValues | None = None,
    ) -> None:
        super().__init__(parent)
        self.column_values = column_values
        self.code_dialog: CodePickDialog | None = None
        self.headers = headers
        self.tpl = tpl
        self.mapping: ColumnMapping | None = None
        self.setWindowTitle("Kolumner i patientlistan")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Ange vilken kolumn i filen som innehåller varje uppgift. Personnumren ersätts med "
            "en nyckelkod när filen läses och sparas aldrig. Mappningen kommer ihåg till nästa "
            "fil med samma kolumner."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.combos: dict[str, QComboBox] = {}
        for f in FIELDS:
            combo = QComboBox()
            combo.addItem(NO_COLUMN, "")
            for h in headers:
                if h:
                    combo.addItem(h, h)
            combo.setAccessibleName(FIELD_LABELS[f])
            self.combos[f] = combo
            form.addRow(FIELD_LABELS[f], combo)
        self.codes: dict[str, QLineEdit] = {}
        self.pick_buttons: dict[str, QPushButton] = {}
        for key, title, hint in CODE_MAPS:
            edit = QLineEdit()
            edit.setPlaceholderText(hint)
            edit.setAccessibleName(title)
            self.codes[key] = edit
            pick = QPushButton("Välj ur filen…")
            pick.setToolTip("Välj vad varje värde i kolumnen betyder, ur filens egna värden.")
            pick.setEnabled(column_values is not None)
            pick.clicked.connect(lambda _=False, k=key, t=title: self.pick_codes(k, t))
            self.pick_buttons[key] = pick
            row = QHBoxLayout()
            row.addWidget(edit, 1)
            row.addWidget(pick)
            form.addRow(title, row)
        layout.addLayout(form)
        types = ", ".join(f"{t.id} ({t.label.lower()})" for t in _types(tpl))
        hint = QLabel(f"Behandlingstyper i mallen: {types}.")
        hint.setWordWrap(True)
        hint.setObjectName("hint")
        layout.addWidget(hint)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #a4262c;")
        self.error.hide()
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox()
        self.read_button = self.buttons.addButton(
            "Läs listan", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.addButton("Avbryt", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._prefill()

    def _prefill(self) -> None:
        data = remembered_mapping(self.headers)
        if data is not None:
            for f, header in data.get("columns", {}).items():
                if f in self.combos:
                    self.select(f, header)
            for key, edit in self.codes.items():
                edit.setText(_codes_text(data.get(key, {})))
            return
        for f, combo in self.combos.items():  # a header that names the field
            label = FIELD_LABELS[f].casefold()
            for i in range(1, combo.count()):
                h = combo.itemText(i).casefold()
                if h == f or h in label or label.startswith(h):
                    combo.setCurrentIndex(i)
                    break

    def select(self, field: str, header: str) -> None:
        """Choose the column ``header`` for ``field`` (as a user picks it in the list)."""
        combo = self.combos[field]
        i = combo.findData(header)
        combo.setCurrentIndex(max(i, 0))

    def set_codes(self, key: str, text: str) -> None:
        self.codes[key].setText(text)

    def pick_codes(self, key: str, title: str) -> None:
        """Open the list of the column's distinct values for ``key``; OK writes the codes."""
        header = self.combos[key].currentData()
        if not header or self.column_values is None:
            self._show_error(f"Välj först kolumnen för {FIELD_LABELS[key].lower()}.")
            return
        try:
            values, hidden, more = self.column_values(header)
            current = _parse_codes(self.codes[key].text())
        except (UserError, MappingError) as exc:
            self._show_error(str(exc))
            return
        dialog = CodePickDialog(
            f"{title} – kolumnen {header}", values, more, hidden,
            code_targets(self.tpl, key), current, self,
        )  # fmt: skip
        dialog.accepted.connect(lambda: self.codes[key].setText(_codes_text(dialog.codes())))
        self.code_dialog = dialog
        dialog.open()

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def _accept(self) -> None:
        try:
            data: dict[str, Any] = {
                "columns": {f: c.currentData() for f, c in self.combos.items() if c.currentData()}
            }
            for key, edit in self.codes.items():
                data[key] = _parse_codes(edit.text())
            mapping = mapping_from_dict(data, self.tpl)
        except MappingError as exc:
            self._show_error(str(exc))
            return
        self.mapping = mapping
        remember_mapping(self.headers, mapping)
        self.accept()


def _types(tpl: Template) -> tuple[Any, ...]:
    return tpl.patient_list.treatment_types if tpl.patient_list else ()


RECOMPUTE = 2  # the review's result code: read again with the lead times entered


class PatientReviewDialog(FittedDialog):
    """The figures from the list against the report's (old → new), and what was left out; a
    lead time the template lacks may be entered as a marked override (then read again)."""

    def __init__(
        self,
        preview: PatientPreview,
        tpl: Template,
        parent: QWidget | None,
        overrides: dict[tuple[str, str], int] | None = None,
    ) -> None:
        super().__init__(parent)
        self.preview = preview
        self.tpl = tpl
        self.overrides_in_use = dict(overrides or {})
        self.setWindowTitle("Granska siffrorna från patientlistan")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.resize(900, 680)
        layout = QVBoxLayout(self)
        r = preview.result
        order = {cell: i for i, cell in enumerate(tpl.cells())}
        changes = sorted(
            ((c, old, new) for c, old, new in preview.changes() if old != new),
            key=lambda change: order.get(change[0], len(order)),
        )
        self.changed = changes
        type_labels = {t.id: t.label.lower() for t in _types(tpl)}
        lines = [
            f"<b>{fmt_int(len(changes))} värden ändras</b> om du för in siffrorna.",
            f"{fmt_int(preview.rows)} rader lästa, {fmt_int(r.pathways)} förlopp räknade.",
            f"{fmt_int(len(r.rejected))} rader kunde inte läsas och är inte med.",
            f"{fmt_int(len(r.duplicate_rows))} dubbletter (samma person, SVF och datum) "
            "räknades en gång.",
            f"{fmt_int(len(r.other_region_rows))} förlopp avslutades i en annan region och "
            "räknas där.",
        ]
        for m in r.missing_lead_time:
            svf = tpl.svf(m.svf_id)
            lines.append(
                f"Ledtid saknas för {svf.name if svf else m.svf_id}, "
                f"{type_labels.get(m.treatment, m.treatment)}: "
                f"{fmt_int(m.rows)} förlopp räknas som inkluderade men inte i ledtidsmåtten."
            )
        lines += [f"<b>{override_text(tpl, k, d)}</b>" for k, d in self.overrides_in_use.items()]
        self.summary = QLabel("<br>".join(lines))
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.table = QTableWidget(len(changes), 4)
        self.table.setHorizontalHeaderLabels(["SVF", "Uppgift", "Före", "Efter"])
        self.table.setAccessibleName("Siffror som ändras")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        for row, ((s, m, x), old, new) in enumerate(changes):
            svf, measure, sex = tpl.svf(s), tpl.measure(m), tpl.sex(x)
            texts = [
                svf.name if svf else s,
                f"{measure.label if measure else m} – {sex.label.lower() if sex else x}",
                "(tom)" if old is None else _num(old),
                _num(new),
            ]
            for col, text in enumerate(texts):
                item = QTableWidgetItem(text)
                if col >= 2:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(row, col, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.table, 1)
        self._build_overrides(layout)
        self.rejected_button = QPushButton("Spara lista över olästa rader…")
        self.rejected_button.setEnabled(bool(r.rejected))
        self.rejected_button.clicked.connect(self._save_rejected)
        layout.addWidget(self.rejected_button)
        from PySide6.QtWidgets import QCheckBox

        self.all_or_nothing = QCheckBox("Allt eller inget: för inte in något om någon rad är oläst")
        self.all_or_nothing.setEnabled(bool(r.rejected))
        self.all_or_nothing.toggled.connect(self._update_apply)
        layout.addWidget(self.all_or_nothing)
        self.buttons = QDialogButtonBox()
        self.apply_button = self.buttons.addButton(
            "För in siffrorna", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self._update_apply()
        self.buttons.addButton("Avbryt", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def _build_overrides(self, layout: QVBoxLayout) -> None:
        """A row per SVF and treatment without a lead time (or with an override already): the
        days to use instead, marked as not the template's."""
        from PySide6.QtWidgets import QGridLayout, QGroupBox, QSpinBox

        keys = [(m.svf_id, m.treatment) for m in self.preview.result.missing_lead_time]
        keys += [k for k in self.overrides_in_use if k not in keys]
        self.override_boxes: dict[tuple[str, str], QSpinBox] = {}
        self.recompute_button = QPushButton("Räkna om med egna ledtider")
        if not keys:
            return
        group = QGroupBox("Egen ledtid där mallen saknar en (markeras som inte mallens)")
        grid = QGridLayout(group)
        grid.setContentsMargins(8, 4, 8, 4)
        grid.setVerticalSpacing(2)
        type_labels = {t.id: t.label.lower() for t in _types(self.tpl)}
        for i, (svf_id, treatment) in enumerate(keys):
            box = QSpinBox()
            box.setRange(0, 365)
            box.setSpecialValueText("(ingen)")
            box.setSuffix(" dagar")
            box.setFixedWidth(100)
            box.setValue(self.overrides_in_use.get((svf_id, treatment), 0))
            svf = self.tpl.svf(svf_id)
            text = f"{svf.name if svf else svf_id}, {type_labels.get(treatment, treatment)}"
            box.setAccessibleName(f"Egen ledtid för {text}")
            self.override_boxes[(svf_id, treatment)] = box
            row, col = divmod(i, 2)
            grid.addWidget(QLabel(text), row, 3 * col)
            grid.addWidget(box, row, 3 * col + 1)
        grid.setColumnStretch(2, 1)
        grid.setColumnMinimumWidth(2, 16)
        grid.addWidget(self.recompute_button, (len(keys) + 1) // 2, 3, 1, 2)
        self.recompute_button.clicked.connect(lambda: self.done(RECOMPUTE))
        layout.addWidget(group)

    def overrides(self) -> dict[tuple[str, str], int]:
        """The lead times entered (0 = none)."""
        return {k: b.value() for k, b in self.override_boxes.items() if b.value() > 0}

    def _update_apply(self) -> None:
        blocked = self.all_or_nothing.isChecked() and bool(self.preview.result.rejected)
        self.apply_button.setEnabled(bool(self.changed) and not blocked)

    def ask_rejected_path(self) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(
            self, "Spara olästa rader", "olasta-rader.csv", "CSV-fil (*.csv)"
        )
        return Path(name) if name else None

    def _save_rejected(self) -> None:
        path = self.ask_rejected_path()
        if path is not None:
            save_rejected(path, self.preview)


def override_text(tpl: Template, key: tuple[str, str], days: int) -> str:
    svf_id, treatment = key
    svf = tpl.svf(svf_id)
    kind = {t.id: t.label.lower() for t in _types(tpl)}.get(treatment, treatment)
    name = svf.name if svf else svf_id
    return f"Egen ledtid (inte mallens): {name}, {kind}: {fmt_int(days)} dagar."


def save_rejected(path: Path, preview: PatientPreview) -> None:
    """The rows that could not be read: row number and reason, never an identity number."""
    import csv

    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh, delimiter=";")
        w.writerow(["Rad", "Orsak"])
        w.writerows([r.row, r.reason] for r in preview.result.rejected)


def _num(value: Number) -> str:
    return fmt_int(value) if float(value).is_integer() else f"{value:.1f}".replace(".", ",")


class _ApplyCommand(QUndoCommand):
    """Applying a list's figures as one undo step; undo puts every old value back."""

    def __init__(
        self, session: ReportSession, new: dict[Cell, Number | None], old: dict[Cell, Number | None]
    ) -> None:
        super().__init__("Siffror från patientlista")
        self.session = session
        self.new, self.old = new, old
        self.first = True

    def _run(self, fn: Callable[[], Changes]) -> None:
        changes = fn()
        self.session.reload()
        self.session.saved.emit()
        self.session.changed.emit(changes)

    def redo(self) -> None:
        if self.first:  # already applied before the push (a refusal is then never pushed)
            self.first = False
            return
        s = self.session
        self._run(lambda: apply_patient_figures(s.ctx, s.report_id, self.new))

    def undo(self) -> None:
        s = self.session
        self._run(lambda: apply_patient_figures(s.ctx, s.report_id, self.old))


def _preview_job(
    worker: Worker,
    ctx: AppContext,
    report_id: int,
    path: Path,
    mapping: ColumnMapping,
    overrides: dict[tuple[str, str], int],
) -> PatientPreview:
    def progress(done: int, total: int) -> None:
        percent = int(100 * done / total) if total else -1
        worker.progress(percent, f"{fmt_int(done)} rader lästa")

    return preview_patient_list(ctx, report_id, path, mapping, overrides, progress=progress)


class PatientListImport(QObject):
    """The flow from the SVF figures step: file → mapping → reading → review → apply."""

    def __init__(
        self,
        session: ReportSession,
        parent: QWidget,
        notify: Callable[[str, bool], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.notify = notify
        self.parent_widget = parent
        self.mapping_dialog: PatientMappingDialog | None = None
        self.review: PatientReviewDialog | None = None
        self.waits_dialog: QDialog | None = None
        self.progress: QProgressDialog | None = None
        self.worker: Worker | None = None
        self.path: Path | None = None
        self.mapping: ColumnMapping | None = None
        self.overrides: dict[tuple[str, str], int] = {}
        self.message = ""

    def ask_path(self) -> Path | None:
        """The file chooser (tests replace this method)."""
        name, _ = QFileDialog.getOpenFileName(
            self.parent_widget,
            "Patientlista",
            "",
            "Excel- eller CSV-fil (*.xlsx *.xlsm *.csv *.txt)",
        )
        return Path(name) if name else None

    def start(self, path: Path | None = None) -> None:
        path = path or self.ask_path()
        if path is None:
            return
        try:
            headers = headers_of(path, self.session.template)
        except UserError as exc:
            self._fail(str(exc))
            return
        self.path = path
        tpl = self.session.template
        dialog = PatientMappingDialog(
            headers, tpl, self.parent_widget, lambda h: column_values(path, tpl, h)
        )
        dialog.accepted.connect(self._mapped)
        self.mapping_dialog = dialog
        dialog.open()

    def _mapped(self) -> None:
        dialog = self.mapping_dialog
        if dialog is None or dialog.mapping is None or self.path is None:
            return
        self.mapping = dialog.mapping
        self.overrides = {}
        self._read()

    def _read(self) -> None:
        """Read and compute the list off the UI thread, with progress and Avbryt."""
        if self.mapping is None or self.path is None:
            return
        s = self.session
        worker = Worker(
            _preview_job, s.ctx, s.report_id, self.path, self.mapping, dict(self.overrides),
            pass_worker=True,
        )  # fmt: skip
        progress = QProgressDialog(
            f"Läser {self.path.name} …", "Avbryt", 0, 100, self.parent_widget
        )
        progress.setWindowTitle("Patientlista")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(0)
        progress.canceled.connect(self.cancel)
        worker.signals.progress.connect(self._progress)
        worker.signals.result.connect(self._ready)
        worker.signals.error.connect(lambda exc: self._fail(_message(exc)))
        worker.signals.finished.connect(self._finished)
        self.progress, self.worker = progress, worker
        progress.show()
        worker.start(db_pool())

    def _progress(self, percent: int, label: str) -> None:
        if self.progress is not None:
            if percent < 0:
                self.progress.setRange(0, 0)
            else:
                self.progress.setValue(percent)
            self.progress.setLabelText(label)

    def cancel(self) -> None:
        if self.worker is not None:
            self.worker.cancel()
            self.worker = None
            self._tell("Inläsningen avbröts. Inget har ändrats.")

    def _finished(self) -> None:
        if self.progress is not None:
            self.progress.canceled.disconnect(self.cancel)
            self.progress.close()
            self.progress = None
        self.worker = None

    def _ready(self, preview: PatientPreview) -> None:
        dialog = PatientReviewDialog(
            preview, self.session.template, self.parent_widget, self.overrides
        )
        dialog.accepted.connect(self._apply)
        dialog.finished.connect(self._reviewed)
        self.review = dialog
        dialog.open()

    def _reviewed(self, result: int) -> None:
        """Read again with the lead times entered in the review."""
        if result == RECOMPUTE and self.review is not None:
            self.overrides = self.review.overrides()
            self.review = None
            self._read()

    def _apply(self) -> None:
        dialog = self.review
        if dialog is None:
            return
        new: dict[Cell, Number | None] = {c: v for c, _, v in dialog.changed}
        old: dict[Cell, Number | None] = {c: o for c, o, _ in dialog.changed}
        s = self.session
        cmd = _ApplyCommand(s, new, old)
        waits = dialog.preview.result.long_waits
        name = self.path.name if self.path else "patientlistan"
        note = " ".join(
            [f"Siffror beräknade från patientlistan {name}."]
            + [override_text(s.template, k, d) for k, d in sorted(self.overrides.items())]
        )
        try:
            cmd._run(lambda: apply_patient_figures(s.ctx, s.report_id, new, note, long_waits=waits))
        except UserError as exc:
            self._fail(str(exc))
            return
        s.undo_stack.push(cmd)
        self._tell(f"{fmt_int(len(new))} värden beräknade från patientlistan. Ångra med Ctrl+Z.")

    def show_long_waits(self) -> None:
        from desktop_app.ui.patients_waits import LongWaitsDialog

        dialog = LongWaitsDialog(self.session, self.parent_widget)
        self.waits_dialog = dialog
        dialog.open()

    def _tell(self, text: str, error: bool = False) -> None:
        self.message = text
        if self.notify is not None:
            self.notify(text, error)

    def _fail(self, text: str) -> None:
        self._tell(text, True)


def _message(exc: object) -> str:
    if isinstance(exc, UserError):
        return str(exc)
    return f"Listan kunde inte läsas på grund av ett oväntat fel ({type(exc).__name__}). Inget har ändrats."


COMPUTE_BUTTON = "computeFromPatientList"


def patient_list_buttons(
    session: ReportSession, page: QWidget, notify: Callable[[str, bool], None]
) -> tuple[QWidget, PatientListImport]:
    """The two buttons of the SVF figures step: compute from a list; the longest waits."""
    from PySide6.QtWidgets import QHBoxLayout

    flow = PatientListImport(session, page, notify)
    box = QWidget(page)
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    compute = QPushButton("Beräkna från &patientlista…")
    compute.setObjectName(COMPUTE_BUTTON)  # disabled while the report is locked
    compute.setToolTip("Räkna fram siffrorna från regionens patientlista (.xlsx eller .csv).")
    compute.clicked.connect(lambda: flow.start())
    waits = QPushButton("De &längsta väntetiderna…")
    waits.setToolTip("Förloppen över 175 % av ledtiden i den införda patientlistan, med orsaker.")
    waits.clicked.connect(flow.show_long_waits)
    row.addWidget(compute)
    row.addWidget(waits)
    return box, flow
