"""A corpus of tampered variants of one signed export (certified by the finance chief, signed
by the representative), for ``test_tamper_corpus``: every way we know to change what a signed
report says, or to make a file look signed when it is not. ``corpus(data)`` yields
``(kind, label, bytes)``; each kind makes many distinct variants.

Kinds:
* ``flip-signed``: one byte changed somewhere in the bytes a signature covers (spread evenly
  over both signatures' ranges), and at the places an attacker would aim at: the embedded
  report document, the page content, the xref tables, trailers and the signature dictionaries.
* ``flip-signature``: a byte of a signature's own CMS structure changed (the signer's
  certificate, the signed attributes, the signature value), a byte of the zeros after it
  (the one part of a signed file no signature covers), or the signature replaced by the
  other one or by zeros.
* ``data``: an incremental update (unsigned) that replaces the embedded report document or the
  certification with other figures, region, version or status.
* ``names``: an incremental update of the names tree: a second ``svf-report.json``, the file
  renamed, a new tree in the catalog, a compilation document beside or instead of it.
* ``annotation``: an incremental update adding an annotation (text, link, free text, a widget
  over the page) or removing the signature widgets.
* ``page``: an incremental update changing the pages: new content, a page added, removed,
  rotated, resized.
* ``info``: an incremental update changing /Info (title, author, subject, keywords, a new key,
  a new /Info object).
* ``catalog``: an incremental update adding an OpenAction, JavaScript, a new AcroForm, or
  pointing the trailer at a different catalog.
* ``removal``: a signature removed (the file cut back to an earlier revision, the field's /V
  dropped, the field taken out of /AcroForm).
* ``wrapping``: signature wrapping and universal forgery: a signature dictionary whose
  /ByteRange is moved or emptied, content slipped into the gap, an update without /Prev that
  redefines the objects.
* ``appended``: data after the end of the last revision (text, objects without an xref, a
  second PDF, a startxref pointing back at the signed revision).
* ``truncated``: the file cut short at places inside the last revision.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable, Iterator
from typing import Any

REPORT = "svf-report.json"
CERTIFICATION = "svf-certification.json"

Variant = tuple[str, str, bytes]

_BYTE_RANGE = re.compile(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]")


def byte_ranges(data: bytes) -> list[tuple[int, int, int, int]]:
    """Each signature's /ByteRange, in file order."""
    return [
        (int(a), int(b), int(c), int(d))
        for a, b, c, d in (m.groups() for m in _BYTE_RANGE.finditer(data))
    ]


def _flip(data: bytes, pos: int, mask: int = 0x01) -> bytes:
    b = bytearray(data)
    b[pos] ^= mask
    return bytes(b)


def _spread(lo: int, hi: int, n: int) -> list[int]:
    return sorted({lo + (hi - lo) * i // n for i in range(n)})


def _signed_offsets(data: bytes, n_each: int) -> list[int]:
    """Offsets inside the signed ranges: ``n_each`` spread over the first signature's ranges,
    and ``n_each`` over the part only the last signature covers."""
    ranges = byte_ranges(data)
    first, last = ranges[0], ranges[-1]
    out = _spread(0, first[1], n_each // 2) + _spread(first[2], first[2] + first[3], n_each // 2)
    first_end = first[2] + first[3]
    out += _spread(first_end, last[1], n_each // 2)
    out += _spread(last[2], last[2] + last[3], n_each // 2)
    return sorted(set(out))


def _targets(data: bytes) -> dict[str, int]:
    """Offsets an attacker would aim at, all inside the signed ranges."""
    out: dict[str, int] = {}
    for needle in (b'"received": ', b'"region": "', b'"version": ', b'"status": "'):
        i = data.find(needle)
        if i >= 0:
            out["json " + needle.decode().strip(': "')] = i + len(needle)
    for n, m in enumerate(re.finditer(rb"\nxref\n", data)):
        out[f"xref {n}"] = m.start() + 12
    for n, m in enumerate(re.finditer(rb"trailer\s*<<", data)):
        out[f"trailer {n}"] = m.end() + 3
    for n, m in enumerate(re.finditer(rb"startxref\s+(\d+)", data)):
        out[f"startxref {n}"] = m.start(1)
    for n, m in enumerate(_BYTE_RANGE.finditer(data)):
        out[f"byterange {n}"] = m.start(4)
    for n, m in enumerate(re.finditer(rb"/M \(D:", data)):
        out[f"signing time {n}"] = m.end() + 4
    for n, m in enumerate(re.finditer(rb"/Reason \(", data)):
        out[f"reason {n}"] = m.end() + 2
    for n, m in enumerate(re.finditer(rb"/EmbeddedFiles", data)):
        out[f"names tree {n}"] = m.start() + 3
    for n, m in enumerate(re.finditer(rb"/Subtype /Widget", data)):
        out[f"widget {n}"] = m.start() + 3
    ranges = byte_ranges(data)
    return {k: v for k, v in out.items() if _in_signed(v, ranges[-1])}


def _in_signed(pos: int, r: tuple[int, int, int, int]) -> bool:
    a, b, c, d = r
    return a <= pos < a + b or c <= pos < c + d


def flip_signed(data: bytes, n: int) -> Iterator[Variant]:
    for pos in _signed_offsets(data, n):
        yield "flip-signed", f"offset {pos}", _flip(data, pos)
    for what, pos in _targets(data).items():
        yield "flip-signed", f"{what} at {pos}", _flip(data, pos, 0x02)


def _signer_spans(hole: bytes) -> tuple[int, list[tuple[str, int, int]]]:
    """The DER length of a /Contents hole's signature and the byte spans (in the DER) of what
    binds it: the signer's certificate, the signed attributes and the signature value. The
    other certificates in the bag (the CA's copy) are left alone: verification takes the CA
    from the trust folder or the register, so that copy carries nothing signed."""
    from asn1crypto import cms

    raw = bytes.fromhex(hole.strip(b"<>").decode())
    info = cms.ContentInfo.load(raw, strict=False)
    der = info.dump()
    sd = info["content"]
    si = sd["signer_infos"][0]
    sid = si["sid"].chosen
    signer = next(
        c for c in sd["certificates"] if c.chosen.serial_number == sid["serial_number"].native
    )
    spans = []
    for what, part in (
        ("signer certificate", signer),
        ("signed attributes", si["signed_attrs"]),
        ("signature value", si["signature"]),
    ):
        enc = part.dump()
        start = raw.find(enc)
        spans.append((what, start, start + len(enc)))
    return len(der), spans


def flip_signature(data: bytes, n: int) -> Iterator[Variant]:
    holes = [(b + a + 1, c - 1) for a, b, c, _ in byte_ranges(data)]  # inside the < >
    for k, (lo, hi) in enumerate(holes):
        der_len, spans = _signer_spans(data[lo - 1 : hi + 1])
        for what, start, end in spans:
            for pos in _spread(lo + 2 * start, lo + 2 * end, n):
                b = bytearray(data)
                b[pos] = ord("0") if b[pos] != ord("0") else ord("f")
                yield "flip-signature", f"signature {k}: {what}, hex digit {pos - lo}", bytes(b)
        for pos in _spread(lo + 2 * der_len, hi, n):  # the zeros after the signature
            b = bytearray(data)
            b[pos] = ord("7")
            yield "flip-signature", f"signature {k}: padding, hex digit {pos - lo}", bytes(b)
        b = bytearray(data)
        b[lo + 2] = ord("f")
        yield "flip-signature", f"signature {k}: DER header", bytes(b)
        zero = data[:lo] + b"0" * (hi - lo) + data[hi:]
        yield "flip-signature", f"signature {k} zeroed", zero
    (lo0, hi0), (lo1, hi1) = holes[0], holes[-1]
    if hi0 - lo0 == hi1 - lo1:
        swapped = data[:lo1] + data[lo0:hi0] + data[hi1:]
        yield "flip-signature", "representative's signature replaced by the chief's", swapped
        swapped = data[:lo0] + data[lo1:hi1] + data[hi0:]
        yield "flip-signature", "chief's signature replaced by the representative's", swapped


def _writer(data: bytes) -> Any:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    return IncrementalPdfFileWriter(io.BytesIO(data), strict=False)


def _out(w: Any) -> bytes:
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


def _attachment(data: bytes, name: str) -> bytes:
    from desktop_app.signing.verify import read_attachments

    return read_attachments(data)[name].data


def _replace_attachment(data: bytes, name: str, new: bytes) -> bytes:
    from tests.helpers.pdf_tamper import append_revision_replacing_attachment

    return append_revision_replacing_attachment(data, name, new)


def _report_edits(doc: dict[str, Any]) -> list[tuple[str, Callable[[dict[str, Any]], None]]]:
    def set_key(key: str, value: Any) -> Callable[[dict[str, Any]], None]:
        def edit(d: dict[str, Any]) -> None:
            d[key] = value

        return edit

    def bump_figures(d: dict[str, Any]) -> None:
        text = json.dumps(d.get("figures"))
        d["figures"] = json.loads(
            re.sub(r"(\d+)", lambda m: str(int(m.group(1)) + 1), text, count=1)
        )

    def bump_finance(d: dict[str, Any]) -> None:
        text = json.dumps(d.get("finance"))
        d["finance"] = json.loads(
            re.sub(r"(\d+)", lambda m: str(int(m.group(1)) + 7), text, count=1)
        )

    edits = [
        ("figures", bump_figures),
        ("finance", bump_finance),
        ("region", set_key("region", "01")),
        ("version", set_key("version", int(doc.get("version", 1)) + 1)),
        ("status", set_key("status", "draft")),
        ("answers", set_key("answers", {})),
        ("extra key", set_key("note", "tillagd")),
    ]
    return [(k, e) for k, e in edits if k in doc or k == "extra key"]


def data_updates(data: bytes) -> Iterator[Variant]:
    original = _attachment(data, REPORT)
    doc = json.loads(original)
    for what, edit in _report_edits(doc):
        changed = json.loads(original)
        edit(changed)
        new = json.dumps(changed, ensure_ascii=False).encode()
        yield "data", f"report document: {what}", _replace_attachment(data, REPORT, new)
    yield "data", "report document: same bytes", _replace_attachment(data, REPORT, original)
    yield "data", "report document: not JSON", _replace_attachment(data, REPORT, b"{not json")
    yield "data", "report document: empty", _replace_attachment(data, REPORT, b"")
    cert = _attachment(data, CERTIFICATION)
    cdoc = json.loads(cert)
    for key in list(cdoc)[:4]:
        changed = dict(cdoc)
        changed[key] = "ändrad"
        new = json.dumps(changed, ensure_ascii=False).encode()
        yield "data", f"certification: {key}", _replace_attachment(data, CERTIFICATION, new)
    yield "data", "certification: same bytes", _replace_attachment(data, CERTIFICATION, cert)


def _names_array(w: Any) -> Any:
    return w.root["/Names"]["/EmbeddedFiles"]["/Names"]


def _embedded_spec(w: Any, name: str, payload: bytes) -> Any:
    from pyhanko.pdf_utils import embed, generic

    stream = embed.EmbeddedFileObject.from_file_data(w, data=payload, compress=False)
    ref = w.add_object(stream)
    spec = generic.DictionaryObject(
        {
            generic.NameObject("/Type"): generic.NameObject("/Filespec"),
            generic.NameObject("/F"): generic.TextStringObject(name),
            generic.NameObject("/UF"): generic.TextStringObject(name),
            generic.NameObject("/EF"): generic.DictionaryObject(
                {generic.NameObject("/F"): ref, generic.NameObject("/UF"): ref}
            ),
        }
    )
    return w.add_object(spec)


def _names_variant(data: bytes, how: str, payload: bytes) -> bytes:
    from pyhanko.pdf_utils import generic

    w = _writer(data)
    names = _names_array(w)
    tree = w.root["/Names"]["/EmbeddedFiles"]
    if how in ("append duplicate", "prepend duplicate"):
        pair = [generic.TextStringObject(REPORT), _embedded_spec(w, REPORT, payload)]
        if how == "append duplicate":
            names.extend(pair)
        else:
            names[0:0] = pair
    elif how == "rename original":
        i = [str(names[j]) for j in range(0, len(names), 2)].index(REPORT) * 2
        names[i] = generic.TextStringObject("gammal.json")
        names.extend([generic.TextStringObject(REPORT), _embedded_spec(w, REPORT, payload)])
    elif how == "kids instead of names":
        leaf = generic.DictionaryObject(
            {
                generic.NameObject("/Names"): generic.ArrayObject(
                    [generic.TextStringObject(REPORT), _embedded_spec(w, REPORT, payload)]
                ),
                generic.NameObject("/Limits"): generic.ArrayObject(
                    [generic.TextStringObject(REPORT), generic.TextStringObject(REPORT)]
                ),
            }
        )
        tree[generic.NameObject("/Kids")] = generic.ArrayObject([w.add_object(leaf)])
        del tree["/Names"]
    elif how == "new tree in the catalog":
        new_tree = generic.DictionaryObject(
            {
                generic.NameObject("/Names"): generic.ArrayObject(
                    [generic.TextStringObject(REPORT), _embedded_spec(w, REPORT, payload)]
                )
            }
        )
        w.root[generic.NameObject("/Names")] = generic.DictionaryObject(
            {generic.NameObject("/EmbeddedFiles"): w.add_object(new_tree)}
        )
        w.update_root()
        return _out(w)
    elif how == "compilation beside":
        names.extend(
            [
                generic.TextStringObject("svf-compilation.json"),
                _embedded_spec(w, "svf-compilation.json", payload),
            ]
        )
    elif how == "compilation instead":
        i = [str(names[j]) for j in range(0, len(names), 2)].index(REPORT) * 2
        names[i] = generic.TextStringObject("svf-compilation.json")
    elif how == "tree removed":
        del w.root["/Names"]["/EmbeddedFiles"]
    else:  # pragma: no cover - a typo in the list below
        raise AssertionError(how)
    w.update_container(names)
    w.update_container(tree)
    w.update_container(w.root["/Names"])
    w.update_root()
    return _out(w)


NAMES_HOW = (
    "append duplicate",
    "prepend duplicate",
    "rename original",
    "kids instead of names",
    "new tree in the catalog",
    "compilation beside",
    "compilation instead",
    "tree removed",
)


def names_updates(data: bytes) -> Iterator[Variant]:
    original = _attachment(data, REPORT)
    doc = json.loads(original)
    other = dict(doc, region="01")
    payloads = {
        "other region": json.dumps(other, ensure_ascii=False).encode(),
        "same bytes": original,
    }
    for how in NAMES_HOW:
        for what, payload in payloads.items():
            if how in ("tree removed", "compilation instead") and what != "same bytes":
                continue
            yield "names", f"{how} ({what})", _names_variant(data, how, payload)


def _page(w: Any, n: int = 0) -> tuple[Any, Any]:
    kids = w.root["/Pages"]["/Kids"]
    ref = kids.raw_get(n)
    return ref, ref.get_object()


def _annotation(w: Any, subtype: str, extra: dict[str, Any]) -> Any:
    from pyhanko.pdf_utils import generic

    d = generic.DictionaryObject(
        {
            generic.NameObject("/Type"): generic.NameObject("/Annot"),
            generic.NameObject("/Subtype"): generic.NameObject(subtype),
            generic.NameObject("/Rect"): generic.ArrayObject(
                [generic.FloatObject(v) for v in (50, 50, 400, 300)]
            ),
        }
    )
    for k, v in extra.items():
        d[generic.NameObject(k)] = v
    return w.add_object(d)


def _overlay_stream(w: Any, text: str) -> Any:
    from pyhanko.pdf_utils import generic

    body = f"1 1 1 rg 0 0 600 850 re f 0 0 0 rg BT /F1 24 Tf 72 700 Td ({text}) Tj ET".encode()
    s = generic.StreamObject(
        {
            generic.NameObject("/Type"): generic.NameObject("/XObject"),
            generic.NameObject("/Subtype"): generic.NameObject("/Form"),
            generic.NameObject("/BBox"): generic.ArrayObject(
                [generic.FloatObject(v) for v in (0, 0, 600, 850)]
            ),
        },
        stream_data=body,
    )
    return w.add_object(s)


def annotation_updates(data: bytes) -> Iterator[Variant]:
    from pyhanko.pdf_utils import generic

    txt = generic.TextStringObject
    kinds: list[tuple[str, str, dict[str, Any]]] = [
        ("text note", "/Text", {"/Contents": txt("Siffrorna är fel")}),
        ("free text", "/FreeText", {"/Contents": txt("Ny summa: 0 kr"), "/DA": txt("/F1 12 Tf")}),
        (
            "link",
            "/Link",
            {
                "/A": generic.DictionaryObject(
                    {
                        generic.NameObject("/S"): generic.NameObject("/URI"),
                        generic.NameObject("/URI"): generic.TextStringObject("https://ond.example"),
                    }
                )
            },
        ),
        ("square", "/Square", {}),
        ("stamp", "/Stamp", {"/Name": generic.NameObject("/Approved")}),
        ("ink", "/Ink", {}),
        ("file attachment", "/FileAttachment", {"/Contents": txt(REPORT)}),
    ]
    for page in range(2):
        for label, subtype, extra in kinds:
            w = _writer(data)
            try:
                ref, page_obj = _page(w, page)
            except (IndexError, KeyError):
                break
            annot = _annotation(w, subtype, extra)
            if "/Annots" in page_obj:
                page_obj["/Annots"].append(annot)
                w.update_container(page_obj["/Annots"])
            else:
                page_obj[generic.NameObject("/Annots")] = generic.ArrayObject([annot])
            w.update_container(page_obj)
            yield "annotation", f"page {page}: {label}", _out(w)
        # an annotation whose appearance covers the page with other text
        w = _writer(data)
        try:
            ref, page_obj = _page(w, page)
        except (IndexError, KeyError):
            break
        ap = generic.DictionaryObject({generic.NameObject("/N"): _overlay_stream(w, "0 kr")})
        annot = _annotation(w, "/Square", {"/AP": ap})
        annots = page_obj.get("/Annots", generic.ArrayObject())
        page_obj[generic.NameObject("/Annots")] = generic.ArrayObject([*annots, annot])
        w.update_container(page_obj)
        yield "annotation", f"page {page}: appearance covering the page", _out(w)
    # the signature widgets taken off the pages
    w = _writer(data)
    for n in range(len(w.root["/Pages"]["/Kids"])):
        _, page_obj = _page(w, n)
        if "/Annots" in page_obj:
            page_obj[generic.NameObject("/Annots")] = generic.ArrayObject()
            w.update_container(page_obj)
    yield "annotation", "signature widgets removed from the pages", _out(w)


def page_updates(data: bytes) -> Iterator[Variant]:
    from pyhanko.pdf_utils import generic

    n_pages = len(_writer(data).root["/Pages"]["/Kids"])
    for page in range(min(n_pages, 3)):
        for label in ("new content", "content appended", "rotated", "resized", "resources"):
            w = _writer(data)
            _, page_obj = _page(w, page)
            if label == "new content":
                s = generic.StreamObject(stream_data=b"BT /F1 30 Tf 72 700 Td (0 kr) Tj ET")
                page_obj[generic.NameObject("/Contents")] = w.add_object(s)
            elif label == "content appended":
                s = generic.StreamObject(stream_data=b"1 1 1 rg 0 0 600 850 re f")
                old = page_obj.raw_get("/Contents")
                old_list = list(old) if isinstance(old, generic.ArrayObject) else [old]
                page_obj[generic.NameObject("/Contents")] = generic.ArrayObject(
                    [*old_list, w.add_object(s)]
                )
            elif label == "rotated":
                page_obj[generic.NameObject("/Rotate")] = generic.NumberObject(90)
            elif label == "resized":
                page_obj[generic.NameObject("/MediaBox")] = generic.ArrayObject(
                    [generic.NumberObject(v) for v in (0, 0, 100, 100)]
                )
            else:
                page_obj[generic.NameObject("/Resources")] = generic.DictionaryObject()
            w.update_container(page_obj)
            yield "page", f"page {page}: {label}", _out(w)
    # a page added, a page removed, the order changed
    for label in ("page added", "last page removed", "pages reversed"):
        w = _writer(data)
        pages = w.root["/Pages"]
        kids = pages["/Kids"]
        if label == "page added":
            new_page = generic.DictionaryObject(
                {
                    generic.NameObject("/Type"): generic.NameObject("/Page"),
                    generic.NameObject("/Parent"): w.root.raw_get("/Pages"),
                    generic.NameObject("/MediaBox"): generic.ArrayObject(
                        [generic.NumberObject(v) for v in (0, 0, 595, 842)]
                    ),
                    generic.NameObject("/Contents"): w.add_object(
                        generic.StreamObject(stream_data=b"BT /F1 30 Tf 72 700 Td (Bilaga) Tj ET")
                    ),
                }
            )
            kids.append(w.add_object(new_page))
        elif label == "last page removed":
            if len(kids) < 2:
                continue
            del kids[-1]
        else:
            if len(kids) < 2:
                continue
            refs = [kids.raw_get(i) for i in range(len(kids))]
            pages[generic.NameObject("/Kids")] = generic.ArrayObject(refs[::-1])
        pages[generic.NameObject("/Count")] = generic.NumberObject(len(pages["/Kids"]))
        w.update_container(pages)
        w.update_container(kids)
        yield "page", label, _out(w)


def info_updates(data: bytes) -> Iterator[Variant]:
    """/Info edited in place (the same object rewritten), replaced by a new object, removed."""
    from pyhanko.pdf_utils import generic

    for key, value in (
        ("/Title", "Redovisning 2024 – rättad"),
        ("/Author", "Någon annan"),
        ("/Subject", "Ändrad"),
        ("/Keywords", "godkänd"),
        ("/Creator", "ett annat program"),
        ("/Trapped", None),
        ("/Region", "01"),
    ):
        for how in ("edited in place", "new object"):
            w = _writer(data)
            info = w.trailer["/Info"]
            if how == "new object":
                info = generic.DictionaryObject(dict(info.items()))
            if value is None:
                info[generic.NameObject(key)] = generic.NameObject("/True")
            else:
                info[generic.NameObject(key)] = generic.TextStringObject(value)
            if how == "new object":
                w.set_info(info)
            else:
                w.update_container(info)
            yield "info", f"{key} set ({how})", _out(w)


def catalog_updates(data: bytes) -> Iterator[Variant]:
    from pyhanko.pdf_utils import generic

    js = generic.DictionaryObject(
        {
            generic.NameObject("/S"): generic.NameObject("/JavaScript"),
            generic.NameObject("/JS"): generic.TextStringObject("app.alert('x')"),
        }
    )
    for label, key, value in (
        ("open action", "/OpenAction", js),
        ("page mode", "/PageMode", generic.NameObject("/UseAttachments")),
        ("language", "/Lang", generic.TextStringObject("en")),
        ("acroform replaced", "/AcroForm", generic.DictionaryObject()),
        ("outlines", "/Outlines", generic.DictionaryObject()),
        ("viewer preferences", "/ViewerPreferences", generic.DictionaryObject()),
    ):
        w = _writer(data)
        w.root[generic.NameObject(key)] = w.add_object(value) if key == "/OpenAction" else value
        w.update_root()
        yield "catalog", label, _out(w)


def _eof_ends(data: bytes) -> list[int]:
    return [m.end() for m in re.finditer(rb"%%EOF\r?\n?", data)]


def removal(data: bytes) -> Iterator[Variant]:
    from pyhanko.pdf_utils import generic

    ends = _eof_ends(data)
    for n, end in enumerate(ends[:-1]):
        yield "removal", f"cut back to revision {n}", data[:end]
    for i in range(len(_writer(data).root["/AcroForm"]["/Fields"])):
        w2 = _writer(data)
        f = w2.root["/AcroForm"]["/Fields"][i]
        if "/V" in f:
            del f["/V"]
            w2.update_container(f)
            yield "removal", f"field {i}: /V removed", _out(w2)
        w3 = _writer(data)
        arr = w3.root["/AcroForm"]["/Fields"]
        del arr[i]
        w3.update_container(arr)
        w3.update_container(w3.root["/AcroForm"])
        w3.update_root()
        yield "removal", f"field {i} taken out of /AcroForm", _out(w3)
        w4 = _writer(data)
        f = w4.root["/AcroForm"]["/Fields"][i]
        f[generic.NameObject("/T")] = generic.TextStringObject(f"Ändrat_{i}")
        w4.update_container(f)
        yield "removal", f"field {i} renamed", _out(w4)
    w5 = _writer(data)
    w5.root["/AcroForm"][generic.NameObject("/Fields")] = generic.ArrayObject()
    w5.update_container(w5.root["/AcroForm"])
    w5.update_root()
    yield "removal", "all fields taken out", _out(w5)


def wrapping(data: bytes) -> Iterator[Variant]:
    """Signature wrapping (the signed bytes moved, something else in the gap) and universal
    signature forgery (a signature dictionary that covers nothing)."""
    ranges = byte_ranges(data)
    for k, (a, b, c, d) in enumerate(ranges):
        old = data[a + b : c]  # the /Contents hex string
        m = list(_BYTE_RANGE.finditer(data))[k]
        for label, evil in (
            ("objects in the gap", b"\n99 0 obj\n<< /Type /Catalog >>\nendobj\n"),
            (
                "page text in the gap",
                b"\n98 0 obj\n<< /Length 20 >>\nstream\nBT (0 kr) Tj ET\nendstream\nendobj\n",
            ),
        ):
            # move the rest of the signed part back and put ``evil`` before it; rewrite the
            # /ByteRange (same width) so that it points at the moved part.
            new_c = c + len(evil)
            text = b"/ByteRange [%d %d %d %d]" % (a, b, new_c, d)
            width = m.end() - m.start()
            if len(text) > width:
                continue
            text = text[:-1] + b" " * (width - len(text)) + b"]"
            moved = data[: m.start()] + text + data[m.end() : a + b] + old + evil + data[c:]
            yield "wrapping", f"signature {k}: {label}", moved
        # /ByteRange covering only the start of the file (universal forgery variants)
        for label, br in (
            ("empty byte range", b"/ByteRange [0 0 0 0]"),
            ("byte range over the hole", b"/ByteRange [%d %d %d %d]" % (a, b, a + b, c - a - b)),
            ("byte range to the end", b"/ByteRange [0 %d %d 0]" % (b, c)),
            ("byte range shortened", b"/ByteRange [%d %d %d %d]" % (a, b, c, max(0, d - 100))),
        ):
            width = m.end() - m.start()
            if len(br) > width:
                continue
            br = br[:-1] + b" " * (width - len(br)) + b"]"
            yield "wrapping", f"signature {k}: {label}", data[: m.start()] + br + data[m.end() :]
    # an update without /Prev redefining the catalog: the old revisions are forgotten
    yield from _update_without_prev(data)


def _update_without_prev(data: bytes) -> Iterator[Variant]:
    root = re.search(rb"/Root (\d+) 0 R", data)
    assert root
    size = re.findall(rb"/Size (\d+)", data)[-1]
    for label, body in (
        ("catalog redefined", b"<< /Type /Catalog /Pages 1 0 R >>"),
        ("catalog without names", b"<< /Type /Catalog >>"),
    ):
        obj_num = int(root.group(1))
        offset = len(data) + 1
        obj = b"\n%d 0 obj\n%s\nendobj\n" % (obj_num, body)
        xref_at = offset + len(obj) - 1
        xref = b"xref\n0 1\n0000000000 65535 f \n%d 1\n%010d 00000 n \n" % (obj_num, offset)
        trailer = b"trailer\n<< /Size %s /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
            size,
            obj_num,
            xref_at,
        )
        yield "wrapping", f"update without /Prev: {label}", data + obj[1:] + xref + trailer


def appended(data: bytes) -> Iterator[Variant]:
    startxref = re.findall(rb"startxref\s+(\d+)", data)[-1]
    tails = {
        "text": b"Siffrorna i denna redovisning ar fel.\n",
        "comment": b"% ett tillagt stycke\n" * 3,
        "object": b"1 0 obj\n<< /Type /Catalog >>\nendobj\n",
        "object with stream": b"7 0 obj\n<< /Length 12 >>\nstream\nBT (x) Tj ET\nendstream\nendobj\n",
        "embedded json": b'{"region": "01", "received": 1}\n',
        "second pdf": b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n",
        "startxref back to the signed revision": b"junk\nstartxref\n" + startxref + b"\n%%EOF\n",
        "binary": bytes(range(1, 256)),
        "html": b"<html><script>alert(1)</script></html>\n",
        "zip": b"PK\x03\x04" + b"\x00" * 40,
    }
    for label, tail in tails.items():
        yield "appended", label, data + tail
    yield "appended", "text before the final newline", data.rstrip() + b" extra\n"


def truncated(data: bytes) -> Iterator[Variant]:
    a, b, c, d = byte_ranges(data)[-1]
    for cut in _spread(c + 10, c + d - 2, 10):
        yield "truncated", f"cut at {cut}", data[:cut]
    yield "truncated", "in the last signature", data[: a + b + 100]


GENERATORS: tuple[Callable[[bytes], Iterator[Variant]], ...] = (
    data_updates,
    names_updates,
    annotation_updates,
    page_updates,
    info_updates,
    catalog_updates,
    removal,
    wrapping,
    appended,
    truncated,
)


def corpus(data: bytes, flips: int = 120, signature_flips: int = 10) -> Iterator[Variant]:
    """Every variant of ``data`` (a certified and signed export)."""
    yield from flip_signed(data, flips)
    yield from flip_signature(data, signature_flips)
    for gen in GENERATORS:
        yield from gen(data)
