"""User accounts, managed only inside one's own region subtree: a manager creates accounts at or
below their own rank, and edits, resets, deactivates or deletes only accounts strictly below it
(equals cannot take each other over)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from pembina.kit.i18n import tr
from pembina.kit import feed
from pembina.kit.repository import where_equal
from pembina.users.schemas import UserFilters
from pembina.kit.roles import ROLE_LEVEL, Role
from pembina.auth import passwords, policy
from pembina.auth.policy import Action, Kind
from pembina.auth.security import generate_password, hash_secret
from pembina.auth.service import end_sessions
from pembina.kit.errors import Conflict, Forbidden, ValidationProblem
from pembina.kit.pagination import Page, PageParams, apply_sort, paginate
from pembina.kit.patch import assign, reject_nulls, columns
from pembina.kit.repository import get_scoped, scoped_select, search
from pembina.regions import service as regions
from pembina.kit.scope import Principal, level_of
from pembina.users.models import User
from pembina.users.schemas import UserCreate, UserCreated, UserRead, UserUpdate
from pembina.kit.versioning import ExpectedVersion

SORTS = {
    "username": User.username,
    "full_name": User.full_name,
    "role": User.role,
    "created_at": User.created_at,
    "region_code": User.region_code,
}


def to_read(u: User, principal: Principal) -> UserRead:
    return policy.read(UserRead, principal, u)


def validate_binding(session: Session, role: Role, region_code: str | None) -> None:
    """A role is bound to a region of its level (viewers to any level or the nation)."""
    level = ROLE_LEVEL.get(role)
    if role in (Role.national_admin, Role.ministry):
        if region_code is not None:
            who = tr("A national admin", "Admin nasional") if role == Role.national_admin else tr("The ministry", "Kementerian")
            raise ValidationProblem(
                f"{who} is not bound to a region: leave region_code null.",
                f"{who} tidak terikat pada wilayah: kosongkan region_code.",
                loc=["body", "region_code"],
            )
        return
    if region_code is None:
        if role == Role.viewer:
            return
        raise ValidationProblem(
            f"A {role.value} must be bound to a region.",
            f"Peran {role.value} harus terikat pada suatu wilayah.",
            loc=["body", "region_code"],
        )
    regions.require_existing(session, region_code)
    if level is not None and level_of(region_code) != level:
        names = {1: "a province", 2: "a regency/city", 3: "a district", 4: "a village"}
        raise ValidationProblem(
            f"A {role.value} must be bound to {names[level]}, not {region_code}.",
            f"Peran {role.value} harus terikat pada {names[level]}, bukan {region_code}.",
            loc=["body", "region_code"],
        )


def get(session: Session, principal: Principal, user_id: int) -> User:
    return get_scoped(session, principal, User, user_id, tr("User", "Akun"))


def list_users(session: Session, principal: Principal, params: PageParams, filters: UserFilters) -> Page[UserRead]:
    stmt = scoped_select(select(User), User.region_code, principal, filters.region)
    stmt = where_equal(stmt, (User.role, filters.role), (User.is_active, filters.active))
    if filters.q:
        stmt = stmt.where(search(filters.q, User.username, User.full_name))  # usernames are lower-case already
    stmt = apply_sort(stmt, params.sort, SORTS, default=[User.username], tiebreak=User.id)
    return paginate(session, stmt, params, lambda u: to_read(u, principal))


def create(session: Session, principal: Principal, data: UserCreate) -> UserCreated:
    policy.require_role(principal, Action.create_user, Kind.region)
    validate_binding(session, data.role, data.region_code)
    policy.require_grant(principal, data.role, data.region_code)
    if session.scalar(select(User.id).where(User.username == data.username)) is not None:
        raise Conflict(f"Username '{data.username}' is taken.", f"Nama pengguna '{data.username}' sudah dipakai.")
    generated = None
    password = data.password
    if password is not None:
        passwords.check(password, data.username, field="password")
    else:
        password = generated = generate_password()
    user = User(**columns(data, "password"), password_hash=hash_secret(password), is_active=True)
    session.add(user)
    session.flush()
    return policy.read(UserCreated, principal, user, generated_password=generated)


def update(session: Session, principal: Principal, user_id: int, data: UserUpdate, expected: ExpectedVersion) -> User:
    policy.require_role(principal, Action.update, Kind.user)
    user = get(session, principal, user_id)
    expected.check(user.version, lambda: to_read(user, principal))
    changes: dict[str, Any] = data.model_dump(exclude_unset=True)
    is_self = user.id == principal.id and principal.kind == "user"
    if is_self and {"role", "region_code"} & changes.keys():
        raise Forbidden(
            "You cannot change your own role or region, nor deactivate yourself.",
            "Anda tidak dapat mengubah peran atau wilayah Anda sendiri, maupun menonaktifkan diri sendiri.",
        )
    if changes.get("is_active") is False:
        policy.require(principal, Action.set_active, user)
    if is_self and "password" in changes:
        raise Forbidden(
            "Change your own password with POST /api/v1/auth/me/password (it asks for the current one).",
            "Ubah kata sandi Anda sendiri melalui POST /api/v1/auth/me/password (yang menanyakan kata sandi saat ini).",
        )
    policy.require(principal, Action.update, user)
    role = Role(changes.get("role", user.role))
    region_code = changes["region_code"] if "region_code" in changes else user.region_code
    if "role" in changes or "region_code" in changes:
        validate_binding(session, role, region_code)
        policy.require_grant(principal, role, region_code)
    if changes.get("is_active") is False and user.is_active:
        end_sessions(user)
    reject_nulls(changes, "full_name", "is_active")
    assign(user, changes, "full_name", "email", "phone", "is_active")
    user.role = role.value
    user.region_code = region_code
    if changes.get("password"):
        passwords.check(changes["password"], user.username, field="password")
        user.password_hash = hash_secret(changes["password"])
        end_sessions(user)
    session.flush()
    return user


def delete(session: Session, principal: Principal, user_id: int) -> None:
    policy.require_role(principal, Action.delete, Kind.user)
    user = get(session, principal, user_id)
    policy.require(principal, Action.delete, user)
    session.delete(user)
    session.flush()


# -- the change feed shows these records as the API returns them (pembina.kit.feed) --------
feed.register(User, UserRead, feed.each(to_read))
