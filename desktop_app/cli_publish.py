"""``svf-report disclosure`` and ``svf-report publish`` (issue 15, point 7): what the published
copy of a report hides, and the published copy itself, written next to the signed original
(which is not changed). ``register(sub, add)`` is called once from ``cli.build_parser``.

Exit codes: ``disclosure`` 0 nothing to hide, 1 something is hidden (findings); ``publish`` 0
written; 2 bad input."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

EXIT_OK, EXIT_FINDINGS = 0, 1


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")


def cmd_disclosure(args: argparse.Namespace) -> int:
    from desktop_app.services.bootstrap import bootstrap
    from desktop_app.services.publish import disclosure_check

    ctx = bootstrap(getattr(args, "db", None))
    try:
        found = disclosure_check(ctx, args.report)
    finally:
        ctx.close()
    if args.json:
        _out(json.dumps([f.to_dict() for f in found], ensure_ascii=False, indent=2))
    elif not found:
        _out("Inget behöver döljas i den publicerade versionen.")
    else:
        _out(f"I den publicerade versionen döljs {len(found)} uppgifter:")
        for f in found:
            _out(f"  – {f.message}")
    return EXIT_FINDINGS if found else EXIT_OK


def cmd_publish(args: argparse.Namespace) -> int:
    from desktop_app.services.bootstrap import bootstrap
    from desktop_app.services.publish import write_published_copy

    ctx = bootstrap(getattr(args, "db", None))
    try:
        copy = write_published_copy(ctx, args.file, args.out)
    finally:
        ctx.close()
    if args.json:
        data = {
            "path": str(copy.path),
            "original_document_sha256": copy.original_document_sha256,
            "pages": copy.pages,
            "hidden": [f.to_dict() for f in copy.hidden],
        }
        _out(json.dumps(data, ensure_ascii=False, indent=2))
        return EXIT_OK
    _out(
        f"Skrev den publicerade versionen {copy.path} ({copy.pages} sidor); originalet är oförändrat."
    )
    for f in copy.hidden:
        _out(f"  – {f.message}")
    return EXIT_OK


def register(sub: Any, add: Callable[..., Any]) -> None:
    sp = add(
        "disclosure",
        "lista vad som döljs i den publicerade versionen (få patienter, få PREM-svar)",
        cmd_disclosure,
    )
    sp.add_argument("--report", type=int, required=True, metavar="ID", help="redovisningens id")
    sp.add_argument("--json", action="store_true", help="skriv ut som JSON")
    sp = add(
        "publish",
        "skriv en publicerad version av en underskriven PDF (små antal som <5) bredvid originalet",
        cmd_publish,
    )
    sp.add_argument("file", type=Path, metavar="PDF", help="den underskrivna originalfilen")
    sp.add_argument(
        "--out", type=Path, metavar="FIL", help="målfil (annars <namn>-publicerad.pdf bredvid)"
    )
    sp.add_argument("--json", action="store_true", help="skriv ut som JSON")
