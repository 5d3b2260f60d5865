"""What a verification found wrong with a file, machine-readable first and prose second.

A ``Problem`` carries a ``ProblemCode`` that code decides by (the RCC's inbox refuses a file by
its codes) and a complete Swedish sentence that the screens and the CLI show. Nothing in the
application may decide anything by the wording of ``text``: it is for people and may be
reworded at any time. The codes' string values are stored (in the verification JSON of each
received file), so they must not change."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

# Where a verification written as JSON (``verify --json``, the inbox's stored verification)
# keeps the codes of its problems, beside the texts under "problems".
PROBLEM_CODES_KEY = "problem_codes"


class ProblemCode(StrEnum):
    """Why a file or a signature does not pass verification."""

    # The file itself
    FILE_NOT_FOUND = "file_not_found"
    FILE_UNREADABLE = "file_unreadable"  # exists, but the operating system cannot read it
    PDF_UNREADABLE = "pdf_unreadable"  # not a PDF, or a PDF that cannot be parsed

    # One signature (the text names the role and the signer)
    SIGNATURE_UNREADABLE = "signature_unreadable"  # the signature object is damaged
    SIGNATURE_UNCHECKABLE = "signature_uncheckable"  # validation itself failed
    SIGNATURE_BROKEN = "signature_broken"  # the signed bytes changed
    SIGNATURE_INVALID = "signature_invalid"  # cryptographically wrong
    MODIFIED_AFTER_SIGNATURE = "modified_after_signature"  # a disallowed later change
    CERTIFICATE_SELF_SIGNED = "certificate_self_signed"
    CERTIFICATE_UNTRUSTED = "certificate_untrusted"  # no chain to a trusted root
    CERTIFICATE_REVOKED = "certificate_revoked"
    CERTIFICATE_EXPIRED = "certificate_expired"
    CERTIFICATE_NOT_YET_VALID = "certificate_not_yet_valid"
    CERTIFICATE_KEY_USAGE = "certificate_key_usage"  # not meant for signing
    CERTIFICATE_UNVALIDATED = "certificate_unvalidated"  # any other trust failure

    # The two roles (Bilaga 2, points 4 and 5)
    CERTIFICATION_MISSING = "certification_missing"
    REPRESENTATIVE_MISSING = "representative_missing"
    SIGNED_OUT_OF_ORDER = "signed_out_of_order"  # representative before the finance chief
    DUPLICATE_ROLE = "duplicate_role"
    CHANGED_AFTER_LAST_SIGNATURE = "changed_after_last_signature"

    # The embedded report document (svf-report.json)
    REPORT_MISSING = "report_missing"
    REPORT_UNREADABLE = "report_unreadable"  # not JSON, or not following the document schema
    REPORT_DUPLICATE = "report_duplicate"  # two embedded documents of that name: which one?
    REPORT_TEMPLATE_UNAVAILABLE = "report_template_unavailable"  # its template is not known
    DATA_NOT_SIGNED = "data_not_signed"  # added or changed after the certification

    # The embedded certification document (svf-certification.json)
    CERTIFICATION_DOCUMENT_MISSING = "certification_document_missing"
    CERTIFICATION_DOCUMENT_UNREADABLE = "certification_document_unreadable"
    CERTIFICATION_WRONG_REPORT = "certification_wrong_report"  # bound to another document
    CERTIFICATION_MISMATCH = "certification_mismatch"  # the finance figures are not those certified


@dataclass(frozen=True)
class Problem:
    """One problem: ``code`` to decide by, ``text`` (Swedish, a complete sentence) to show."""

    code: ProblemCode
    text: str

    def __post_init__(self) -> None:
        # Problems are also rebuilt from stored JSON, where the code is a plain string.
        if not isinstance(self.code, ProblemCode):
            object.__setattr__(self, "code", ProblemCode(self.code))

    def __str__(self) -> str:
        return self.text


def texts(problems: Iterable[Problem]) -> list[str]:
    """The Swedish sentences of ``problems``, in order."""
    return [p.text for p in problems]


def codes(problems: Iterable[Problem]) -> list[ProblemCode]:
    """The codes of ``problems``, in order."""
    return [p.code for p in problems]


def first(problems: Iterable[Problem], wanted: Iterable[ProblemCode]) -> Problem | None:
    """The first of ``problems`` whose code is one of ``wanted``."""
    want = set(wanted)
    return next((p for p in problems if p.code in want), None)
