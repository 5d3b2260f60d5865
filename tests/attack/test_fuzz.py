"""Fuzz of the Excel import, of reading a PDF's attachments and of ``verify``: whatever the
bytes, the reader returns or raises its one Swedish error type – never another exception – in
bounded time, and ``verify`` never calls a hostile or mutated file valid. Bounded in the
suite (``EXAMPLES`` each); ``-m long`` runs ``LONG_EXAMPLES`` each."""

from __future__ import annotations

import io
import time
import zipfile
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop_app.domain.reference import load_reference
from desktop_app.domain.template import load_template
from desktop_app.exchange.excel import ImportFileError, read_import_file, write_import_workbook
from desktop_app.signing.errors import UnreadablePdfError
from desktop_app.signing.verify import read_attachments
from tests.attack import hostile_files as hf

TPL = load_template("svf-2024")
EXAMPLES = 40
LONG_EXAMPLES = 1000
VERIFY_SECONDS = 20  # one verification of a small hostile file, at most (typically 0.05 s)
_FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
_LONG = settings(max_examples=LONG_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))


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


_WORKBOOK_EDITS = {
    "edits": st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), max_size=8),
    "cut": st.none() | st.integers(10, 20000),
}
_CELL_TEXT = st.one_of(
    st.text(max_size=50),
    st.sampled_from(["=1+1", "1e308", "-0", "NaN", "9" * 400, "<x>", "\x00", "TRUE", "#REF!"]),
)
_PDF_EDITS = {
    "edits": st.lists(st.tuples(st.integers(0, 600), st.integers(0, 255)), max_size=6),
    "cut": st.none() | st.integers(5, 600),
}


def _workbook_mutation(tmp_path_factory, edits, cut) -> None:
    tmp = tmp_path_factory.mktemp("f")
    _read(tmp, _mutate(_template_bytes(tmp), edits, cut))


def _junk_cell(tmp_path_factory, text) -> None:
    tmp = tmp_path_factory.mktemp("v")
    _read(tmp, _sheet_variant(_template_bytes(tmp), text))


def _pdf_attachments(edits, cut) -> None:
    data = _mutate(hf.self_referencing_pdf(), edits, cut)
    try:
        read_attachments(data)
    except UnreadablePdfError as err:
        assert str(err).strip()


@_FUZZ
@given(**_WORKBOOK_EDITS)
def test_byte_mutations_of_a_workbook(tmp_path_factory, edits, cut):
    _workbook_mutation(tmp_path_factory, edits, cut)


@pytest.mark.long
@_LONG
@given(**_WORKBOOK_EDITS)
def test_byte_mutations_of_a_workbook_long(tmp_path_factory, edits, cut):
    _workbook_mutation(tmp_path_factory, edits, cut)


@_FUZZ
@given(text=_CELL_TEXT)
def test_junk_cell_values(tmp_path_factory, text):
    _junk_cell(tmp_path_factory, text)


@pytest.mark.long
@_LONG
@given(text=_CELL_TEXT)
def test_junk_cell_values_long(tmp_path_factory, text):
    _junk_cell(tmp_path_factory, text)


@_FUZZ
@given(**_PDF_EDITS)
def test_pdf_attachment_reading(edits, cut):
    _pdf_attachments(edits, cut)


@pytest.mark.long
@_LONG
@given(**_PDF_EDITS)
def test_pdf_attachment_reading_long(edits, cut):
    _pdf_attachments(edits, cut)


# ---------------------------------------------------------------- verify: hostile structures

_JSON_PAYLOADS = [
    b"[" * 3000 + b"]" * 3000,
    b'{"document": "svf-report", "n": ' + b"9" * 5000 + b"}",
    b"\xff\xfe\x00junk",
    b'{"document": "svf-report", "template": "svf-2024", "region": "99"}',
    b'{"document": "svf-report", "template": "svf-2024", "submitted_on": "2024-02-30"}',
    b"null",
]


def _stream(data: bytes, length: int | None, filt: bytes) -> bytes:
    n = len(data) if length is None else length
    return b"<< /Length %d %s>>\nstream\n" % (n, filt) + data + b"\nendstream"


@st.composite
def hostile_pdf(draw) -> bytes:
    """A small PDF with a catalog, an EmbeddedFiles name tree and a signature field, each
    part drawn from hostile forms: cycles and deep chains in the tree, names that are not
    strings, references to missing objects, streams with lying lengths and unknown or
    stacked filters, hostile JSON, signature dictionaries with absurd /ByteRange and
    /Contents, and a trailer with a wrong /Size, shifted offsets or a /Prev loop."""
    depth = draw(st.integers(0, 60))
    tree_kind = draw(st.sampled_from(["self", "cycle", "chain", "names", "odd", "missing"]))
    payload = draw(st.sampled_from(_JSON_PAYLOADS) | st.binary(max_size=200))
    compress = draw(st.booleans())
    data = zlib.compress(payload) if compress else payload
    filt = draw(
        st.sampled_from(
            [
                b"",
                b"/Filter /FlateDecode ",
                b"/Filter /LZWDecode ",
                b"/Filter /Foo ",
                b"/Filter [/FlateDecode /FlateDecode] ",
            ]
        )
    )
    if compress and not filt:
        filt = b"/Filter /FlateDecode "
    length = draw(st.none() | st.integers(-10, 10**7))
    br = draw(st.lists(st.integers(-(10**6), 10**12), min_size=0, max_size=6))
    contents = draw(st.binary(max_size=64)).hex().encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles 3 0 R >> "
        b"/AcroForm << /Fields [6 0 R] >> >>",
        b"<< /Type /Pages /Kids [] /Count 0 >>",
    ]
    name = draw(
        st.sampled_from(
            [b"(svf-report.json)", b"(svf-certification.json)", b"42", b"/Name", b"<ff00>"]
        )
    )
    if tree_kind == "self":
        objects.append(b"<< /Kids [3 0 R 3 0 R] /Names [%s 4 0 R] >>" % name)
    elif tree_kind == "cycle":
        objects.append(b"<< /Kids [7 0 R] >>")
    elif tree_kind == "chain":
        objects.append(b"<< /Kids [" + b"[" * depth + b"3 0 R" + b"]" * depth + b"] >>")
    elif tree_kind == "names":
        objects.append(b"<< /Names [%s 4 0 R %s 4 0 R] >>" % (name, name))
    elif tree_kind == "odd":
        objects.append(b"<< /Names [%s 4 0 R %s] >>" % (name, name))
    else:
        objects.append(b"<< /Names [%s 99 0 R] >>" % name)
    objects.append(b"<< /Type /Filespec /F %s /EF << /F 5 0 R >> >>" % name)
    objects.append(_stream(data, length, filt))
    objects.append(
        b"<< /FT /Sig /T (Intygande_ekonomichef) /V << /Type /Sig /Filter /Adobe.PPKLite "
        b"/SubFilter /ETSI.CAdES.detached /ByteRange [%s] /Contents <%s> >> >>"
        % (b" ".join(b"%d" % v for v in br), contents)
    )
    objects.append(b"<< /Kids [3 0 R] >>")  # 7: the other half of the cycle
    prev = draw(
        st.sampled_from(
            [
                b"",
                b"/Prev 0 ",
                b"/Prev 9 ",
                b"/Info 99 0 R ",
                b"/Info << /Title (" + b"(" * 50 + b") >> ",
            ]
        )
    )
    return hf.assemble_pdf(
        objects,
        trailer_extra=prev,
        size=draw(st.sampled_from([None, None, None, 0, 3, 10**12])),
        xref_shift=draw(st.sampled_from([0] * 8 + [1, -5, 1000])),
    )


_LIBRARY_WORDS = ("Stream", "seek", "Failed", "object header", "Traceback", "Error")


def _verify_hostile(data: bytes) -> None:
    from desktop_app.services.verification import verify_bytes

    started = time.monotonic()
    result = verify_bytes(data, "fientlig.pdf")
    assert time.monotonic() - started < VERIFY_SECONDS
    assert not result.ok  # nothing here is signed by anyone
    assert all(p.strip() for p in result.problems)
    # Swedish sentences, not the PDF library's English text.
    assert not any(w in p for p in result.problems for w in _LIBRARY_WORDS), result.problems


@_FUZZ
@given(data=hostile_pdf())
def test_verify_survives_hostile_pdf_structures(data):
    _verify_hostile(data)


@pytest.mark.long
@_LONG
@given(data=hostile_pdf())
def test_verify_survives_hostile_pdf_structures_long(data):
    _verify_hostile(data)


# ---------------------------------------------------------------- verify: a mutated signed file

_SIGNED: dict[str, bytes] = {}


def _signed_export(tmp_path_factory) -> bytes:
    if "data" not in _SIGNED:
        from tests.helpers.signed_demo import build_signed_demo

        demo = build_signed_demo(tmp_path_factory.mktemp("fuzz-signed"), regions=["25"])
        _SIGNED["data"] = demo.files["25"].read_bytes()
    return _SIGNED["data"]


_MUTATIONS = st.lists(
    st.tuples(
        st.sampled_from(["set", "insert", "delete"]),
        st.floats(0, 1, exclude_max=True),
        st.integers(0, 255),
    ),
    min_size=1,
    max_size=4,
)


def _apply_mutations(data: bytes, mutations) -> tuple[bytes, bool]:
    """The mutated file, and whether every mutation lies inside the bytes the last
    signature covers (then it must not verify)."""
    from tests.attack.tamper_corpus import byte_ranges

    a, b, c, d = byte_ranges(data)[-1]
    out = bytearray(data)
    covered = True
    for op, where, value in sorted(mutations, key=lambda m: -m[1]):  # from the end
        pos = int(where * len(out))
        covered = covered and (pos < a + b or c <= pos < c + d)
        if op == "set":
            out[pos] = value
        elif op == "insert":
            out[pos:pos] = bytes([value])
        else:
            del out[pos]
    return bytes(out), covered


def _verify_mutated(data: bytes, mutations) -> None:
    from desktop_app.services.verification import verify_bytes

    mutated, covered = _apply_mutations(data, mutations)
    started = time.monotonic()
    result = verify_bytes(mutated, "muterad.pdf")
    assert time.monotonic() - started < VERIFY_SECONDS
    # The same file with white space after its end (an insertion of a newline next to the
    # final one) is the same document: allowed, as in the corpus's baseline.
    same = mutated[: len(data)] == data and not mutated[len(data) :].strip(b"\x00\t\n\x0c\r ")
    if not same and (covered or len(mutated) != len(data)):
        assert not result.ok, mutations


@_FUZZ
@given(mutations=_MUTATIONS)
def test_verify_never_accepts_a_mutated_signed_export(tmp_path_factory, mutations):
    _verify_mutated(_signed_export(tmp_path_factory), mutations)


@pytest.mark.long
@_LONG
@given(mutations=_MUTATIONS)
def test_verify_never_accepts_a_mutated_signed_export_long(tmp_path_factory, mutations):
    _verify_mutated(_signed_export(tmp_path_factory), mutations)


# ---------------------------------------------------------------- the database after a refusal

_DB: dict[str, object] = {}


def _import_target(tmp_path_factory):
    """One database with one report (made once), for the imports below."""
    if "ctx" not in _DB:
        from desktop_app.services import reports
        from tests.helpers.factories import make_ctx

        ctx = make_ctx(tmp_path_factory.mktemp("fuzz-db") / "fuzz.sqlite3")
        rid = reports.create_report(ctx, "25", 2024)
        reports.set_figures(ctx, rid, {("aml", "expected", "man"): 3})
        _DB.update(ctx=ctx, rid=rid)
    return _DB["ctx"], _DB["rid"]


def _state(ctx, rid) -> tuple:
    import sqlite3

    with sqlite3.connect(ctx.db_path) as con:
        return tuple(
            tuple(con.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall())  # noqa: S608
            for (table,) in con.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            ).fetchall()
        )


@_FUZZ
@given(**_WORKBOOK_EDITS)
def test_a_refused_import_leaves_the_database_unchanged(tmp_path_factory, edits, cut):
    """Through the service the window and the CLI use: a mutated workbook is imported or
    refused with the Swedish error; when refused, no table of the database has changed."""
    from desktop_app.domain.errors import UserError
    from desktop_app.services import imports

    ctx, rid = _import_target(tmp_path_factory)
    tmp = tmp_path_factory.mktemp("i")
    p = tmp / "fuzz.xlsx"
    p.write_bytes(_mutate(_template_bytes(tmp), edits, cut))
    before = _state(ctx, rid)
    try:
        imports.import_file(ctx, rid, p)
    except UserError as err:
        assert str(err).strip()
        assert _state(ctx, rid) == before
