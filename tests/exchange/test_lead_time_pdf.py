"""The exported report PDF shows each SVF's lead times with their validity, limits and status
right after the SVF table (read back with pdftotext)."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from desktop_app.domain.rules import evaluate_criteria, validate
from desktop_app.domain.template import load_template

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs pdftotext")


def test_report_pdf_has_the_lead_time_table_after_the_svf_table(tmp_path: Path) -> None:
    from desktop_app.exchange.pdf import PdfContent, render_report_pdf
    from desktop_app.services.demo import demo_reports

    tpl = load_template("svf-2024")
    report = next(r for r in demo_reports() if r.region_code == "25")
    today = date(2024, 9, 1)
    rendered = render_report_pdf(
        PdfContent(
            report=report,
            tpl=tpl,
            region_name="Region Norrbotten",
            document_id="0" * 64,
            rendered_on=today,
            status_label="Utkast",
            criteria=evaluate_criteria(report, tpl, today),
            findings=validate(report, tpl),
        )
    )
    path = tmp_path / "r.pdf"
    path.write_bytes(rendered.data)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    heading = "Ledtider per SVF och behandling, första halvåret 2024"
    assert heading in flat
    # After the SVF table, before the lead-time chart (the page headings; the cover lists them).
    assert flat.rindex("SVF-statistik") < flat.index(heading) < flat.rindex("Ledtider mot målet")
    for expected in (
        "Över 175 %",
        "t.o.m. 2024-05-13",
        "fr.o.m. 2024-05-14",
        "42 dagar",
        "över 64,75 dagar",
        "ej fastställd",
        "Ej bekräftad",
        "Senast kända",
        "hela perioden",
    ):
        assert expected in flat, expected


def test_compilation_pdf_has_the_lead_time_table_and_labels_the_agreement_numbers(
    tmp_path: Path,
) -> None:
    """Issue 12: the RCC's compilation shows the lead times with their validity like the
    regional report, and SKR2023/02165 is named SKR's ärendenummer, not a bare number."""
    from desktop_app.exchange.compilation_pdf import render_compilation_pdf
    from desktop_app.services.demo import demo_reports
    from tests.exchange.test_outputs_follow_template import compilation_document

    tpl = load_template("svf-2024")
    demo = {r.region_code: r for r in demo_reports()}
    path = tmp_path / "c.pdf"
    path.write_bytes(render_compilation_pdf(compilation_document(tpl, demo), "0" * 64).data)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    heading = "Ledtider per SVF och behandling, första halvåret 2024"
    assert heading in flat
    for expected in ("fr.o.m. 2024-05-14", "över 64,75 dagar", "Ej bekräftad"):
        assert expected in flat, expected
    assert "SKR:s ärendenummer SKR2023/02165" in flat
    assert "(SKR2023/02165)" not in flat
    assert "Regeringskansliets diarienummer för" in flat  # the label wraps in its column
