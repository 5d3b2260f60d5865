"""Signed demo report PDFs for the RCC tests (issue 6): each demo region's report exported,
certified by the finance chief (Alt 1) and signed by the representative, in memory and
without a database, as the region's side of the flow does it (services.exports →
services.signing.certify_pdf → sign_report_pdf).

Making 21 signed PDFs takes some seconds, so ``signed_demo_pdfs`` makes them once per test
session (the result is kept on the pytest config) in a folder of pytest's per-session
temporary directory; two processes never share it. Use it through a fixture:

    @pytest.fixture(scope="session")
    def signed_demo(pytestconfig, tmp_path_factory):
        return signed_demo_pdfs(pytestconfig, tmp_path_factory)
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

PASSWORD = "rcc-test-lösen"
SIGNED_ON = date(2024, 9, 20)
CHEF = "Åsa Ekonomsson"
REPRESENTATIVE = "Bo Företrädare"

_KEY = pytest.StashKey["SignedDemo"]()


@dataclass(frozen=True)
class SignedDemo:
    """``files[code]``: the signed PDF of the region's demo report (version 1);
    ``v2[code]``: a version 2 of some regions (other figures), for supersession tests;
    ``certified_only[code]``: certified but not signed; ``unsigned[code]``: the plain export.

    Every region's files are signed by that region's signers, issued by a test CA
    (``svf-report demo-ca``) with the region's organisation identifier; ``register`` makes an
    RCC trust them (the CA registered per region). ``chef_p12``/``rep_p12`` are the self-signed
    demo certificates (``svf-report demo-cert``), for forgeries."""

    dir: Path
    files: dict[str, Path]
    v2: dict[str, Path]
    certified_only: dict[str, Path]
    unsigned: dict[str, Path]
    chef_p12: Path
    rep_p12: Path
    ca: Any = None  # signing.certs.DemoCa

    def register(self, ctx: Any, regions: list[str] | None = None) -> None:
        """Register the test CA for each region (or ``regions``) in ``ctx``'s RCC register."""
        from desktop_app.services.signers import add_signer, list_signers
        from desktop_app.signing.certs import read_certificate_file

        known = {r.region_code for r in list_signers(ctx)}
        der = read_certificate_file(self.ca.ca_path)
        for code in regions or sorted(self.ca.organisation_ids):
            if code not in known:
                add_signer(ctx, code, der, organisation_id=self.ca.organisation_ids[code])

    def register_db(self, db: Path, regions: list[str] | None = None) -> None:
        """``register`` in the database file ``db``."""
        from desktop_app.services.bootstrap import bootstrap

        ctx = bootstrap(db)
        try:
            self.register(ctx, regions)
        finally:
            ctx.close()

    def region_signer(self, code: str, role: str) -> Path:
        """The PKCS#12 file of a region's CA-issued signer in ``role``."""
        return self.ca.signers[(code, role)]


def certification_request() -> Any:
    from desktop_app.services.signing import CertificationRequest

    return CertificationRequest(
        alternative=1,
        name=CHEF,
        title="Ekonomidirektör",
        phone="010-000 00 00",
        email="asa.ekonomsson@example.se",
    )


def report_document(report: Any) -> bytes:
    """The report's JSON document exactly as the export embeds it."""
    from desktop_app.domain.document import to_document
    from desktop_app.domain.template import load_template
    from desktop_app.services.exports import document_bytes

    return document_bytes(to_document(report, load_template(report.template_id)))


def report_pdf(report: Any) -> bytes:
    """The export of a report (as ``svf-report export`` draws it), from the report alone."""
    from desktop_app.services.exports import render_document_pdf

    return render_document_pdf(report_document(report), SIGNED_ON).data


def carrier_pdf(report: Any) -> bytes:
    """A one-page PDF carrying only the embedded report document. The finance chief's
    certification re-renders the whole report from that document (services.signing
    .certify_pdf), so certifying this gives the same file as certifying the full export,
    without drawing the export first (a third of the time)."""
    import io

    from reportlab.pdfgen.canvas import Canvas

    from desktop_app.services.exports import REPORT_ATTACHMENT
    from desktop_app.signing import Attachment, prepare_pdf

    buf = io.BytesIO()
    canv = Canvas(buf, pagesize=(200, 200))
    canv.drawString(20, 100, "Export")
    canv.showPage()
    canv.save()
    return prepare_pdf(buf.getvalue(), [Attachment(REPORT_ATTACHMENT, report_document(report))], {})


_WORKER: dict[str, Any] = {}  # the demo reports and the open signers, made once


def _report(code: str) -> Any:
    from desktop_app.services.demo import demo_reports

    if "reports" not in _WORKER:
        _WORKER["reports"] = {r.region_code: r for r in demo_reports()}
    return _WORKER["reports"][code]


def _signer(path: Path) -> Any:
    from desktop_app.signing import open_signer

    key = f"signer:{path}"
    if key not in _WORKER:
        _WORKER[key] = open_signer(path, PASSWORD)  # PKCS#12: nothing to close
    return _WORKER[key]


def _make(job: tuple[str, int, str, Path, Path, Path]) -> tuple[str, int, str]:
    """One region's file: export, certify, sign."""
    from desktop_app.services.signing import certify_pdf, sign_report_pdf

    code, version, kind, chef, rep, out = job  # chef, rep: the region's signers
    report = _report(code)
    if version > 1:
        report = replace(report, version=version)
        report.figures = report.figures.copy()
        svf = "lunga"
        value = report.figures.get(svf, "included", "kvinnor") or 0
        report.figures.set(svf, "included", "kvinnor", value + 1)
        report.answers = {**report.answers, "urology": "Version 2: ny utredningsmottagning."}
    if kind == "unsigned":
        out.write_bytes(report_pdf(report))
        return code, version, kind
    data = certify_pdf(carrier_pdf(report), _signer(chef), certification_request(), SIGNED_ON)
    if kind == "signed":
        data = sign_report_pdf(data, _signer(rep), REPRESENTATIVE, SIGNED_ON)
    out.write_bytes(data)
    return code, version, kind


def build_signed_demo(folder: Path, regions: list[str] | None = None) -> SignedDemo:
    """Make the files in ``folder``."""
    from desktop_app.domain.reference import load_reference
    from desktop_app.domain.vocabulary import Role
    from desktop_app.signing import make_demo_certificate
    from desktop_app.signing.certs import make_demo_ca

    folder.mkdir(parents=True, exist_ok=True)
    chef_self = make_demo_certificate(CHEF, PASSWORD, folder / "chef.p12").path
    rep_self = make_demo_certificate(REPRESENTATIVE, PASSWORD, folder / "rep.p12").path
    ref = load_reference()
    codes = regions or [r.code for r in ref.regions]
    ca = make_demo_ca(
        folder / "ca",
        {c: ref.region(c).name for c in codes},
        PASSWORD,
        {Role.CERTIFICATION: CHEF, Role.REPRESENTATIVE: REPRESENTATIVE},
    )

    def chef_of(c: str) -> Path:
        return ca.signers[(c, "certification")]

    def rep_of(c: str) -> Path:
        return ca.signers[(c, "representative")]

    jobs: list[tuple[str, int, str, Path, Path, Path]] = []
    files, v2, cert_only, unsigned = {}, {}, {}, {}
    for code in codes:
        files[code] = folder / f"signerad-{code}.pdf"
        jobs.append((code, 1, "signed", chef_of(code), rep_of(code), files[code]))
    for code in ("23", "24"):
        if code in codes:
            v2[code] = folder / f"signerad-{code}-v2.pdf"
            jobs.append((code, 2, "signed", chef_of(code), rep_of(code), v2[code]))
    for code in ("24",):
        if code in codes:
            cert_only[code] = folder / f"intygad-{code}.pdf"
            jobs.append((code, 1, "certified", chef_of(code), rep_of(code), cert_only[code]))
            unsigned[code] = folder / f"export-{code}.pdf"
            jobs.append((code, 1, "unsigned", chef_of(code), rep_of(code), unsigned[code]))
    # In this process, one after the other: two worker processes were no faster on a busy
    # two-core machine, and a process pool next to Qt's threads is one more thing to go wrong.
    for job in jobs:
        _make(job)
    return SignedDemo(folder, files, v2, cert_only, unsigned, chef_self, rep_self, ca)


def signed_demo_pdfs(config: pytest.Config, tmp_path_factory: pytest.TempPathFactory) -> SignedDemo:
    """The signed demo PDFs of all 21 regions, made once per session."""
    demo = config.stash.get(_KEY, None)
    if demo is None:
        demo = build_signed_demo(tmp_path_factory.mktemp("signed-demo"))
        config.stash[_KEY] = demo
    return demo
