import os

# Before any Qt import: tests never need a screen.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from tests.helpers.factories import make_ctx  # noqa: E402


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "test.sqlite3"


@pytest.fixture
def ctx(db_path):
    context = make_ctx(db_path)
    yield context
    context.close()


@pytest.fixture
def tpl():
    from desktop_app.domain.template import load_template

    return load_template("svf-2024")
