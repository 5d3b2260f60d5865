"""Workers get values, not widgets: each job a screen hands to a worker runs to a result in a
plain thread (not Qt's pool) after the screen that started it has been deleted; a job that
closes over a widget is refused when it is made; a widget touched off the GUI thread fails."""

from __future__ import annotations

import threading
import types
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from desktop_app.services import reports
from desktop_app.services.demo import create_demo
from desktop_app.ui import workers
from desktop_app.ui.workers import OffGuiThreadError, Worker
from tests.helpers.signed_demo import PASSWORD, signed_demo_pdfs


@pytest.fixture(scope="session")
def signed_demo(pytestconfig, tmp_path_factory):
    return signed_demo_pdfs(pytestconfig, tmp_path_factory)


class Captured:
    """While ``on``, Worker.start keeps the worker here instead of running it."""

    def __init__(self) -> None:
        self.on = False
        self.workers: list[Worker] = []

    def take(self) -> Worker:
        assert self.workers, "the screen started no worker"
        worker = self.workers.pop()
        assert not self.workers, "the screen started more than one worker"
        return worker


@pytest.fixture
def captured(monkeypatch):
    box = Captured()
    real_start = Worker.start

    def start(self, pool=None):
        if box.on:
            box.workers.append(self)
            return self
        return real_start(self, pool)

    monkeypatch.setattr(Worker, "start", start)
    return box


def run_in_plain_thread(qtbot, worker: Worker) -> dict:
    """Run ``worker``'s job in a threading.Thread and return {'result': …} or {'error': …}."""
    got: dict = {}
    worker.signals.result.connect(lambda value: got.setdefault("result", value))
    worker.signals.error.connect(lambda exc: got.setdefault("error", exc))
    worker.signals.cancelled.connect(lambda: got.setdefault("cancelled", True))
    thread = threading.Thread(target=worker.run, name="plain-test-thread")
    thread.start()
    thread.join(120)
    assert not thread.is_alive()
    qtbot.waitUntil(lambda: bool(got), timeout=10_000)  # delivered on the GUI thread
    return got


def finished_ok(got: dict) -> object:
    assert "error" not in got, repr(got.get("error"))
    return got["result"]


def rcc_view(qtbot, ctx):
    from desktop_app.ui.rcc_view import RccView

    view = RccView(ctx)
    qtbot.waitUntil(lambda: not view.loading, timeout=60_000)
    return view


def test_a_job_closing_over_a_widget_is_refused(qtbot):
    edit = QLineEdit("hej")
    with pytest.raises(TypeError, match="QLineEdit"):
        Worker(lambda: edit.text())
    with pytest.raises(TypeError, match="QLineEdit"):
        Worker(len, [edit])
    edit.deleteLater()


def test_a_widget_touched_off_the_gui_thread_fails(qtbot, widget_violations):
    edit = QLineEdit("hej")
    # A namespace is not looked into when the worker is made: the guard must catch the read.
    holder = types.SimpleNamespace(edit=edit)
    got = run_in_plain_thread(qtbot, Worker(lambda h: h.edit.text(), holder))
    assert isinstance(got["error"], OffGuiThreadError)
    assert widget_violations == ["QLineEdit.text on thread plain-test-thread"]
    widget_violations.clear()  # expected here; any other test with one fails
    errors: list[BaseException] = []
    thread = threading.Thread(target=_record, args=(errors, workers.assert_gui_thread))
    thread.start()
    thread.join()
    assert isinstance(errors[0], OffGuiThreadError)
    workers.assert_gui_thread()  # on the GUI thread: fine
    edit.deleteLater()


def _record(errors: list[BaseException], fn) -> None:
    try:
        fn()
    except BaseException as exc:  # noqa: BLE001
        errors.append(exc)


def test_rcc_jobs_run_without_the_view(qtbot, ctx, tmp_path, monkeypatch, captured):
    garbage = tmp_path / "inte-en-pdf.pdf"
    garbage.write_bytes(b"nothing signed here")

    view = rcc_view(qtbot, ctx)
    captured.on = True
    view.reload()
    load = captured.take()
    shiboken6.delete(view)
    snapshot = finished_ok(run_in_plain_thread(qtbot, load))
    assert snapshot.result.scope.id == snapshot.inputs.scope

    captured.on = False
    view = rcc_view(qtbot, ctx)
    captured.on = True
    view.payment_table.item(0, 1).setText("2500000")  # a population edit, then a compilation
    edit = captured.take()
    shiboken6.delete(view)
    snapshot = finished_ok(run_in_plain_thread(qtbot, edit))
    assert snapshot.message is None and any(p.edited for p in snapshot.result.populations)

    captured.on = False
    view = rcc_view(qtbot, ctx)
    captured.on = True
    view.import_paths([garbage])
    job = captured.take()
    shiboken6.delete(view)
    (entry,) = finished_ok(run_in_plain_thread(qtbot, job))
    assert entry.file_name == garbage.name

    captured.on = False
    view = rcc_view(qtbot, ctx)
    captured.on = True
    xlsx = tmp_path / "sammanstallning.xlsx"
    monkeypatch.setattr(view, "ask_save", lambda kind: xlsx)
    qtbot.mouseClick(view.export_xlsx_button, Qt.MouseButton.LeftButton)
    job = captured.take()
    shiboken6.delete(view)
    finished_ok(run_in_plain_thread(qtbot, job))
    assert xlsx.exists()


def test_review_export_runs_without_the_window(qtbot, ctx, tmp_path, monkeypatch, captured):
    from desktop_app.ui.main_window import MainWindow

    create_demo(ctx)
    rid = next(r.id for r in reports.list_reports(ctx) if r.region.code == "24")
    window = MainWindow(ctx)
    window.open_report(rid)
    review = window.report_view.go_to_step("granska")
    out = tmp_path / "export.pdf"
    monkeypatch.setattr(review, "ask_export_path", lambda: out)
    captured.on = True
    qtbot.mouseClick(review.export_button, Qt.MouseButton.LeftButton)
    job = captured.take()
    shiboken6.delete(window)
    result = finished_ok(run_in_plain_thread(qtbot, job))
    assert Path(result.pdf).exists() and out.with_suffix(".xlsx").exists()


def test_signing_and_verifying_run_without_the_dialogs(qtbot, ctx, tmp_path, captured, signed_demo):
    from desktop_app.ui.signing_ui import CertifyDialog, SignDialog, VerifyDialog

    captured.on = True
    dialog = CertifyDialog(ctx, signed_demo.unsigned["24"])
    dialog.alt1.setChecked(True)  # nothing is preselected: the finance chief chooses
    dialog.name.setText("Eva Ekonom")
    dialog.title.setText("Ekonomidirektör")
    dialog.phone.setText("090-785 00 00")
    dialog.email.setText("eva.ekonom@example.se")
    dialog.signer_box.p12_path.setText(str(signed_demo.chef_p12))
    dialog.signer_box.p12_password.setText(PASSWORD)
    dialog.out.setText(str(tmp_path / "intygad.pdf"))
    qtbot.mouseClick(dialog.action_button, Qt.MouseButton.LeftButton)
    job = captured.take()
    shiboken6.delete(dialog)
    certified = finished_ok(run_in_plain_thread(qtbot, job))
    assert Path(certified).exists()

    dialog = SignDialog(ctx, Path(certified))
    dialog.name.setText("Rolf Regiondirektor")
    dialog.signer_box.p12_path.setText(str(signed_demo.rep_p12))
    dialog.signer_box.p12_password.setText(PASSWORD)
    dialog.out.setText(str(tmp_path / "signerad.pdf"))
    qtbot.mouseClick(dialog.action_button, Qt.MouseButton.LeftButton)
    job = captured.take()
    shiboken6.delete(dialog)
    signed = finished_ok(run_in_plain_thread(qtbot, job))

    dialog = VerifyDialog(ctx, [Path(signed)])
    job = captured.take()
    shiboken6.delete(dialog)
    (result,) = finished_ok(run_in_plain_thread(qtbot, job))
    assert result.certified and result.represented
