"""Issue 15, point 6 with a baseline report: last year's signed report (or its document, or
the RCC's figures for last year) is set as the baseline; a change beyond the template's band
is a warning that asks for a justification; the wrong file is refused in Swedish and nothing
changes."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from desktop_app.domain.document import to_document
from desktop_app.domain.errors import UserError
from desktop_app.domain.template import load_template
from desktop_app.domain.vocabulary import BaselineSource, HistoryKind
from desktop_app.services import reports
from desktop_app.services.acknowledgements import justify_warning, report_warnings
from desktop_app.services.baseline import clear_baseline, set_baseline
from desktop_app.services.demo import demo_reports
from desktop_app.services.history import report_history

LAST = next(r for r in demo_reports(2023) if r.region_code == "25")
THIS = next(r for r in demo_reports(2024) if r.region_code == "25")
JUMP_KEY = "year_over_year_inclusion:lunga:kvinnor:included"


@pytest.fixture
def report_id(ctx):
    rid, _ = reports.load_document(ctx, to_document(THIS, load_template(THIS.template_id)))
    # This year's lunga, kvinnor: a third of last year's included (inclusion and count jump).
    last = LAST.figures.get("lunga", "included", "kvinnor")
    reports.set_figure(ctx, rid, "lunga", "included", "kvinnor", last // 3)
    reports.set_figure(ctx, rid, "lunga", "within_lead_time", "kvinnor", 0)
    reports.set_figure(ctx, rid, "lunga", "over_175", "kvinnor", 0)
    return rid


def _last_year_json(tmp_path: Path, report=LAST) -> Path:
    path = tmp_path / "fjol.json"
    path.write_text(json.dumps(to_document(report, load_template(report.template_id))), "utf-8")
    return path


def signed_last_year(tmp_path: Path) -> Path:
    """Last year's report exported, certified and signed (self-signed test certificates)."""
    from desktop_app.services.certification import certify_pdf
    from desktop_app.services.representative import sign_report_pdf
    from desktop_app.signing import make_demo_certificate, open_signer
    from tests.helpers.signed_demo import (
        CHEF,
        PASSWORD,
        REPRESENTATIVE,
        carrier_pdf,
        certification_request,
    )

    chef = make_demo_certificate(CHEF, PASSWORD, tmp_path / "chef.p12").path
    rep = make_demo_certificate(REPRESENTATIVE, PASSWORD, tmp_path / "rep.p12").path
    on = date(2023, 9, 20)
    data = certify_pdf(carrier_pdf(LAST), open_signer(chef, PASSWORD), certification_request(), on)
    data = sign_report_pdf(data, open_signer(rep, PASSWORD), REPRESENTATIVE, on)
    path = tmp_path / "SVF-redovisning-2023-region-25.pdf"
    path.write_bytes(data)
    return path


def test_a_signed_baseline_report_gives_warnings_to_justify(ctx, report_id, tmp_path) -> None:
    pdf = signed_last_year(tmp_path)
    b = set_baseline(ctx, report_id, pdf)
    assert (b.year, b.region_code, b.source) == (2023, "25", BaselineSource.SIGNED_REPORT)
    assert b.file == pdf.name and len(b.sha256) == 64
    assert b.figures.get("lunga", "included", "kvinnor") == LAST.figures.get(
        "lunga", "included", "kvinnor"
    )
    listed = report_warnings(ctx, report_id)
    keys = [w.finding.key for w in listed.items]
    assert JUMP_KEY in keys
    assert "year_over_year_count:lunga:kvinnor:included" in keys
    # The warning asks for a justification; given, it is kept and the report still warns.
    justify_warning(ctx, report_id, JUMP_KEY, "Ny remissväg; färre kvinnor inkluderades.")
    result = reports.validate_report(ctx, report_id)
    jump = next(f for f in result.warnings if f.key == JUMP_KEY)
    assert jump.acknowledgement is not None
    # The baseline is kept with the report, in its document and in its history.
    doc = reports.dump_report(ctx, report_id)
    assert doc["baseline"]["source"] == "signed_report"
    assert doc["baseline"]["sha256"] == b.sha256
    kinds = [e.kind for e in report_history(ctx, report_id)]
    assert HistoryKind.BASELINE in kinds and HistoryKind.ACKNOWLEDGEMENT in kinds


def test_a_document_or_an_unsigned_export_is_a_baseline_not_signed(ctx, report_id, tmp_path):
    assert set_baseline(ctx, report_id, _last_year_json(tmp_path)).source == (
        BaselineSource.REPORT_DOCUMENT
    )
    from tests.helpers.signed_demo import report_pdf

    unsigned = tmp_path / "export-2023.pdf"
    unsigned.write_bytes(report_pdf(LAST))
    assert set_baseline(ctx, report_id, unsigned).source == BaselineSource.REPORT_DOCUMENT


def test_the_rccs_figures_for_last_year_are_a_baseline(ctx, report_id, tmp_path) -> None:
    extract = tmp_path / "rcc-2023.csv"
    v = LAST.figures
    extract.write_text(
        "region;svf_id;expected_kvinnor;included_kvinnor\n"
        f"25;lunga;{v.get('lunga', 'expected', 'kvinnor')};{v.get('lunga', 'included', 'kvinnor')}\n"
        "01;lunga;500;400\n",
        encoding="utf-8",
    )
    b = set_baseline(ctx, report_id, extract)
    assert b.source == BaselineSource.RCC_FIGURES
    assert len(b.figures) == 2  # only region 25's two values
    assert JUMP_KEY in [w.finding.key for w in report_warnings(ctx, report_id).items]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: _last_year_json(p, THIS), "inte för fjolåret"),
        (
            lambda p: _last_year_json(
                p, next(r for r in demo_reports(2023) if r.region_code == "01")
            ),
            "en annan regions redovisning",
        ),
        (lambda p: (p / "fjol.txt").write_text("x") and p / "fjol.txt", "välj fjolårets"),
        (lambda p: (p / "fjol.json").write_text("{inte json") and p / "fjol.json", "ingen läsbar"),
        (lambda p: (p / "fjol.pdf").write_bytes(b"%PDF-1.7 trasig") and p / "fjol.pdf", "kan inte"),
        (lambda p: p / "saknas.json", "finns inte"),
    ],
)
def test_the_wrong_file_is_refused_and_nothing_changes(ctx, report_id, tmp_path, make, message):
    set_baseline(ctx, report_id, _last_year_json(tmp_path))
    before = reports.dump_report(ctx, report_id)
    with pytest.raises(UserError) as info:  # a Swedish message, never a library's text
        set_baseline(ctx, report_id, make(tmp_path))
    assert message.lower() in str(info.value).lower()
    assert reports.dump_report(ctx, report_id)["baseline"] == before["baseline"]


def test_clearing_the_baseline_removes_its_warnings(ctx, report_id, tmp_path) -> None:
    set_baseline(ctx, report_id, _last_year_json(tmp_path))
    assert any(
        w.finding.rule.startswith("year_over_year") for w in report_warnings(ctx, report_id).items
    )
    clear_baseline(ctx, report_id)
    assert not any(
        w.finding.rule.startswith("year_over_year") for w in report_warnings(ctx, report_id).items
    )
    assert "baseline" not in reports.dump_report(ctx, report_id)


def test_a_locked_report_takes_no_baseline(ctx, report_id, tmp_path) -> None:
    with ctx.uow() as uow:
        uow.reports.set_signing(report_id, locked=True, certification=None, signatures=None)
        uow.commit()
    with pytest.raises(reports.LockedError):
        set_baseline(ctx, report_id, _last_year_json(tmp_path))
