"""Make the pictures of the in-application guide (resources/help/images/*.png) from the
running screens on a fresh example database, at 1366×768, scaled down and reduced to 256
colours so each stays small (≤ 150 kB). See resources/help/README.md.

    QT_QPA_PLATFORM=offscreen uv run python docs/make_help_pictures.py [OUT_DIR]

The card pictures use a SoftHSM2 test card when softhsm2 is installed (apt-get install
softhsm2); without it they show what the picker says when no card is found."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WIDTH = 960  # pixels of a picture in the guide
MAX_BYTES = 150_000
PASSWORD = "bild-lösen"


def save(widget, out: Path, name: str, width: int = WIDTH) -> Path:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage

    settle()
    image = widget.grab().toImage()
    if image.width() > width:
        image = image.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
    image = image.convertToFormat(
        QImage.Format.Format_Indexed8, Qt.ImageConversionFlag.ThresholdDither
    )
    path = out / f"{name}.png"
    image.save(str(path), "PNG", 9)
    size = path.stat().st_size
    print(f"{path} {image.width()}x{image.height()} {size // 1000} kB")
    if size > MAX_BYTES:
        raise SystemExit(f"{path} is larger than {MAX_BYTES // 1000} kB")
    return path


def settle(seconds: float = 0.3) -> None:
    from PySide6.QtWidgets import QApplication

    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.01)


def wait(condition, timeout: float = 60) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication

    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise SystemExit("timed out waiting for the screen")
        QApplication.processEvents()
        time.sleep(0.02)


def card_token(tmp: Path) -> bool:
    """A SoftHSM2 test card with Eva Ekonom's key, if SoftHSM2 is installed."""
    if shutil.which("softhsm2-util") is None:
        return False
    sys.path.insert(0, str(ROOT))
    from desktop_app.services import signing
    from tests.helpers.softhsm import make_token, softhsm_module

    if softhsm_module() is None:
        return False
    p12 = tmp / "kort.p12"
    signing.create_demo_certificate("Eva Ekonom", p12, PASSWORD)
    conf = make_token(tmp / "hsm", p12, PASSWORD, label="Testkort", cert_label="Eva Ekonom")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    return True


def signed_files(ctx, tmp: Path, codes: list[str]) -> list[Path]:  # type: ignore[no-untyped-def]
    from desktop_app.services import reports, signing
    from desktop_app.services.exports import export_pdf

    chief, rep = tmp / "chef.p12", tmp / "rep.p12"
    signing.create_demo_certificate("Eva Ekonom", chief, PASSWORD)
    signing.create_demo_certificate("Rolf Regiondirektör", rep, PASSWORD)
    out = []
    by_code = {r.region.code: r.id for r in reports.list_reports(ctx)}
    for code in codes:
        pdf = tmp / f"region-{code}.pdf"
        export_pdf(ctx, by_code[code], pdf)
        request = signing.CertificationRequest(
            1, "Eva Ekonom", "Ekonomidirektör", "010-000 00 00", "eva@example.se"
        )
        with signing.open_p12(chief, PASSWORD) as s:
            certified = signing.certify_file(
                pdf, tmp / f"region-{code}-intygad.pdf", s, request, ctx.today()
            )
        with signing.open_p12(rep, PASSWORD) as s:
            out.append(
                signing.sign_file(
                    certified,
                    tmp / f"region-{code}-signerad.pdf",
                    s,
                    "Rolf Regiondirektör",
                    ctx.today(),
                )
            )
    return out


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "resources" / "help" / "images"
    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="svf-help-pictures-"))
    os.environ["XDG_CONFIG_HOME"] = str(tmp / "config")  # a first-time user's settings
    have_card = card_token(tmp)

    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    from desktop_app.services.bootstrap import bootstrap
    from desktop_app.services.demo import create_demo
    from desktop_app.ui.translations import install_swedish

    app = QApplication(sys.argv[:1])
    QCoreApplication.setOrganizationName("SVF-redovisning-bilder")
    install_swedish(app)
    ctx = bootstrap(tmp / "svf-exempel.sqlite3")
    create_demo(ctx)
    pictures(ctx, out, tmp, have_card)
    ctx.close()
    return 0


def pictures(ctx, out: Path, tmp: Path, have_card: bool) -> None:  # type: ignore[no-untyped-def]
    from desktop_app.services import reports
    from desktop_app.ui.main_window import MainWindow
    from desktop_app.ui.signing_ui import CertifyDialog, VerifyDialog

    window = MainWindow(ctx, first_start=False)
    window.resize(1366, 768)
    window.show()
    wait(lambda: not window.model.loading)
    save(window, out, "redovisningar")

    rid = next(r.id for r in reports.list_reports(ctx) if r.region.code == "24")
    window.open_report(rid)
    view = window.report_view
    view.go_to_step("svf-statistik")
    save(window, out, "samordnare-steg")
    page = view.go_to_step("svf-statistik")
    bad = tmp / "siffror.xlsx"
    bad.write_text("inte en arbetsbok")
    page.import_file(bad)
    wait(lambda: page.error_panel.isVisible())
    save(window, out, "import-vagrad")
    view.go_to_step("granska")
    save(window, out, "granska")

    files = signed_files(ctx, tmp, ["24", "25", "22"])
    certify = CertifyDialog(ctx, tmp / "region-24.pdf")
    certify.resize(1000, 720)
    certify.show()
    save(certify, out, "ekonomichef")
    certify.signer_box.card_choice.setChecked(True)
    picker = certify.signer_box.card
    wait(lambda: picker.result is not None and not picker.scanning)
    save(certify.signer_box, out, "kortval", width=800)
    picker.scan(show_report=True)
    wait(lambda: picker.test_dialog is not None and picker.test_dialog.isVisible())
    save(picker.test_dialog, out, "testa-kortet", width=760)
    picker.test_dialog.close()
    certify.close()

    broken = tmp / "region-25-andrad.pdf"
    from tests.helpers.pdf_tamper import embedded_json_offset, flip_byte

    data = files[1].read_bytes()  # someone changes an amount in the signed file
    data = flip_byte(data, embedded_json_offset(data))
    broken.write_bytes(data)
    verify = VerifyDialog(ctx, [broken])
    verify.resize(1000, 330)
    verify.show()
    wait(lambda: verify.results is not None)
    save(verify, out, "signatur-ogiltig")
    verify.close()

    window.show_rcc()
    rcc = window.rcc_view
    rcc.import_paths(files)
    wait(lambda: rcc.inbox_table.rowCount() >= len(files))
    settle(2)
    save(window, out, "rcc")
    window.close()
    print("kort:", "SoftHSM2-testkort" if have_card else "inget kort (softhsm2 saknas)")


if __name__ == "__main__":
    sys.exit(main())
