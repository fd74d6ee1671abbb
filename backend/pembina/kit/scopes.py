"""OAuth2 scopes of API clients: what an integrator's token may touch, per resource family.

A person's access is decided by their role (`pembina.auth.policy`); an API client's also by the
scopes it was granted and its token carries. Each resource family has a read scope and, where the
API writes it, a write scope; accounts, the audit trail and personal data are separate grants that
a new client never gets by default (UU 27/2022: purpose limitation and minimisation). Which scope
an operation needs is decided in one place (`pembina.auth.scopes`) from its path.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum


class Scope(StrEnum):
    regions_read = "regions:read"
    teams_read = "teams:read"
    teams_write = "teams:write"
    decrees_read = "decrees:read"
    decrees_write = "decrees:write"
    posyandu_read = "posyandu:read"
    posyandu_write = "posyandu:write"
    pilots_read = "pilots:read"
    pilots_write = "pilots:write"
    budgets_read = "budgets:read"
    budgets_write = "budgets:write"
    work_programs_read = "work-programs:read"
    work_programs_write = "work-programs:write"
    legal_read = "legal:read"
    legal_write = "legal:write"
    meetings_read = "meetings:read"
    meetings_write = "meetings:write"
    competitions_read = "competitions:read"
    competitions_write = "competitions:write"
    imports_read = "imports:read"
    changes_read = "changes:read"
    accounts_read = "accounts:read"
    audit_read = "audit:read"
    personal_data_read = "personal-data:read"


#: Granted only explicitly, by an account manager, and recorded in the audit trail.
SENSITIVE: frozenset[Scope] = frozenset({Scope.accounts_read, Scope.audit_read, Scope.personal_data_read})
#: Every domain read scope: what a new client gets unless it is given a list.
DOMAIN_READ: frozenset[Scope] = frozenset(s for s in Scope if s.value.endswith(":read") and s not in SENSITIVE)
DOMAIN_WRITE: frozenset[Scope] = frozenset(s for s in Scope if s.value.endswith(":write"))
ALL: frozenset[Scope] = frozenset(Scope)

#: The scopes the two scopes of old (`read`, `read_write`) stand for: the domain's, never accounts,
#: the audit trail or personal data.
LEGACY: dict[str, frozenset[Scope]] = {"read": DOMAIN_READ, "read_write": DOMAIN_READ | DOMAIN_WRITE}

DESCRIPTIONS: dict[str, str] = {
    "regions:read": "Regions, their summaries and counts.",
    "teams:read": "TP Posyandu teams and their members (members' names and phones need personal-data:read).",
    "teams:write": "Create and edit teams and members.",
    "decrees:read": "Decrees (SK), reporting deadlines and the compliance board.",
    "decrees:write": "Create, edit and move decrees through their statuses.",
    "posyandu:read": "Posyandu, their registration and registration batches.",
    "posyandu:write": "Create and edit posyandu, documents, registration.",
    "pilots:read": "Pilot sites and their scorecards.",
    "pilots:write": "Create and score pilot sites.",
    "budgets:read": "Budgets, allocations, realisations and the roll-up.",
    "budgets:write": "Create and edit budgets.",
    "work-programs:read": "Work programs.",
    "work-programs:write": "Create and edit work programs.",
    "legal:read": "Legal references.",
    "legal:write": "Create and edit legal references.",
    "meetings:read": "Meetings (rakor), attachments and follow-ups.",
    "meetings:write": "Record meetings and follow-ups.",
    "competitions:read": "Competitions, entrants and rankings.",
    "competitions:write": "Run competitions.",
    "imports:read": "The import log and spreadsheet templates (an import itself needs the family's write scope).",
    "changes:read": "The change feed (accounts' changes need accounts:read too).",
    "accounts:read": "User accounts and API clients of the region (granted explicitly).",
    "audit:read": "The audit trail (granted explicitly; snapshots' personal fields need personal-data:read too).",
    "personal-data:read": "Personal fields: people's names, e-mail, phone, last login (granted explicitly).",
}


def parse(raw: str | Iterable[str] | None) -> frozenset[Scope]:
    """Scopes from an OAuth2 `scope` string (space-separated) or a list; ValueError names the unknown ones.
    The old `read` / `read_write` stand for the domain scopes they always meant."""
    if raw is None:
        return frozenset()
    words = raw.split() if isinstance(raw, str) else list(raw)
    out: set[Scope] = set()
    unknown = []
    for w in words:
        if w in LEGACY:
            out |= LEGACY[w]
        elif w in Scope._value2member_map_:
            out.add(Scope(w))
        else:
            unknown.append(w)
    if unknown:
        raise ValueError(" ".join(unknown))
    return frozenset(out)


def dump(scopes: Iterable[str]) -> str:
    """The stored and transmitted form: space-separated, in the vocabulary's order."""
    have = set(scopes)
    return " ".join(s.value for s in Scope if s.value in have)


def legacy_name(scopes: Iterable[str]) -> str:
    """The old single scope a set of scopes reads as (`read_write` if it writes anything)."""
    return "read_write" if any(s.endswith(":write") for s in scopes) else "read"
