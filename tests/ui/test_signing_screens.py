"""Export, certification mode, representative signature, verification, import (lock), unlock
(certification void) — through the application's screens."""

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt

from desktop_app.domain.finance import CostItem
from desktop_app.services import exports, reports, signing
from desktop_app.services.demo import create_demo
from desktop_app.ui.main_window import MainWindow

PASSWORD = "hemligt-1234"


@pytest.fixture
def certs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("certs")
    chief = folder / "ekonomichef.p12"
    rep = folder / "foretradare.p12"
    signing.create_demo_certificate("Eva Ekonom", chief, PASSWORD)
    signing.create_demo_certificate("Rolf Regiondirektör", rep, PASSWORD)
    return chief, rep


def fill_signer(dialog, p12: Path) -> None:
    dialog.signer_box.p12_path.setText(str(p12))
    dialog.signer_box.p12_password.setText(PASSWORD)


@pytest.mark.slow
def test_export_certify_sign_verify_import_unlock(qtbot, ctx, tmp_path, certs, monkeypatch):
    chief, rep = certs
    create_demo(ctx)
    rid = next(r.id for r in reports.list_reports(ctx) if r.region.code == "24")
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    window.open_report(rid)
    view = window.report_view
    assert not view.banner.isVisible()

    # Export from Granska och skicka (in a worker).
    review = view.go_to_step("granska")
    exported = tmp_path / "vasterbotten.pdf"
    monkeypatch.setattr(review, "ask_export_path", lambda: exported)
    qtbot.mouseClick(review.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Sparat" in review.export_status.text(), timeout=30_000)
    assert exported.exists() and exported.with_suffix(".xlsx").exists()

    # Certification mode: the financial statement and the summary only; Alt 2 needs text.
    with qtbot.waitSignal(window.signing_dialog_ready, timeout=30_000) as opened:
        window.certify_pdf(exported)  # the file is read and verified in a worker first
    dialog = opened.args[0]
    assert dialog is not None and dialog.isVisible()
    texts = " ".join(w.text() for w in dialog.findChildren(type(dialog.status)))
    assert "Medel som inte har förbrukats" in texts and "Inklusionsmålet" in texts
    dialog.alt2.setChecked(True)
    dialog.name.setText("Eva Ekonom")
    dialog.title.setText("Ekonomidirektör")
    dialog.phone.setText("090-785 00 00")
    dialog.email.setText("eva.ekonom@example.se")
    fill_signer(dialog, chief)
    qtbot.mouseClick(dialog.action_button, Qt.MouseButton.LeftButton)
    assert "Avvikelse" in dialog.status.text() or "avvikelse" in dialog.status.text()
    dialog.alt1.setChecked(True)
    fill_signer(dialog, chief)  # the password field is cleared after every attempt
    certified = Path(dialog.out.text())
    certified.write_bytes(b"an older file of that name")
    asked = []
    monkeypatch.setattr(dialog, "confirm_replace", lambda p: asked.append(p) or False)
    qtbot.mouseClick(dialog.action_button, Qt.MouseButton.LeftButton)
    assert asked == [certified] and "Inget sparades" in dialog.status.text()
    assert certified.read_bytes() == b"an older file of that name"  # never replaced silently
    monkeypatch.setattr(dialog, "confirm_replace", lambda p: True)
    with qtbot.waitSignal(dialog.done, timeout=30_000):
        qtbot.mouseClick(dialog.action_button, Qt.MouseButton.LeftButton)
    assert certified.read_bytes().startswith(b"%PDF")
    assert dialog.signer_box.p12_password.text() == ""
    # Done: open or show the file; no invitation to sign again (issue 13, points 6 and 7).
    assert not dialog.action_button.isVisible() and dialog.open_button.isVisible()
    assert "Nästa steg: behörig företrädare" in dialog.status.text()
    opened_files = []
    monkeypatch.setattr(dialog, "open_made", opened_files.append)
    monkeypatch.setattr(dialog, "show_made", opened_files.append)
    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.folder_button, Qt.MouseButton.LeftButton)
    assert opened_files == [certified, certified]
    dialog.close()
    # The finance chief's details are remembered for the next certification (per user).
    with qtbot.waitSignal(window.signing_dialog_ready, timeout=30_000) as opened:
        window.certify_pdf(exported)
    again = opened.args[0]
    assert (again.name.text(), again.phone.text()) == ("Eva Ekonom", "090-785 00 00")
    assert not again.alt1.isChecked() and not again.alt2.isChecked()  # still no preselection
    again.close()

    # The representative signs.
    with qtbot.waitSignal(window.signing_dialog_ready, timeout=30_000) as opened:
        window.sign_pdf(certified)
    dialog = opened.args[0]
    assert dialog.action_button.isEnabled()
    dialog.name.setText("Rolf Regiondirektor")
    fill_signer(dialog, rep)
    signed = Path(dialog.out.text())
    with qtbot.waitSignal(dialog.done, timeout=30_000):
        qtbot.mouseClick(dialog.action_button, Qt.MouseButton.LeftButton)
    dialog.close()

    # Verification view.
    dialog = window.verify_pdfs(signed)
    qtbot.waitUntil(lambda: dialog.results is not None, timeout=30_000)  # verified in a worker
    (result,) = dialog.results
    assert result.ok and result.certified and result.represented
    assert dialog.tree.topLevelItem(0).text(1) == "Giltig: intygad och signerad"
    dialog.close()

    # Import the signed file: the report is locked, edits are refused with a message.
    assert window.import_signed(signed) == rid
    view = window.report_view
    assert view.banner.isVisible() and "Låst" in view.banner_text.text()
    assert "Eva Ekonom" in view.banner_text.text()
    assert not view.session.set_answer("urology", "ändrad")
    assert "låst" in window.error_box.text().lower()

    # Unlock: a new version, and the certification no longer holds.
    monkeypatch.setattr(window, "confirm", lambda *a: True)
    qtbot.mouseClick(view.unlock_button, Qt.MouseButton.LeftButton)
    view = window.report_view
    assert "version 2" in view.title.text()
    assert view.banner.isVisible() and "gäller inte längre" in view.banner_text.text()
    fin = view.session.report.finance
    fin.costs.append(CostItem("Ny kostnad", 1000))
    assert view.session.set_finance(fin)
    assert "ogiltigt" in view.banner_text.text()


def test_a_file_without_report_data_is_refused(qtbot, ctx, tmp_path):
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    bogus = tmp_path / "annat.pdf"
    bogus.write_bytes(b"%PDF-1.4\n%%EOF\n")
    assert window.certify_pdf(bogus) is None
    qtbot.waitUntil(lambda: hasattr(window, "error_box"), timeout=30_000)
    assert "annat.pdf" in window.error_box.text()
    assert window.signing_dialog is None


def click_radio(qtbot, button) -> None:
    """Click on the radio's indicator (its hit area is the indicator and text, not the row)."""
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(8, button.height() // 2))


@pytest.fixture
def exported_pdf(ctx, tpl, tmp_path):
    """A region's exported (uncertified) PDF, as the finance chief receives it."""
    from tests.helpers.factories import complete_report

    with ctx.uow() as uow:
        rid = uow.reports.add(complete_report(tpl))
        uow.commit()
    out = tmp_path / "norrbotten.pdf"
    exports.export_pdf(ctx, rid, out)
    return out


def test_certify_dialog_follows_bilaga_2(qtbot, ctx, exported_pdf, tmp_path, monkeypatch):
    """Issue 12, point 6: nothing preselected and refused without a choice; N.N. becomes the
    name as it is typed; Alt 2 needs the deviation but not the actions; the statement is said
    not to be a criterion for payment 2."""
    from desktop_app.domain.finance import NOT_A_PAYMENT_CRITERION
    from desktop_app.ui.signing_ui import CertifyDialog

    dialog = CertifyDialog(ctx, exported_pdf)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.alt1.isChecked() and not dialog.alt2.isChecked()
    assert dialog.chosen_alternative() is None
    assert dialog.alt_texts[1].text().startswith("Alt 1: N.N. (ekonomichefen")
    texts = " ".join(w.text() for w in dialog.findChildren(type(dialog.status)))
    assert NOT_A_PAYMENT_CRITERION in texts

    dialog.name.setText("Eva Ekonom")  # textChanged, as typing sends
    assert dialog.alt_texts[1].text().startswith("Alt 1: Eva Ekonom (ekonomichefen eller")
    assert dialog.alt_texts[2].text().startswith("Alt 2: Eva Ekonom (ekonomichefen eller")
    assert dialog.alt2.accessibleName().startswith("Alt 2: Eva Ekonom")
    dialog.name.setText("Eva Ekonomsdóttir")
    assert "Eva Ekonomsdóttir (ekonomichefen" in dialog.alt_texts[1].text()
    dialog.name.setText("Eva Ekonom")
    dialog.title.setText("Ekonomidirektör")
    dialog.phone.setText("0920-28 40 00")
    dialog.email.setText("eva.ekonom@example.se")

    started = []
    monkeypatch.setattr(dialog, "job", lambda out: started.append(out) or (None, None))
    dialog.signer_box.p12_path.setText(str(tmp_path / "x.p12"))
    dialog.signer_box.p12_password.setText(PASSWORD)
    qtbot.mouseClick(dialog.action_button, Qt.MouseButton.LeftButton)
    assert "Inget alternativ är valt" in dialog.status.text() and not started

    click_radio(qtbot, dialog.alt2)
    assert dialog.deviations.isEnabled() and dialog.actions.isEnabled()
    assert "frivilligt" in dialog.actions.placeholderText()
    problems = dialog.problems()
    assert problems == ["Alt 2: redovisa avvikelsen (vad som inte är korrekt)."]
    dialog.deviations.setPlainText("Posten radiologi är för hög.")
    assert dialog.problems() == []  # no actions: still complete
    request = dialog.request()
    assert request.alternative == 2 and request.actions == ""
    assert request.deviations == "Posten radiologi är för hög."

    click_radio(qtbot, dialog.alt1)
    assert not dialog.deviations.isEnabled()
    assert dialog.request().alternative == 1 and dialog.request().deviations == ""
