"""F1 opens the guide on the page for the screen in front; search finds and highlights;
pictures load; back and forward; About shows the database (issue 13, point 9)."""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QApplication

from desktop_app.services import reports
from desktop_app.services.demo import create_demo
from desktop_app.ui.help import HelpWindow
from desktop_app.ui.main_window import MainWindow


def press_f1(qtbot, widget) -> None:
    qtbot.keyClick(widget, Qt.Key.Key_F1)


def images_of(doc: QTextDocument) -> list[tuple[str, bool]]:
    """(source, loaded) of every picture in the page."""
    out = []
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fmt = it.fragment().charFormat()
            if fmt.isImageFormat():
                name = fmt.toImageFormat().name()
                res = doc.resource(QTextDocument.ResourceType.ImageResource, QUrl(name))
                out.append((name, res is not None and not getattr(res, "isNull", lambda: True)()))
            it += 1
        block = block.next()
    return out


def test_f1_opens_the_guide_on_the_page_for_the_screen(qtbot, ctx):
    create_demo(ctx)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    press_f1(qtbot, window)
    guide = window.help_window
    qtbot.addWidget(guide)
    assert guide.isVisible() and guide.current_page.id == "start"
    rid = next(r.id for r in reports.list_reports(ctx) if r.region.code == "24")
    window.open_report(rid)
    press_f1(qtbot, window)
    assert window.help_window is guide and guide.current_page.id == "samordnare"
    window.report_view.go_to_step("granska")
    press_f1(qtbot, window)
    assert guide.current_page.id == "granska"
    window.show_rcc()
    press_f1(qtbot, window)
    assert guide.current_page.id == "rcc"
    assert "Underskrivare och betrodda utfärdare" in guide.browser.toPlainText()
    window.close()


def test_search_finds_a_page_by_a_word_shows_and_highlights_it(qtbot):
    guide = HelpWindow()
    qtbot.addWidget(guide)
    guide.show()
    guide.show_page("start")
    guide.search.setText("PUK")  # what typing does (textChanged)
    assert guide.results.isVisible() and not guide.toc.isVisible()
    assert guide.result_titles() == ["Kortet hittas inte"]
    assert "PUK" in guide.results.itemWidget(guide.results.item(0)).text()
    rect = guide.results.visualItemRect(guide.results.item(0))
    qtbot.mouseClick(guide.results.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert guide.current_page.id == "problem-kort"
    assert guide.highlights and all(t.casefold() == "puk" for t in guide.highlights)
    guide.search.setText("ordsomintefinns")
    assert guide.no_hits.isVisible() and "Inga sidor" in guide.no_hits.text()
    guide.search.clear()
    assert guide.toc.isVisible() and guide.highlights == []


def test_every_page_loads_its_pictures(qtbot):
    guide = HelpWindow()
    qtbot.addWidget(guide)
    guide.show()
    seen = 0
    for page in guide.guide.pages:
        guide.show_page(page.id)
        QApplication.processEvents()
        pictures = images_of(guide.browser.document())
        assert len(pictures) == len(page.images()), page.id
        assert all(loaded for _, loaded in pictures), (page.id, pictures)
        seen += len(pictures)
    assert seen >= 6


def test_back_forward_and_links_between_pages(qtbot):
    guide = HelpWindow()
    qtbot.addWidget(guide)
    guide.show()
    guide.show_page("start")
    guide.show_page("ekonomichef")
    assert "problem-kort.md" in guide.browser.toHtml()  # the page links to it
    # What a click on the link does: the link resolved against the page.
    guide.browser.setSource(guide.browser.source().resolved(QUrl("problem-kort.md")))
    assert guide.current_page.id == "problem-kort"
    qtbot.mouseClick(guide.back_button, Qt.MouseButton.LeftButton)
    assert guide.current_page.id == "ekonomichef"
    qtbot.mouseClick(guide.back_button, Qt.MouseButton.LeftButton)
    assert guide.current_page.id == "start" and not guide.back_button.isEnabled()
    qtbot.mouseClick(guide.forward_button, Qt.MouseButton.LeftButton)
    assert guide.current_page.id == "ekonomichef"
    assert guide.toc.currentItem().text(0) == "Ekonomichefens intygande"


def test_about_shows_version_database_and_support(qtbot, ctx):
    from desktop_app import __version__

    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show_about()
    text = window.about_box.text.text()
    assert __version__ in text and str(ctx.db_path) in text
    assert "Support:" in text and "RCC" in text
    window.about_box.close()


def test_f1_in_the_certification_dialog_opens_the_finance_chiefs_page(qtbot, ctx, tmp_path):
    from desktop_app.services.exports import export_pdf

    create_demo(ctx)
    rid = next(r.id for r in reports.list_reports(ctx) if r.region.code == "24")
    pdf = tmp_path / "vasterbotten.pdf"
    export_pdf(ctx, rid, pdf)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.signing_dialog_ready, timeout=30_000) as opened:
        window.certify_pdf(pdf)
    dialog = opened.args[0]
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    press_f1(qtbot, dialog)
    guide = window.help_window
    qtbot.addWidget(guide)
    assert guide.current_page.id == "ekonomichef"
    dialog.close()
