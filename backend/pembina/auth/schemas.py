from __future__ import annotations

from pydantic import BaseModel, Field

from pembina.auth.policy import RegionActions
from pembina.kit.roles import ClientScope, Role
from pembina.kit.scopes import Scope
from pembina.regions.schemas import RegionRef


class TokenResponse(BaseModel):
    access_token: str
    token_type: str = Field(default="bearer", examples=["bearer"])
    expires_in: int = Field(description="Seconds until the token expires.")
    scope: str | None = Field(default=None, description="An API client's token: the OAuth2 scopes it carries, space-separated.")


class SessionLogin(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)


class Me(BaseModel):
    kind: str = Field(description="user or client")
    id: int
    name: str
    username: str | None = None
    role: Role | None = None
    client_scope: ClientScope | None = Field(default=None, deprecated=True, description="Deprecated: see `scopes`.")
    scopes: list[Scope] | None = Field(default=None, description="An API client: the scopes its token carries.")
    region: RegionRef | None = Field(description="The region this account is bound to; null for national.")
    can_write: bool
    can_manage_accounts: bool
    allowed_actions: RegionActions


class PasswordChange(BaseModel):
    current_password: str = Field(min_length=1, max_length=256)
    new_password: str = Field(
        min_length=12,
        max_length=256,
        description="At least 12 characters; not the username nor a common password (NIST SP 800-63B). Ends every other session.",
    )
