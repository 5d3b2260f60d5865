"""Run one reader on one file in a fresh process and print its peak memory (ru_maxrss, MB) and
its outcome. Used by the attack tests: a memory bound, not a timing."""

from __future__ import annotations

import json
import resource
import sys
from pathlib import Path


def main() -> None:
    kind, path = sys.argv[1], Path(sys.argv[2])
    outcome: dict[str, object] = {}
    try:
        if kind == "import":
            from desktop_app.domain.template import load_template
            from desktop_app.exchange.excel import read_import_file

            read_import_file(path, load_template("svf-2024"), "25")
            outcome["result"] = "read"
        else:
            from desktop_app.signing.verify import inspect_pdf, read_attachments

            data = path.read_bytes()
            outcome["attachments"] = sorted(read_attachments(data))
            try:
                outcome["checks"] = len(inspect_pdf(data).signatures)
            except Exception as exc:  # a refusal is fine; only a hang or a crash is not
                outcome["refused"] = str(exc)
            outcome["result"] = "read"
    except Exception as exc:
        outcome["result"] = "error"
        outcome["type"] = type(exc).__name__
        outcome["message"] = str(exc)
    outcome["peak_mb"] = peak_mb()
    print(json.dumps(outcome))


def peak_mb() -> float:
    """This process's own peak memory. Linux's VmHWM starts afresh at exec; ru_maxrss is kept
    across fork and exec, so a probe started from a large pytest process would report the
    parent's peak."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


if __name__ == "__main__":
    main()
