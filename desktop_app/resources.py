"""Locate the read-only data in resources/ both in a source checkout and in a pyinstaller bundle."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def resources_dir() -> Path:
    """The resources/ folder: $SVF_RESOURCES, the bundle's copy, or the checkout's."""
    override = os.environ.get("SVF_RESOURCES")
    if override:
        return Path(override)
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"
