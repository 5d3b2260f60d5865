"""The installer's files, checked without building: the PyInstaller spec (run with PyInstaller's
build classes replaced by recorders) carries the resources and the migrations, makes the two
executables, keeps the Qt parts the program needs; and the bundled program finds its data.

The real build and run is installer/smoke_test.sh (about two minutes)."""

from __future__ import annotations

import configparser
import sys
import types
from pathlib import Path
from typing import Any

import pytest

from desktop_app.resources import resources_dir

ROOT = Path(__file__).resolve().parents[2]
INSTALLER = ROOT / "installer"
SPEC = INSTALLER / "svf-redovisning.spec"

# A made-up link graph for the pruning of Qt plugins and the libraries only they need.
FAKE_BINARIES = {
    "PySide6/QtGui.abi3.so": {"libQt6Gui.so.6"},
    "PySide6/Qt/plugins/platforms/libqxcb.so": {"libQt6Gui.so.6", "libQt6XcbQpa.so.6"},
    "PySide6/Qt/plugins/platformthemes/libqgtk3.so": {"libQt6Gui.so.6", "libcairo.so.2"},
    "PySide6/Qt/plugins/imageformats/libqpdf.so": {"libQt6Pdf.so.6"},
    "PySide6/Qt/plugins/imageformats/libqsvg.so": {"libQt6Svg.so.6"},
    "PySide6/Qt/lib/libQt6Gui.so.6": set(),
    "PySide6/Qt/lib/libQt6XcbQpa.so.6": {"libQt6Gui.so.6"},
    "PySide6/Qt/lib/libQt6Pdf.so.6": {"libQt6Gui.so.6"},
    "PySide6/Qt/lib/libQt6Svg.so.6": {"libQt6Gui.so.6"},
    "libcairo.so.2": {"libpixman-1.so.0"},
    "libpixman-1.so.0": set(),
}
FAKE_DATAS = [
    ("PySide6/Qt/translations/qtbase_sv.qm", "/q/qtbase_sv.qm", "DATA"),
    ("PySide6/Qt/translations/qtbase_de.qm", "/q/qtbase_de.qm", "DATA"),
    ("libQt6Gui.so.6", "PySide6/Qt/lib/libQt6Gui.so.6", "SYMLINK"),
    ("libQt6Pdf.so.6", "PySide6/Qt/lib/libQt6Pdf.so.6", "SYMLINK"),
]


class Analysis:
    def __init__(self, scripts: list[str], **kwargs: Any) -> None:
        self.scripts_in, self.kwargs = scripts, kwargs
        # PyInstaller turns (source, destination folder) into (destination, source, kind).
        self.datas = [
            (str(Path(dest) / Path(src).name), src, "DATA") for src, dest in kwargs["datas"]
        ] + FAKE_DATAS
        self.binaries = [(dest, "/src/" + dest, "BINARY") for dest in FAKE_BINARIES]
        self.pure: list[Any] = []
        self.scripts: list[Any] = []


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    """Run the spec with recorders for Analysis, PYZ, EXE and COLLECT."""
    made: dict[str, list[Any]] = {"EXE": [], "COLLECT": []}

    def get_imports(src: str) -> set[tuple[str, str | None]]:
        dest = src.removeprefix("/src/")
        by_name = {Path(d).name: "/src/" + d for d in FAKE_BINARIES}
        return {(name, by_name.get(name)) for name in FAKE_BINARIES[dest]}

    def exe(*args: Any, **kwargs: Any) -> dict[str, Any]:
        made["EXE"].append(kwargs)
        return kwargs

    def collect(*args: Any, **kwargs: Any) -> dict[str, Any]:
        made["COLLECT"].append((args, kwargs))
        return kwargs

    hooks = types.ModuleType("PyInstaller.utils.hooks")
    hooks.collect_submodules = lambda name, filter=None: [f"{name}.(all submodules)"]  # type: ignore[attr-defined]
    bindepend = types.ModuleType("PyInstaller.depend.bindepend")
    bindepend.get_imports = get_imports  # type: ignore[attr-defined]
    stubs = {
        "PyInstaller": types.ModuleType("PyInstaller"),
        "PyInstaller.utils": types.ModuleType("PyInstaller.utils"),
        "PyInstaller.utils.hooks": hooks,
        "PyInstaller.depend": types.ModuleType("PyInstaller.depend"),
        "PyInstaller.depend.bindepend": bindepend,
    }
    saved = {name: sys.modules.get(name) for name in stubs}
    sys.modules.update(stubs)
    try:
        ns: dict[str, Any] = {
            "SPECPATH": str(INSTALLER),
            "Analysis": Analysis,
            "PYZ": lambda *a, **k: "pyz",
            "EXE": exe,
            "COLLECT": collect,
        }
        exec(compile(SPEC.read_text(encoding="utf-8"), str(SPEC), "exec"), ns)
    finally:
        for name, module in saved.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module
    ns["made"] = made
    return ns


def _data_dests(spec: dict[str, Any]) -> set[str]:
    return {Path(dest).as_posix() for dest, _, kind in spec["a"].datas if kind == "DATA"}


def test_every_resource_file_is_bundled_under_resources(spec: dict[str, Any]) -> None:
    res = ROOT / "resources"
    wanted = {
        "resources/" + p.relative_to(res).as_posix()
        for p in res.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix not in {".py", ".pyc"}
    }
    assert {"templates", "schemas", "reference", "icons", "help", "signing"} <= {
        w.split("/")[1] for w in wanted
    }  # help: the F1 guide's pages and pictures; signing: where card programs are installed
    assert wanted <= _data_dests(spec)


def test_the_migrations_are_bundled_as_source_next_to_storage(spec: dict[str, Any]) -> None:
    mig = ROOT / "desktop_app" / "storage" / "migrations"
    wanted = {"desktop_app/storage/migrations/env.py"} | {
        f"desktop_app/storage/migrations/versions/{p.name}" for p in (mig / "versions").glob("*.py")
    }
    assert len(wanted) >= 2
    assert wanted <= _data_dests(spec)


def test_analysis_collects_the_app_and_leaves_out_unused_qt(spec: dict[str, Any]) -> None:
    a = spec["a"]
    assert Path(a.scripts_in[0]) == INSTALLER / "entry.py"
    hidden = a.kwargs["hiddenimports"]
    assert "desktop_app.(all submodules)" in hidden
    assert "alembic.(all submodules)" in hidden
    assert "PySide6.QtSvg" in hidden
    excludes = set(a.kwargs["excludes"])
    for unused in ("QtWebEngineCore", "Qt3DCore", "QtMultimedia", "QtQuick", "QtQml"):
        assert f"PySide6.{unused}" in excludes
    for used in ("QtCore", "QtGui", "QtWidgets", "QtCharts", "QtSvg"):
        assert f"PySide6.{used}" not in excludes
    assert "pytest" in excludes


def test_two_executables_share_one_folder(spec: dict[str, Any]) -> None:
    exes = {e["name"]: e for e in spec["made"]["EXE"]}
    assert exes["svf-redovisning"]["console"] is False  # the start-menu program: no console
    assert exes["svf-report"]["console"] is True  # the command line
    assert all(e["exclude_binaries"] and not e["upx"] for e in exes.values())
    assert all(Path(e["icon"]).is_file() for e in exes.values())
    [(args, kwargs)] = spec["made"]["COLLECT"]
    assert kwargs["name"] == "svf-redovisning"
    assert [a["name"] for a in args if isinstance(a, dict)] == ["svf-redovisning", "svf-report"]


@pytest.mark.parametrize(
    ("dest", "dropped"),
    [
        ("PySide6/Qt/plugins/platforms/libqxcb.so", False),
        ("PySide6/Qt/plugins/platforms/libqoffscreen.so", False),
        ("PySide6/Qt/plugins/platforms/libqwayland.so", False),
        ("PySide6/plugins/platforms/qwindows.dll", False),
        ("PySide6/plugins/imageformats/qsvg.dll", False),
        ("PySide6/Qt/plugins/imageformats/libqico.so", False),
        ("PySide6/plugins/styles/qmodernwindowsstyle.dll", False),
        ("PySide6/Qt/plugins/iconengines/libqsvgicon.so", False),
        ("PySide6/Qt/plugins/platforms/libqeglfs.so", True),
        ("PySide6/Qt/plugins/platforms/libqvnc.so", True),
        ("PySide6/Qt/plugins/imageformats/libqpdf.so", True),
        ("PySide6/plugins/imageformats/qpdf.dll", True),
        ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", True),
        ("PySide6/Qt/plugins/generic/libqevdevmouseplugin.so", True),
        ("PySide6/Qt/lib/libQt6Gui.so.6", False),
    ],
)
def test_which_qt_plugins_are_kept(spec: dict[str, Any], dest: str, dropped: bool) -> None:
    assert spec["dropped_plugin"](dest) is dropped


def test_libraries_needed_only_by_dropped_plugins_go_too(spec: dict[str, Any]) -> None:
    kept = {Path(dest).name for dest, _, _ in spec["a"].binaries}
    assert kept == {
        "QtGui.abi3.so",
        "libqxcb.so",
        "libqsvg.so",
        "libQt6Gui.so.6",  # also needed by the dropped gtk3 and pdf plugins, but not only
        "libQt6XcbQpa.so.6",
        "libQt6Svg.so.6",
    }


def test_only_swedish_qt_translations_and_no_dangling_links(spec: dict[str, Any]) -> None:
    dests = {dest for dest, _, _ in spec["a"].datas}
    assert "PySide6/Qt/translations/qtbase_sv.qm" in dests
    assert "PySide6/Qt/translations/qtbase_de.qm" not in dests
    assert "libQt6Gui.so.6" in dests
    assert "libQt6Pdf.so.6" not in dests  # its target was pruned


def test_resources_are_found_in_a_bundle(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("SVF_RESOURCES", raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resources_dir() == tmp_path / "resources"
    monkeypatch.setenv("SVF_RESOURCES", str(tmp_path / "elsewhere"))
    assert resources_dir() == tmp_path / "elsewhere"


def test_resources_are_found_in_the_checkout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SVF_RESOURCES", raising=False)
    monkeypatch.delattr(sys, "_MEIPASS", raising=False)
    assert resources_dir() == ROOT / "resources"


def test_desktop_entry_starts_the_windowed_program_with_the_icon() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(INSTALLER / "svf-redovisning.desktop", encoding="utf-8")
    d = entry["Desktop Entry"]
    assert d["Type"] == "Application"
    assert d["Exec"] == "svf-redovisning"
    assert d["Terminal"] == "false"
    assert d["Icon"] == "svf-redovisning"
    assert sorted((ROOT / "resources" / "icons").glob("svf-redovisning-*.png"))


def test_inno_setup_script_installs_the_bundle_per_user() -> None:
    iss = (INSTALLER / "svf-redovisning.iss").read_text(encoding="utf-8")
    lines = {line.strip() for line in iss.splitlines()}
    assert "PrivilegesRequired=lowest" in lines
    assert "DefaultDirName={autopf}\\{#AppName}" in lines
    assert '#define BundleDir "dist\\svf-redovisning"' in lines
    assert "#ifndef AppVersion" in lines  # the version comes from the build (/DAppVersion=)
    icon = next(line.split("=", 1)[1] for line in lines if line.startswith("SetupIconFile="))
    assert (INSTALLER / icon.replace("\\", "/")).resolve() == (
        ROOT / "resources" / "icons" / "svf-redovisning.ico"
    )
    assert '#define AppExe "svf-redovisning.exe"' in lines
    assert iss.isascii()  # no encoding questions for ISCC
