"""The one composition root: builds the AppContext used by both the CLI and the GUI."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app.domain.template import use_check_cache
from desktop_app.storage.db import (
    DamagedDatabaseError,
    StorageBusyError,
    StorageError,
    check_path,
    default_db_path,
    is_current,
    open_database,
    quick_check,
    template_check_cache,
)

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from desktop_app.storage.repository import UnitOfWork

__all__ = [
    "AppContext",
    "DamagedDatabaseError",
    "StorageBusyError",
    "StorageError",
    "bootstrap",
    "default_db_path",
    "open_read_only",
    "restore_latest_backup",
]


class AppContext:
    """The open database and the clock, handed to every service call.

    The SQLAlchemy engine is made on first use: a database found current at start needs no
    SQLAlchemy until a session is opened (the window reads its list with plain sqlite3 and
    shows before that; see storage.views)."""

    def __init__(
        self,
        db_path: Path,
        engine: Engine | None = None,
        today: Callable[[], date] = date.today,
        read_only: bool = False,
    ) -> None:
        self.db_path = db_path
        self.today = today
        self.read_only = read_only  # a damaged database opened for reading only
        self._engine = engine
        self._lock = threading.Lock()

    @property
    def engine(self) -> Engine:
        with self._lock:  # the UI thread and the database worker may both ask first
            if self._engine is None:
                from desktop_app.storage.db import create_db_engine

                self._engine = create_db_engine(self.db_path)
            return self._engine

    def uow(self) -> UnitOfWork:
        from desktop_app.storage.repository import UnitOfWork

        return UnitOfWork(self.engine)

    def close(self) -> None:
        with self._lock:
            if self._engine is not None:
                self._engine.dispose()


def bootstrap(
    db_path: Path | str | None = None, today: Callable[[], date] | None = None
) -> AppContext:
    """Open (create, migrate) the database: ``db_path``, else $SVF_REPORT_DB, else the user's
    data folder."""
    path = Path(db_path).expanduser() if db_path else default_db_path()
    check_path(path)
    use_check_cache(template_check_cache())
    quick_check(path)  # also on the fast path below: a damaged file is never written to
    # At the newest revision (every start but the first after an update): nothing to migrate,
    # checked with plain sqlite3; else the full way, with Alembic and a backup.
    engine = None if is_current(path) else open_database(path)
    return AppContext(db_path=path, engine=engine, today=today or date.today)


def open_read_only(
    damaged: DamagedDatabaseError, today: Callable[[], date] | None = None
) -> AppContext:
    """The damaged database of ``damaged`` opened for reading only: every write is refused
    with a Swedish message (storage.db.storage_error), nothing is written to the file."""
    from desktop_app.storage.db import open_read_only as read_only_engine

    engine = read_only_engine(damaged.path)
    return AppContext(damaged.path, engine=engine, today=today or date.today, read_only=True)


def restore_latest_backup(
    damaged: DamagedDatabaseError, today: Callable[[], date] | None = None
) -> tuple[AppContext, Path]:
    """Put the newest backup copy in place of the damaged database and open it. Returns the
    context and where the damaged file was kept. StorageError when there is no copy or it
    cannot be restored (or is damaged itself)."""
    from desktop_app.storage.db import restore_backup

    if damaged.backup is None:
        raise StorageError(f"Det finns ingen säkerhetskopia av {damaged.path.name}.")
    kept = restore_backup(damaged.path, damaged.backup)
    return bootstrap(damaged.path, today), kept
