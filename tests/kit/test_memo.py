"""kit.memo: answers remembered within a scope only, and nested scopes sharing the outer one's."""

from __future__ import annotations

from pembina.kit import memo


def test_remembered_in_a_scope_and_forgotten_after() -> None:
    calls: list[str] = []

    def compute(v: str) -> str:
        calls.append(v)
        return v.upper()

    assert memo.cached("k", lambda: compute("a")) == "A"
    assert memo.cached("k", lambda: compute("a")) == "A"
    assert calls == ["a", "a"]  # outside a scope: nothing kept
    with memo.scope():
        assert memo.cached("k", lambda: compute("b")) == "B"
        assert memo.cached("k", lambda: compute("c")) == "B"  # the key's first answer
        with memo.scope():
            assert memo.cached("k", lambda: compute("d")) == "B"  # shares the outer scope
        assert memo.cached("other", lambda: compute("e")) == "E"
    assert calls == ["a", "a", "b", "e"]
    with memo.scope():
        assert memo.cached("k", lambda: compute("f")) == "F"  # a new scope starts empty
