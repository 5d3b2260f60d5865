"""Issue 13, point 3: the report window on a 1366×768 laptop (the window maximised inside the
available area, 1366×728 with the taskbar). The Ledtider step wraps its texts instead of
cutting them; the SVF grid keeps the names in view, groups its columns per measure with the
sex under it, and has a compact view (remembered) that shows every measure of a row without
scrolling sideways; pasting from Excel keeps the workbook's order in both views."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QItemSelectionModel, QPoint, Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QAbstractScrollArea, QLabel, QPlainTextEdit, QWidget

from desktop_app.services import reports
from desktop_app.services.demo import create_demo
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.widgets.grouped_header import GroupedHeader

AVAILABLE_W, AVAILABLE_H = 1366, 728


@pytest.fixture
def window(qtbot, ctx, monkeypatch):
    create_demo(ctx)
    # As maximised on the laptop: the test's screen is another size, so the window is given
    # the laptop's available area directly instead of being fitted to the test screen.
    monkeypatch.setattr(MainWindow, "fit_to_screen", lambda self: None)
    w = MainWindow(ctx)
    qtbot.addWidget(w)
    w.resize(AVAILABLE_W, AVAILABLE_H)
    w.show()
    qtbot.waitExposed(w)
    qtbot.waitExposed(w)
    return w


def open_step(qtbot, window: MainWindow, kind: str, region: str = "22"):  # noqa: ANN201
    rid = next(r.id for r in reports.list_reports(window.ctx) if r.region.code == region)
    window.open_report(rid)
    view = window.report_view
    step = next(s for s in view.session.template.steps if s.kind == kind)
    page = view.go_to_step(step.id)
    qtbot.wait(50)  # layouts settle
    return page


def _clip(widget: QWidget, page: QWidget) -> QWidget:
    """The viewport of the scroll area the widget is in, else the page."""
    p = widget.parentWidget()
    while p is not None and p is not page:
        if isinstance(p, QAbstractScrollArea):
            return p.viewport()
        p = p.parentWidget()
    return page


def cut_texts(page: QWidget) -> list[str]:
    """The visible texts of the page that do not fit: a label or editor reaching past the right
    edge of what shows it (its scroll area, the page, the window), or a label on one line
    wider than itself."""
    window = page.window()
    out = []
    widgets = [*page.findChildren(QLabel), *page.findChildren(QPlainTextEdit)]
    for w in widgets:
        if not w.isVisibleTo(page) or w.width() == 0:
            continue
        clip = _clip(w, page)
        right = w.mapTo(clip, QPoint(w.width(), 0)).x()
        right_in_window = w.mapTo(window, QPoint(w.width(), 0)).x()
        name = w.text() if isinstance(w, QLabel) else w.accessibleName()
        if right > clip.width() + 1 or right_in_window > window.width() + 1:
            out.append(f"past the edge: {name[:50]!r}")
        if isinstance(w, QLabel) and not w.wordWrap():
            doc = QTextDocument()
            doc.setDefaultFont(w.font())
            doc.setHtml(w.text()) if "<" in w.text() else doc.setPlainText(w.text())
            doc.setDocumentMargin(0)
            if doc.idealWidth() > w.width() + 2:
                out.append(f"one line wider than its label: {name[:50]!r}")
        if isinstance(w, QPlainTextEdit):
            assert w.lineWrapMode() == QPlainTextEdit.LineWrapMode.WidgetWidth
    return out


@pytest.fixture(params=[9.0, 10.0])
def app_font(request, qapp):
    """The system's font at the usual size, and a slightly larger one (a user's setting)."""
    before = qapp.font()
    font = qapp.font()
    font.setPointSizeF(request.param)
    qapp.setFont(font)
    yield request.param
    qapp.setFont(before)


def test_the_lead_time_step_wraps_its_texts_on_a_laptop(qtbot, app_font, window):
    """Nothing of the step is cut at the right edge, and the window fits the laptop's
    screen."""
    page = open_step(qtbot, window, "lead_times")
    assert window.minimumSizeHint().width() <= AVAILABLE_W
    assert window.width() <= AVAILABLE_W
    editors = list(page.question_editors.values())
    assert editors and all(e.editor is None or e.editor.isVisibleTo(page) for e in editors)
    long_text = "Väntetiderna har ökat för flera SVF under perioden, särskilt inom urologin. " * 8
    page.session.set_answer(editors[0].question.id, long_text)
    assert not cut_texts(page), cut_texts(page)


def figures_page(qtbot, window):  # noqa: ANN001, ANN201
    return open_step(qtbot, window, "figures")


def test_the_grid_groups_each_measure_over_its_sexes_and_keeps_the_names(qtbot, window):
    page = figures_page(qtbot, window)
    header = page.view.horizontalHeader()
    assert isinstance(header, GroupedHeader)
    m = page.model
    first = m.column_for("included", "kvinnor")
    last = m.column_for("included", "totalt")
    assert (header.span(first), header.span(m.column_for("included", "man"))) == (
        (first, last),
        (first, last),
    )
    assert m.header_group(first)[1] == "Inkluderade"
    assert [m.header_sub(c) for c in range(first, last + 1)] == ["kvinnor", "män", "totalt"]
    # One label spans the group's three columns, above the sexes.
    span = header.group_rect(first)
    assert span.x() == header.sectionViewportPosition(first)
    assert span.width() == sum(header.sectionSize(c) for c in range(first, last + 1))
    assert header.height() >= span.height() + header.fontMetrics().height()
    # The computed columns have no group; their whole label fills the header.
    assert m.header_group(0) is None
    # The names stay in view while the grid scrolls sideways.
    bar = page.view.horizontalScrollBar()
    assert bar.maximum() > 0  # the normal view is wider than a laptop's screen
    names = page.view.verticalHeader()
    before = names.mapTo(page, QPoint(0, 0))
    bar.setValue(bar.maximum())
    qtbot.wait(20)
    assert header.logicalIndexAt(0) > 3  # scrolled past the first columns …
    assert names.isVisible() and names.mapTo(page, QPoint(0, 0)) == before  # … names stay
    assert names.width() > 100
    assert m.headerData(0, Qt.Orientation.Vertical) == "Akut myeloisk leukemi"


def test_the_compact_view_shows_every_measure_of_a_row_and_is_remembered(qtbot, window):
    page = figures_page(qtbot, window)
    assert not page.compact_toggle.isChecked()  # a first-time user sees everything
    qtbot.mouseClick(page.compact_toggle, Qt.MouseButton.LeftButton)
    qtbot.wait(20)
    m, view = page.model, page.view
    header = view.horizontalHeader()
    assert page.compact_toggle.isChecked() and m.compact
    assert all(header.isSectionHidden(c) for c, col in enumerate(m.columns) if col.computed)
    shown = [c for c in range(m.columnCount()) if not header.isSectionHidden(c)]
    assert all(m.columns[c].measure is not None for c in shown)
    assert view.horizontalScrollBar().maximum() == 0  # every measure of a row in view
    assert sum(header.sectionSize(c) for c in shown) <= view.viewport().width()
    assert m.header_sub(m.column_for("expected", "kvinnor")) == "K"
    assert "K = kvinnor" in page.compact_legend.text() and page.compact_legend.isVisible()
    # The numbers are never cut: each column is at least as wide as its widest value.
    fm = view.fontMetrics()
    for c in shown:
        widest = max(fm.horizontalAdvance(str(m.index(r, c).data() or "")) for r in range(34))
        assert header.sectionSize(c) >= widest + 4
    # Remembered: the next time the report is opened the grid is compact.
    window.show_list()
    again = figures_page(qtbot, window)
    assert again is not page and again.compact_toggle.isChecked()
    assert again.view.horizontalScrollBar().maximum() == 0
    qtbot.mouseClick(again.compact_toggle, Qt.MouseButton.LeftButton)
    assert not again.model.compact
    qtbot.waitUntil(lambda: again.view.horizontalScrollBar().maximum() > 0)


def test_paste_from_excel_keeps_the_workbooks_order_in_the_compact_view(qtbot, window):
    page = figures_page(qtbot, window)
    page.set_compact(True)
    m = page.model
    start = m.index(m.row_for("lunga"), m.column_for("expected", "kvinnor"))
    page.view.selectionModel().setCurrentIndex(
        start, QItemSelectionModel.SelectionFlag.ClearAndSelect
    )
    # Beräkningsunderlag K, M, T, then Utredda K, M, as the workbook's columns run.
    assert page.paste_text("40\t41\t\t90\t91\n")
    figures = page.session.report.figures
    assert figures.get("lunga", "expected", "kvinnor") == 40
    assert figures.get("lunga", "expected", "man") == 41
    assert figures.get("lunga", "expected", "totalt") is None
    assert figures.get("lunga", "investigated", "kvinnor") == 90
    assert figures.get("lunga", "investigated", "man") == 91


def test_the_window_fits_a_laptop_with_a_larger_font(qtbot, app_font, window):
    """The figures step's tool row wraps instead of widening every step past the screen."""
    figures_page(qtbot, window)
    assert window.minimumSizeHint().width() <= AVAILABLE_W
