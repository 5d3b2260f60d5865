"""A personal identity number in a narrative blocks every export with a message naming the step
and field; the change log never keeps one from an import file's name."""

from __future__ import annotations

import pytest

from desktop_app.services import reports
from desktop_app.services.exports import IdentityNumberError, export_pdf

PNR = "19121212-1212"


def test_personnummer_in_narrative_blocks_export(ctx, tmp_path):
    tpl_id = reports.create_report(ctx, "25", 2024)
    tpl = reports.template_of(ctx, tpl_id)
    q = next(q for q in tpl.questions if q.type != "yes_no")
    reports.set_answer(ctx, tpl_id, q.id, f"Patient {PNR} väntade 90 dagar.")
    out = tmp_path / "r.pdf"
    with pytest.raises(IdentityNumberError) as err:
        export_pdf(ctx, tpl_id, out, tmp_path / "r.xlsx")
    text = str(err.value)
    step = next(s.title for s in tpl.steps if s.id == q.step)
    assert step in text and q.title in text and "personnummer" in text
    assert PNR not in text
    assert not out.exists() and not (tmp_path / "r.xlsx").exists()
    reports.set_answer(ctx, tpl_id, q.id, f"Ärende {PNR} (inte ett personnummer: diarienummer).")
    export_pdf(ctx, tpl_id, out)
    assert out.exists()


def test_change_log_masks_identity_numbers(ctx):
    rid = reports.create_report(ctx, "25", 2024)
    with ctx.uow() as uow:
        uow.reports.log(rid, "imported", f"Importerad från lista_{PNR}.xlsx")
        uow.commit()
    with ctx.uow() as uow:
        from sqlmodel import select

        from desktop_app.storage.tables import ChangeLogRow

        summaries = [r.summary for r in uow.session.exec(select(ChangeLogRow)).all()]
    assert summaries and all(PNR not in s for s in summaries)
    assert any("[personnummer borttaget]" in s for s in summaries)
