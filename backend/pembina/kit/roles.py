"""Roles and what each may do. Every account is bound to one region (or the nation)."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    national_admin = "national_admin"
    province_coordinator = "province_coordinator"
    regency_coordinator = "regency_coordinator"
    district_operator = "district_operator"
    village_operator = "village_operator"
    viewer = "viewer"
    #: Ditjen Bina Pemdes (Kemendagri): national, reads what a national viewer reads, and issues
    #: Nomor Registrasi Posyandu to submitted posyandu (or returns them); writes nothing else.
    ministry = "ministry"


#: The region level each role is bound to (None: the whole nation; viewer: any level).
ROLE_LEVEL: dict[Role, int | None] = {
    Role.national_admin: None,
    Role.province_coordinator: 1,
    Role.regency_coordinator: 2,
    Role.district_operator: 3,
    Role.village_operator: 4,
    Role.ministry: None,
}

#: Higher ranks may manage accounts of equal or lower rank inside their region subtree.
ROLE_RANK: dict[Role, int] = {
    Role.national_admin: 50,
    #: above every regional role, so that only a national admin grants it; it manages no accounts
    Role.ministry: 45,
    Role.province_coordinator: 40,
    Role.regency_coordinator: 30,
    Role.district_operator: 20,
    Role.village_operator: 10,
    Role.viewer: 0,
}

#: Roles that write nothing but what the policy grants them by name (the ministry: registration numbers).
READ_ONLY_ROLES = frozenset({Role.viewer, Role.ministry})

#: Roles that may create and manage user accounts and API clients (in their subtree).
MANAGER_ROLES = frozenset({Role.national_admin, Role.province_coordinator, Role.regency_coordinator, Role.district_operator})


class ClientScope(StrEnum):
    read = "read"
    read_write = "read_write"
