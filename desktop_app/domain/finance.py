"""The financial statement (ekonomisk redovisning) of Bilaga 2 in the agreement, its checks,
and the finance chief's certification of it.

unspent = received − total costs is always computed, never typed."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, Any, TypeGuard

from desktop_app.domain.findings import Finding, Location
from desktop_app.domain.fmt import fmt_kr
from desktop_app.domain.template import Template
from desktop_app.domain.vocabulary import Severity

if TYPE_CHECKING:  # a report holds a FinancialStatement: named here for typing only
    from desktop_app.domain.report import Report


@dataclass
class CostItem:
    label: str = ""
    amount: int | None = None


@dataclass
class FinancialStatement:
    # 1. Kontaktuppgifter
    recipient: str = ""  # Bidragsmottagare
    org_number: str = ""  # Organisationsnummer
    contact_person: str = ""
    postal_address: str = ""
    phone: str = ""
    fax: str = ""
    email: str = ""
    # 2. Bidrag som ansökan avser
    dnr_agreement: str = ""  # Regeringskansliets diarienummer för bakomliggande överenskommelse
    dnr_decision: str = ""  # ... avseende regeringsbeslut för utbetalning
    agreement_name: str = ""
    grant_total: int | None = None  # Summa bidrag enligt överenskommelsen
    grant_paid: int | None = None  # Summa bidrag som utbetalats
    period: str = ""
    # 3. Redovisning av verksamhet eller aktivitet
    received: int | None = None  # Bidrag som erhållits
    costs: list[CostItem] = field(default_factory=list)

    @property
    def total_costs(self) -> int:
        return sum(c.amount or 0 for c in self.costs)

    @property
    def unspent(self) -> int | None:
        """Medel som inte har förbrukats (Bidrag – kostnader)."""
        if self.received is None:
            return None
        return self.received - self.total_costs

    def normalised(self) -> FinancialStatement:
        """A copy with the organisationsnummer in its shown form (NNNNNN-NNNN) once it is a
        valid one; anything else is kept as typed (the checks report it)."""
        org = normalise_org_number(self.org_number)
        return replace(self, org_number=org) if org is not None else replace(self)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["costs"] = [asdict(c) for c in self.costs]
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None) -> FinancialStatement:
        d = dict(d or {})
        costs = [CostItem(**c) for c in d.pop("costs", [])]
        d.pop("total_costs", None)
        d.pop("unspent", None)
        known = {f for f in cls.__dataclass_fields__}
        return cls(costs=costs, **{k: v for k, v in d.items() if k in known})


# ------------------------------------------------------------------ formats

_ORG_SEPARATORS = re.compile(r"[\s\-–]")


def luhn_check_digit(digits: str) -> int:
    """The Luhn (mod 10) check digit for ``digits`` (e.g. the first nine digits of an
    organisationsnummer): weights 2, 1, 2, 1 … from the left, digit sums of the products."""
    total = 0
    for i, ch in enumerate(digits):
        n = int(ch) * (2 if i % 2 == 0 else 1)
        total += n // 10 + n % 10
    return (10 - total % 10) % 10


def luhn_valid(digits: str) -> bool:
    """True when the last digit of ``digits`` is the Luhn check digit of the others."""
    if len(digits) < 2 or not digits.isascii() or not digits.isdigit():
        return False
    return luhn_check_digit(digits[:-1]) == int(digits[-1])


def normalise_org_number(text: str) -> str | None:
    """``2321000230``, ``232100 0230`` or ``16232100-0230`` -> ``232100-0230``; None when it is
    not ten digits (twelve with the century prefix 16) with a correct check digit."""
    digits = _ORG_SEPARATORS.sub("", text or "")
    if len(digits) == 12 and digits.startswith("16"):
        digits = digits[2:]
    if len(digits) != 10 or not luhn_valid(digits):
        return None
    return f"{digits[:6]}-{digits[6:]}"


_EMAIL = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)*\.[^\W\d_]{2,}$")
_PHONE_CHARS = re.compile(r"^\+?[0-9 ()\-–]+$")


def valid_email(text: str) -> bool:
    """A plausible e-mail address: name@domän.se (no spaces, one @, a dot in the domain)."""
    return bool(_EMAIL.match(text.strip()))


def valid_phone(text: str) -> bool:
    """A phone number with riktnummer: starts with 0 or +, digits with spaces, hyphens or
    parentheses, 7–15 digits (010-000 00 00, 0920-123 45, +46 10 000 00 00)."""
    t = text.strip()
    if not _PHONE_CHARS.match(t) or t[0] not in "0+":
        return False
    digits = sum(ch.isdigit() for ch in t)
    return 7 <= digits <= 15


def _whole_kronor(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


# ------------------------------------------------------------------ findings

# Bilaga 2, in its order and wording: point 1 (Kontaktuppgifter), point 2 (the grant) and the
# grant received of point 3. The screens, the PDF and the workbook all label fields from here.
CONTACT_FIELDS: tuple[tuple[str, str], ...] = (
    ("recipient", "Bidragsmottagare"),
    ("org_number", "Organisationsnummer"),
    ("contact_person", "Kontaktperson"),
    ("postal_address", "Postadress"),
    ("phone", "Telefon inkl. riktnummer"),
    ("fax", "Faxnummer"),
    ("email", "E-postadress"),
)
GRANT_FIELDS: tuple[tuple[str, str], ...] = (
    ("dnr_agreement", "Regeringskansliets diarienummer för bakomliggande överenskommelse"),
    ("dnr_decision", "Regeringskansliets diarienummer avseende regeringsbeslut för utbetalning"),
    ("agreement_name", "Överenskommelsens benämning"),
    ("grant_total", "Summa bidrag enligt överenskommelsen"),
    ("grant_paid", "Summa bidrag som utbetalats från regeringen/Regeringskansliet"),
    ("period", "Period som den ekonomiska redovisningen avser"),
)
RECEIVED_LABEL = "Bidrag som erhållits av regeringen/Regeringskansliet"
AMOUNT_FIELDS = frozenset({"grant_total", "grant_paid", "received"})
FIELD_LABELS = dict(CONTACT_FIELDS + GRANT_FIELDS + (("received", RECEIVED_LABEL),))

# The fields a complete financial statement has (fax is optional: hardly anyone has one any more).
REQUIRED_TEXT = tuple(
    (k, label)
    for k, label in CONTACT_FIELDS + GRANT_FIELDS
    if k != "fax" and k not in AMOUNT_FIELDS
)
AMOUNTS = tuple((k, FIELD_LABELS[k]) for k in ("grant_total", "grant_paid", "received"))


_Add = Callable[[str, Severity, str, str], None]


def _text_checks(fs: FinancialStatement, add: _Add) -> None:
    """Missing text fields; malformed organisationsnummer, e-mail and phone numbers."""
    for name, label in REQUIRED_TEXT:
        if not str(getattr(fs, name) or "").strip():
            add(
                "finance_missing", Severity.WARNING, f"Ekonomisk redovisning: {label} saknas.", name
            )

    org = fs.org_number.strip()
    if org and normalise_org_number(org) is None:
        digits = _ORG_SEPARATORS.sub("", org)
        if not digits.isdigit() or len(digits) not in (10, 12):
            why = "ska vara tio siffror (NNNNNN-NNNN)"
        else:
            why = "kontrollsiffran stämmer inte"
        add(
            "org_number_invalid",
            Severity.ERROR,
            f"Ekonomisk redovisning: organisationsnumret {org} är inte giltigt – {why}.",
            "org_number",
        )
    if fs.email.strip() and not valid_email(fs.email):
        add(
            "email_invalid",
            Severity.ERROR,
            f"Ekonomisk redovisning: e-postadressen {fs.email.strip()} är inte giltig (t.ex. namn@region.se).",
            "email",
        )
    for name, label in (("phone", "telefonnumret"), ("fax", "faxnumret")):
        value = getattr(fs, name).strip()
        if value and not valid_phone(value):
            add(
                "phone_invalid",
                Severity.ERROR,
                f"Ekonomisk redovisning: {label} {value} är inte giltigt – ange det med riktnummer, t.ex. 010-123 45 67.",
                name,
            )


def _amount_checks(fs: FinancialStatement, add: _Add) -> None:
    """The grant amounts: whole kronor >= 0; received is expected."""
    for name, label in AMOUNTS:
        value = getattr(fs, name)
        if value is None:
            if name == "received":
                add(
                    "finance_missing",
                    Severity.WARNING,
                    f"Ekonomisk redovisning: {label} saknas.",
                    name,
                )
            continue
        if not _whole_kronor(value):
            add(
                "amount_invalid",
                Severity.ERROR,
                f"Ekonomisk redovisning: {label} ska vara hela kronor, 0 eller mer (inte {value}).",
                name,
            )


def _cost_checks(fs: FinancialStatement, add: _Add) -> bool:
    """Each cost item has a label and a whole amount; False when an amount is not whole."""
    amounts_ok = True
    for i, item in enumerate(fs.costs, start=1):
        where = f"kostnadspost {i}" + (f" ({item.label.strip()})" if item.label.strip() else "")
        if item.amount is None:
            if item.label.strip():
                add(
                    "cost_amount_missing",
                    Severity.ERROR,
                    f"Ekonomisk redovisning: {where} saknar belopp.",
                    f"costs.{i - 1}.amount",
                )
            continue
        if not _whole_kronor(item.amount):
            amounts_ok = False
            add(
                "amount_invalid",
                Severity.ERROR,
                f"Ekonomisk redovisning: {where} ska vara hela kronor, 0 eller mer (inte {item.amount}).",
                f"costs.{i - 1}.amount",
            )
        if not item.label.strip():
            add(
                "cost_label_missing",
                Severity.ERROR,
                f"Ekonomisk redovisning: {where} på {fmt_kr(int(item.amount))} saknar benämning – specificera kostnadsposten.",
                f"costs.{i - 1}.label",
            )
    return amounts_ok


def _balance_checks(fs: FinancialStatement, add: _Add, amounts_ok: bool) -> None:
    """Whether the amounts agree: costs reported, no overspending, received = paid <= total."""
    received_ok = _whole_kronor(fs.received)
    if received_ok and fs.received and not any(c.amount for c in fs.costs):
        add(
            "costs_missing",
            Severity.WARNING,
            "Ekonomisk redovisning: inga kostnader är redovisade för det erhållna bidraget.",
            "costs",
        )
    received = fs.received
    unspent = fs.unspent
    if _whole_kronor(received) and amounts_ok and unspent is not None and unspent < 0:
        add(
            "overspent",
            Severity.WARNING,
            f"Ekonomisk redovisning: kostnaderna ({fmt_kr(fs.total_costs)}) är större än erhållet bidrag ({fmt_kr(received)}) – {fmt_kr(-unspent)} mer än bidraget. Stämmer det?",
            "unspent",
        )
    paid, total = fs.grant_paid, fs.grant_total
    if _whole_kronor(received) and _whole_kronor(paid) and received != paid:
        add(
            "received_ne_paid",
            Severity.WARNING,
            f"Ekonomisk redovisning: erhållet bidrag ({fmt_kr(received)}) skiljer sig från utbetalt bidrag ({fmt_kr(paid)}).",
            "received",
        )
    if _whole_kronor(paid) and _whole_kronor(total) and paid > total:
        add(
            "paid_gt_total",
            Severity.WARNING,
            f"Ekonomisk redovisning: utbetalt bidrag ({fmt_kr(paid)}) är större än bidraget enligt överenskommelsen ({fmt_kr(total)}).",
            "grant_paid",
        )


def finance_findings(report: Report, tpl: Template) -> list[Finding]:
    """Checks of the financial statement (Agreement 2024, Bilaga 2, points 1–3).

    Errors: a malformed organisationsnummer, e-mail or phone number, an amount that is not whole
    kronor ≥ 0, a cost item without label or amount. Warnings: missing fields (the statement is
    filled in last), overspending, and amounts that do not agree with each other."""
    step = next((s.id for s in tpl.steps if s.kind == "finance"), "ekonomi")
    fs = report.finance
    out: list[Finding] = []

    def add(rule: str, severity: Severity, message: str, name: str) -> None:
        out.append(Finding(rule, severity, message, Location(step=step, field=f"finance.{name}")))

    _text_checks(fs, add)
    _amount_checks(fs, add)
    amounts_ok = _cost_checks(fs, add)
    _balance_checks(fs, add, amounts_ok)
    return out


# ----------------------------------------------------------- certification

# Agreement 2024, Bilaga 2, ekonomisk redovisning point 4 and 5: quoted as they stand.
CERTIFICATION_HEADING = (
    "4. Ekonomichefens (eller motsvarande) granskning av den ekonomiska redovisningen"
)
CERTIFICATION_ALT_1 = (
    "Alt 1: N.N. (ekonomichefen eller motsvarande) intygar att den ekonomiska redovisningen "
    "under punkt 3 är korrekt."
)
CERTIFICATION_ALT_2 = (
    "Alt 2: N.N. (ekonomichefen eller motsvarande) bedömer inte att den ekonomiska redovisningen "
    "under punkt 3 är korrekt. (Avvikelse och eventuella åtgärder ska också redovisas.)"
)
CERTIFICATION_FIELDS = ("Namn", "Befattning", "Telefon inkl. riktnummer", "E-postadress")
REPRESENTATIVE_HEADING = "5. Underskrift i original av behörig företrädare"
REPRESENTATIVE_TEXT = "Bidragstagaren intygar att lämnade uppgifter är riktiga."
REPRESENTATIVE_FIELDS = ("Datum", "Underskrift", "Namnförtydligande")

ALT_CORRECT = 1
ALT_NOT_CORRECT = 2
ALTERNATIVES = (ALT_CORRECT, ALT_NOT_CORRECT)

# The form's placeholder for the finance chief's name in Alt 1 / Alt 2.
NAME_PLACEHOLDER = "N.N."

# Agreement 2024, 6.1: payment 2 is paid "utan rekvisition" to the regions that meet the basic
# requirements of 5.3; Bilaga 2's ekonomisk redovisning is asked of SKR's rekvirerade medel (6.2).
# A region's statement and its certification are therefore never a criterion for payment 2.
NOT_A_PAYMENT_CRITERION = (
    "Den ekonomiska redovisningen och ekonomichefens granskning är inte villkor för den andra "
    "utbetalningen: den betalas ut utan rekvisition till de regioner som uppfyller grundkraven "
    "i avsnitt 5.3 (överenskommelsen, avsnitt 6.1)."
)


def alternative_label(alternative: int) -> str:
    """The short name of Alt 1 / Alt 2, as the certification dialog's choices read."""
    return f"Alt {alternative} – {'korrekt' if alternative == ALT_CORRECT else 'inte korrekt'}"


def alternative_text(alternative: int, name: str = "") -> str:
    """The wording of Alt 1 or Alt 2 as the form has it, with "N.N." replaced by the finance
    chief's name; while no name is given the placeholder stays, as on the blank form."""
    text = CERTIFICATION_ALT_1 if alternative == ALT_CORRECT else CERTIFICATION_ALT_2
    who = " ".join(name.split())
    return text.replace(NAME_PLACEHOLDER, who, 1) if who else text


def finance_fingerprint(fs: FinancialStatement) -> str:
    """SHA-256 of the statement's figures and what they are about: who received the grant
    (recipient, organisationsnummer), the grant (point 2) and the accounts (point 3, with the
    computed total and unspent funds). Contact details are left out: a new phone number does not
    make the accounts wrong. A certification records this value; any later change voids it."""
    payload = {
        "kind": "svf-redovisning/finance-v1",
        "recipient": fs.recipient.strip(),
        "org_number": normalise_org_number(fs.org_number) or fs.org_number.strip(),
        "dnr_agreement": fs.dnr_agreement.strip(),
        "dnr_decision": fs.dnr_decision.strip(),
        "agreement_name": fs.agreement_name.strip(),
        "grant_total": fs.grant_total,
        "grant_paid": fs.grant_paid,
        "period": fs.period.strip(),
        "received": fs.received,
        "costs": [[c.label.strip(), c.amount] for c in fs.costs],
        "total_costs": fs.total_costs,
        "unspent": fs.unspent,
    }
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Certification:
    """The finance chief's review of the financial statement (Bilaga 2, point 4), bound to the
    exact figures by ``finance_sha256``."""

    alternative: int  # ALT_CORRECT (Alt 1) or ALT_NOT_CORRECT (Alt 2)
    name: str
    title: str
    phone: str
    email: str
    certified_on: date
    finance_sha256: str
    deviations: str = ""
    actions: str = ""

    @property
    def alternative_text(self) -> str:
        """The chosen alternative's wording with the finance chief's name in place of N.N."""
        return alternative_text(self.alternative, self.name)

    def matches(self, fs: FinancialStatement) -> bool:
        """True while the statement's figures are those that were certified."""
        return self.finance_sha256 == finance_fingerprint(fs)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["certified_on"] = self.certified_on.isoformat()
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Certification:
        return cls(
            alternative=int(d["alternative"]),
            name=str(d["name"]),
            title=str(d["title"]),
            phone=str(d["phone"]),
            email=str(d["email"]),
            certified_on=date.fromisoformat(str(d["certified_on"])),
            finance_sha256=str(d["finance_sha256"]),
            deviations=str(d.get("deviations") or ""),
            actions=str(d.get("actions") or ""),
        )


def certification_problems(
    alternative: int | None,
    name: str,
    title: str,
    phone: str,
    email: str,
    deviations: str = "",
) -> list[str]:
    """What keeps a certification from being made, in Swedish; empty when it can be signed.

    No alternative is assumed: the finance chief must choose Alt 1 or Alt 2. Alt 2 requires the
    deviation; the actions are optional ("Avvikelse och eventuella åtgärder ska också
    redovisas", Bilaga 2, point 4), so they are not asked for here."""
    out = []
    if alternative not in ALTERNATIVES:
        out.append(
            "Inget alternativ är valt: ekonomichefen måste själv välja Alt 1 (redovisningen "
            "är korrekt) eller Alt 2 (den är inte korrekt)."
        )
    for value, label in ((name, "namn"), (title, "befattning")):
        if not value.strip():
            out.append(f"Ange ekonomichefens {label}.")
    if not phone.strip():
        out.append("Ange ekonomichefens telefonnummer inkl. riktnummer.")
    elif not valid_phone(phone):
        out.append(
            f"Telefonnumret {phone.strip()} är inte giltigt – ange det med riktnummer, t.ex. 010-123 45 67."
        )
    if not email.strip():
        out.append("Ange ekonomichefens e-postadress.")
    elif not valid_email(email):
        out.append(f"E-postadressen {email.strip()} är inte giltig (t.ex. namn@region.se).")
    if alternative == ALT_NOT_CORRECT and not deviations.strip():
        out.append("Alt 2: redovisa avvikelsen (vad som inte är korrekt).")
    return out
