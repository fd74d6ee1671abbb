from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from pembina.kit.i18n import describe_pattern
from pembina.regions.filters import InRegion
from pembina.auth.policy import AllowedActions
from pembina.kit.roles import Role
from pembina.kit.params import Omittable, RegionCodeField
from pembina.kit.phones import PhoneNumber

USERNAME_PATTERN = describe_pattern(
    r"^[a-z0-9][a-z0-9._-]{2,63}$",
    "3 to 64 lowercase letters, digits, dots, underscores or hyphens, starting with a letter or digit",
    "3 sampai 64 huruf kecil, angka, titik, garis bawah atau tanda hubung, diawali huruf atau angka",
)
EMAIL_PATTERN = describe_pattern(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", "an e-mail address", "alamat e-mail")


class UserBase(BaseModel):
    full_name: str = Field(min_length=1, max_length=200)
    email: str | None = Field(default=None, max_length=254, pattern=EMAIL_PATTERN)
    phone: PhoneNumber | None = None


class UserCreate(UserBase):
    model_config = ConfigDict(extra="forbid")

    username: str = Field(pattern=USERNAME_PATTERN, description="Lower-case letters, digits, '.', '_' or '-'; 3–64 characters.")
    role: Role
    region_code: RegionCodeField | None = Field(
        default=None, description="The region the account is bound to; null only for national accounts."
    )
    password: str | None = Field(
        default=None,
        min_length=12,
        max_length=256,
        description="At least 12 characters; not the username nor a common password. Omit to have one generated and returned once.",
    )


class UserUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    full_name: Annotated[str, Field(min_length=1, max_length=200)] | Omittable = None
    email: str | None = Field(default=None, max_length=254, pattern=EMAIL_PATTERN)
    phone: PhoneNumber | None = None
    role: Role | Omittable = None
    region_code: RegionCodeField | None = None
    is_active: bool | Omittable = None
    password: (
        Annotated[
            str,
            Field(
                min_length=12,
                max_length=256,
                description="Set a new password (at least 12 characters; not the username nor a common password). Ends the account's sessions.",
            ),
        ]
        | Omittable
    ) = None


class UserRead(UserBase):
    id: int
    username: str
    role: Role
    region_code: str | None
    is_active: bool
    created_at: datetime
    updated_at: datetime
    last_login_at: datetime | None
    version: int
    allowed_actions: AllowedActions


class UserCreated(UserRead):
    generated_password: str | None = Field(description="Only when no password was given: shown this once, never stored in clear.")


class UserFilters(InRegion):
    role: Role | None = None
    q: str | None = Field(None, max_length=100, description="Search username or name.")
    active: bool | None = None
