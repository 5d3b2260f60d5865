"""The disclosure check before the published copy (issue 15, point 7): a cell with 3 patients
is flagged before signing and reads "<5" in the published copy written next to the signed
original, which stays byte for byte the same; PREM with fewer than 30 answers reads "–"; the
limits are the template's."""

import hashlib
import json
from dataclasses import replace

import pytest

from desktop_app.cli import main
from desktop_app.domain.disclosure import (
    RULE_COMPLEMENT,
    RULE_FEW_PREM_ANSWERS,
    RULE_SMALL_COUNT,
    disclosure_flags,
)
from desktop_app.domain.document import to_document
from desktop_app.services import reports
from desktop_app.services.exports import export_pdf
from desktop_app.services.publish import disclosure_check, published_path, write_published_copy
from tests.exchange.test_outputs_follow_template import pdf_text
from tests.helpers.factories import complete_report


def _report(tpl, included=3, answers=55):
    """A complete report whose only small count is Peniscancer, män, Inkluderade."""
    report = complete_report(tpl, over=0)
    report.figures.set("penis", "included", "man", included)
    report.figures.set("penis", "within_lead_time", "man", 0)
    report.prem.answers = answers
    return report


def _stored(ctx, tpl, **kw):
    rid, _ = reports.load_document(ctx, to_document(_report(tpl, **kw), tpl), "r.json")
    return rid


def _row(text, name):
    return next(line for line in text.splitlines() if line.strip().startswith(name))


def test_a_cell_with_three_patients_is_flagged_before_signing(ctx, tpl):
    rid = _stored(ctx, tpl)
    found = disclosure_check(ctx, rid)
    assert [(f.rule, f.location.svf, f.location.measure, f.location.sex) for f in found] == [
        (RULE_SMALL_COUNT, "penis", "included", "man"),
        # secondary suppression: the smallest other SVF of the group (Äggstockscancer, 8)
        (RULE_COMPLEMENT, "aggstock", "included", None),
    ]
    assert "3 patienter (färre än 5)" in found[0].message and "<5" in found[0].message
    assert disclosure_flags(_report(tpl, included=5), tpl) == []  # 5 is not small
    assert disclosure_flags(_report(tpl, included=0), tpl) == []  # nobody is nobody


def test_the_published_copy_reads_lt5_and_the_signed_original_is_unchanged(ctx, tpl, tmp_path):
    from tests.helpers.round_trip import make_keys, signed_report

    rid = _stored(ctx, tpl)
    original = signed_report(ctx, rid, make_keys(tmp_path / "keys"), tmp_path / "signerad.pdf")
    before = hashlib.sha256(original.read_bytes()).hexdigest()
    copy = write_published_copy(ctx, original)
    assert copy.path == published_path(original) == tmp_path / "signerad-publicerad.pdf"
    assert hashlib.sha256(original.read_bytes()).hexdigest() == before
    published, exact = (
        pdf_text(copy.path.read_bytes(), tmp_path),
        pdf_text(original.read_bytes(), tmp_path),
    )
    assert "Publicerad version" in published and "Publicerad version" not in exact
    pub_row, exact_row = _row(published, "Peniscancer"), _row(exact, "Peniscancer")
    assert "<5" in pub_row.split() and "3" in exact_row.split()
    assert "3" not in pub_row.split()
    assert "–" in pub_row.split()  # the rates built on the 3 patients
    assert [f.rule for f in copy.hidden] == [RULE_SMALL_COUNT, RULE_COMPLEMENT]
    # The complement: Äggstockscancer's included (8) is hidden too, so the total minus the
    # other rows gives 3 + 8, not the 3 patients.
    pub_agg, exact_agg = _row(published, "Äggstockscancer"), _row(exact, "Äggstockscancer")
    assert "8" in exact_agg.split() and "8" not in pub_agg.split()
    # ... nor its rates (for an SVF of one sex the rate per sex is the whole one: 8 of 10).
    assert "80,0" in exact_agg.split() and "80,0" not in pub_agg.split()
    from desktop_app.signing import read_attachments

    assert read_attachments(copy.path.read_bytes()) == {}  # no exact figures inside


def test_prem_with_fewer_than_30_answers_reads_a_dash(ctx, tpl, tmp_path):
    rid = _stored(ctx, tpl, included=8, answers=20)
    found = disclosure_check(ctx, rid)
    assert [f.rule for f in found] == [RULE_FEW_PREM_ANSWERS]
    export_pdf(ctx, rid, tmp_path / "r.pdf")
    copy = write_published_copy(ctx, tmp_path / "r.pdf", tmp_path / "pub.pdf")
    text = " ".join(pdf_text(copy.path.read_bytes(), tmp_path).split())
    assert "svar: –." in text and "20 svar" not in text and "svar: 20" not in text
    assert "resultatet visas inte (färre än 30 svar)" in text
    assert "bifogade i filen som svf-report.json" not in text


def test_the_limits_are_the_templates(tpl):
    stricter = replace(tpl, disclosure=replace(tpl.disclosure, min_patients=10))
    found = disclosure_flags(_report(tpl, included=8), stricter)
    assert ("penis", "included", "man") in {
        (f.location.svf, f.location.measure, f.location.sex) for f in found
    }
    assert disclosure_flags(_report(tpl), replace(tpl, disclosure=None)) == []


def test_cli_disclosure_and_publish(capsys, ctx, tpl, tmp_path, db_path):
    rid = _stored(ctx, tpl)
    assert main(["disclosure", "--db", str(db_path), "--report", str(rid), "--json"]) == 1
    assert json.loads(capsys.readouterr().out)[0]["location"]["svf"] == "penis"
    export_pdf(ctx, rid, tmp_path / "r.pdf")
    assert main(["publish", "--db", str(db_path), str(tmp_path / "r.pdf")]) == 0
    assert "r-publicerad.pdf" in capsys.readouterr().out
    assert main(["publish", "--db", str(db_path), str(tmp_path / "r.pdf"), "--out",
                 str(tmp_path / "r.pdf")]) == 2  # fmt: skip
    assert "skriva över originalet" in capsys.readouterr().err


@pytest.mark.parametrize("name", ["svf-2023", "svf-2024"])
def test_every_template_sets_the_limits(name):
    from desktop_app.domain.template import load_template

    lim = load_template(name).disclosure
    assert (lim.min_patients, lim.min_prem_answers, lim.small_count_text) == (5, 30, "<5")
