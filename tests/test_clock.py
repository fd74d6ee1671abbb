"""One clock (pembina.kit.clock): every "today" and "overdue" is judged in the offices' zone (WIB by
default), whatever the host's zone. The host here runs on UTC: at 23:30 WIB it is 16:30 UTC on the
same day, at 00:30 WIB the next day it is 17:30 UTC, still the day before; a follow-up due on
1 August turns overdue exactly at midnight WIB, not seven hours later."""

from __future__ import annotations

import os
import time
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from pydantic import ValidationError

from pembina.config import Settings, get_settings
from pembina.kit import clock

API = "/api/v1"
DUE = date(2025, 8, 1)
BEFORE_MIDNIGHT = datetime(2025, 8, 1, 16, 30, tzinfo=UTC)  # 23:30 WIB, 1 August
AFTER_MIDNIGHT = datetime(2025, 8, 1, 17, 30, tzinfo=UTC)  # 00:30 WIB, 2 August (still 1 August in UTC)


@pytest.fixture
def utc_host():
    """The process's own zone is UTC (as on a server): only the clock's zone may matter."""
    old = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = old
        time.tzset()


@pytest.fixture
def zone(monkeypatch):
    """Run with another PEMBINA_TIMEZONE."""

    def use(name: str) -> None:
        monkeypatch.setenv("PEMBINA_TIMEZONE", name)
        get_settings.cache_clear()

    yield use
    monkeypatch.delenv("PEMBINA_TIMEZONE", raising=False)
    get_settings.cache_clear()


def test_today_turns_at_midnight_wib(utc_host):
    with clock.frozen(BEFORE_MIDNIGHT):
        assert clock.today() == date(2025, 8, 1) and clock.now().strftime("%H:%M") == "23:30"
        assert clock.zone_label() == "WIB" and clock.utcnow() == BEFORE_MIDNIGHT
    with clock.frozen(AFTER_MIDNIGHT):
        assert clock.today() == date(2025, 8, 2) and clock.now().strftime("%H:%M %Z") == "00:30 WIB"
    assert clock.local(datetime(2025, 8, 1, 17, 30)).isoformat() == "2025-08-02T00:30:00+07:00"  # naive: UTC
    assert clock.start_of(date(2025, 8, 2)).astimezone(UTC) == datetime(2025, 8, 1, 17, 0, tzinfo=UTC)
    with pytest.raises(ValueError), clock.frozen(datetime(2025, 8, 1)):
        pass  # a naive instant names no moment


def test_the_zone_is_configurable(utc_host, zone):
    zone("Asia/Makassar")  # WITA, UTC+8: midnight is at 16:00 UTC
    with clock.frozen(datetime(2025, 8, 1, 16, 30, tzinfo=UTC)):
        assert clock.today() == date(2025, 8, 2) and clock.zone_label() == "WITA"
    zone("Asia/Jayapura")
    with clock.frozen(datetime(2025, 8, 1, 14, 30, tzinfo=UTC)):
        assert clock.today() == date(2025, 8, 1) and clock.zone_label() == "WIT"
    with pytest.raises(ValidationError):
        Settings(timezone="Mars/Olympus")
    assert Settings().timezone == "Asia/Jayapura" and Settings(timezone="UTC").timezone == "UTC"


def test_the_clock_source_is_settable_and_restored():
    fixed = datetime(2030, 1, 1, tzinfo=timezone(timedelta(hours=7)))
    clock.set_source(lambda: fixed)
    try:
        assert clock.today() == date(2030, 1, 1) and clock.utcnow() == datetime(2029, 12, 31, 17, 0, tzinfo=UTC)
    finally:
        clock.set_source(None)
    assert abs(clock.utcnow() - datetime.now(UTC)) < timedelta(minutes=1)


def _rakor_with_follow_up(client, serang):
    body = {"region_code": "36.73", "title": "Rakor TP Posyandu Kota Serang", "held_on": "2025-04-21", "participant_count": 83}
    m = client.post(f"{API}/meetings", json=body, headers=serang.headers)
    assert m.status_code == 201, m.text
    f = client.post(
        f"{API}/meetings/{m.json()['id']}/follow-ups",
        json={"action": "Kelurahan melaporkan SK", "due_on": DUE.isoformat()},
        headers=serang.headers,
    )
    assert f.status_code == 201, f.text
    return m.json(), f.json()


def test_a_follow_up_due_today_is_overdue_exactly_from_midnight_wib(client, serang, utc_host):
    with clock.frozen(BEFORE_MIDNIGHT):
        meeting, follow_up = _rakor_with_follow_up(client, serang)

    def state():
        one = client.get(f"{API}/meetings/{meeting['id']}", headers=serang.headers).json()
        listed = client.get(f"{API}/follow-ups", params={"overdue": "true"}, headers=serang.headers).json()["total"]
        summary = client.get(f"{API}/regions/36.73/summary", headers=serang.headers).json()["follow_ups"]["overdue"]
        return one["follow_up_items"][0]["overdue"], one["follow_ups"]["overdue"], listed, summary

    with clock.frozen(BEFORE_MIDNIGHT):  # 23:30 WIB on the due day: due today, not overdue
        assert follow_up["overdue"] is False
        assert state() == (False, 0, 0, 0)
    with clock.frozen(AFTER_MIDNIGHT):  # 00:30 WIB the next day (17:30 UTC on the due day): overdue
        assert state() == (True, 1, 1, 1)
        # done without a date: done today, in WIB
        url = f"{API}/meetings/{meeting['id']}/follow-ups/{follow_up['id']}"
        done = client.patch(url, json={"status": "done"}, headers={**serang.headers, "If-Match": '"1"'})
        assert done.status_code == 200 and done.json()["done_on"] == "2025-08-02"


def test_sk_dates_and_exports_follow_the_same_clock(client, pekalongan, utc_host):
    with clock.frozen(BEFORE_MIDNIGHT):
        # tomorrow (in WIB) is still the future at 23:30 WIB
        r = client.get(f"{API}/regions/33.75/compliance", params={"as_of": "2025-08-02"}, headers=pekalongan.headers)
        assert r.status_code == 422
        team = client.post(f"{API}/teams", json={"region_code": "33.75.02.1008"}, headers=pekalongan.headers).json()
        d = client.post(
            f"{API}/decrees",
            json={"region_code": "33.75.02.1008", "title": "SK TP Posyandu Kelurahan Klego", "team_id": team["id"]},
            headers=pekalongan.headers,
        ).json()
        issued = client.post(f"{API}/decrees/{d['id']}/transitions", json={"action": "issue"}, headers=pekalongan.headers).json()
        assert issued["effective_date"] == "2025-08-01"
    with clock.frozen(AFTER_MIDNIGHT):
        r = client.get(f"{API}/regions/33.75/compliance", params={"as_of": "2025-08-02"}, headers=pekalongan.headers)
        assert r.status_code == 200 and r.json()["total"]["issued"] == 1
        reported = client.post(f"{API}/decrees/{d['id']}/transitions", json={"action": "report"}, headers=pekalongan.headers).json()
        assert reported["effective_date"] == "2025-08-02"
        as_of_first = client.get(f"{API}/regions/33.75/compliance", params={"as_of": "2025-08-01"}, headers=pekalongan.headers).json()
        assert (as_of_first["total"]["issued"], as_of_first["total"]["reported"]) == (1, 0)
        # an export is named for the day in WIB, and its times say their zone
        r = client.get(f"{API}/exports/teams", params={"format": "csv"}, headers=pekalongan.headers)
        assert r.status_code == 200 and r.headers["content-disposition"].endswith('teams-33.75-2025-08-02.csv"')
        header = r.content.decode("utf-8-sig").splitlines()[0].split(",")
        assert "Dibuat (WIB)" in header
        created = r.content.decode("utf-8-sig").splitlines()[1].split(",")[header.index("Dibuat (WIB)")]
        assert created == "2025-08-01 23:30:00"  # the team was recorded at 23:30 WIB
