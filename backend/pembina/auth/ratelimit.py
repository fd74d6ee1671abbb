"""Login throttling with the `limits` library: failed attempts are counted per username
and per client address; once either is over the limit, logins are refused with 429."""

from __future__ import annotations

from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from pembina.errors import RateLimited


class LoginThrottle:
    def __init__(self, rate: str, storage_uri: str = "memory://"):
        self.item = parse(rate)
        self.limiter = MovingWindowRateLimiter(storage_from_string(storage_uri))

    def _keys(self, account: str, address: str) -> list[tuple[str, str]]:
        return [("login-account", account.lower()), ("login-address", address)]

    def check(self, account: str, address: str) -> None:
        for key in self._keys(account, address):
            if not self.limiter.test(self.item, *key):
                stats = self.limiter.get_window_stats(self.item, *key)
                import time

                retry = max(1, int(stats.reset_time - time.time()))
                raise RateLimited(
                    f"Too many failed login attempts; try again in {retry} s.",
                    headers={"Retry-After": str(retry)},
                )

    def failed(self, account: str, address: str) -> None:
        for key in self._keys(account, address):
            self.limiter.hit(self.item, *key)

    def reset(self) -> None:
        self.limiter.storage.reset()
