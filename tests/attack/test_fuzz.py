"""Fuzz of the Excel import and of reading a PDF's attachments: whatever the bytes, the reader
returns or raises its one Swedish error type – never another exception – and the database is
not touched by a refused import. Bounded (a few dozen examples each); more behind -m long."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop_app.domain.reference import load_reference
from desktop_app.domain.template import load_template
from desktop_app.exchange.excel import ImportFileError, read_import_file, write_import_workbook
from desktop_app.signing.errors import UnreadablePdfError
from desktop_app.signing.verify import read_attachments
from tests.attack import hostile_files as hf

TPL = load_template("svf-2024")
_FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))


def _template_bytes(tmp: Path) -> bytes:
    p = tmp / "mall.xlsx"
    write_import_workbook(p, TPL, load_reference().region("25"), {("aml", "expected", "man"): 4})
    return p.read_bytes()


def _mutate(data: bytes, edits: list[tuple[int, int]], cut: int | None) -> bytes:
    b = bytearray(data)
    for pos, val in edits:
        b[pos % len(b)] = val
    return bytes(b[:cut] if cut else b)


def _sheet_variant(data: bytes, text: str) -> bytes:
    """The template with a junk cell value (types, formulas, huge numbers) in the SVF sheet."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            part = src.read(info)
            if info.filename.endswith("sheet1.xml") or info.filename.endswith("sheet2.xml"):
                esc = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                part = part.replace(b"<v>4</v>", f"<v>{esc}</v>".encode(), 1)
                part = part.replace(
                    b'<c r="C3"',
                    f'<c r="C3" t="inlineStr"><is><t>{esc}</t></is></c><c r="Z9"'.encode(),
                    1,
                )
            zf.writestr(info, part)
    return out.getvalue()


def _read(tmp: Path, data: bytes) -> None:
    p = tmp / "fuzz.xlsx"
    p.write_bytes(data)
    try:
        read_import_file(p, TPL, "25")
    except ImportFileError as err:
        assert str(err).strip()


@_FUZZ
@given(
    edits=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), max_size=8),
    cut=st.none() | st.integers(10, 20000),
)
def test_byte_mutations_of_a_workbook(tmp_path_factory, edits, cut):
    tmp = tmp_path_factory.mktemp("f")
    _read(tmp, _mutate(_template_bytes(tmp), edits, cut))


@_FUZZ
@given(
    text=st.one_of(
        st.text(max_size=50),
        st.sampled_from(["=1+1", "1e308", "-0", "NaN", "9" * 400, "<x>", "\x00", "TRUE", "#REF!"]),
    )
)
def test_junk_cell_values(tmp_path_factory, text):
    tmp = tmp_path_factory.mktemp("v")
    _read(tmp, _sheet_variant(_template_bytes(tmp), text))


@_FUZZ
@given(
    edits=st.lists(st.tuples(st.integers(0, 600), st.integers(0, 255)), max_size=6),
    cut=st.none() | st.integers(5, 600),
)
def test_pdf_attachment_reading(edits, cut):
    data = _mutate(hf.self_referencing_pdf(), edits, cut)
    try:
        read_attachments(data)
    except UnreadablePdfError as err:
        assert str(err).strip()
