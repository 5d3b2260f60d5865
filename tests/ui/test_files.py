"""Issue 13, point 6: file dialogs start in the last folder used for that kind of file
(Documents the first time); a replaced file is asked about first."""

from pathlib import Path

from desktop_app.ui.files import documents_folder, last_folder, remember_folder


def test_each_kind_of_file_remembers_its_folder(qapp, tmp_path):
    assert last_folder("pdf") == documents_folder()
    remember_folder("pdf", tmp_path / "r.pdf")
    assert last_folder("pdf") == tmp_path
    assert last_folder("excel") == documents_folder()  # another kind, its own folder
    gone = tmp_path / "gone"
    gone.mkdir()
    remember_folder("excel", gone / "x.xlsx")
    gone.rmdir()
    assert last_folder("excel") == documents_folder()  # a folder no longer there
    assert isinstance(last_folder("database"), Path)
