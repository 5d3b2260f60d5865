"""Issue 13, point 3: every dialog of the application, opened on a 1366×768 laptop whose
taskbar takes 40 px, has its frame and its buttons on screen."""

from __future__ import annotations

import importlib
import pkgutil
from datetime import date, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QAbstractButton, QDialog, QMessageBox, QWidget

import desktop_app.ui
from desktop_app.domain.vocabulary import InboxStatus, ReceiptKind
from desktop_app.services import exports, reports, signing
from desktop_app.services.demo import create_demo
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.widgets import dialog_fit
from desktop_app.ui.widgets.dialog_fit import FittedDialog, fit_dialog, frame_margins

LAPTOP = QRect(0, 0, 1366, 768)
AVAILABLE = QRect(0, 0, 1366, 728)  # less a 40 px taskbar at the bottom
PASSWORD = "hemligt-1234"


def all_dialog_classes() -> set[type]:
    """Every QDialog subclass defined in desktop_app.ui (its modules imported first). A
    QMessageBox subclass (a short text and its buttons) is sized by Qt itself and left out."""
    for info in pkgutil.walk_packages(desktop_app.ui.__path__, "desktop_app.ui."):
        importlib.import_module(info.name)

    def walk(cls: type) -> set[type]:
        out = set()
        for sub in cls.__subclasses__():
            out |= {sub} | walk(sub)
        return out

    return {
        c
        for c in walk(QDialog)
        if c.__module__.startswith("desktop_app.ui.")
        and not c.__name__.startswith("_")
        and c is not FittedDialog
        and not issubclass(c, QMessageBox)
    }


@pytest.fixture
def laptop(monkeypatch):
    """The screen's available area, as a 1366×768 laptop with its taskbar reports it."""
    monkeypatch.setattr(dialog_fit, "available_area", lambda _w: QRect(AVAILABLE))
    return AVAILABLE


@pytest.fixture
def window(qtbot, ctx, laptop):
    create_demo(ctx)
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    w.setGeometry(QRect(0, 32, 1366, 728 - 40))
    w.show()
    return w


@pytest.fixture(scope="module")
def signed_files(tmp_path_factory):
    """An exported report, the same certified, and signed: for the signing dialogs."""
    from tests.helpers.factories import make_ctx

    folder = tmp_path_factory.mktemp("dialogs")
    ctx = make_ctx(folder / "db.sqlite3")
    create_demo(ctx)
    rid = next(r.id for r in reports.list_reports(ctx) if r.region.code == "24")
    exported = folder / "vasterbotten.pdf"
    exports.export_pdf(ctx, rid, exported)
    chief, rep = folder / "chef.p12", folder / "rep.p12"
    signing.create_demo_certificate("Eva Ekonom", chief, PASSWORD)
    signing.create_demo_certificate("Rolf Företrädare", rep, PASSWORD)
    request = signing.CertificationRequest(
        alternative=2,
        name="Eva Ekonom",
        title="Ekonomidirektör",
        phone="090-785 00 00",
        email="eva.ekonom@example.se",
        deviations="Kostnaderna för utbildningen är inte slutredovisade av förvaltningen. " * 4,
        actions="Slutredovisas i mars.",
    )
    certified, signed = folder / "intygad.pdf", folder / "signerad.pdf"
    signer = signing.open_p12(str(chief), PASSWORD)
    signing.certify_file(exported, certified, signer, request, ctx.today())
    signer.close()
    signer = signing.open_p12(str(rep), PASSWORD)
    signing.sign_file(certified, signed, signer, "Rolf Företrädare", ctx.today())
    signer.close()
    ctx.close()
    return exported, certified, signed


def inbox_entry() -> object:
    from desktop_app.services.inbox_entries import InboxEntry

    return InboxEntry(
        id=1,
        scope="norr",
        year=2024,
        file_name="Region Västerbotten SVF 2024 signerad.pdf",
        sha256="0" * 64,
        received_at=datetime(2024, 9, 20, 10, 0),
        status=InboxStatus.PENDING,
        reason="Underskrivarna är inte registrerade för regionen. " * 3,
        refusal=None,
        region_code="24",
        region_name="Region Västerbotten",
        report_year=2024,
        template_id="svf-2024",
        report_version=1,
        report_status="signed",
        submitted_on=None,
        signed_at=None,
        certification_alt=1,
        signers=(),
        criteria=(),
        criteria_met=None,
        on_time=None,
        problems=(),
        notes=(),
    )


def open_each_dialog(window: MainWindow, ctx, files, tmp: Path) -> dict[str, QWidget]:  # noqa: ANN001
    """One of each of the application's dialogs, with long content where it can have it."""
    from desktop_app.domain.findings import Finding, Location
    from desktop_app.domain.vocabulary import Severity
    from desktop_app.exchange.excel_layout import ImportProblem
    from desktop_app.services.cards import scan, test_report
    from desktop_app.services.imports import CellChange, ImportPreview
    from desktop_app.services.package import PackagePreview
    from desktop_app.services.receipts import ReceiptImport
    from desktop_app.ui.card_picker import CardTestDialog
    from desktop_app.ui.history_view import HistoryDialog
    from desktop_app.ui.justify_dialog import JustifyDialog
    from desktop_app.ui.main_window import NewReportDialog
    from desktop_app.ui.models.figures_model import FiguresModel
    from desktop_app.ui.patients_waits import LongWaitsDialog
    from desktop_app.ui.rcc_extract import ExtractDialog
    from desktop_app.ui.rcc_register import LastDayDialog, RegisterReportDialog
    from desktop_app.ui.rcc_round import DecisionDialog, ReceivedOnDialog, SignersDialog
    from desktop_app.ui.rcc_view import DiffDialog, ExportPdfDialog
    from desktop_app.ui.reason_dialog import ReasonDialog
    from desktop_app.ui.receipt_ui import ReceiptResultDialog
    from desktop_app.ui.round_ui import PreviewDialog, RoundDialog
    from desktop_app.ui.signing_ui import CertifyDialog, SignDialog, VerifyDialog
    from desktop_app.ui.steps.figures import ImportPreviewDialog

    exported, certified, signed = files
    rid = reports.list_reports(ctx)[0].id
    window.open_report(rid)
    session = window.report_view.session
    tpl = session.template
    cells = list(tpl.cells())[:120]
    preview = ImportPreview(
        report_id=rid,
        source="SVF-underlag.xlsx",
        changes=[CellChange(c, 1, 2) for c in cells],
        unchanged=3,
        data=None,  # type: ignore[arg-type]
        warnings=[ImportProblem(None, "Fler inkluderade än utredda: kontrollera. " * 2)] * 12,
    )
    diffs = [SimpleNamespace(label=f"Rad {i}", old_text="1", new_text="2") for i in range(80)]
    receipt = ReceiptImport(
        report_id=rid,
        kind=ReceiptKind.RETURN,
        line="Återsänd av RCC Norr 2024-09-20",
        reason="Ekonomisk redovisning saknar kostnader för utbildning. " * 6,
        can_unlock=True,
        already_imported=True,
        trusted=False,
    )
    made: dict[str, QWidget] = {
        "NewReportDialog": NewReportDialog(window),
        "CertifyDialog": CertifyDialog(ctx, exported, window),
        "SignDialog": SignDialog(ctx, certified, window),
        "VerifyDialog": VerifyDialog(ctx, [signed, certified, exported], window),
        "ImportPreviewDialog": ImportPreviewDialog(preview, FiguresModel(session), window),
        "LongWaitsDialog": LongWaitsDialog(session, window),
        "DiffDialog": DiffDialog("Region Västerbotten: version 1 → 2", diffs, window),
        "ExportPdfDialog": ExportPdfDialog(Path("/tmp/sammanstallning.pdf"), window),
        "RoundDialog": RoundDialog("Kvittens", Path("/tmp/kvittens.pdf"), True, window),
        "DecisionDialog": DecisionDialog(ctx, inbox_entry(), window),  # type: ignore[arg-type]
        "ReceivedOnDialog": ReceivedOnDialog(ctx, inbox_entry(), window),  # type: ignore[arg-type]
        "SignersDialog": SignersDialog(ctx, window),
        "ReceiptResultDialog": ReceiptResultDialog(receipt, window),
        "HistoryDialog": HistoryDialog(session, None, "", window),
        "RegisterReportDialog": RegisterReportDialog(ctx, ("22", "23", "24", "25"), 2024, window),
        "LastDayDialog": LastDayDialog(ctx, "norr", 2024, window),
        "PreviewDialog": PreviewDialog(
            PackagePreview(
                Path("/tmp/paket-forhandsgranskning.pdf"),
                14,
                900_000,
                tuple(f"region-{c}.pdf" for c in range(30)),
                tuple(f"Region {c} ({c}): Väntar på beslut – osignerad" for c in range(30)),
                tuple(f"Region {c} ({c}): Godkänd (region-{c}.pdf)" for c in range(30)),
            ),
            window,
        ),
        "ExtractDialog": ExtractDialog("norr", 2024, window),
        "ReasonDialog": ReasonDialog(
            [f"Lungcancer, kvinnor: Inkluderade 30 → {n}" for n in range(40)],
            "RCC:s datauttag 2024-08-21",
            window,
        ),
        "JustifyDialog": JustifyDialog(
            Finding(
                "year_over_year_inclusion",
                Severity.WARNING,
                "Lungcancer, kvinnor: inklusionen är 21,4 % i år mot 60,0 % i fjol (2023). " * 6,
                Location(svf="lunga", sex="kvinnor", measure="included"),
            ),
            tpl.warnings,
            window,
            "Ny remissväg från primärvården i mars. " * 20,
        ),
        "CardTestDialog": CardTestDialog(test_report(scan(), date.today()), window),
    }
    made.update(patient_dialogs(ctx, session, window, tmp))
    window.show_help()
    made["help"] = window.help_window
    window.show_about()
    made["AboutDialog"] = window.about_box
    for dialog in made.values():
        if not isinstance(dialog, QMessageBox):
            dialog.show()
    return made


def patient_dialogs(ctx, session, window, tmp: Path) -> dict[str, QWidget]:  # noqa: ANN001
    """The patient list's column mapping and its review of the computed figures."""
    from desktop_app.domain.patients import mapping_from_dict
    from desktop_app.services.patients import preview_patient_list
    from desktop_app.ui.patients_import import (
        CodePickDialog,
        PatientMappingDialog,
        PatientReviewDialog,
    )
    from tests.helpers.patient_lists import HEADERS, MAPPING, generate, write_csv

    rows, _expected = generate(300, seed=5)
    path = tmp / "lista.csv"
    write_csv(path, rows)
    tpl = session.template
    preview = preview_patient_list(ctx, session.report_id, path, mapping_from_dict(MAPPING, tpl))
    return {
        "PatientMappingDialog": PatientMappingDialog(list(HEADERS), tpl, window),
        "PatientReviewDialog": PatientReviewDialog(preview, tpl, window),
        "CodePickDialog": CodePickDialog(
            "Kön: välj ur filen",
            [f"kod {i}" for i in range(60)],
            True,
            3,
            [(x.id, x.label) for x in tpl.sexes],
            {},
            window,
        ),
    }


def assert_on_screen(name: str, dialog: QWidget) -> None:
    margins = frame_margins(dialog)
    frame = QRect(dialog.geometry())
    top_left = frame.topLeft() - QPoint(dialog_fit.BORDER, margins.height() - dialog_fit.BORDER)
    frame = QRect(top_left, frame.size().grownBy(margins_as(margins)))
    assert AVAILABLE.contains(frame), f"{name}: frame {frame} outside {AVAILABLE}"
    assert LAPTOP.contains(frame)
    buttons = [b for b in dialog.findChildren(QAbstractButton) if b.isVisibleTo(dialog)]
    assert buttons, name
    for b in buttons:
        where = QRect(b.mapToGlobal(QPoint(0, 0)), b.size())
        if _inside_scroll_area(b, dialog):
            continue  # a control of the scrolled content: reached by scrolling
        assert AVAILABLE.contains(where), f"{name}: button {b.text()!r} at {where}"


def margins_as(size):  # noqa: ANN001, ANN201
    from PySide6.QtCore import QMargins

    return QMargins(0, 0, size.width(), size.height())


def _inside_scroll_area(widget: QWidget, dialog: QWidget) -> bool:
    from PySide6.QtWidgets import QAbstractScrollArea

    p = widget.parentWidget()
    while p is not None and p is not dialog:
        if isinstance(p, QAbstractScrollArea):
            return True
        p = p.parentWidget()
    return False


@pytest.mark.slow
def test_every_dialog_has_its_frame_and_buttons_on_a_laptop_screen(
    qtbot, ctx, window, signed_files, tmp_path, monkeypatch
):
    monkeypatch.setenv("SVF_REPORT_KEY", str(tmp_path / "nyckel"))
    dialogs = open_each_dialog(window, ctx, signed_files, tmp_path)
    known = {c.__name__ for c in all_dialog_classes()}
    assert known <= set(dialogs), f"a dialog without a check here: {known - set(dialogs)}"
    for name, dialog in dialogs.items():
        qtbot.waitExposed(dialog)
        assert_on_screen(name, dialog)
        dialog.close()


def test_every_dialog_of_the_application_fits_itself_when_shown():
    """A new dialog cannot forget it: each one is a FittedDialog."""
    not_fitted = [c.__name__ for c in all_dialog_classes() if not issubclass(c, FittedDialog)]
    assert not not_fitted


def test_a_dialog_larger_than_the_screen_is_shrunk_and_moved_inside(qtbot, laptop):
    dialog = FittedDialog()
    qtbot.addWidget(dialog)
    dialog.resize(1400, 900)
    dialog.move(300, 200)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.height() <= 728 - dialog_fit.TITLE_BAR - dialog_fit.BORDER
    assert dialog.width() <= 1366 - 2 * dialog_fit.BORDER
    assert_on_screen_plain(dialog)
    # A small dialog keeps its size, and is only moved when it hangs off the screen.
    small = QDialog()
    qtbot.addWidget(small)
    small.resize(400, 300)
    small.move(1200, 600)
    fit_dialog(small, AVAILABLE)
    assert small.size().width() == 400 and small.size().height() == 300
    assert small.x() + 400 <= 1366 and small.y() + 300 <= 728


def assert_on_screen_plain(dialog: QWidget) -> None:
    g = dialog.geometry()
    assert g.top() >= dialog_fit.TITLE_BAR and g.bottom() < 728 and g.right() < 1366
