"""The RCC's inbox (issue 6): receive signed report PDFs, verify each one exactly as
``svf-report verify`` does (services.verification.verify_bytes), keep it in the local database
and decide which report of each region takes part in the compilation. The names the screens,
the CLI and the compilation use, gathered from the modules that hold each part:

- services.inbox_scopes: the scopes and the default year;
- services.inbox_entries: the read model (InboxEntry, SignerInfo);
- services.inbox_policy: refusal, deadline and superseding rules;
- services.inbox_import: receiving files; services.inbox_queries: reading the inbox.

Scopes: an RCC id (``norr``, ``mellansverige``, ``stockholm-gotland``, ``sydost``, ``syd``,
``vast``) or ``national`` (all 21 regions). Region Halland (13) belongs to both RCC Syd and
RCC Väst in the reference data, so either may receive it. Each scope and year has its own
inbox: the same file may be received by an RCC and, for the national view, again.

An entry is
- ``accepted``: intact, certified and signed, a region of the scope, the chosen year, and the
  newest version received from its region;
- ``refused``: with a Swedish reason (unreadable, tampered, unsigned or missing a role, region
  outside the scope, wrong year); kept in the list and in the history, never compiled;
- ``superseded``: an older version (or an earlier signed copy of the same version) of a region
  whose newer file is accepted; kept in the history.

Receiving the same file again (same SHA-256) in the same scope and year changes nothing. How
the deadline is judged is described in services.inbox_policy."""

from __future__ import annotations

from desktop_app.domain.vocabulary import InboxStatus, RefusalReason, label
from desktop_app.services.inbox_entries import InboxEntry, SignerInfo
from desktop_app.services.inbox_import import expand_paths, import_reports
from desktop_app.services.inbox_policy import arrival_deadline, classify
from desktop_app.services.inbox_queries import (
    diff_versions,
    entry_document,
    entry_file,
    entry_report,
    get_entry,
    inbox_history,
    list_inbox,
)
from desktop_app.services.inbox_scopes import SCOPE_NATIONAL, Scope, default_year, scope_of, scopes

# Old names of the statuses and refusal kinds, kept as aliases of the vocabulary's members.
ACCEPTED = InboxStatus.ACCEPTED
REFUSED = InboxStatus.REFUSED
SUPERSEDED = InboxStatus.SUPERSEDED
STATUS_LABELS = {s: label(s) for s in InboxStatus}

UNREADABLE = RefusalReason.UNREADABLE
TAMPERED = RefusalReason.TAMPERED
UNSIGNED = RefusalReason.UNSIGNED
INCOMPLETE = RefusalReason.INCOMPLETE
INVALID = RefusalReason.INVALID
OUTSIDE_SCOPE = RefusalReason.OUTSIDE_SCOPE
WRONG_YEAR = RefusalReason.WRONG_YEAR

__all__ = [
    "ACCEPTED",
    "INCOMPLETE",
    "INVALID",
    "OUTSIDE_SCOPE",
    "REFUSED",
    "SCOPE_NATIONAL",
    "STATUS_LABELS",
    "SUPERSEDED",
    "TAMPERED",
    "UNREADABLE",
    "UNSIGNED",
    "WRONG_YEAR",
    "InboxEntry",
    "Scope",
    "SignerInfo",
    "arrival_deadline",
    "classify",
    "default_year",
    "diff_versions",
    "entry_document",
    "entry_file",
    "entry_report",
    "expand_paths",
    "get_entry",
    "import_reports",
    "inbox_history",
    "list_inbox",
    "scope_of",
    "scopes",
]
