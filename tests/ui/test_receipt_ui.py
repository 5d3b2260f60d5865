"""The round through the screens (issue 11, points 6-8): the RCC issues a kvittens from its
inbox and makes the package; the coordinator imports the kvittens on the main window (menu
and drop) and sees "Mottagen av RCC …" on the report; a return shows the reason and offers
to unlock; Granska och skicka marks the report as sent and names the RCC."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

from desktop_app.services import receipts
from desktop_app.signing import open_signer
from desktop_app.ui.main_window import MainWindow
from tests.helpers.round_trip import make_round
from tests.helpers.signed_demo import PASSWORD


@pytest.fixture(scope="module")
def round_(tmp_path_factory):
    r = make_round(tmp_path_factory.mktemp("round-ui"))
    yield r
    r.close()


def _window(qtbot, ctx) -> MainWindow:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    return window


def _issue(round_, out: Path, reason: str | None = None) -> Path:
    signer = open_signer(round_.rcc_p12, PASSWORD)
    receipts.issue_receipt(round_.rcc_ctx, round_.entry_id, signer, out, reason)
    return out


def _review(window):
    return window.report_view.go_to_step("granska")


def test_import_from_the_menu_shows_received_by_rcc(qtbot, round_, monkeypatch):
    kvittens = _issue(round_, round_.dir / "kvittens-ui.pdf")
    window = _window(qtbot, round_.region_ctx)
    monkeypatch.setattr(window, "ask_open_file", lambda *a: kvittens)
    action = next(
        a for a in window.menuBar().actions()[0].menu().actions() if "kvittens" in a.text()
    )
    action.trigger()
    dialog = window.receipt_dialog
    assert dialog.isVisible() and "Mottagen av RCC Norr" in dialog.line.text()
    assert dialog.unlock_button is None
    review = _review(window)
    assert window.report_view.session.report_id == round_.report_id
    assert "Mottagen av RCC Norr" in review.receipt_status.text()


def test_a_return_shows_the_reason_and_unlocks_a_new_version(qtbot, round_, monkeypatch):
    retur = _issue(round_, round_.dir / "retur-ui.pdf", "PREM-uppgifterna saknas.")
    window = _window(qtbot, round_.region_ctx)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(retur))])
    event = QDropEvent(
        QPointF(20, 20),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(event)
    dialog = window.receipt_dialog
    assert "PREM-uppgifterna saknas." in dialog.reason.text()
    assert "Återsänd för komplettering av RCC Norr" in dialog.line.text()
    assert "PREM-uppgifterna saknas." in _review(window).receipt_status.text()
    assert dialog.unlock_button is not None
    monkeypatch.setattr(window, "confirm", lambda *a: True)
    qtbot.mouseClick(dialog.unlock_button, Qt.MouseButton.LeftButton)
    assert "version 2" in window.report_view.title.text()
    review = _review(window)
    assert "gäller version 1" in review.receipt_status.text()


def test_a_dropped_pdf_that_is_no_receipt_is_refused(qtbot, round_):
    window = _window(qtbot, round_.region_ctx)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(round_.signed_pdf))])
    window.dropEvent(
        QDropEvent(
            QPointF(20, 20),
            Qt.DropAction.CopyAction,
            mime,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        )
    )
    assert "ingen kvittens" in window.error_box.text()


def test_another_reports_receipt_is_refused_with_the_reason(qtbot, round_, ctx):
    kvittens = _issue(round_, round_.dir / "kvittens-annan.pdf")
    window = _window(qtbot, ctx)  # a database that never exported the report
    assert window.import_receipt(kvittens) is None
    assert "gäller en annan redovisning" in window.error_box.text()


def test_review_marks_sent_names_the_rcc_and_shows_the_folder(qtbot, ctx, tmp_path, monkeypatch):
    from desktop_app.services.demo import create_demo
    from desktop_app.services.reports import list_reports

    create_demo(ctx)
    ids = {r.region.code: r.id for r in list_reports(ctx)}
    window = _window(qtbot, ctx)
    window.open_report(ids["25"])
    review = _review(window)
    assert "RCC Norr" in review.rcc_address.text()
    assert "ej bekräftad" in review.rcc_address.text()  # no postal address in the data
    assert "2024-09-27" not in review.sent_status.text()
    review.sent_date.setDate(QDate(2024, 9, 27))
    qtbot.mouseClick(review.mark_sent_button, Qt.MouseButton.LeftButton)
    assert "Skickad till RCC 2024-09-27" in review.sent_status.text()
    assert "bedöms av RCC vid mottagandet" in review.sent_status.text()

    exported = tmp_path / "norrbotten.pdf"
    monkeypatch.setattr(review, "ask_export_path", lambda: exported)
    opened: list[Path] = []
    monkeypatch.setattr(review, "open_folder", opened.append)
    assert not review.folder_button.isEnabled()
    qtbot.mouseClick(review.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: review.folder_button.isEnabled(), timeout=30_000)
    qtbot.mouseClick(review.folder_button, Qt.MouseButton.LeftButton)
    assert opened == [tmp_path]

    window.open_report(ids["13"])  # Halland: two RCCs in the reference data
    review = _review(window)
    text = review.rcc_address.text()
    assert "RCC Syd" in text and "RCC Väst" in text and "(ej bekräftat)" in text


def test_rcc_view_issues_a_kvittens_and_makes_the_package(qtbot, round_, tmp_path):
    window = _window(qtbot, round_.rcc_ctx)
    window.act_rcc.trigger()
    view = window.rcc_view
    view.scope.setCurrentIndex(view.scope.findData("norr"))
    view.year.setCurrentIndex(view.year.findData(2024))
    qtbot.waitUntil(lambda: not view.loading and view.inbox_table.rowCount() > 0, timeout=60_000)
    view.inbox_table.selectRow(0)
    dialog = view.round_actions.ask_receipt()
    out = tmp_path / "kvittens-rcc.pdf"
    dialog.out.setText(str(out))
    dialog.signer_box.p12_path.setText(str(round_.rcc_p12))
    dialog.signer_box.p12_password.setText(PASSWORD)
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Kvittens sparad" in view.status.text(), timeout=30_000)
    assert receipts.check_receipt(out.read_bytes(), out.name).kind == "receipt"

    dialog = view.round_actions.ask_package()
    pkg = tmp_path / "paket.pdf"
    dialog.out.setText(str(pkg))
    dialog.signer_box.p12_path.setText(str(round_.rcc_p12))
    dialog.signer_box.p12_password.setText(PASSWORD)
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: "Skicka filen till Socialstyrelsen" in view.status.text(), timeout=60_000
    )
    from desktop_app.services.package_verify import verify_package

    assert verify_package(pkg.read_bytes(), pkg.name).ok
    window.grab().save(str(tmp_path / "rcc.png"))
