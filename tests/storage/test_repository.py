from desktop_app.domain.report import Prem, Report
from desktop_app.storage.db import open_database
from desktop_app.storage.repository import UnitOfWork
from tests.helpers.factories import complete_report


def test_add_and_get_round_trip(tmp_path, tpl):
    engine = open_database(tmp_path / "db.sqlite3")
    report = complete_report(tpl)
    report.figures.set("lunga", "median_days", "man", 33.5)
    with UnitOfWork(engine) as uow:
        rid = uow.reports.add(report)
        uow.commit()
    with UnitOfWork(engine) as uow:
        back = uow.reports.get(rid)
    assert back.figures == report.figures
    assert isinstance(back.figures.get("lunga", "included", "man"), int)
    assert back.figures.get("lunga", "median_days", "man") == 33.5
    assert back.answers == report.answers and back.prem == report.prem
    assert back.contact == report.contact
    engine.dispose()


def test_leaving_without_commit_rolls_back(tmp_path, tpl):
    engine = open_database(tmp_path / "db.sqlite3")
    with UnitOfWork(engine) as uow:
        rid = uow.reports.add(Report(region_code="25", template_id=tpl.id))
        uow.commit()
    with UnitOfWork(engine) as uow:
        uow.reports.set_figures(rid, {("lunga", "expected", "man"): 5})
        uow.reports.set_prem(rid, Prem(used=True, sent=1, answers=1))
        # no commit: e.g. an exception half-way through an import
    with UnitOfWork(engine) as uow:
        back = uow.reports.get(rid)
    assert len(back.figures) == 0 and back.prem == Prem()
    engine.dispose()


def test_delete_cascades(tmp_path, tpl):
    engine = open_database(tmp_path / "db.sqlite3")
    with UnitOfWork(engine) as uow:
        rid = uow.reports.add(complete_report(tpl))
        uow.commit()
    with UnitOfWork(engine) as uow:
        uow.reports.delete(rid)
        uow.commit()
    with engine.connect() as conn:
        for table in ("figure", "answer", "change_log"):
            assert conn.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar() == 0
    engine.dispose()


def test_each_edit_is_on_disk_at_once(tmp_path, tpl):
    """Autosave: a second connection (another process after a crash) sees a committed edit."""
    import sqlite3

    path = tmp_path / "db.sqlite3"
    engine = open_database(path)
    with UnitOfWork(engine) as uow:
        rid = uow.reports.add(Report(region_code="25", template_id=tpl.id))
        uow.commit()
    with UnitOfWork(engine) as uow:
        uow.reports.set_answer(rid, "urology", "Nytt")
        uow.commit()
    con = sqlite3.connect(path)
    assert con.execute("SELECT text FROM answer").fetchone() == ("Nytt",)
    con.close()
    engine.dispose()


def test_the_list_read_model_reads_reports_as_the_repository_does(ctx):
    from desktop_app.services.demo import create_demo
    from desktop_app.storage import views

    create_demo(ctx)
    with ctx.uow() as uow:
        ids = [h.id for h in uow.reports.headers()]
        expected = [uow.reports.get(i) for i in ids]
        headers = uow.reports.headers()
    assert views.report_headers(ctx.db_path) == headers
    assert views.reports(ctx.db_path, ids) == expected
    assert views.reports(ctx.db_path, [ids[0], 10_000]) == expected[:1]
