"""Login throttling with the `limits` library.

Every attempt takes a slot BEFORE its password is checked, with one atomic test-and-hit
(`MovingWindowRateLimiter.hit`), so concurrent attempts cannot all pass a "test" that none
has yet recorded: N parallel guesses check at most the threshold of passwords. There are two
budgets with their own thresholds: per client address (every account tried from it) and per
account. A successful login clears its account's count (the owner is not locked out by their
own earlier typos); the address count stays, so one valid account cannot reset a sweep.
"""

from __future__ import annotations

import time

from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from pembina.kit.errors import RateLimited


class LoginThrottle:
    def __init__(self, rate: str, storage_uri: str = "memory://", *, address_rate: str | None = None):
        self.account_item = parse(rate)
        self.address_item = parse(address_rate or rate)
        self.limiter = MovingWindowRateLimiter(storage_from_string(storage_uri))

    def _refuse(self, item, *key: str) -> RateLimited:  # type: ignore[no-untyped-def]
        stats = self.limiter.get_window_stats(item, *key)
        retry = max(1, int(stats.reset_time - time.time()) + 1)
        return RateLimited(
            f"Too many login attempts; try again in {retry} s.",
            f"Terlalu banyak percobaan masuk; coba lagi dalam {retry} detik.",
            headers={"Retry-After": str(retry)},
        )

    def attempt(self, account: str, address: str) -> None:
        """Take one slot from the address's and the account's budget, or raise 429."""
        address_key = ("login-address", address)
        if not self.limiter.hit(self.address_item, *address_key):
            raise self._refuse(self.address_item, *address_key)
        account_key = ("login-account", account.lower())
        if not self.limiter.hit(self.account_item, *account_key):
            raise self._refuse(self.account_item, *account_key)

    def succeeded(self, account: str) -> None:
        self.limiter.clear(self.account_item, "login-account", account.lower())

    def reset(self) -> None:
        self.limiter.storage.reset()
