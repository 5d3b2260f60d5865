"""The history chain under two writers (issue 15, point 4): two processes editing the same
report at once each chain their rows after the other's, so the chain stays intact and each
field's rows follow on from one another (every old value is the previous new one)."""

from __future__ import annotations

import multiprocessing as mp

from desktop_app.services import history, reports
from tests.helpers.factories import make_ctx
from tests.storage.test_concurrency import ROUNDS, _writer


def test_two_writers_chain_their_rows_without_a_fork(db_path):
    ctx = make_ctx(db_path)
    rid = reports.create_report(ctx, "25", 2024)
    before = len(history.report_history(ctx, rid))
    ctx.close()
    spawn = mp.get_context("spawn")
    procs = [
        spawn.Process(target=_writer, args=(str(db_path), rid, kind, ROUNDS))
        for kind in ("prem_sent", "recipient")
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=300)
        assert p.exitcode == 0
    ctx = make_ctx(db_path)
    try:
        check = history.check_history(ctx)
        lines = history.report_history(ctx, rid)
    finally:
        ctx.close()
    assert check.ok, check.breaks
    assert len(lines) == before + 2 * ROUNDS
    for path, kind in (("prem/sent", "prem"), ("finance/recipient", "finance")):
        rows = [x for x in lines if x.path == path and x.kind == kind]
        assert len(rows) == ROUNDS
        assert all(a.new == b.old for a, b in zip(rows, rows[1:], strict=False))
