"""Qt's own Swedish words: standard buttons (Avbryt, Spara), context menus (Ångra, Klistra in),
file dialogs. The application's texts are Swedish already; these are Qt's."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

# Qt's catalogues, base first; the bundle keeps only the Swedish ones (installer/*.spec).
CATALOGUES = ("qtbase", "qt")


def install_swedish(app: QCoreApplication) -> list[str]:
    """Load Qt's Swedish catalogues into ``app`` and make Swedish the default locale (dates,
    numbers in Qt's widgets); returns the catalogues loaded (none found is not an error: the
    interface then shows Qt's English in its standard dialogs)."""
    QLocale.setDefault(QLocale(QLocale.Language.Swedish, QLocale.Country.Sweden))
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    loaded = []
    for name in CATALOGUES:
        translator = QTranslator(app)
        if translator.load(f"{name}_sv", folder):
            app.installTranslator(translator)
            loaded.append(name)
        else:
            translator.deleteLater()
    return loaded


__all__ = ["install_swedish"]
