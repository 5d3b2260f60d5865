"""Hostile input files, built byte by byte (no library that would refuse to write them)."""

from __future__ import annotations

import zipfile
from pathlib import Path

_CT = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WB = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="SVF" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WB_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
)
_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def _sheet(cells: str, dimension: str | None = None) -> str:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f'<?xml version="1.0" encoding="UTF-8"?><worksheet {_NS}>{dim}<sheetData>{cells}</sheetData></worksheet>'


def _cell(ref: str, index: int = 0) -> str:
    row = "".join(ch for ch in ref if ch.isdigit())
    return f'<row r="{row}"><c r="{ref}" t="s"><v>{index}</v></c></row>'


def _strings(*texts: str) -> str:
    items = "".join(f"<si><t>{t}</t></si>" for t in texts)
    return f'<?xml version="1.0" encoding="UTF-8"?><sst {_NS} count="{len(texts)}">{items}</sst>'


def write_workbook(path: Path, sheet_xml: str, strings_xml: str | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", _CT)
        zf.writestr("_rels/.rels", _RELS)
        zf.writestr("xl/workbook.xml", _WB)
        zf.writestr("xl/_rels/workbook.xml.rels", _WB_RELS)
        zf.writestr("xl/worksheets/sheet1.xml", sheet_xml)
        zf.writestr("xl/sharedStrings.xml", strings_xml or _strings("svf_id"))
    return path


def far_cell_workbook(path: Path, ref: str = "XFD1048576") -> Path:
    """A cell at A1 and one at ``ref``: a dense reader allocates the whole rectangle."""
    return write_workbook(path, _sheet(_cell("A1") + _cell(ref)))


def lying_dimension_workbook(path: Path) -> Path:
    return write_workbook(path, _sheet(_cell("A1"), dimension="A1:XFD1048576"))


def huge_string_workbook(path: Path, megabytes: int = 800) -> Path:
    """One shared string of ``megabytes`` MB, streamed into the zip (about 1 MB compressed)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", _CT)
        zf.writestr("_rels/.rels", _RELS)
        zf.writestr("xl/workbook.xml", _WB)
        zf.writestr("xl/_rels/workbook.xml.rels", _WB_RELS)
        zf.writestr("xl/worksheets/sheet1.xml", _sheet(_cell("A1")))
        with zf.open("xl/sharedStrings.xml", "w", force_zip64=True) as fh:
            fh.write(f'<?xml version="1.0" encoding="UTF-8"?><sst {_NS} count="1"><si><t>'.encode())
            chunk = b"A" * (1024 * 1024)
            for _ in range(megabytes):
                fh.write(chunk)
            fh.write(b"</t></si></sst>")
    return path


def reused_string_workbook(path: Path, rows: int = 2000, cols: int = 100) -> Path:
    """A 100 kB shared string referenced by every cell of a 2000 x 100 area: small on disk,
    20 GB once every cell holds its own copy."""
    from openpyxl.utils import get_column_letter

    letters = [get_column_letter(c) for c in range(1, cols + 1)]
    rows_xml = "".join(
        f'<row r="{r}">' + "".join(f'<c r="{x}{r}" t="s"><v>0</v></c>' for x in letters) + "</row>"
        for r in range(1, rows + 1)
    )
    return write_workbook(path, _sheet(rows_xml), _strings("B" * 100_000))


def zip_bomb_workbook(path: Path) -> Path:
    """A sheet part that inflates to 200 MB of whitespace."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", _CT)
        zf.writestr("_rels/.rels", _RELS)
        zf.writestr("xl/workbook.xml", _WB)
        zf.writestr("xl/_rels/workbook.xml.rels", _WB_RELS)
        zf.writestr("xl/sharedStrings.xml", _strings("svf_id"))
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            fh.write(f'<?xml version="1.0"?><worksheet {_NS}><sheetData>'.encode())
            for _ in range(200):
                fh.write(b" " * (1024 * 1024))
            fh.write(b"</sheetData></worksheet>")
    return path


def self_referencing_pdf() -> bytes:
    """A small PDF whose EmbeddedFiles name tree lists itself among its own /Kids (twice, so a
    walk without a visited set doubles at each level)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles 3 0 R >> >>",
        b"<< /Type /Pages /Kids [] /Count 0 >>",
        b"<< /Kids [3 0 R 3 0 R 3 0 R 3 0 R] >>",
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def assemble_pdf(
    objects: list[bytes],
    *,
    trailer_extra: bytes = b"",
    size: int | None = None,
    xref_shift: int = 0,
    startxref: int | None = None,
    header: bytes = b"%PDF-1.7\n",
) -> bytes:
    """A PDF of ``objects`` (numbered from 1, object 1 the catalog) with one xref table. The
    hostile knobs: a wrong /Size, xref offsets shifted, a startxref pointing elsewhere, more
    trailer entries (a /Prev loop, an /Info reference)."""
    out = bytearray(header)
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % max(0, off + xref_shift)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        size if size is not None else len(objects) + 1,
        trailer_extra,
        startxref if startxref is not None else xref,
    )
    return bytes(out)
