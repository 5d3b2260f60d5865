"""Make a PDF ready for signing (attached files, empty signature fields) and sign it (PAdES,
incremental: every earlier signature stays valid)."""

from __future__ import annotations

import binascii
import io
import uuid
from dataclasses import dataclass
from typing import Any

from desktop_app.domain.vocabulary import Role
from desktop_app.signing.errors import SigningError, UnreadablePdfError
from desktop_app.signing.signer import Signer

# Old names of the two roles, kept as aliases of the vocabulary's members.
ROLE_CERTIFICATION = Role.CERTIFICATION
ROLE_REPRESENTATIVE = Role.REPRESENTATIVE


@dataclass(frozen=True)
class Attachment:
    """A file to embed in the PDF (an 'associated file' with relationship /Data)."""

    name: str
    data: bytes
    description: str = ""
    mime_type: str = "application/json"


@dataclass(frozen=True)
class FieldSpot:
    """Where a signature field goes: 0-based page index and (x1, y1, x2, y2) in points."""

    page: int
    box: tuple[float, float, float, float]


@dataclass(frozen=True)
class SignatureMeta:
    """What one signature says about itself.

    ``field_name`` names the signature field (and so the role, see verify.ROLE_OF_FIELD);
    ``certify`` makes it a certification signature (DocMDP) after which only form filling and
    further signatures are allowed; ``appearance`` is a one-page PDF drawn in the field."""

    field_name: str
    reason: str
    name: str | None = None
    location: str | None = None
    contact: str | None = None
    certify: bool = False
    new_field: FieldSpot | None = None
    appearance: bytes | None = None


def _reader(data: bytes) -> Any:
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        return PdfFileReader(io.BytesIO(data), strict=False)
    except Exception:
        raise UnreadablePdfError(
            "Filen är ingen läsbar PDF: den är skadad eller har ändrats."
        ) from None


def prepare_pdf(
    pdf: bytes, attachments: list[Attachment], empty_fields: dict[str, FieldSpot]
) -> bytes:
    """One clean revision: ``pdf`` with ``attachments`` embedded (uncompressed, so that the data
    can be read even without a PDF library) and empty signature fields placed for later
    signers."""
    from pyhanko.pdf_utils import embed, generic
    from pyhanko.pdf_utils.writer import copy_into_new_writer
    from pyhanko.sign.fields import SigFieldSpec, append_signature_field

    writer = copy_into_new_writer(_reader(pdf))
    for a in attachments:
        stream = embed.EmbeddedFileObject.from_file_data(
            writer, data=a.data, compress=False, mime_type=a.mime_type
        )
        embed.embed_file(
            writer,
            embed.FileSpec(
                file_spec_string=a.name,
                file_name=a.name,
                embedded_data=stream,
                description=a.description or None,
                af_relationship=generic.pdf_name("/Data"),
            ),
        )
    for name, spot in empty_fields.items():
        append_signature_field(writer, SigFieldSpec(name, on_page=spot.page, box=spot.box))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _pdf_page(data: bytes) -> Any:
    """The first page of an in-memory PDF as a signature appearance (pyHanko's ImportedPdfPage
    reads only from a file name)."""
    from pyhanko.pdf_utils.content import PdfContent
    from pyhanko.pdf_utils.layout import BoxConstraints
    from pyhanko.pdf_utils.reader import PdfFileReader

    class PdfBytesPage(PdfContent):  # type: ignore[misc]
        def render(self) -> bytes:
            w = self._ensure_writer
            xobj = w.import_page_as_xobject(PdfFileReader(io.BytesIO(data)), page_ix=0)
            name = "/Import" + binascii.hexlify(uuid.uuid4().bytes).decode("ascii")
            self.resources.xobject[name] = xobj
            x1, y1, x2, y2 = xobj.get_object()["/BBox"]
            self.box = BoxConstraints(width=abs(x1 - x2), height=abs(y1 - y2))
            return name.encode("ascii") + b" Do"

    return PdfBytesPage()


def existing_signature_fields(data: bytes) -> dict[str, bool]:
    """Signature field name -> already signed?"""
    from pyhanko.sign.fields import enumerate_sig_fields

    reader = _reader(data)
    return {name: value is not None for name, value, _ref in enumerate_sig_fields(reader)}


def signature_field_sizes(data: bytes) -> dict[str, tuple[float, float]]:
    """Signature field name -> (width, height) of its widget in points (0, 0 if invisible)."""
    from pyhanko.sign.fields import enumerate_sig_fields

    out: dict[str, tuple[float, float]] = {}
    for name, _value, ref in enumerate_sig_fields(_reader(data)):
        obj = ref.get_object()
        rect = obj.get("/Rect")
        if rect is None and "/Kids" in obj:
            rect = obj["/Kids"][0].get_object().get("/Rect")
        if rect is None:
            out[str(name)] = (0.0, 0.0)
            continue
        x1, y1, x2, y2 = (float(v) for v in rect)
        out[str(name)] = (abs(x2 - x1), abs(y2 - y1))
    return out


def sign_pdf(data: bytes, signer: Signer, meta: SignatureMeta) -> bytes:
    """Add one signature to ``data`` as an incremental update and return the whole new file.

    Signs the empty field ``meta.field_name`` when the PDF has one, else creates it at
    ``meta.new_field`` (invisible without one). PAdES baseline (ETSI.CAdES.detached), SHA-256."""
    from pyhanko.pdf_utils import layout
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.fields import MDPPerm, SigFieldSpec, SigSeedSubFilter
    from pyhanko.stamp import StaticStampStyle

    fields = existing_signature_fields(data)
    if fields.get(meta.field_name):
        raise SigningError(f"Fältet {meta.field_name} är redan undertecknat i filen.")
    new_field = None
    if meta.field_name not in fields:
        spot = meta.new_field
        new_field = SigFieldSpec(
            meta.field_name,
            on_page=spot.page if spot else 0,
            box=spot.box if spot else None,
        )
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    except Exception:
        raise UnreadablePdfError(
            "Filen är ingen läsbar PDF: den är skadad eller har ändrats."
        ) from None
    style = (
        StaticStampStyle(
            background=_pdf_page(meta.appearance),
            border_width=0,
            # The appearance is drawn to the field's exact size: no margins, no scaling.
            background_layout=layout.SimpleBoxLayoutRule(
                x_align=layout.AxisAlignment.ALIGN_MIN,
                y_align=layout.AxisAlignment.ALIGN_MIN,
                margins=layout.Margins.uniform(0),
                inner_content_scaling=layout.InnerScaling.NO_SCALING,
            ),
        )
        if meta.appearance
        else None
    )
    pdf_meta = signers.PdfSignatureMetadata(
        field_name=meta.field_name,
        reason=meta.reason,
        name=meta.name,
        location=meta.location,
        contact_info=meta.contact,
        certify=meta.certify,
        docmdp_permissions=MDPPerm.FILL_FORMS,
        subfilter=SigSeedSubFilter.PADES,
        md_algorithm="sha256",
    )
    pdf_signer = signers.PdfSigner(
        pdf_meta,
        signer._impl,  # noqa: SLF001 - the one place a pyHanko signer is used
        stamp_style=style,
        new_field_spec=new_field,
    )
    out = io.BytesIO()
    try:
        pdf_signer.sign_pdf(writer, output=out)
    except SigningError:
        raise
    except Exception:
        # The library's own (English) text never reaches a user.
        raise SigningError(
            "Underskriften kunde inte göras: nyckeln eller certifikatet svarade inte som "
            "väntat. Försök igen; med ett kort, tryck Testa kortet."
        ) from None
    return out.getvalue()
