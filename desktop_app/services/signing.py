"""Certification, signature, verification and import of the signed PDF (issue 5): the names
the screens and the CLI use, gathered from the modules that hold one use case each.

The flow, like a partially signed transaction passed between offline wallets:
the coordinator exports (services.exports) → the finance chief certifies the PDF, anywhere, from
the JSON embedded in it (``certify_pdf``, services.certification) → the authorised
representative signs (``sign_report_pdf``, services.representative) → anyone verifies
(``verify_files``, services.verification) → the coordinator or the RCC imports it
(``import_signed_pdf``, services.signed_import), which records the status and locks the report;
``unlock_report`` makes a new version and voids the signatures. services.lock_status says
whether a report is locked and its certification holds; services.signers opens the keys.

Functions taking bytes need no database; those taking an AppContext do."""

from __future__ import annotations

from desktop_app.domain.problems import Problem, ProblemCode
from desktop_app.services.certification import (
    CertificationRefused,
    CertificationRequest,
    ReportHeading,
    certification_document,
    certify_file,
    certify_pdf,
    report_heading,
)
from desktop_app.services.lock_status import (
    CERT_NONE,
    CERT_VALID,
    CERT_VOID,
    CertificationStatus,
    SigningState,
    certification_status,
    signing_state,
)
from desktop_app.services.pdf_files import NotReadyError
from desktop_app.services.representative import (
    ChiefChoice,
    chief_choice,
    sign_file,
    sign_report_pdf,
)
from desktop_app.services.signed_import import (
    CertificationVoidError,
    SignedImport,
    SignedImportError,
    import_signed_pdf,
    unlock_report,
)
from desktop_app.services.signers import create_demo_certificate, open_card, open_p12
from desktop_app.services.verification import (
    ENV_TRUST_DIR,
    MISSING_CERTIFICATION,
    MISSING_REPRESENTATIVE,
    FileVerification,
    PdfSummary,
    default_trust_dir,
    summarize_pdf,
    verify_bytes,
    verify_files,
)

__all__ = [
    "CERT_NONE",
    "CERT_VALID",
    "CERT_VOID",
    "ENV_TRUST_DIR",
    "MISSING_CERTIFICATION",
    "MISSING_REPRESENTATIVE",
    "CertificationRefused",
    "CertificationRequest",
    "CertificationStatus",
    "CertificationVoidError",
    "ChiefChoice",
    "FileVerification",
    "NotReadyError",
    "PdfSummary",
    "Problem",
    "ProblemCode",
    "ReportHeading",
    "SignedImport",
    "SignedImportError",
    "SigningState",
    "certification_document",
    "certification_status",
    "chief_choice",
    "certify_file",
    "certify_pdf",
    "create_demo_certificate",
    "default_trust_dir",
    "import_signed_pdf",
    "open_card",
    "open_p12",
    "report_heading",
    "sign_file",
    "sign_report_pdf",
    "signing_state",
    "summarize_pdf",
    "unlock_report",
    "verify_bytes",
    "verify_files",
]
