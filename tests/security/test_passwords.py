"""Passwords follow NIST SP 800-63B: at least 12 characters, not the username, not a common
password, no composition rules. Password changes are throttled like logins, and a manager
resets passwords only of accounts strictly below their own rank."""

from __future__ import annotations

import pytest

from pembina.kit.roles import Role

WEAK = ["aaaaaaaaaa", "1234567890", "password12", "aaaaaaaaaaaa", "qwerty123456", "password1234", "1q2w3e4r5t6y"]


def _change(client, acc, new, current=None):
    return client.post(
        "/api/v1/auth/me/password", json={"current_password": current or acc.password, "new_password": new}, headers=acc.headers
    )


@pytest.mark.parametrize("weak", WEAK)
def test_weak_passwords_are_refused_with_a_reason(client, accounts, weak):
    acc = accounts.user(Role.village_operator, "33.75.02.1008")
    r = _change(client, acc, weak)
    assert r.status_code == 422, r.text
    detail = r.json()["detail"].lower()
    assert "12 characters" in detail or "common" in detail or "repeat" in detail, detail
    assert (
        client.post("/api/v1/auth/token", data={"grant_type": "password", "username": acc.username, "password": acc.password}).status_code
        == 200
    )


def test_the_username_is_refused(client, accounts):
    acc = accounts.user(Role.village_operator, "33.75.02.1008", username="siti.rahayu.klego")
    for pw in ("siti.rahayu.klego", "SITI.RAHAYU.KLEGO", "siti.rahayu.klego-2026"):
        r = _change(client, acc, pw)
        assert r.status_code == 422, pw
        assert "username" in r.json()["detail"].lower()


def test_a_long_passphrase_without_digits_or_symbols_is_accepted(client, accounts):
    acc = accounts.user(Role.village_operator, "33.75.02.1008")
    assert _change(client, acc, "kopi tubruk di pagi hari").status_code == 204


def test_managers_cannot_set_weak_passwords_either(client, pekalongan, accounts):
    r = client.post(
        "/api/v1/users",
        json={
            "username": "op-lemah",
            "full_name": "Op",
            "role": "village_operator",
            "region_code": "33.75.02.1008",
            "password": "password1234",
        },
        headers=pekalongan.headers,
    )
    assert r.status_code == 422 and "common" in r.json()["detail"].lower()
    op = accounts.user(Role.village_operator, "33.75.02.1008", username="op-target")
    r = client.patch(f"/api/v1/users/{op.id}", json={"password": "op-target"}, headers={**pekalongan.headers, "If-Match": "*"})
    assert r.status_code == 422
    r = client.patch(f"/api/v1/users/{op.id}", json={"password": "qwertyuiop12"}, headers={**pekalongan.headers, "If-Match": "*"})
    assert r.status_code == 422


def test_password_changes_are_throttled_like_logins(client, accounts):
    acc = accounts.user(Role.village_operator, "33.75.02.1008")
    codes = [_change(client, acc, "kopi tubruk di pagi hari", current="tebakan-salah-123").status_code for _ in range(8)]
    assert codes[:5] == [422] * 5 and set(codes[5:]) == {429}, codes
    r = _change(client, acc, "kopi tubruk di pagi hari")
    assert r.status_code == 429 and int(r.headers["Retry-After"]) >= 1


def test_equal_rank_managers_cannot_reset_each_other(client, pekalongan, accounts):
    peer = accounts.user(Role.regency_coordinator, "33.75", username="koordinator-kedua")
    for body in ({"password": "kopi tubruk di pagi hari"}, {"is_active": False}, {"full_name": "Diambil alih"}):
        r = client.patch(f"/api/v1/users/{peer.id}", json=body, headers={**pekalongan.headers, "If-Match": "*"})
        assert r.status_code == 403, (body, r.text)
    assert client.delete(f"/api/v1/users/{peer.id}", headers=pekalongan.headers).status_code == 403
    assert (
        client.post("/api/v1/auth/token", data={"grant_type": "password", "username": peer.username, "password": peer.password}).status_code
        == 200
    )
    below = accounts.user(Role.district_operator, "33.75.02", username="camat-bawah")
    r = client.patch(
        f"/api/v1/users/{below.id}", json={"password": "kopi tubruk di pagi hari"}, headers={**pekalongan.headers, "If-Match": "*"}
    )
    assert r.status_code == 200, r.text


def test_national_admins_cannot_take_each_other_over(client, admin, accounts):
    other = accounts.user(Role.national_admin, None, username="admin-kedua")
    r = client.patch(f"/api/v1/users/{other.id}", json={"password": "kopi tubruk di pagi hari"}, headers={**admin.headers, "If-Match": "*"})
    assert r.status_code == 403
