"""The local SQLite file: where it lives, how it is opened (WAL, foreign keys, full sync)
and how its schema is brought up to date (Alembic, with a backup copy first).

Start-up cost: a database already at the newest revision (every start but the first after an
update) is recognised with plain sqlite3, so neither Alembic nor its DDL modules (which import
every SQL dialect SQLAlchemy has) are imported then."""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app.domain.errors import UserError

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

APP_NAME = "SVF-redovisning"
DB_FILENAME = "svf-redovisning.sqlite3"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# The newest revision in migrations/versions. Known without Alembic so that a start on a
# current database needs no Alembic at all; tests/storage/test_migrations.py checks it against
# Alembic's own head, so a new migration cannot be forgotten here.
HEAD_REVISION = "0011_rcc_extracts"


class StorageError(UserError):
    """The database cannot be opened or upgraded, or a read or write failed."""


class StorageBusyError(StorageError):
    """Another program or run (e.g. an RCC aggregate) held the database longer than
    BUSY_TIMEOUT_MS; nothing was changed and the same action can be tried again."""

    retryable = True


# Writers wait this long for each other. An aggregate of 26 files holds the write lock for a
# few seconds at most; a minute is well above that, and a lock still held after it is shown as
# StorageBusyError (Swedish, with a retry), never as SQL.
BUSY_TIMEOUT_MS = 60_000

_BUSY_MESSAGE = (
    "Databasen är upptagen av en annan körning av programmet (t.ex. en sammanställning eller "
    "import) och ändringen kunde inte sparas. Inget har ändrats. Försök igen om en stund."
)


def storage_error(exc: BaseException) -> StorageError | None:
    """The Swedish StorageError for a database failure (sqlite3 or SQLAlchemy), None for an
    exception that is not one. No SQL, parameters or English text reaches the message."""
    import sqlalchemy.exc as sa_exc

    orig = getattr(exc, "orig", None) or exc
    if not isinstance(exc, (sqlite3.Error, sa_exc.DBAPIError)):
        return None
    if isinstance(orig, (sqlite3.IntegrityError, sqlite3.ProgrammingError)):
        return None  # a bug in the program, not a state of the store: the crash log takes it
    text = str(orig).lower()
    if "locked" in text or "busy" in text:
        return StorageBusyError(_BUSY_MESSAGE)
    if "readonly" in text or "read-only" in text:
        return StorageError(
            "Databasen är öppnad endast för läsning (den kan vara skadad eller skrivskyddad). "
            "Ändringen sparades inte."
        )
    if "disk" in text and ("full" in text or "i/o" in text):
        return StorageError(
            "Ändringen kunde inte sparas: disken är full eller kan inte skrivas. Inget har "
            "ändrats. Frigör utrymme och försök igen."
        )
    if "malformed" in text or "not a database" in text or "corrupt" in text:
        return StorageError(
            "Databasen är skadad och ändringen sparades inte. Starta om programmet; det erbjuder "
            "att återställa den senaste säkerhetskopian."
        )
    return StorageError(
        "Databasen kunde inte läsas eller skrivas och ändringen sparades inte. Inget har "
        "ändrats. Försök igen; om felet kvarstår, starta om programmet."
    )


def default_db_path() -> Path:
    """$SVF_REPORT_DB, else the user's data folder (e.g. %LOCALAPPDATA%\\SVF-redovisning)."""
    env = os.environ.get("SVF_REPORT_DB")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False)) / DB_FILENAME


def template_check_cache() -> Path | None:
    """Where the templates that passed their schema check are remembered: the user's cache
    folder (None when $SVF_NO_CACHE is set)."""
    if os.environ.get("SVF_NO_CACHE"):
        return None
    from platformdirs import user_cache_dir

    return Path(user_cache_dir(APP_NAME, appauthor=False)) / "template-checks.txt"


def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    # FULL: a committed edit survives a power cut (each edit is its own commit).
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cur.close()


def create_db_engine(path: Path) -> Engine:
    from sqlalchemy import event
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


def stored_revision(path: Path) -> str | None:
    """The revision recorded in ``alembic_version``, read with plain sqlite3 (no Alembic, no
    SQLAlchemy). None when the file is missing, empty, not a database or has no such table;
    the caller then takes the full way through Alembic, which gives the precise error."""
    if not path.is_file():
        return None
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except (sqlite3.Error, ValueError):
        return None
    try:
        row = con.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        return None
    finally:
        con.close()
    return str(row[0]) if row else None


def is_current(path: Path) -> bool:
    """The database at ``path`` exists and is at the newest schema revision."""
    return stored_revision(path) == HEAD_REVISION


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
    if is_current(path):
        return None
    from alembic import command

    head = head_revision()
    current = current_revision(engine)
    if current == head:
        return None
    if current is not None and not _known_revision(current):
        raise NewerSchemaError(
            f"Databasen {path} är skapad av en nyare version av programmet ({current}); "
            "uppdatera programmet."
        )
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


class NewerSchemaError(StorageError):
    """The database was written by a newer program (a schema revision this one does not know):
    it is refused as it is, without a backup copy and without any change."""


class DamagedDatabaseError(StorageError):
    """``PRAGMA quick_check`` failed. ``backup`` is the newest backup copy (None if there is
    none); ``restore_backup`` puts it in place, ``open_read_only`` opens the damaged file for
    reading only."""

    def __init__(self, message: str, path: Path, backup: Path | None) -> None:
        super().__init__(message)
        self.path = path
        self.backup = backup


def _known_revision(rev: str) -> bool:
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    script = ScriptDirectory.from_config(_alembic_config(None))  # type: ignore[arg-type]
    try:
        return script.get_revision(rev) is not None
    except (CommandError, KeyError, ValueError):
        return False
    except Exception:  # alembic's ResolutionError and friends
        return False


def latest_backup(path: Path) -> Path | None:
    copies = sorted(path.parent.glob(f"{path.stem}.*.bak"), key=lambda p: p.stat().st_mtime)
    return copies[-1] if copies else None


def quick_check(path: Path) -> None:
    """Raise DamagedDatabaseError when an existing database fails PRAGMA quick_check."""
    if not path.is_file() or path.stat().st_size == 0:
        return
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            rows = con.execute("PRAGMA quick_check").fetchall()
        finally:
            con.close()
        ok = rows == [("ok",)]
    except sqlite3.DatabaseError as exc:
        if "not a database" in str(exc).lower() or "encrypted" in str(exc).lower():
            return  # not a database at all: migrate gives the precise message
        ok = False
    if ok:
        return
    backup_copy = latest_backup(path)
    offer = (
        f" Den senaste säkerhetskopian är {backup_copy.name}; programmet kan återställa den."
        if backup_copy
        else " Det finns ingen säkerhetskopia bredvid filen."
    )
    raise DamagedDatabaseError(
        f"Databasen {path} är skadad (kontrollen PRAGMA quick_check hittade fel). Den öppnas "
        f"bara för läsning så att inget mer skrivs i den.{offer}",
        path,
        backup_copy,
    )


def open_read_only(path: Path) -> Engine:
    """An engine on the database that cannot write (for a damaged file)."""
    from sqlmodel import create_engine

    uri = path.resolve().as_uri().replace("file://", "file:")
    return create_engine(
        f"sqlite:///{uri}?mode=ro&uri=true", connect_args={"check_same_thread": False}
    )


def restore_backup(path: Path, backup_copy: Path) -> Path:
    """Put ``backup_copy`` in place of the damaged ``path``; the damaged file is kept beside
    it as <name>.skadad-<time>. Returns where the damaged file went."""
    import shutil

    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    damaged = path.with_name(f"{path.name}.skadad-{stamp}")
    try:
        path.replace(damaged)
        for suffix in ("-wal", "-shm"):
            side = path.with_name(path.name + suffix)
            if side.exists():
                side.replace(damaged.with_name(damaged.name + suffix))
        shutil.copy2(backup_copy, path)
    except OSError as exc:
        raise StorageError(
            f"Säkerhetskopian {backup_copy.name} kunde inte återställas ({exc.strerror})."
        ) from exc
    return damaged


def check_path(path: Path) -> None:
    """Refuse a place where no database file can be: a folder, or a parent not creatable."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(f"Mappen {path.parent} kan inte skapas: {exc.strerror}.") from exc
    if path.exists() and path.is_dir():
        raise StorageError(f"{path} är en mapp, inte en databasfil.")


def open_database(path: Path) -> Engine:
    """Open (and create or upgrade) the database at ``path``; Swedish errors on failure."""
    check_path(path)
    quick_check(path)
    engine = create_db_engine(path)
    try:
        migrate(engine, path)
    except StorageError:
        engine.dispose()
        raise
    except Exception as exc:  # sqlite3.DatabaseError and friends: a broken or foreign file
        engine.dispose()
        raise StorageError(
            f"Databasen {path} kan inte öppnas. Filen kan vara skadad eller inte en databas "
            "för SVF-redovisning."
        ) from exc
    return engine
