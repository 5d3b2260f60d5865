"""The application's one vocabulary: every status, verdict, severity, role and source value is a
``StrEnum`` here, and every output (screens, PDF, workbooks, CLI) takes its Swedish words and
colours from the one table below.

The string values are the ones stored in JSON documents and in the database since the first
version, so they must not change. Code compares enum members, never Swedish text."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Verdict(StrEnum):
    """The outcome of a payment criterion (Agreement 2024, 5.3)."""

    PASS = "pass"
    FAIL = "fail"
    UNKNOWN = "unknown"


class Severity(StrEnum):
    """How serious a finding is: an error blocks export, a warning does not."""

    ERROR = "fel"
    WARNING = "varning"


class Role(StrEnum):
    """Who signs a report: the finance chief certifies (Bilaga 2, point 4), the authorised
    representative signs (point 5)."""

    CERTIFICATION = "certification"
    REPRESENTATIVE = "representative"
    RCC = "rcc"  # the RCC's approval of its compilation


class ReportStatus(StrEnum):
    """Where a region's report is in its life."""

    DRAFT = "draft"
    CERTIFIED = "certified"
    SIGNED = "signed"
    SUBMITTED = "submitted"


class InboxStatus(StrEnum):
    """What the RCC's inbox decided about a received file."""

    ACCEPTED = "accepted"
    ACCEPTED_WITH_REMARKS = "accepted_with_remarks"
    PENDING = "pending"  # counted only after an RCC officer's logged decision
    CONFLICT = "conflict"  # two different documents of the same version
    REFUSED = "refused"
    SUPERSEDED = "superseded"


class ReceiptKind(StrEnum):
    """What an RCC's kvittens says of a report (issue 11.6): received and counted, or returned
    to the region for completion."""

    RECEIPT = "receipt"
    RETURN = "return"


class Decision(StrEnum):
    """An RCC officer's logged decision on a received file that waits for one."""

    ACCEPT = "accept"
    REFUSE = "refuse"


class InboxEvent(StrEnum):
    """What the RCC's inbox log records."""

    DECISION = "decision"
    RECEIVED_ON = "received_on"
    SIGNER_ADDED = "signer_added"
    SIGNER_REMOVED = "signer_removed"
    LAST_DAY = "last_day"
    REGISTERED = "registered"  # a report that came in another form, registered by the RCC


class SignerKind(StrEnum):
    """What a signer registration holds: one certificate, or a CA plus an organisation id."""

    CERTIFICATE = "certificate"
    CA = "ca"


class RegionState(StrEnum):
    """A region of a compilation's scope: its accepted report is compiled, files came but
    none could be accepted, or nothing has been received."""

    ACCEPTED = "accepted"
    REFUSED = "refused"
    MISSING = "missing"
    PENDING = "pending"  # files came, none counted yet: one waits for the RCC's decision


class RefusalReason(StrEnum):
    """Why the inbox refused a file (the first that applies, in this order)."""

    UNREADABLE = "unreadable"
    TAMPERED = "tampered"
    UNSIGNED = "unsigned"
    INCOMPLETE = "incomplete"  # one of the two signatures missing
    INVALID = "invalid"  # signatures present and intact, but not acceptable
    OUTSIDE_SCOPE = "outside_scope"
    WRONG_YEAR = "wrong_year"


class CertificationState(StrEnum):
    """Whether the finance chief's certification holds for the current financial figures."""

    NONE = "none"
    VALID = "valid"
    VOID = "void"


class LeadTimeStatus(StrEnum):
    """How sure the template is of an SVF's lead times (``lead_time_status`` in
    svf-YYYY.json, the statuses of svf-reference.json). Only ``latest_found`` counts as
    confirmed; the template's notes call the other three not confirmed."""

    LATEST_FOUND = "latest_found"
    PARTIAL = "partial"
    SUPERSEDED = "superseded"
    UNCONFIRMED = "unconfirmed"


class StepState(StrEnum):
    """The mark of a step of the guided report in the side list."""

    DONE = "done"
    WARNING = "warning"
    ERROR = "error"


class ValueSource(StrEnum):
    """Where a figure of a report came from."""

    TYPED = "typed"
    IMPORT = "import"
    RCC_EXTRACT = "rcc_extract"
    PATIENT_LIST = "patient_list"
    RCC_REGISTERED = "rcc_registered"


class BaselineSource(StrEnum):
    """What last year's figures compared against come from (issue 15, point 6)."""

    SIGNED_REPORT = "signed_report"  # the signed PDF of last year's report, signatures intact
    REPORT_DOCUMENT = "report_document"  # last year's report as a document, not signed
    RCC_FIGURES = "rcc_figures"  # the RCC's extract of last year's figures


class WarningState(StrEnum):
    """Whether a warning has been justified by the region (issue 15, point 5)."""

    OPEN = "open"  # a warning without a justification: it stays a warning
    JUSTIFIED = "justified"  # justified for exactly the values it was given for
    LAPSED = "lapsed"  # justified once, but the values (or the warning) have changed since


class RemarkKind(StrEnum):
    """What the RCC's compilation lists per region beside its figures (issue 15, points 3
    and 5): a value changed from the RCC's extract, or a warning, justified or not."""

    DEVIATION = "deviation"
    JUSTIFIED_WARNING = "justified_warning"
    OPEN_WARNING = "open_warning"


class EndReason(StrEnum):
    """How an SVF pathway of a patient-level list ended (issue 16)."""

    TREATMENT = "treatment"
    WRITTEN_OFF = "written_off"
    OTHER = "other"


class KeyStatus(StrEnum):
    """Whether the population key of a payment split is the one the state decided (confirmed)
    or one the application uses until that is known (preliminary; issue 12, point 5)."""

    PRELIMINARY = "preliminary"
    CONFIRMED = "confirmed"


class HistoryKind(StrEnum):
    """What a row of a report's history records (issue 15, point 4): an edit of one part of
    the report, or something done to the whole of it."""

    GENESIS = "genesis"  # "the chain starts here" (a database from before schema 0008)
    MIGRATED = "migrated"  # a change-log line from before schema 0008, chained at migration
    CREATED = "created"
    FIGURE = "figure"
    PREM = "prem"
    ANSWER = "answer"
    CONTACT = "contact"
    FINANCE = "finance"
    STATUS = "status"
    IMPORT = "import"
    PATIENT_LIST = "patient_list"
    LOAD = "load"
    SIGNED_IMPORT = "signed_import"
    UNLOCK = "unlock"
    EXPORT = "export"
    RECEIPT = "receipt"
    ACKNOWLEDGEMENT = "acknowledgement"  # a warning justified, or its justification withdrawn
    BASELINE = "baseline"  # last year's figures set or cleared (issue 15, point 6)


# Keys of stored JSON that happen to be vocabulary words. Stored formats: never rename.
# The certification inside svf-certification.json, in ``verify --json`` and in the copy of a
# verification kept with each received file.
CERTIFICATION_KEY = "certification"
# In the certification stored with a report: why it no longer holds (the report was unlocked).
VOID_REASON_KEY = "void"


@dataclass(frozen=True)
class Words:
    """The Swedish words and the colours of one value.

    ``text``: the label wherever the value is named; ``short``: a compact form for narrow
    columns and badges; ``mark``: a one-character sign; ``fg``/``bg``: text and background
    colours (#rrggbb) for the outputs that colour; ``plural``: the label's plural, for counts
    ("2 varningar")."""

    text: str
    short: str | None = None
    mark: str | None = None
    fg: str | None = None
    bg: str | None = None
    plural: str | None = None


# Tones shared by the values that mean "good", "bad", "not known" and "look at this".
_GOOD = ("#1e7b34", "#e3f4e7")
_BAD = ("#a4161a", "#fbe4e6")
_NEUTRAL = ("#555555", "#eceff1")
_CAUTION = ("#8a5a00", "#fff4d6")

# A received file accepted or refused, and a region whose file was: the same words.
_ACCEPTED = Words("Godkänd", "GODKÄND", "✓", *_GOOD, plural="godkända")
_REFUSED = Words("Avvisad", "AVVISAD", "✕", *_BAD, plural="avvisade")

# One entry per enum member. A list of pairs, not a dict literal: StrEnum members of different
# enums with the same value are equal as dict keys, so a dict would silently merge them.
_ENTRIES: tuple[tuple[StrEnum, Words], ...] = (
    (Verdict.PASS, Words("Uppfyllt", "ja", "✓", *_GOOD)),
    (Verdict.FAIL, Words("Ej uppfyllt", "nej", "✕", *_BAD)),
    (Verdict.UNKNOWN, Words("Ej känt", "?", "?", *_NEUTRAL)),
    (Severity.ERROR, Words("Fel", "fel", "✕", *_BAD, plural="fel")),
    (Severity.WARNING, Words("Varning", "varning", "!", *_CAUTION, plural="varningar")),
    (Role.CERTIFICATION, Words("ekonomichefens intygande", "ekonomichef", "intygande")),
    (
        Role.REPRESENTATIVE,
        Words("behörig företrädares underskrift", "behörig företrädare", "underskrift"),
    ),
    (Role.RCC, Words("RCC:s godkännande", "RCC", "godkännande")),
    (Decision.ACCEPT, Words("Godkänns efter beslut", "godkänn", "✓", *_GOOD)),
    (Decision.REFUSE, Words("Avvisas efter beslut", "avvisa", "✕", *_BAD)),
    (InboxEvent.DECISION, Words("Beslut")),
    (InboxEvent.RECEIVED_ON, Words("Mottagningsdatum ändrat")),
    (InboxEvent.SIGNER_ADDED, Words("Underskrivare registrerad")),
    (InboxEvent.SIGNER_REMOVED, Words("Underskrivare borttagen")),
    (InboxEvent.LAST_DAY, Words("Sista dag ändrad")),
    (InboxEvent.REGISTERED, Words("Redovisning registrerad av RCC")),
    (SignerKind.CERTIFICATE, Words("Certifikat")),
    (SignerKind.CA, Words("Utfärdare (CA) med organisationsidentitet")),
    (ReportStatus.DRAFT, Words("Utkast")),
    (ReportStatus.CERTIFIED, Words("Intygad")),
    (ReportStatus.SIGNED, Words("Signerad")),
    (ReportStatus.SUBMITTED, Words("Inlämnad")),
    (InboxStatus.ACCEPTED, _ACCEPTED),
    (
        InboxStatus.ACCEPTED_WITH_REMARKS,
        Words(
            "Godkänd med anmärkning", "ANMÄRKNING", "!", *_CAUTION, plural="godkända med anmärkning"
        ),
    ),
    (
        InboxStatus.PENDING,
        Words("Väntar på beslut", "VÄNTAR", "?", *_CAUTION, plural="väntar på beslut"),
    ),
    (InboxStatus.CONFLICT, Words("Konflikt", "KONFLIKT", "≠", *_BAD, plural="i konflikt")),
    (InboxStatus.REFUSED, _REFUSED),
    (InboxStatus.SUPERSEDED, Words("Ersatt", "ERSATT", "–", *_NEUTRAL, plural="ersatta")),
    (ReceiptKind.RECEIPT, Words("Mottagen av RCC", "MOTTAGEN", "✓", *_GOOD)),
    (ReceiptKind.RETURN, Words("Återsänd för komplettering", "ÅTERSÄND", "!", *_CAUTION)),
    (RegionState.ACCEPTED, _ACCEPTED),
    (RegionState.REFUSED, _REFUSED),
    (RegionState.MISSING, Words("Saknas", "SAKNAS", "–", *_CAUTION)),
    (RegionState.PENDING, Words("Väntar på beslut", "VÄNTAR", "?", *_CAUTION)),
    (RefusalReason.UNREADABLE, Words("Oläslig fil")),
    (RefusalReason.TAMPERED, Words("Manipulerad fil")),
    (RefusalReason.UNSIGNED, Words("Osignerad fil")),
    (RefusalReason.INCOMPLETE, Words("Ofullständigt undertecknad")),
    (RefusalReason.INVALID, Words("Underskrifterna godtas inte")),
    (RefusalReason.OUTSIDE_SCOPE, Words("Fel region")),
    (RefusalReason.WRONG_YEAR, Words("Fel år")),
    (CertificationState.NONE, Words("Inte intygad", None, "–", *_NEUTRAL)),
    (CertificationState.VALID, Words("Intygad", None, "✓", *_GOOD)),
    (CertificationState.VOID, Words("Intygandet ogiltigt", None, "✕", *_BAD)),
    (LeadTimeStatus.LATEST_FOUND, Words("Senast kända version", "senast kända", "✓", *_GOOD)),
    (LeadTimeStatus.PARTIAL, Words("Delvis känd, ej bekräftad", "delvis", "?", *_CAUTION)),
    (
        LeadTimeStatus.SUPERSEDED,
        Words("Ändrad i senare version, ej bekräftad", "ändrad", "?", *_CAUTION),
    ),
    (LeadTimeStatus.UNCONFIRMED, Words("Ej bekräftad", "ej bekräftad", "?", *_CAUTION)),
    (StepState.DONE, Words("klart", mark="✓", fg="#1e7b34")),
    (StepState.WARNING, Words("varningar", mark="!", fg="#b07800")),
    (StepState.ERROR, Words("fel att rätta", mark="✕", fg="#a4161a")),
    (ValueSource.TYPED, Words("Inskrivet")),
    (ValueSource.IMPORT, Words("Importerat från fil")),
    (ValueSource.RCC_EXTRACT, Words("RCC:s datauttag")),
    (ValueSource.PATIENT_LIST, Words("Beräknat från patientlista")),
    (ValueSource.RCC_REGISTERED, Words("Registrerat av RCC")),
    (RemarkKind.DEVIATION, Words("Ändrat från RCC:s datauttag", "ändrat", "*")),
    (RemarkKind.JUSTIFIED_WARNING, Words("Motiverad varning", "motiverad", "†")),
    (RemarkKind.OPEN_WARNING, Words("Varning utan motivering", "ej motiverad", "!")),
    (EndReason.TREATMENT, Words("Start av första behandling")),
    (EndReason.WRITTEN_OFF, Words("Misstanke avskriven")),
    (EndReason.OTHER, Words("Annat avslut")),
    (KeyStatus.PRELIMINARY, Words("Preliminär", "preliminär", "!", *_CAUTION)),
    (KeyStatus.CONFIRMED, Words("Fastställd", "fastställd", "✓", *_GOOD)),
    (HistoryKind.GENESIS, Words("Historiken börjar", "början")),
    (HistoryKind.MIGRATED, Words("Från den äldre ändringsloggen", "äldre logg")),
    (HistoryKind.CREATED, Words("Redovisningen skapades", "skapad")),
    (HistoryKind.FIGURE, Words("Siffra", "siffra")),
    (HistoryKind.PREM, Words("PREM", "PREM")),
    (HistoryKind.ANSWER, Words("Svar på fråga", "svar")),
    (HistoryKind.CONTACT, Words("Kontaktuppgift", "kontakt")),
    (HistoryKind.FINANCE, Words("Ekonomisk uppgift", "ekonomi")),
    (HistoryKind.STATUS, Words("Status", "status")),
    (HistoryKind.IMPORT, Words("Import från fil", "import")),
    (HistoryKind.PATIENT_LIST, Words("Från patientlista", "patientlista")),
    (HistoryKind.LOAD, Words("Inläst dokument", "inläsning")),
    (HistoryKind.SIGNED_IMPORT, Words("Inläst undertecknad fil", "undertecknad")),
    (HistoryKind.UNLOCK, Words("Upplåsning", "upplåsning")),
    (HistoryKind.EXPORT, Words("Export", "export")),
    (HistoryKind.RECEIPT, Words("Kvittens från RCC", "kvittens")),
    (HistoryKind.ACKNOWLEDGEMENT, Words("Motivering av varning", "motivering")),
    (HistoryKind.BASELINE, Words("Fjolårets siffror", "fjolåret")),
    (BaselineSource.SIGNED_REPORT, Words("Fjolårets undertecknade redovisning")),
    (BaselineSource.REPORT_DOCUMENT, Words("Fjolårets redovisning (ej undertecknad)")),
    (BaselineSource.RCC_FIGURES, Words("RCC:s siffror för fjolåret")),
    (WarningState.OPEN, Words("Varning utan motivering", "ej motiverad", "!", fg="#b07800")),
    (WarningState.JUSTIFIED, Words("Motiverad varning", "motiverad", "✓", fg="#1e7b34")),
    (
        WarningState.LAPSED,
        Words(
            "Motiveringen gäller inte längre (värdena har ändrats)", "inaktuell", "?", fg="#b07800"
        ),
    ),
)

LABELS: dict[tuple[type[StrEnum], str], Words] = {
    (type(member), member.value): w for member, w in _ENTRIES
}

VOCABULARY: tuple[type[StrEnum], ...] = (
    Verdict,
    Severity,
    Role,
    ReportStatus,
    InboxStatus,
    ReceiptKind,
    RegionState,
    RefusalReason,
    Decision,
    InboxEvent,
    SignerKind,
    CertificationState,
    LeadTimeStatus,
    StepState,
    ValueSource,
    KeyStatus,
    EndReason,
    HistoryKind,
    BaselineSource,
    WarningState,
    RemarkKind,
)


def has_words(value: StrEnum) -> bool:
    """Whether ``value`` has an entry in the table."""
    return (type(value), value.value) in LABELS


def words(value: StrEnum) -> Words:
    """The words and colours of ``value``; KeyError for a member without an entry (a test
    walks every enum so that cannot ship)."""
    return LABELS[(type(value), value.value)]


def label(value: StrEnum | str | None, enum: type[StrEnum] | None = None) -> str:
    """The Swedish label of ``value``. A plain string (as read from JSON or the database) is
    looked up in ``enum``; an unknown value comes back as it is rather than failing."""
    if value is None:
        return "–"
    if not isinstance(value, StrEnum) and enum is not None:
        try:
            value = enum(value)
        except ValueError:
            return str(value)
    if isinstance(value, StrEnum) and has_words(value):
        return words(value).text
    return str(value)


def short(value: StrEnum) -> str:
    """The compact form of the label (the label itself where there is none)."""
    w = words(value)
    return w.short if w.short is not None else w.text


def mark(value: StrEnum) -> str:
    """The one-character sign of ``value`` (✓ ✕ ? …)."""
    w = words(value)
    return w.mark if w.mark is not None else w.text[:1]


def colours(value: StrEnum) -> tuple[str, str]:
    """(text colour, background colour) of ``value``; black on white where none is set."""
    w = words(value)
    return (w.fg or "#000000", w.bg or "#ffffff")


def plural(value: StrEnum, count: int) -> str:
    """``count`` with the label in singular or plural: "1 varning", "3 varningar"."""
    w = words(value)
    text = w.text.lower() if count == 1 else (w.plural or w.text.lower())
    return f"{count} {text}"
