"""The one composition root: builds the AppContext used by both the CLI and the GUI."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy.engine import Engine

from desktop_app.storage.db import default_db_path, open_database
from desktop_app.storage.repository import UnitOfWork


@dataclass
class AppContext:
    db_path: Path
    engine: Engine
    today: Callable[[], date] = field(default=date.today)

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.engine)

    def close(self) -> None:
        self.engine.dispose()


def bootstrap(
    db_path: Path | str | None = None, today: Callable[[], date] | None = None
) -> AppContext:
    """Open (create, migrate) the database: ``db_path``, else $SVF_REPORT_DB, else the user's
    data folder."""
    path = Path(db_path).expanduser() if db_path else default_db_path()
    engine = open_database(path)
    return AppContext(db_path=path, engine=engine, today=today or date.today)
