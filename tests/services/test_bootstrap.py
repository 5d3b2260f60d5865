"""The composition root: the start-up shortcuts keep every check they stand in for."""

import json
import subprocess
import sys

import pytest

from desktop_app.domain import template as template_module
from desktop_app.domain.errors import TemplateError
from desktop_app.domain.template import load_template_file, templates_dir, use_check_cache


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setattr(template_module, "_check_cache", None)
    path = tmp_path / "cache" / "template-checks.txt"
    use_check_cache(path)
    return path


def test_a_template_that_passed_the_schema_check_is_not_checked_again(cache, tmp_path, monkeypatch):
    p = tmp_path / "svf-2024.json"
    p.write_text((templates_dir() / "svf-2024.json").read_text(encoding="utf-8"), encoding="utf-8")
    first = load_template_file(p)
    assert len(cache.read_text().split()) == 1

    def no_schema_check(*_a, **_k):
        raise AssertionError("checked again")

    monkeypatch.setattr(template_module, "parse_template", no_schema_check)
    assert load_template_file(p) == first


def test_changed_content_is_checked_again(cache, tmp_path):
    p = tmp_path / "svf-2024.json"
    d = json.loads((templates_dir() / "svf-2024.json").read_text(encoding="utf-8"))
    p.write_text(json.dumps(d), encoding="utf-8")
    load_template_file(p)
    d["thresholds"]["inclusion_percent"] = "sjuttio"
    p.write_text(json.dumps(d), encoding="utf-8")
    with pytest.raises(TemplateError, match="felaktig"):
        load_template_file(p)
    assert len(cache.read_text().split()) == 1


def test_the_window_list_of_a_current_database_needs_no_sqlalchemy(ctx):
    """The report list's rows come from plain sqlite3; SQLAlchemy waits for the worker."""
    from desktop_app.services import reports

    reports.create_report(ctx, "25", 2024)
    code = (
        "import sys\n"
        "from desktop_app.services.bootstrap import bootstrap\n"
        "from desktop_app.services import reports\n"
        f"ctx = bootstrap({str(ctx.db_path)!r})\n"
        "rows = reports.summarise_reports(ctx)\n"
        "print(len(rows), rows[0].region.code, 'sqlalchemy' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == ["1", "25", "False"]
