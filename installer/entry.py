"""Entry point of both bundled executables: the same `svf-report` as in a source checkout
(no arguments: the desktop application; a subcommand: the headless command line)."""

import os
import sys

# The windowed Windows executable (svf-redovisning.exe) has no console, so sys.stdout and
# sys.stderr are None there and the first line a subcommand or argparse writes would raise.
# Send such output nowhere instead; svf-report.exe is the one to use on a command line.
for _name in ("stdout", "stderr"):
    if getattr(sys, _name) is None:
        setattr(sys, _name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115

from desktop_app.__main__ import main  # noqa: E402

main()
