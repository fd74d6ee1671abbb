"""Which OAuth2 scopes an operation needs, in one table, and the check every request passes.

An operation reads (GET) or writes (any other method) one resource family, named by its path's
first segment after `/api/v1` (`/posyandu/{id}/documents`: posyandu); the exports of a list are
its family's reads, an import writes the family of its kind. A few region-addressed paths read
another family (the compliance board of a region reads decrees), and the contacts of a late region
are personal data. A person's role decides what they may do (`pembina.auth.policy`); an API client
also needs the scopes. The contract declares each operation's scopes (`document`), from the same
table, so an integrator knows what to ask for.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from fastapi import Request

from pembina.kit.errors import InsufficientScope
from pembina.kit.scope import Principal
from pembina.kit.scopes import Scope

PREFIX = "/api/v1"

#: A path's first segment -> its resource family.
FAMILIES: dict[str, str] = {
    "regions": "regions",
    "users": "accounts",
    "api-clients": "accounts",
    "audit-events": "audit",
    "changes": "changes",
    "teams": "teams",
    "decrees": "decrees",
    "reporting-deadlines": "decrees",
    "compliance": "decrees",
    "posyandu": "posyandu",
    "registration-batches": "posyandu",
    "pilot-sites": "pilots",
    # a posyandu's monthly activity reports: the posyandu family's scopes
    "activity-reports": "posyandu",
    "budgets": "budgets",
    "work-programs": "work-programs",
    "legal-references": "legal",
    "meetings": "meetings",
    "follow-ups": "meetings",
    "competitions": "competitions",
    "imports": "imports",
    # No scope of their own (the vocabulary has none): the policy gives a client only its own
    # webhook subscriptions, and notifications are people's.
    "webhooks": "webhooks",
    "webhook-events": "webhooks",
    "notifications": "notifications",
}

#: Paths whose scopes are not their first segment's (exact route paths).
SPECIAL: dict[str, tuple[str, ...]] = {
    "/regions/compliance": (Scope.decrees_read,),
    "/regions/trends": (Scope.decrees_read, Scope.posyandu_read),
    "/regions/{code}/trends": (Scope.decrees_read, Scope.posyandu_read),
    "/api-clients/{client_pk}/webhooks": (),
    "/regions/{code}/compliance": (Scope.decrees_read,),
    "/regions/{code}/compliance/missing": (Scope.decrees_read,),
    "/regions/{code}/chase": (Scope.decrees_read,),
    "/regions/{code}/contacts": (Scope.decrees_read, Scope.personal_data_read),
    "/exports/reports/compliance": (Scope.decrees_read,),
    "/exports/activity-reports-missing": (Scope.posyandu_read,),
    "/exports/reports/registration-batches/{batch_id}": (Scope.posyandu_read,),
    "/exports/reports/budget-rollup": (Scope.budgets_read,),
    "/exports/regions/{code}/summary.pdf": (Scope.regions_read,),
}

#: Paths that any authenticated caller may use: their own account, the list of exports.
OPEN = frozenset({"/auth/me", "/auth/me/password", "/auth/me/sessions/revoke", "/auth/me/tasks", "/exports"})

_KNOWN = frozenset(s.value for s in Scope)
_SEGMENT = re.compile(r"^/([^/{]+)")
#: A route path's parameter with its converter (`{batch_id:int}`), as the contract writes it (`{batch_id}`).
_CONVERTER = re.compile(r"\{(\w+):[^}]+\}")


def _family_scope(family: str, write: bool) -> tuple[str, ...]:
    scope = f"{family}:{'write' if write else 'read'}"
    # A family with no write scope (accounts, the audit trail, the feed): no client writes it at
    # all (the policy refuses it: only people manage accounts), so no scope is declared.
    return (scope,) if scope in _KNOWN else ()


@lru_cache(maxsize=512)
def required(method: str, path: str) -> tuple[str, ...]:
    """The scopes an operation needs (its route path, e.g. `/api/v1/posyandu/{posyandu_id}`).
    `{kind}` of an import is filled in at request time (`for_request`). KeyError: a path the table
    does not know (a new router must be placed in FAMILIES)."""
    rel = _CONVERTER.sub(r"{\1}", path.removeprefix(PREFIX))
    write = method.upper() not in ("GET", "HEAD", "OPTIONS")
    if rel in OPEN:
        return ()
    if rel in SPECIAL:
        return SPECIAL[rel]
    if rel.startswith("/exports/"):
        rel, write = rel.removeprefix("/exports"), False
    if rel == "/imports/{kind}" and write:
        return ("{kind}:write",)
    match = _SEGMENT.match(rel)
    if match is None or match.group(1) not in FAMILIES:
        raise KeyError(f"no scope is declared for {method} {path}: add its first segment to pembina.auth.scopes.FAMILIES")
    return _family_scope(FAMILIES[match.group(1)], write)


def for_request(request: Request) -> tuple[str, ...]:
    route = request.scope.get("route")
    path = getattr(route, "path", None)
    if path is None:
        return ()
    needed = required(request.method, path)
    if any("{kind}" in s for s in needed):
        family = FAMILIES.get(str(request.path_params.get("kind")))
        if family is None:  # not a kind: the request's validation refuses it (a 422), nothing is written
            return ()
        needed = tuple(s.replace("{kind}", family) for s in needed)
    return needed


def enforce(request: Request, principal: Principal) -> None:
    """A 403 naming the first scope the caller's token lacks (clients; a person's role decides)."""
    if principal.kind != "client":
        return
    for scope in for_request(request):
        if not principal.has_scope(scope):
            raise InsufficientScope(
                f"This token lacks the scope {scope}: ask an account manager to grant it to the client, then request a token with it.",
                f"Token ini tidak memiliki scope {scope}: minta pengelola akun memberikannya kepada client, lalu minta token dengan scope itu.",
                scope=scope,
                headers={"WWW-Authenticate": f'Bearer error="insufficient_scope", scope="{scope}"'},
            )


def document(doc: dict[str, Any]) -> None:
    """Declare each protected operation's scopes on its OAuth2 security requirement."""
    for path, ops in doc.get("paths", {}).items():
        for method, op in ops.items():
            security = op.get("security") if isinstance(op, dict) else None
            if not security:
                continue
            needed = list(required(method, path))
            alternatives = [needed]
            if needed == ["{kind}:write"]:  # any one of them: requirements are alternatives, a list's scopes all needed
                alternatives = [[f"{f}:write"] for f in ("posyandu", "teams", "decrees")]
                op["description"] = (
                    op.get("description", "")
                    + "\n\nNeeds the write scope of the kind imported: `posyandu:write`, `teams:write` or `decrees:write`."
                ).strip()
            if any(alternatives):
                responses = op.setdefault("responses", {})
                responses.setdefault(
                    "403",
                    {
                        "description": "Forbidden (also: an API client's token lacks the scope, `/problems/insufficient-scope`).",
                        "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/ProblemDetail"}}},
                    },
                )
                op["responses"] = dict(sorted(responses.items()))
            others = [r for r in security if "OAuth2PasswordBearer" not in r]
            op["security"] = [{"OAuth2PasswordBearer": a} for a in alternatives] + others
