"""What an account that signs in (a user, an API client) stores for its tokens."""

from __future__ import annotations

from sqlalchemy import Integer
from sqlalchemy.orm import Mapped, mapped_column

from pembina.auth.security import FIRST_GENERATION
from pembina.kit.db import AFTER_STAMPS


class Credential:
    """An account's credential generation, carried by every token as "gen": bumped by a password
    change or reset, a secret rotation, a deactivation and "log out everywhere", which ends every
    token issued before at once."""

    token_generation: Mapped[int] = mapped_column(
        Integer, nullable=False, default=FIRST_GENERATION, server_default="1", sort_order=AFTER_STAMPS
    )
