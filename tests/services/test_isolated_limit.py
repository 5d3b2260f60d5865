"""Issue 11 / 14: the 60 s limit per received file holds in the application too, where files
are received on a worker thread and SIGALRM cannot interrupt: each file is verified in a child
process that is killed when it takes too long."""

from __future__ import annotations

import threading
import time

import pytest

from desktop_app.domain.vocabulary import InboxStatus
from desktop_app.services.isolated import Isolated, IsolatedFailure, TimeLimitExceeded


def _in_thread(fn):
    box: dict = {}

    def run() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread
            box["error"] = exc

    t = threading.Thread(target=run)
    start = time.monotonic()
    t.start()
    t.join(120)
    assert not t.is_alive(), "the import did not return"
    if "error" in box:
        raise box["error"]
    return box["value"], time.monotonic() - start


def test_a_hanging_verification_on_a_worker_thread_is_refused_in_bounded_time(
    tmp_path, monkeypatch
):
    import desktop_app.services.inbox_import as inbox_import
    from desktop_app.services.demo import demo_reports
    from desktop_app.services.inbox import import_reports
    from tests.helpers.factories import make_ctx
    from tests.helpers.signed_demo import report_pdf

    hostile = tmp_path / "hänger.pdf"
    hostile.write_bytes(b"%PDF-1.7\n% loops\n")
    good = tmp_path / "osignerad-25.pdf"
    good.write_bytes(report_pdf(next(r for r in demo_reports() if r.region_code == "25")))
    monkeypatch.setattr(inbox_import, "VERIFY_TARGET", "tests.helpers.hanging:verify_record")
    monkeypatch.setattr(inbox_import, "FILE_TIME_LIMIT", 3)
    ctx = make_ctx(tmp_path / "rcc.sqlite3")
    try:
        (bad, fine), elapsed = _in_thread(
            lambda: import_reports(ctx, "norr", [hostile, good], year=2024)
        )
    finally:
        ctx.close()
    assert bad.status == InboxStatus.REFUSED
    assert bad.reason == "Oläslig fil: kontrollen tog mer än 3 sekunder."
    # The next file is verified in a new child: the hung one was killed, not left running.
    assert fine.status == InboxStatus.PENDING and fine.region_code == "25", fine.reason
    assert elapsed < 60


def test_the_child_is_killed_and_a_new_one_serves_the_next_call():
    with Isolated() as iso:
        assert iso.run("os:getpid", (), 30) != 0
        first = iso._proc  # noqa: SLF001 - the child itself is what is checked
        with pytest.raises(TimeLimitExceeded):
            iso.run("time:sleep", (30,), 0.5)
        assert not first.is_alive()
        with pytest.raises(IsolatedFailure) as err:
            iso.run("math:sqrt", (-1,), 30)
        assert err.value.kind == "ValueError"
        assert iso.run("math:sqrt", (16,), 30) == 4.0


def test_without_a_child_process_the_file_is_still_verified(tmp_path, monkeypatch):
    """If no child can be started (say, a bundle without the module), files are verified in
    the worker itself rather than all refused."""
    import desktop_app.services.inbox_import as inbox_import
    from desktop_app.services.demo import demo_reports
    from desktop_app.services.inbox import import_reports
    from tests.helpers.factories import make_ctx
    from tests.helpers.signed_demo import report_pdf

    good = tmp_path / "osignerad-25.pdf"
    good.write_bytes(report_pdf(next(r for r in demo_reports() if r.region_code == "25")))
    monkeypatch.setattr(inbox_import, "VERIFY_TARGET", "no_such_module_here:verify")
    monkeypatch.setattr(inbox_import, "CHILD_PRELOAD", ("no_such_module_here",))
    ctx = make_ctx(tmp_path / "rcc.sqlite3")
    try:
        (entry,), _elapsed = _in_thread(lambda: import_reports(ctx, "norr", [good], year=2024))
    finally:
        ctx.close()
    assert entry.status == InboxStatus.PENDING and entry.region_code == "25"
