"""Answers remembered for the length of one piece of work (a list page being converted), then
forgotten: `with memo.scope(): ...` around the work, `memo.cached(key, compute)` inside it.

For what many rows of one page ask alike and whose answer depends only on the key while the page
is built (the caller, the settings and the clock do not change meanwhile): e.g. the actions a
caller may take on a posyandu depend on its region and registration status, shared by most rows
of a page. Outside a scope nothing is remembered."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

T = TypeVar("T")

_answers: ContextVar[dict[Hashable, Any] | None] = ContextVar("pembina_memo", default=None)


@contextmanager
def scope() -> Iterator[None]:
    """Remember answers until the block ends (nested scopes share the outer one's)."""
    if _answers.get() is not None:
        yield
        return
    token = _answers.set({})
    try:
        yield
    finally:
        _answers.reset(token)


def cached(key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()`, or what it gave for `key` earlier in the current scope (store immutable values)."""
    answers = _answers.get()
    if answers is None:
        return compute()
    try:
        return answers[key]  # type: ignore[no-any-return]
    except KeyError:
        answers[key] = value = compute()
        return value
