"""Electronic signatures with pyHanko: sign with a PKCS#12 file or a PKCS#11 token (smart card),
verify, and the files embedded in the PDF.

Only this package imports pyHanko; what it returns are our own types (Signer, SignatureCheck,
EmbeddedFile …), so the services and the screens never see pyHanko objects."""

import logging

from desktop_app.signing.certs import make_demo_certificate
from desktop_app.signing.errors import KeyFileError, SigningError, UnreadablePdfError
from desktop_app.signing.sign import (
    Attachment,
    FieldSpot,
    SignatureMeta,
    prepare_pdf,
    sign_pdf,
)
from desktop_app.signing.signer import Signer, open_pkcs11_signer, open_signer
from desktop_app.signing.verify import (
    EmbeddedFile,
    PdfInspection,
    SignatureCheck,
    inspect_pdf,
    read_attachments,
    verify_pdf,
)

__all__ = [
    "Attachment",
    "EmbeddedFile",
    "FieldSpot",
    "KeyFileError",
    "PdfInspection",
    "SignatureCheck",
    "SignatureMeta",
    "Signer",
    "SigningError",
    "UnreadablePdfError",
    "inspect_pdf",
    "make_demo_certificate",
    "open_pkcs11_signer",
    "open_signer",
    "prepare_pdf",
    "read_attachments",
    "sign_pdf",
    "verify_pdf",
]

# pyHanko logs every untrusted certificate with a traceback. Keep that out of the user's
# terminal (what matters is in SignatureCheck); an application log handler still gets it.
for _name in ("pyhanko", "pyhanko_certvalidator"):
    logging.getLogger(_name).addHandler(logging.NullHandler())
