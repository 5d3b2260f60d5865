import os
import tempfile

# Before any Qt import: tests never need a screen.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# QSettings (window geometry etc.) of test runs go to a throwaway folder, not the user's.
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="svf-test-config-")
# ... and the cache of checked templates too.
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="svf-test-cache-")
# ... and the crash log.
os.environ["SVF_REPORT_LOG_DIR"] = tempfile.mkdtemp(prefix="svf-test-log-")
# ... and the default database and key files (a command run without --db), never the user's.
os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="svf-test-data-")

import pytest  # noqa: E402

from tests.helpers.factories import make_ctx  # noqa: E402


def pytest_addoption(parser):
    parser.addoption(
        "--long",
        action="store_true",
        default=False,
        help="also run the tests marked long (the long proof runs, docs/security.md)",
    )


def pytest_collection_modifyitems(config, items):
    """Tests marked ``long`` are left out unless ``--long`` is given or ``-m`` names them."""
    if config.getoption("--long") or "long" in (config.option.markexpr or ""):
        return
    kept = [i for i in items if i.get_closest_marker("long") is None]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in kept])
        items[:] = kept


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
