"""Region scope: the one place that decides what a caller may see.

Every account and API client is bound to one region (or to the whole nation) and sees
that region and everything under it, nothing else. Services build their queries with
`readable()` and check single records with `ensure_record()`; routes never filter by
region themselves. What a caller may *change* is decided by `pembina.auth.policy`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar, TypeVarTuple, Unpack

from sqlalchemy import Select, and_
from sqlalchemy.sql.elements import ColumnElement

from pembina.kit.roles import MANAGER_ROLES, READ_ONLY_ROLES, ROLE_RANK, Role
from pembina.kit.scopes import Scope
from pembina.kit.i18n import tr
from pembina.kit.errors import NotFound, OutOfScope

T = TypeVar("T")
Row = TypeVarTuple("Row")


#: The level of a national record (one held by the nation: region code None).
NATION_LEVEL = 0


def level_of(code: str | None) -> int:
    """0 the nation (no code), 1 province, 2 regency/city, 3 district, 4 village."""
    return NATION_LEVEL if code is None else code.count(".") + 1


def parent_of(code: str) -> str | None:
    return code.rsplit(".", 1)[0] if "." in code else None


def ancestors_of(code: str) -> list[str]:
    """Codes from the province down to the parent: '33.75.02' -> ['33', '33.75']."""
    parts = code.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def code_covers(root: str | None, code: str) -> bool:
    """True if `code` is `root` or lies under it (root None: the whole nation)."""
    return root is None or code == root or code.startswith(root + ".")


def subtree_clause(column: Any, root: str) -> ColumnElement[bool]:
    """`column` is `root` or a descendant: ONE index range on bytewise-ordered codes.

    Codes hold only digits and dots, so nothing sorts between `root` and `root.`, and `root/`
    ('/' follows '.') bounds every descendant while excluding siblings like `root0…`. A single
    range (not `= root OR range`) lets the database walk an index in code order and stop at LIMIT.
    """
    return and_(column >= root, column < root + "/")


@dataclass(frozen=True)
class Principal:
    """Who is calling: a user or an API client, bound to a region."""

    kind: str  # "user" | "client"
    id: int
    name: str
    role: Role | None  # users only
    region_code: str | None  # None = national
    #: Clients only: the scopes its token carries, within the client's grant (`kit.scopes`). A
    #: person's role decides instead (None).
    scopes: frozenset[str] | None = None

    @property
    def subject(self) -> str:
        return f"{self.kind}:{self.id}"

    @property
    def is_national(self) -> bool:
        return self.region_code is None

    @property
    def can_write(self) -> bool:
        if self.kind == "client":
            return any(s.endswith(":write") for s in self.scopes or ())
        return self.role is not None and self.role not in READ_ONLY_ROLES

    @property
    def can_manage_accounts(self) -> bool:
        return self.kind == "user" and self.role in MANAGER_ROLES

    def has_scope(self, scope: str) -> bool:
        """A client: whether its token carries `scope`. A person: every scope but personal data for
        the ministry, which registers posyandu and needs no one's name or phone."""
        if self.kind == "client":
            return scope in (self.scopes or ())
        return scope != Scope.personal_data_read or self.role is not Role.ministry

    @property
    def sees_personal_data(self) -> bool:
        """Whether people's names, e-mail, phone and last login are shown (`kit.personal`)."""
        return self.has_scope(Scope.personal_data_read)

    @property
    def sees_personal_history(self) -> bool:
        """Whether the audit trail's snapshots and actor names show personal fields: the region's
        admins and coordinators, and clients granted personal data."""
        if self.kind == "client":
            return self.sees_personal_data
        return self.role in MANAGER_ROLES

    @property
    def rank(self) -> int:
        return ROLE_RANK.get(self.role, 0) if self.role else 0

    # -- reads -----------------------------------------------------------------
    def covers(self, code: str | None) -> bool:
        if code is None:  # a national record
            return self.is_national
        return code_covers(self.region_code, code)

    def readable(self, stmt: Select[Unpack[Row]], column: Any) -> Select[Unpack[Row]]:
        """Restrict a query to rows whose region `column` lies in the caller's subtree."""
        if self.region_code is None:
            return stmt
        return stmt.where(subtree_clause(column, self.region_code))

    def outside(self, code: str | None) -> OutOfScope:
        """The 403 for a region outside the caller's (the policy's and `ensure_region`'s); None: the nation."""
        code = code or tr("national", "nasional")
        return OutOfScope(
            f"Region {code} is outside your region ({self.region_code or 'national'}).",
            f"Wilayah {code} berada di luar wilayah Anda ({self.region_code or 'nasional'}).",
        )

    def ensure_region(self, code: str) -> None:
        """For region-addressed resources (e.g. /regions/{code}): 403 outside scope."""
        if not self.covers(code):
            raise self.outside(code)

    def ensure_record(self, code: str | None, what: str = "Record") -> None:
        """For records fetched by id: out-of-scope looks exactly like missing (404)."""
        if not self.covers(code):
            raise NotFound(f"{what} not found.", f"{what} tidak ditemukan.")
