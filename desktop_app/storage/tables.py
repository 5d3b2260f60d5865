"""SQLModel tables. They are storage records only; the repository maps them to the plain
domain dataclasses (desktop_app.domain.report), so the domain never depends on SQL.

Why not one class for both: the domain Report holds nested values (figures table, PREM,
financial statement) that are several tables or JSON columns here, and the domain must stay
importable without SQLAlchemy."""

from __future__ import annotations

from datetime import date

from pydantic import NaiveDatetime
from sqlalchemy import Column, ForeignKey, Integer, LargeBinary, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from desktop_app.domain.vocabulary import ReportStatus


class ReportRow(SQLModel, table=True):
    __tablename__ = "report"

    id: int | None = Field(default=None, primary_key=True)
    region_code: str = Field(index=True)
    template_id: str
    status: str = ReportStatus.DRAFT  # stored as its string value, as since schema 0001
    version: int = 1
    submitted_on: date | None = None
    contact_json: str = "{}"
    prem_used: bool | None = None
    prem_sent: int | None = None
    prem_answers: int | None = None
    finance_json: str = "{}"
    created_at: NaiveDatetime
    updated_at: NaiveDatetime
    # Schema revision 0003: a certified or signed report is locked against edits; the
    # certification (JSON of domain.finance.Certification, plus CertificationState.VOID once unlocked) and the
    # signatures found when the signed PDF was imported.
    locked: bool = False
    certification_json: str | None = None
    signatures_json: str | None = None
    # Schema revision 0010_warnings (issue 15, points 5 and 6): the justified warnings (a JSON
    # list of domain.findings.Acknowledgement) and last year's figures compared against (JSON of
    # domain.year_over_year.Baseline).
    acknowledgements_json: str | None = None
    baseline_json: str | None = None


class FigureRow(SQLModel, table=True):
    __tablename__ = "figure"
    __table_args__ = (UniqueConstraint("report_id", "svf_id", "measure", "sex"),)

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("report.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    svf_id: str
    measure: str
    sex: str
    value: float


class AnswerRow(SQLModel, table=True):
    __tablename__ = "answer"
    __table_args__ = (UniqueConstraint("report_id", "question_id"),)

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("report.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    question_id: str
    text: str = ""


class ChangeLogRow(SQLModel, table=True):
    """What was changed and when (schema revision 0002): the 'last edited' column and an
    audit trail of imports and loads."""

    __tablename__ = "change_log"

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("report.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    at: NaiveDatetime
    kind: str
    summary: str = ""


# ---------------------------------------------------------------- RCC workspace (0004)


class InboxFileRow(SQLModel, table=True):
    """A received PDF exactly as it came, once per content (SHA-256), so that an entry can be
    verified again or handed on later, whatever happened to the original file."""

    __tablename__ = "inbox_file"

    sha256: str = Field(primary_key=True)
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    size: int


class InboxEntryRow(SQLModel, table=True):
    """One file received by an RCC for one scope (an RCC id or "national") and year, with what
    its verification found. The same file twice in the same scope and year is one entry."""

    __tablename__ = "inbox_entry"
    __table_args__ = (UniqueConstraint("scope", "year", "sha256"),)

    id: int | None = Field(default=None, primary_key=True)
    scope: str = Field(index=True)
    year: int
    sha256: str = Field(sa_column=Column(String, ForeignKey("inbox_file.sha256"), nullable=False))
    file_name: str
    source_path: str = ""
    received_at: NaiveDatetime
    status: str  # accepted | refused | superseded
    refusal: str | None = None  # unreadable | tampered | unsigned | incomplete | outside_scope …
    reason: str | None = None  # Swedish, shown as it is
    superseded_by: int | None = None
    region_code: str | None = Field(default=None, index=True)
    report_year: int | None = None
    template_id: str | None = None
    report_version: int | None = None
    report_status: str | None = None
    submitted_on: date | None = None
    signed_at: NaiveDatetime | None = None  # the representative's signing time (UTC)
    document_sha256: str | None = None
    document_json: str | None = None  # the embedded svf-report.json as received
    certification_alt: int | None = None
    criteria_met: bool | None = None
    on_time: bool | None = None
    criteria_json: str = "[]"  # recomputed criteria (see services.inbox)
    signers_json: str = "[]"
    verification_json: str = "{}"  # services.signing.FileVerification.to_dict()
    problems_json: str = "[]"
    notes_json: str = "[]"
    # Schema revision 0005 (issue 11): the arrival date the deadline is judged on, remarks of
    # a counted file, and the RCC officer's decision on a pending one.
    received_on: date | None = None
    remarks_json: str = "[]"
    decision: str | None = None  # accept | refuse
    decision_reason: str | None = None


class PopulationRow(SQLModel, table=True):
    """A population edited for one compilation (scope and year); regions without a row use
    the reference data."""

    __tablename__ = "population"
    __table_args__ = (UniqueConstraint("scope", "year", "region_code"),)

    id: int | None = Field(default=None, primary_key=True)
    scope: str
    year: int
    region_code: str
    population: int
    population_date: str = ""
    source: str = ""
    edited_at: NaiveDatetime


# ---------------------------------------------------------------- round receipts (0005_receipts)


class ExportedDocumentRow(SQLModel, table=True):
    """The SHA-256 of each report document the region exported (and so signed and sent): an
    RCC's kvittens names that hash, and the region's status may have changed since."""

    __tablename__ = "exported_document"
    __table_args__ = (UniqueConstraint("report_id", "sha256"),)

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("report.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    sha256: str
    version: int
    exported_at: NaiveDatetime


class ReceiptRow(SQLModel, table=True):
    """A kvittens from the RCC imported by the region: received (with status and remarks) or
    returned for completion (with the reason); the signed file is kept as it came."""

    __tablename__ = "receipt"

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("report.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    kind: str  # domain.vocabulary.ReceiptKind
    rcc_name: str
    report_version: int
    document_sha256: str
    inbox_status: str | None = None
    remarks_json: str = "[]"
    reason: str | None = None
    received_on: date | None = None
    issued_on: date | None = None
    signer_name: str = ""
    trusted: bool = False
    file_sha256: str
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    imported_at: NaiveDatetime


# ---------------------------------------------------------------- the RCC round (0006)


class SignerRegistrationRow(SQLModel, table=True):
    """A signer the RCC trusts for one region and the roles it may sign (schema 0006): one
    certificate, or a CA whose certificates carry ``organisation_id``."""

    __tablename__ = "signer_registration"

    id: int | None = Field(default=None, primary_key=True)
    region_code: str = Field(index=True)
    roles: str  # comma-separated Role values
    kind: str  # certificate | ca
    cert_sha256: str
    cert_der: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    subject: str = ""
    organisation_id: str | None = None
    registered_by: str = ""
    registered_at: NaiveDatetime


class InboxEventRow(SQLModel, table=True):
    """The log of the RCC's decisions on received files (schema 0006)."""

    __tablename__ = "inbox_event"

    id: int | None = Field(default=None, primary_key=True)
    entry_id: int | None = Field(default=None, index=True)
    kind: str
    value: str = ""
    reason: str = ""
    actor: str = ""
    at: NaiveDatetime


class RccLastDayRow(SQLModel, table=True):
    """An RCC's last day of arrival for one reporting year (schema 0006)."""

    __tablename__ = "rcc_last_day"
    __table_args__ = (UniqueConstraint("rcc", "year"),)

    id: int | None = Field(default=None, primary_key=True)
    rcc: str
    year: int
    last_day: date


class PatientListFigureRow(SQLModel, table=True):
    """A figure cell applied from a patient-level list (schema revision 0007, issue 16) and the
    value then applied: while the cell still holds it, its source is ``patient_list``."""

    __tablename__ = "patient_list_figure"
    __table_args__ = (UniqueConstraint("report_id", "svf_id", "measure", "sex"),)

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("report.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    svf_id: str
    measure: str
    sex: str
    value: float
    applied_at: NaiveDatetime


class PatientLongWaitRow(SQLModel, table=True):
    """A pathway over the long-wait threshold from an applied patient list (revision 0007):
    pseudonymised (``key``: a hash of the keyed hash of person, SVF and suspicion date), with
    the cause a user tagged it with and a note."""

    __tablename__ = "patient_long_wait"
    __table_args__ = (UniqueConstraint("report_id", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("report.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    key: str
    svf_id: str
    sex: str
    unit: str
    treatment: str
    days: int
    lead_time: int
    cause: str | None = None
    note: str = ""


class LongWaitCauseRow(SQLModel, table=True):
    """A cause of long waits a user added to the template's list (revision 0007)."""

    __tablename__ = "long_wait_cause"

    id: str = Field(primary_key=True)
    label: str


# ---------------------------------------------------------------- history chain (0008)


class HistoryRow(SQLModel, table=True):
    """One row of a report's hash-chained history (schema revision 0008_history_chain; see
    domain.history): old and new are JSON text, ``hash`` is SHA-256 over the row's canonical
    serialisation including ``prev_hash``."""

    __tablename__ = "history"
    __table_args__ = (UniqueConstraint("report_id", "seq"),)

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("report.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    seq: int
    at: NaiveDatetime
    who: str = ""
    kind: str  # domain.vocabulary.HistoryKind
    path: str = ""
    old_json: str = "null"
    new_json: str = "null"
    source: str | None = None  # domain.vocabulary.ValueSource
    reason: str | None = None
    note: str = ""
    prev_hash: str
    hash: str


class HistoryHeadRow(SQLModel, table=True):
    """The newest row of each report's history chain, so that deleting the last rows is seen."""

    __tablename__ = "history_head"

    report_id: int = Field(
        sa_column=Column(Integer, ForeignKey("report.id", ondelete="CASCADE"), primary_key=True)
    )
    seq: int
    hash: str


# ---------------------------------------------------------------- provenance (0009)


class FigureSourceRow(SQLModel, table=True):
    """Where a figure cell's value came from (schema revision 0009_provenance, see
    domain.provenance): the source and its file, and for a cell that came from the RCC's
    extract that extract's date, hash and value, and the region's reason for changing it."""

    __tablename__ = "figure_source"
    __table_args__ = (UniqueConstraint("report_id", "svf_id", "measure", "sex"),)

    id: int | None = Field(default=None, primary_key=True)
    report_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("report.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    svf_id: str
    measure: str
    sex: str
    source: str  # domain.vocabulary.ValueSource
    file: str = ""
    sha256: str = ""
    extract_date: date | None = None
    extract_sha256: str | None = None
    extract_rcc: str = ""
    extract_value: float | None = None
    reason: str | None = None


# ---------------------------------------------------------------- the RCC's extracts (0011)


class RccExtractRow(SQLModel, table=True):
    """A national extract the RCC split into start files (schema revision 0011_rcc_extracts):
    its date, hash and file name, kept so that what a region says the extract held can be
    checked against the RCC's own copy."""

    __tablename__ = "rcc_extract"
    __table_args__ = (UniqueConstraint("rcc", "year", "sha256"),)

    id: int | None = Field(default=None, primary_key=True)
    rcc: str
    year: int
    on: date
    sha256: str
    file: str = ""
    stored_at: NaiveDatetime


class RccExtractValueRow(SQLModel, table=True):
    """One value of a stored extract: region, SVF, measure, sex."""

    __tablename__ = "rcc_extract_value"
    __table_args__ = (UniqueConstraint("extract_id", "region", "svf_id", "measure", "sex"),)

    id: int | None = Field(default=None, primary_key=True)
    extract_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("rcc_extract.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    region: str
    svf_id: str
    measure: str
    sex: str
    value: float
