"""The Ledtider step: the chart against the goal, the long-wait table and the narratives."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from desktop_app.domain.figures import lead_time_fulfilment, share_over_175
from desktop_app.domain.fmt import fmt_int, fmt_pct
from desktop_app.domain.rules import Location
from desktop_app.services import reports
from desktop_app.services.demo import create_demo
from desktop_app.ui.session import ReportSession
from desktop_app.ui.steps.lead_times import LeadTimesStep


def make_page(qtbot, session) -> LeadTimesStep:
    step = next(s for s in session.template.steps if s.kind == "lead_times")
    page = LeadTimesStep(session, step)
    qtbot.addWidget(page)
    page.resize(1366, 700)
    page.show()
    qtbot.waitExposed(page)
    return page


@pytest.fixture
def demo_session(ctx):
    ids = create_demo(ctx)
    report_id = next(i for i in ids if reports.get_report(ctx, i).region_code == "01")
    return ReportSession(ctx, report_id)


@pytest.fixture
def empty_session(ctx):
    return ReportSession(ctx, reports.create_report(ctx, "25", 2024))


def table_rows(page: LeadTimesStep) -> list[list[str]]:
    t = page.over_175_table
    return [[t.item(r, c).text() for c in range(t.columnCount())] for r in range(t.rowCount())]


def test_chart_has_women_and_men_per_svf_against_the_goal(qtbot, demo_session):
    page = make_page(qtbot, demo_session)
    tpl = demo_session.template
    fig = demo_session.report.figures
    sets = page.series.barSets()
    assert sorted(s.label() for s in sets) == ["Kvinnor", "Män"]
    # Categories run bottom-up: the template's first SVF is the top category.
    n = len(tpl.svfs)
    assert page.category_axis.count() == n
    assert page.category_axis.at(n - 1) == tpl.svfs[0].name
    for sex in ("kvinnor", "man"):
        bar_set = page.bar_sets[sex]
        assert bar_set.count() == n
        for i, svf in enumerate(tpl.svfs):
            shown = bar_set.at(n - 1 - i)
            r = lead_time_fulfilment(fig, tpl, svf.id, sex).rate
            if svf.applies_to(sex) and r is not None:
                assert shown == pytest.approx(r * 100, abs=0.05), (svf.id, sex)
            else:
                assert shown == 0
    prostata = next(i for i, s in enumerate(tpl.svfs) if s.id == "prostata")
    assert page.bar_sets["kvinnor"].at(n - 1 - prostata) == 0
    assert page.bar_sets["man"].at(n - 1 - prostata) > 0
    # The goal line at the template's threshold, labelled in Swedish.
    assert page.goal_line.name() == "Mål 80 %"
    assert {p.x() for p in page.goal_line.points()} == {tpl.lead_time_percent}
    assert "Mål 80 %" in page.legend.text()
    total = lead_time_fulfilment(fig, tpl)
    assert fmt_pct(total.rate) in page.chart_summary.text()


def test_over_175_table_is_sorted_by_patients_with_the_share_of_included(qtbot, demo_session):
    page = make_page(qtbot, demo_session)
    tpl = demo_session.template
    fig = demo_session.report.figures
    rows = table_rows(page)
    assert 0 < len(rows) <= 10
    totals = [int(r[3].replace(" ", "")) for r in rows]
    assert totals == sorted(totals, reverse=True)
    # The first row is the SVF with most patients over 175 %, with its share from the domain.
    by_total = sorted(tpl.svfs, key=lambda s: (-fig.total("over_175", [s.id], s.sexes), s.name))
    first = by_total[0]
    assert rows[0][0] == first.name
    assert rows[0][4] == fmt_pct(share_over_175(fig, tpl, first.id).rate)
    women, men = fig.get(first.id, "over_175", "kvinnor"), fig.get(first.id, "over_175", "man")
    assert rows[0][1] == ("–" if women is None else fmt_int(women))
    assert rows[0][2] == ("–" if men is None else fmt_int(men))
    headers = [page.over_175_table.horizontalHeaderItem(c).text() for c in range(5)]
    assert headers == ["SVF", "Kvinnor", "Män", "Totalt", "Andel av inkl."]


def test_chart_and_table_follow_edits_and_undo(qtbot, empty_session):
    session = empty_session
    page = make_page(qtbot, session)
    n = len(session.template.svfs)
    assert not page.over_175_table.isVisible()
    assert "Inga patienter" in page.over_175_note.text()
    lunga = next(i for i, s in enumerate(session.template.svfs) if s.id == "lunga")

    session.set_figures(
        {
            ("lunga", "included", "kvinnor"): 40,
            ("lunga", "within_lead_time", "kvinnor"): 30,
            ("lunga", "over_175", "kvinnor"): 6,
            ("kll", "included", "man"): 10,
            ("kll", "within_lead_time", "man"): 2,
            ("kll", "over_175", "man"): 2,
        }
    )
    assert page.bar_sets["kvinnor"].at(n - 1 - lunga) == 75.0
    assert page.over_175_table.isVisible()
    assert table_rows(page) == [
        ["Lungcancer", "6", "–", "6", "15,0 %"],
        ["Kronisk lymfatisk leukemi", "–", "2", "2", "20,0 %"],
    ]

    session.set_figures({("kll", "over_175", "man"): 8}, "Ändra")
    assert [r[0] for r in table_rows(page)] == ["Kronisk lymfatisk leukemi", "Lungcancer"]
    session.undo_stack.undo()
    assert [r[0] for r in table_rows(page)] == ["Lungcancer", "Kronisk lymfatisk leukemi"]
    session.undo_stack.undo()
    assert page.bar_sets["kvinnor"].at(n - 1 - lunga) == 0
    assert not page.over_175_table.isVisible()


def test_the_steps_questions_are_editable_next_to_the_chart(qtbot, empty_session):
    session = empty_session
    page = make_page(qtbot, session)
    expected = [q.id for q in session.template.questions_for_step(page.step.id)]
    assert list(page.question_editors) == expected and expected
    editor = page.question_editors[expected[0]].editor
    assert editor is not None
    editor.setPlainText("Väntan på MR och patologi förklarar de längsta väntetiderna.")
    assert session.report.answers[expected[0]].startswith("Väntan på MR")
    page.activateWindow()
    page.focus_location(Location(step=page.step.id, field=expected[-1]))
    last = page.question_editors[expected[-1]].editor
    qtbot.waitUntil(lambda: last.hasFocus())


def test_lead_time_table_shows_versions_limits_and_unconfirmed(qtbot, empty_session):
    page = make_page(qtbot, empty_session)
    t = page.lead_time_table
    rows = [[t.item(r, c).text() for c in range(t.columnCount())] for r in range(t.rowCount())]
    header = [t.horizontalHeaderItem(c).text() for c in range(t.columnCount())]
    assert header == ["SVF / behandling", "Dagar", "Över 175 %"]
    start = rows.index(["Urinblåse- och urinvägscancer", "", ""])
    # The change of 2024-05-14 inside the period: each version under its dates.
    assert rows[start + 1 : start + 11] == [
        ["  t.o.m. 2024-05-13:", "", ""],
        ["    ingen ytterligare åtgärd", "22 ?", "> 38,5 d"],
        ["    kirurgi", "37 ?", "> 64,75 d"],
        ["    läkemedel", "39 ?", "> 68,25 d"],
        ["    strålbehandling", "43 ?", "> 75,25 d"],
        ["  fr.o.m. 2024-05-14:", "", ""],
        ["    ingen ytterligare åtgärd", "ej fastställd ?", "–"],
        ["    kirurgi", "42 ?", "> 73,5 d"],
        ["    läkemedel", "44 ?", "> 77 d"],
        ["    strålbehandling", "48 ?", "> 84 d"],
    ]
    assert t.columnSpan(start + 6, 0) == 3
    lung = rows.index(["Lungcancer", "ej fastställd", "–"])
    brost = rows.index(["Bröstcancer", "", ""])
    assert rows[brost + 1][1:] == ["28", "> 49 d"]
    # Not confirmed: the caution tone; confirmed: none.
    assert t.item(lung, 0).background().color().name() == "#fff4d6"
    assert t.item(brost + 1, 1).background().style() == Qt.BrushStyle.NoBrush
    assert "EJ BEKRÄFTAD" in t.item(lung, 0).toolTip()
    assert "ändrad i senare version" in t.item(start + 3, 1).toolTip()
    assert "över 73,5 dagar (från 74 dagar)" in t.item(start + 8, 0).toolTip()
    assert "175 %" in page.lead_time_note.text()
    assert "inte avrundad" in page.lead_time_note.toolTip()


def test_an_svf_reported_as_totals_gets_a_bar_over_both_sexes(qtbot, ctx):
    """Issue 12: included as a total per SVF has no rate per sex; the chart shows the rate
    over both sexes as a grey bar of its own, and drops that bar when the split is back."""
    from desktop_app.services import reports
    from desktop_app.ui.session import ReportSession
    from desktop_app.ui.steps.lead_times import LeadTimesStep

    rid = reports.create_report(ctx, "25", 2024)
    session = ReportSession(ctx, rid)
    session.set_figures(
        {
            ("lunga", "included", "totalt"): 40,
            ("lunga", "within_lead_time", "kvinnor"): 10,
            ("lunga", "within_lead_time", "man"): 20,
        },
        "totals",
    )
    step = next(s for s in session.template.steps if s.kind == "lead_times")
    page = LeadTimesStep(session, step)
    qtbot.addWidget(page)
    assert page.total_set in page.series.barSets()
    lung = [s.id for s in page.svfs].index("lunga")
    assert page.bar_values("totalt")[lung] == 75.0
    assert page.bar_values("kvinnor")[lung] == 0.0
    assert "Totalt (ej per kön)" in page.legend.text()
    session.set_figures(
        {
            ("lunga", "included", "totalt"): None,
            ("lunga", "included", "kvinnor"): 20,
            ("lunga", "included", "man"): 20,
        },
        "split",
    )
    assert page.total_set not in page.series.barSets()
    assert page.bar_values("kvinnor")[lung] == 50.0
