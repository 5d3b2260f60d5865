"""The guide that F1 opens (issue 13, point 9) and the About box.

The guide is a window of its own (it stays open beside the work): the table of contents by
user, a search field that lists the pages with every word and highlights them in the page,
back and forward, and the pages themselves (Markdown with pictures of the screens, from
resources/help through services.help)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import (
    QColor,
    QGuiApplication,
    QKeySequence,
    QShortcut,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QTextEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.services import help as guide_service
from desktop_app.ui.widgets.dialog_fit import FittedDialog, fit_dialog

PAGE_ROLE = Qt.ItemDataRole.UserRole
HIGHLIGHT = "#ffe066"


class HelpWindow(QWidget):
    """The guide: contents and search on the left, the page on the right."""

    page_shown = Signal(str)  # page id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window)
        # Beside the work, never keeping the application alive after the main window closed.
        self.setAttribute(Qt.WidgetAttribute.WA_QuitOnClose, False)
        self.guide = guide_service.load_guide()
        self.setWindowTitle(self.guide.title)
        self.resize(1100, 700)
        self.words: list[str] = []
        outer = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.back_button = QPushButton("◀ Bakåt")
        self.forward_button = QPushButton("Framåt ▶")
        self.home_button = QPushButton("Innehåll")
        self.search = QLineEdit()
        self.search.setAccessibleName("Sök i hjälpen")
        self.search.setPlaceholderText("Sök i hjälpen, t.ex. kort, import, kvittens …")
        self.search.setClearButtonEnabled(True)
        for w in (self.back_button, self.forward_button, self.home_button):
            bar.addWidget(w)
        bar.addWidget(self.search, 1)
        outer.addLayout(bar)

        split = QSplitter()
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        self.toc = QTreeWidget()
        self.toc.setAccessibleName("Innehåll")
        self.toc.setHeaderHidden(True)
        self.results = QListWidget()
        self.results.setAccessibleName("Sökträffar")
        self.results.setWordWrap(True)
        self.results.setAlternatingRowColors(True)
        self.results.hide()
        self.no_hits = QLabel()
        self.no_hits.setWordWrap(True)
        self.no_hits.hide()
        column.addWidget(self.toc)
        column.addWidget(self.no_hits)
        column.addWidget(self.results)
        self.browser = QTextBrowser()
        self.browser.setAccessibleName("Hjälpsida")
        self.browser.setOpenExternalLinks(True)
        self.browser.setSearchPaths([str(self.guide.folder / "pages")])
        split.addWidget(left)
        split.addWidget(self.browser)
        split.setStretchFactor(1, 1)
        split.setSizes([280, 820])
        outer.addWidget(split, 1)

        self._fill_toc()
        self.back_button.clicked.connect(self.browser.backward)
        self.forward_button.clicked.connect(self.browser.forward)
        self.home_button.clicked.connect(lambda: self.show_page(self.guide.pages[0].id))
        self.browser.backwardAvailable.connect(self.back_button.setEnabled)
        self.browser.forwardAvailable.connect(self.forward_button.setEnabled)
        self.back_button.setEnabled(False)
        self.forward_button.setEnabled(False)
        self.browser.sourceChanged.connect(self._source_changed)
        self.toc.itemActivated.connect(self._toc_item)
        self.toc.itemClicked.connect(self._toc_item)
        self.results.itemActivated.connect(self._result_item)
        self.results.itemClicked.connect(self._result_item)
        self.search.textChanged.connect(self.find)
        self.search.returnPressed.connect(self._open_first_hit)
        QShortcut(QKeySequence.StandardKey.Find, self, activated=self.search.setFocus)
        QShortcut(QKeySequence.StandardKey.Back, self, activated=self.browser.backward)
        QShortcut(QKeySequence.StandardKey.Forward, self, activated=self.browser.forward)

    def _fill_toc(self) -> None:
        groups: dict[str, QTreeWidgetItem] = {}
        for name in self.guide.groups:
            groups[name] = QTreeWidgetItem(self.toc, [name])
        for page in self.guide.pages:
            parent = groups.get(page.group) or QTreeWidgetItem(self.toc, [page.group])
            item = QTreeWidgetItem(parent, [page.title])
            item.setData(0, PAGE_ROLE, page.id)
        self.toc.expandAll()

    # ------------------------------------------------------------------ pages
    @property
    def current_page(self) -> guide_service.HelpPage | None:
        return self.guide.page_of_file(self.browser.source().toLocalFile())

    def show_page(self, page_id: str, words: list[str] | None = None) -> None:
        """Show a page (its words highlighted when given), in the history."""
        self.words = list(words or [])
        page = self.guide.page(page_id)
        url = QUrl.fromLocalFile(str(page.path))
        if self.browser.source() == url:
            self._highlight()
        else:
            self.browser.setSource(url)

    def _source_changed(self, url: QUrl) -> None:
        page = self.guide.page_of_file(url.toLocalFile())
        if page is None:
            return
        self.setWindowTitle(f"{page.title} – {self.guide.title}")
        self._select_in_toc(page.id)
        self._highlight()
        self.page_shown.emit(page.id)

    def _select_in_toc(self, page_id: str) -> None:
        for i in range(self.toc.topLevelItemCount()):
            group = self.toc.topLevelItem(i)
            for j in range(group.childCount()):
                item = group.child(j)
                if item.data(0, PAGE_ROLE) == page_id:
                    self.toc.setCurrentItem(item)

    def _toc_item(self, item: QTreeWidgetItem) -> None:
        page_id = item.data(0, PAGE_ROLE)
        if page_id:
            self.show_page(page_id, query_words_of(self.search.text()))

    # ------------------------------------------------------------------ search
    def find(self, query: str) -> list[guide_service.SearchHit]:
        """List the pages with every word of ``query`` (the contents again when empty)."""
        hits = self.guide.search(query)
        searching = bool(guide_service.query_words(query))
        self.toc.setVisible(not searching)
        self.results.setVisible(searching and bool(hits))
        self.no_hits.setVisible(searching and not hits)
        self.no_hits.setText(f"Inga sidor innehåller {query.strip()!r}. Prova ett annat ord.")
        self.results.clear()
        for hit in hits:
            item = QListWidgetItem()
            item.setData(PAGE_ROLE, hit.page.id)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{hit.page.title}: {hit.snippet}")
            label = QLabel(
                f"<b>{_esc(hit.page.title)}</b><br>"
                f"<span style='color:#555'>{_esc(hit.snippet)}</span>"
            )
            label.setWordWrap(True)
            label.setContentsMargins(4, 4, 4, 6)
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            self.results.addItem(item)
            self.results.setItemWidget(item, label)
            label.setFixedWidth(max(self.results.viewport().width() - 8, 200))
            item.setSizeHint(label.sizeHint())
        if not searching:
            self.words = []
            self._highlight()
        return hits

    def result_titles(self) -> list[str]:
        """The titles of the pages found, as listed."""
        return [
            str(self.results.item(i).data(Qt.ItemDataRole.AccessibleTextRole)).split(": ", 1)[0]
            for i in range(self.results.count())
        ]

    def _result_item(self, item: QListWidgetItem) -> None:
        self.show_page(item.data(PAGE_ROLE), guide_service.query_words(self.search.text()))

    def _open_first_hit(self) -> None:
        if self.results.count():
            self._result_item(self.results.item(0))

    def _highlight(self) -> None:
        """Mark every occurrence of the searched words in the page; scroll to the first."""
        doc = self.browser.document()
        marks: list[QTextEdit.ExtraSelection] = []
        fmt = QTextCharFormat()
        fmt.setBackground(QColor(HIGHLIGHT))
        for word in self.words:
            cursor = doc.find(word)
            while not cursor.isNull():
                mark = QTextEdit.ExtraSelection()
                mark.cursor = cursor  # type: ignore[misc]
                mark.format = fmt  # type: ignore[misc]
                marks.append(mark)
                cursor = doc.find(word, cursor)
        self.browser.setExtraSelections(marks)
        if marks:
            first = QTextCursor(marks[0].cursor)  # type: ignore[misc]
            first.clearSelection()  # the marks show the words; no selection over the first
            self.browser.setTextCursor(first)
            self.browser.ensureCursorVisible()

    @property
    def highlights(self) -> list[str]:
        """The highlighted texts (for tests and screen readers' sake: what is marked)."""
        return [m.cursor.selectedText() for m in self.browser.extraSelections()]  # type: ignore[misc]


def query_words_of(text: str) -> list[str]:
    return guide_service.query_words(text)


def add_help_key(widget: QWidget, slot: Callable[[], None]) -> QShortcut:
    """F1 in ``widget`` (a dialog) calls ``slot``."""
    return QShortcut(QKeySequence.StandardKey.HelpContents, widget, activated=slot)


def open_help(existing: HelpWindow | None, screen: str) -> HelpWindow:
    """Show the guide on the page for ``screen`` (reusing the window if it is open)."""
    window = existing if existing is not None else HelpWindow()
    window.show_page(window.guide.page_for_screen(screen).id)
    window.show()
    fit_dialog(window)  # 1100×700 asked for; never past a laptop's taskbar
    if QGuiApplication.platformName() != "offscreen":  # no stacking order to change there
        window.raise_()
    window.activateWindow()
    return window


class AboutDialog(FittedDialog):
    """Version, where the database and the error log are, and how to get support."""

    def __init__(self, facts: guide_service.AboutFacts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Om SVF-redovisning")
        self.resize(620, 360)
        layout = QVBoxLayout(self)
        self.text = QLabel(
            f"<h2>SVF-redovisning {facts.version}</h2>"
            "<p>Regionernas redovisning av arbetet med standardiserade vårdförlopp enligt "
            "överenskommelsen mellan staten och SKR.</p>"
            f"<p><b>Databas:</b> {_esc(str(facts.database))}<br>"
            f"<b>Fellogg:</b> {_esc(str(facts.log_folder))}</p>"
            f"<p><b>Support:</b> {_esc(facts.support)}</p>"
        )
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.text, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        close = QPushButton("Stäng")
        close.setDefault(True)
        close.clicked.connect(self.accept)
        row.addWidget(close)
        layout.addLayout(row)


def _esc(text: str) -> str:
    import html

    return html.escape(text)
