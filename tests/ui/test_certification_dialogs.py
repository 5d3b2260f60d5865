"""Issue 13, point 7: the finance chief sees which report she certifies and that it has errors;
nothing is chosen for her; the representative sees what she chose and the criteria."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from desktop_app.domain.rules import validate
from desktop_app.domain.template import load_template
from desktop_app.domain.vocabulary import Severity, plural
from desktop_app.services import exports, reports, signing
from desktop_app.services.demo import create_demo
from desktop_app.ui.main_window import MainWindow

PASSWORD = "hemligt-1234"


@pytest.fixture
def window(qtbot, ctx):
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    w.resize(1366, 728)
    w.show()
    return w


def open_signing(qtbot, window, action, path: Path):  # noqa: ANN001, ANN201
    """Underskrifter → Intyga… / Signera… with ``path`` chosen: the file is read in a worker
    and the dialog opens."""
    with qtbot.waitSignal(window.signing_dialog_ready, timeout=30_000) as opened:
        action(path)
    dialog = opened.args[0]
    assert dialog is not None and dialog.isVisible()
    return dialog


def test_the_certification_names_the_report_and_counts_its_errors(qtbot, ctx, window, tmp_path):
    rid = reports.create_report(ctx, "25", 2024)  # Norrbotten, nothing filled in: errors
    report = reports.get_report(ctx, rid)
    findings = validate(report, load_template(report.template_id))
    errors = sum(1 for f in findings if f.severity == Severity.ERROR)
    warnings = len(findings) - errors
    assert errors > 1
    pdf = tmp_path / "norrbotten.pdf"
    exports.export_pdf(ctx, rid, pdf)

    dialog = open_signing(qtbot, window, window.certify_pdf, pdf)
    heading = dialog.heading
    assert heading.title == f"Region Norrbotten – SVF-redovisning 2024, version {report.version}"
    assert heading.title in " ".join(w.text() for w in dialog.findChildren(type(dialog.status)))
    note = dialog.findings_note.text()
    assert plural(Severity.ERROR, errors) in note  # "12 fel", in the vocabulary's words
    if warnings:
        assert plural(Severity.WARNING, warnings) in note
    assert dialog.findings_note.isVisible()
    # The first of them in words (errors first), and how many more the PDF lists.
    first_error = next(f for f in findings if f.severity == Severity.ERROR)
    assert html.escape(first_error.message) in note
    assert f"… och {errors + warnings - 5} till" in note
    # Nothing is chosen for the finance chief: signing without a choice is refused.
    assert not dialog.alt1.isChecked() and not dialog.alt2.isChecked()
    dialog.name.setText("Eva Ekonom")
    dialog.title.setText("Ekonomidirektör")
    dialog.phone.setText("063-14 75 00")
    dialog.email.setText("eva.ekonom@example.se")
    qtbot.mouseClick(dialog.action_button, Qt.MouseButton.LeftButton)
    assert "Inget alternativ är valt" in dialog.status.text()
    assert dialog.action_button.isVisible() and dialog.made is None


def test_a_report_without_findings_says_so(qtbot, ctx, window, tmp_path):
    create_demo(ctx)
    rid = next(r.id for r in reports.list_reports(ctx) if r.region.code == "24")
    report = reports.get_report(ctx, rid)
    assert not validate(report, load_template(report.template_id))
    pdf = tmp_path / "vasterbotten.pdf"
    exports.export_pdf(ctx, rid, pdf)
    dialog = open_signing(qtbot, window, window.certify_pdf, pdf)
    assert "Kontrollerna hittar inga fel" in dialog.findings_note.text()
    assert dialog.heading.title == "Region Västerbotten – SVF-redovisning 2024, version 1"


def test_the_representative_sees_the_chiefs_alternative_and_the_criteria(
    qtbot, ctx, window, tmp_path
):
    create_demo(ctx)
    rid = next(r.id for r in reports.list_reports(ctx) if r.region.code == "24")
    exported, certified = tmp_path / "vasterbotten.pdf", tmp_path / "intygad.pdf"
    exports.export_pdf(ctx, rid, exported)
    chief = tmp_path / "chef.p12"
    signing.create_demo_certificate("Eva Ekonom", chief, PASSWORD)
    request = signing.CertificationRequest(
        alternative=2,
        name="Eva Ekonom",
        title="Ekonomidirektör",
        phone="090-785 00 00",
        email="eva.ekonom@example.se",
        deviations="Utbildningskostnaderna är inte slutredovisade.",
        actions="Slutredovisas i mars.",
    )
    signer = signing.open_p12(str(chief), PASSWORD)
    signing.certify_file(exported, certified, signer, request, ctx.today())
    signer.close()

    dialog = open_signing(qtbot, window, window.sign_pdf, certified)
    shown = " ".join(w.text() for w in dialog.findChildren(type(dialog.status)))
    assert "Alt 2 – inte korrekt" in dialog.choice_label.text()
    assert "Eva Ekonom, Ekonomidirektör" in dialog.choice_label.text()
    assert "Utbildningskostnaderna är inte slutredovisade." in shown
    assert "Slutredovisas i mars." in shown
    # The criteria as in the report window's panel: one card per criterion, with its verdict.
    tpl = load_template("svf-2024")
    titles = [card.title.text() for card in dialog.criterion_cards]
    assert titles == [f"<b>{c.label}</b>" for c in dialog.summary.verification.criteria]
    assert len(titles) == len(tpl.criteria)
    assert any("Inklusionsmålet" in t for t in titles) and any("PREM" in t for t in titles)
    assert all(card.isVisible() for card in dialog.criterion_cards)
    assert "Datum:" in shown and ctx.today().isoformat() in shown


def test_an_alt_1_certification_reads_as_correct(qtbot, ctx, window, tmp_path):
    create_demo(ctx)
    rid = next(r.id for r in reports.list_reports(ctx) if r.region.code == "24")
    exported, certified = tmp_path / "vasterbotten.pdf", tmp_path / "intygad.pdf"
    exports.export_pdf(ctx, rid, exported)
    chief = tmp_path / "chef.p12"
    signing.create_demo_certificate("Eva Ekonom", chief, PASSWORD)
    request = signing.CertificationRequest(
        1, "Eva Ekonom", "Ekonomidirektör", "090-785 00 00", "e@example.se"
    )
    signer = signing.open_p12(str(chief), PASSWORD)
    signing.certify_file(exported, certified, signer, request, ctx.today())
    signer.close()
    dialog = open_signing(qtbot, window, window.sign_pdf, certified)
    assert "Alt 1 – korrekt" in dialog.choice_label.text()
    assert "intygar att den ekonomiska redovisningen under punkt 3 är korrekt" in " ".join(
        w.text() for w in dialog.findChildren(type(dialog.status))
    )
