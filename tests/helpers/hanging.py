"""A verification that never finishes for one file, run in the inbox's child process (the
child imports it by name, so a monkeypatch in the test process would not reach it)."""

from __future__ import annotations

import time
from typing import Any

# Imported with the module (before the first call's time limit), as the real target is.
from desktop_app.services.inbox_import import verify_record as real


def verify_record(data: bytes, sha: str, path: Any, *rest: Any) -> Any:
    """Hangs for a file named ``…hänger.pdf`` (a name tree that never ends, say); verifies
    every other file as the inbox does."""
    while str(path).endswith("hänger.pdf"):
        time.sleep(0.05)
    return real(data, sha, path, *rest)
