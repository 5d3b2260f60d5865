"""The local SQLite file: where it lives, how it is opened (WAL, foreign keys, full sync)
and how its schema is brought up to date (Alembic, with a backup copy first)."""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine

from desktop_app.domain.errors import UserError

APP_NAME = "SVF-redovisning"
DB_FILENAME = "svf-redovisning.sqlite3"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


class StorageError(UserError):
    """The database cannot be opened or upgraded."""


def default_db_path() -> Path:
    """$SVF_REPORT_DB, else the user's data folder (e.g. %LOCALAPPDATA%\\SVF-redovisning)."""
    env = os.environ.get("SVF_REPORT_DB")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False)) / DB_FILENAME


def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    # FULL: a committed edit survives a power cut (each edit is its own commit).
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.close()


def create_db_engine(path: Path) -> Engine:
    from sqlmodel import create_engine

    engine = create_engine(f"sqlite:///{path}", connect_args={"check_same_thread": False})
    event.listen(engine, "connect", _on_connect)
    return engine


def _alembic_config(connection: object) -> object:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    cfg = _alembic_config(None)
    head = ScriptDirectory.from_config(cfg).get_current_head()  # type: ignore[arg-type]
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _has_tables(engine: Engine) -> bool:
    with engine.connect() as conn:
        rows = conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='table'").fetchall()
    return bool(rows)


def backup(path: Path, label: str) -> Path:
    """Copy the database (consistently, through SQLite's backup API) next to itself."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.{label}-{stamp}.bak")
    src = sqlite3.connect(path)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    return target


def migrate(engine: Engine, path: Path) -> Path | None:
    """Upgrade the schema to the newest revision. An existing database that is behind is
    copied first; returns the backup's path (None when nothing needed copying)."""
    from alembic import command

    head = head_revision()
    current = current_revision(engine)
    if current == head:
        return None
    copy = None
    if current is not None or _has_tables(engine):
        if current is None:
            raise StorageError(
                f"Filen {path} är ingen databas för SVF-redovisning (okända tabeller). "
                "Välj en annan fil."
            )
        copy = backup(path, f"schema{current}")
    with engine.begin() as conn:
        command.upgrade(_alembic_config(conn), "head")  # type: ignore[arg-type]
    return copy


def open_database(path: Path) -> Engine:
    """Open (and create or upgrade) the database at ``path``; Swedish errors on failure."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(f"Mappen {path.parent} kan inte skapas: {exc.strerror}.") from exc
    if path.exists() and path.is_dir():
        raise StorageError(f"{path} är en mapp, inte en databasfil.")
    engine = create_db_engine(path)
    try:
        migrate(engine, path)
    except StorageError:
        engine.dispose()
        raise
    except Exception as exc:  # sqlite3.DatabaseError and friends: a broken or foreign file
        engine.dispose()
        detail = getattr(exc, "orig", exc)
        raise StorageError(
            f"Databasen {path} kan inte öppnas: {detail}. Filen kan vara skadad eller "
            "inte en databas för SVF-redovisning."
        ) from exc
    return engine
