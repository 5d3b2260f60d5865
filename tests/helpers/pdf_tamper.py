"""Ways to tamper with a signed PDF, for the tests that must catch them."""

from __future__ import annotations

import io
import re


def flip_byte(data: bytes, offset: int) -> bytes:
    b = bytearray(data)
    b[offset] ^= 0x01
    return bytes(b)


def object_offset(data: bytes, obj_num: int) -> int:
    """Byte offset of ``N 0 obj`` (the first definition)."""
    m = re.search(rb"(?<![0-9])%d 0 obj" % obj_num, data)
    assert m, f"object {obj_num} not found"
    return m.start()


def page_content_offset(data: bytes, page: int = 0) -> int:
    """An offset inside the content stream of a page (its compressed data)."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(data))
    page_obj = reader.root["/Pages"]["/Kids"][page]
    contents = page_obj.raw_get("/Contents")
    ref = contents.reference if hasattr(contents, "reference") else contents[0].reference
    start = object_offset(data, ref.idnum)
    stream = data.index(b"stream", start) + len(b"stream") + 1
    return stream + 40


def embedded_json_offset(data: bytes, needle: bytes = b'"received": ') -> int:
    """Offset of the first digit after ``needle`` in the (uncompressed) embedded JSON."""
    i = data.index(needle) + len(needle)
    assert data[i : i + 1].isdigit()
    return i


def append_revision_replacing_attachment(data: bytes, name: str, new_data: bytes) -> bytes:
    """An incremental update, unsigned, that swaps the data of an embedded file."""
    from pyhanko.pdf_utils import embed
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    w = IncrementalPdfFileWriter(io.BytesIO(data))
    names = w.root["/Names"]["/EmbeddedFiles"]["/Names"]
    for i in range(0, len(names), 2):
        if str(names[i]) == name:
            spec = names.raw_get(i + 1)
            spec_obj = spec.get_object()
            stream = embed.EmbeddedFileObject.from_file_data(w, data=new_data, compress=False)
            ref = w.add_object(stream)
            spec_obj["/EF"]["/F"] = ref
            spec_obj["/EF"]["/UF"] = ref
            w.mark_update(spec)
            break
    else:
        raise AssertionError(f"no attachment {name}")
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()
