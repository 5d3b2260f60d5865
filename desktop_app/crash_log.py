"""The crash log: details of an unexpected error, for support, in the user's own log folder
(platformdirs' user_log_dir), readable by the user only (mode 0600) and rotated so that it
never grows without bound. $SVF_REPORT_LOG_DIR overrides the folder (tests)."""

from __future__ import annotations

import contextlib
import os
import traceback
from datetime import datetime
from pathlib import Path

APP_NAME = "SVF-redovisning"  # the same name as storage.db.APP_NAME
LOG_NAME = "fel.log"
MAX_BYTES = 512 * 1024  # one log file; then it is rotated
KEEP = 3  # fel.log.1 … fel.log.3


def log_dir() -> Path:
    override = os.environ.get("SVF_REPORT_LOG_DIR")
    if override:
        return Path(override)
    from platformdirs import user_log_dir

    return Path(user_log_dir(APP_NAME, appauthor=False))


def _rotate(path: Path) -> None:
    if not path.exists() or path.stat().st_size < MAX_BYTES:
        return
    for i in range(KEEP - 1, 0, -1):
        older = path.with_name(f"{path.name}.{i}")
        if older.exists():
            older.replace(path.with_name(f"{path.name}.{i + 1}"))
    path.replace(path.with_name(f"{path.name}.1"))


def write_crash(exc: BaseException) -> Path:
    """Append the error's traceback to the log; returns the log's path. Never raises."""
    folder = log_dir()
    path = folder / LOG_NAME
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        _rotate(path)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.chmod(path, 0o600)  # also when it existed with wider rights
        with os.fdopen(fd, "a", encoding="utf-8") as fh:
            fh.write(f"--- {datetime.now().isoformat(timespec='seconds')}\n")
            fh.write("".join(traceback.format_exception(exc))[-64 * 1024 :])
    return path
