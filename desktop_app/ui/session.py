"""One open report in the GUI: cached state, the undo stack and the edit operations.

Every edit goes through an undoable command that calls a service (which commits at once), then
the session re-reads the report, re-validates and emits ``changed`` with what changed, so each
screen refreshes only what it shows (cf. Anki's CollectionOp / OpChanges)."""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from dataclasses import fields

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from desktop_app.domain.figures import Cell, Number
from desktop_app.domain.finance import FinancialStatement
from desktop_app.domain.report import Contact, Prem, Report
from desktop_app.domain.template import Template
from desktop_app.services import reports
from desktop_app.services.bootstrap import AppContext
from desktop_app.services.reports import Changes, ValidationResult

# Commands with the same merge id and target are merged, so that typing a paragraph is one undo
# step, not one per keystroke.
_MERGE_ANSWER = 1
_MERGE_CONTACT = 2
_MERGE_FINANCE = 3


class _Command(QUndoCommand):
    def __init__(
        self,
        session: ReportSession,
        text: str,
        do: Callable[[], Changes],
        undo: Callable[[], Changes],
        merge_id: int = -1,
        target: str = "",
    ) -> None:
        super().__init__(text)
        self._session = session
        self._do = do
        self._undo = undo
        self._merge_id = merge_id
        self._target = target
        self.applied = False  # already run once by ReportSession._push before the push

    def id(self) -> int:  # noqa: A003 - Qt's name
        return self._merge_id

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 - Qt's name
        if not isinstance(other, _Command) or other._target != self._target:
            return False
        self._do = other._do  # keep our undo (the state before the first keystroke)
        return True

    def redo(self) -> None:
        if self.applied:
            self.applied = False
            return
        self._session._after(self._do())

    def undo(self) -> None:
        self._session._after(self._undo())


class ReportSession(QObject):
    """The open report. Screens read ``report``, ``template`` and ``result``; they change it
    only through the methods below."""

    changed = Signal(object)  # Changes
    saved = Signal()  # an edit reached the database
    failed = Signal(str)  # a Swedish message: an edit was refused
    notice = Signal(str)  # a Swedish line for the status bar only (no box): a note or a mark
    # The database was held by another run past the wait (StorageBusyError): a Swedish
    # message, a retry (runs the same edit again) and a cancel (shows the stored state again).
    busy = Signal(str, object, object)

    def __init__(self, ctx: AppContext, report_id: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.report_id = report_id
        self.undo_stack = QUndoStack(self)
        self.report: Report = reports.get_report(ctx, report_id)
        self.template: Template = reports.template_of(ctx, report_id)
        self.result: ValidationResult = reports.check_report(self.report, ctx.today())

    # ----------------------------------------------------------------- plumbing
    def reload(self) -> None:
        self.report = reports.get_report(self.ctx, self.report_id)
        self.result = reports.check_report(self.report, self.ctx.today())

    def _show_stored(self) -> None:
        """An edit given up: every screen shows what the database holds again."""
        self.reload()
        self.changed.emit(Changes(*(True,) * len(fields(Changes))))

    def _after(self, changes: Changes) -> None:
        self.reload()
        self.saved.emit()
        self.changed.emit(changes)

    def _push(self, cmd: _Command) -> bool:
        """Run a command; a refused edit (UserError) is reported, not pushed."""
        from desktop_app.domain.errors import UserError
        from desktop_app.services.bootstrap import StorageBusyError

        try:
            cmd.redo()
        except StorageBusyError as exc:
            self.busy.emit(str(exc), lambda: self._push(cmd), self._show_stored)
            return False
        except UserError as exc:
            self.failed.emit(str(exc))
            return False
        cmd.applied = True  # QUndoStack.push calls redo(); it has run already
        self.undo_stack.push(cmd)
        return True

    # ----------------------------------------------------------------- edits
    def set_figures(
        self,
        values: Mapping[Cell, Number | None],
        text: str = "Ändra siffror",
        reason: str | None = None,
    ) -> bool:
        """Store figures as one undo step; ``reason``: why values of the RCC's extract are
        changed (kept with them; undo and redo carry it too, so neither is refused)."""
        old = {cell: self.report.figures.get(*cell) for cell in values}
        new = dict(values)
        if old == new:
            return True
        return self._push(
            _Command(
                self,
                text,
                lambda: reports.set_figures(self.ctx, self.report_id, new, reason=reason),
                lambda: reports.set_figures(self.ctx, self.report_id, old, reason=reason),
            )
        )

    def set_answer(self, question_id: str, text: str) -> bool:
        old = self.report.answers.get(question_id, "")
        if old == text:
            return True
        q = self.template.question(question_id)
        return self._push(
            _Command(
                self,
                f"Ändra {q.title if q else question_id}",
                lambda: reports.set_answer(self.ctx, self.report_id, question_id, text),
                lambda: reports.set_answer(self.ctx, self.report_id, question_id, old),
                _MERGE_ANSWER,
                question_id,
            )
        )

    def set_prem(self, prem: Prem) -> bool:
        old = copy.copy(self.report.prem)
        if old == prem:
            return True
        return self._push(
            _Command(
                self,
                "Ändra PREM",
                lambda: reports.set_prem(self.ctx, self.report_id, prem, base=old),
                lambda: reports.set_prem(self.ctx, self.report_id, old, base=prem),
            )
        )

    def set_contact(self, contact: Contact, field: str = "") -> bool:
        old = copy.copy(self.report.contact)
        if old == contact:
            return True
        return self._push(
            _Command(
                self,
                "Ändra kontaktuppgifter",
                lambda: reports.set_contact(self.ctx, self.report_id, contact, base=old),
                lambda: reports.set_contact(self.ctx, self.report_id, old, base=contact),
                _MERGE_CONTACT,
                field,
            )
        )

    def set_finance(self, finance: FinancialStatement, field: str = "") -> bool:
        old = copy.deepcopy(self.report.finance)
        if old == finance:
            return True
        return self._push(
            _Command(
                self,
                "Ändra ekonomisk redovisning",
                lambda: reports.set_finance(self.ctx, self.report_id, finance, base=old),
                lambda: reports.set_finance(self.ctx, self.report_id, old, base=finance),
                _MERGE_FINANCE,
                field,
            )
        )

    def apply_import(self, preview: object) -> bool:
        """Store a previewed import (services.imports.ImportPreview) as one undo step; undo
        puts back what the report held when the import was stored (services.imports
        .store_import compares again inside its transaction)."""
        from desktop_app.services import imports

        p = preview  # ImportPreview
        stored: list[object] = [p]  # the last stored import, as store_import returned it
        old_prem = copy.copy(self.report.prem)

        def do() -> Changes:
            stored[0] = imports.store_import(self.ctx, p)  # type: ignore[arg-type]
            return Changes(figures=True, prem=True)

        def undo() -> Changes:
            applied = stored[0]
            old_figs = {c.cell: c.old for c in applied.changes if isinstance(c.cell, tuple)}  # type: ignore[attr-defined]
            reports.set_figures(self.ctx, self.report_id, old_figs)
            reports.set_prem(self.ctx, self.report_id, old_prem)
            return Changes(figures=True, prem=True)

        return self._push(
            _Command(
                self,
                f"Import från {p.source}",  # type: ignore[attr-defined]
                do,
                undo,
            )
        )
