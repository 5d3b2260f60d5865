"""Guards against a broken Qt binding: PySide6 6.12.0 on Python 3.11 lost one reference to None
on every call of a void method, so the application aborted after a few thousand screen updates
('Fatal Python error: none_dealloc'). Runs in a subprocess, since the failure kills the process."""

import subprocess
import sys

SCRIPT = """
import os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
label = QLabel()
before = sys.getrefcount(None)
for _ in range(20000):
    label.setText("x")
after = sys.getrefcount(None)
print(before - after)
"""


def test_void_calls_keep_none_alive():
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert abs(int(done.stdout.strip())) < 10
