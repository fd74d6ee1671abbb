"""Webhooks for integrators: a real receiver on 127.0.0.1 verifies each delivery's Standard
Webhooks signature, sees retries after 500s (a controllable clock: `tick(..., now)`), a
subscription disabled after repeated failure, region scope, private URLs refused, the secret
shown once. On SQLite and PostgreSQL."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session
from standardwebhooks import Webhook

from pembina.api_clients.models import ApiClient
from pembina.audit.models import AuditEvent
from pembina.config import get_settings
from pembina.kit.roles import ClientScope
from pembina.notifications import worker as notifications
from pembina.notifications.models import Notification
from pembina.users.models import User
from pembina.webhooks.models import WebhookDelivery, WebhookSubscription
from pembina.webhooks.worker import tick

pytestmark = pytest.mark.db

API = "/api/v1"
KLEGO = "33.75.02.1008"  # Kota Pekalongan
SERANG_VILLAGE = "36.73.03.1014"  # Kota Serang
T0 = datetime(2030, 1, 6, 2, 0, tzinfo=UTC)


class Receiver:
    """A webhook receiver: an HTTP server on 127.0.0.1 in a thread, answering the statuses it is told."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.statuses: list[int] = []  # answered in order; then `default`
        self.default = 200
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("content-length", "0")))
                receiver.received.append({"path": self.path, "headers": dict(self.headers.items()), "body": body})
                status = receiver.statuses.pop(0) if receiver.statuses else receiver.default
                self.send_response(status)
                self.send_header("content-type", "text/plain")
                self.end_headers()
                self.wfile.write(f"answer {status}".encode())

            def log_message(self, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def at(self, path: str) -> list[dict[str, Any]]:
        return [r for r in self.received if r["path"] == path]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    try:
        yield r
    finally:
        r.server.shutdown()
        r.server.server_close()


@pytest.fixture
def loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(get_settings(), "webhook_allow_private_urls", True)


@pytest.fixture
def factory(connection: Connection) -> Any:
    return lambda: Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)


def _subscribe(client: Any, who: Any, client_pk: int, url: str, events: list[str]) -> dict[str, Any]:
    r = client.post(f"{API}/api-clients/{client_pk}/webhooks", json={"url": url, "event_types": events}, headers=who.headers)
    assert r.status_code == 201, r.text
    return r.json()


def _decree(client: Any, who: Any, region: str = KLEGO) -> dict[str, Any]:
    r = client.post(f"{API}/decrees", json={"region_code": region, "title": f"SK TP Posyandu {region}"}, headers=who.headers)
    assert r.status_code == 201, r.text
    return r.json()


def _act(client: Any, who: Any, decree_id: int, action: str) -> None:
    r = client.post(f"{API}/decrees/{decree_id}/transitions", json={"action": action}, headers=who.headers)
    assert r.status_code == 201, r.text


def _verify(secret: str, request: dict[str, Any]) -> Any:
    return Webhook(secret).verify(request["body"], request["headers"])


def _run_until_quiet(factory: Any, db: Session, start: datetime, limit: int = 40) -> datetime:
    """Tick at each next scheduled attempt until nothing is pending; the last tick's time."""
    now = start
    for _ in range(limit):
        tick(factory, now)
        db.expire_all()
        due = db.scalar(
            select(WebhookDelivery.next_attempt_at).where(WebhookDelivery.status == "pending").order_by(WebhookDelivery.next_attempt_at)
        )
        if due is None:
            return now
        now = due
    raise AssertionError("deliveries still pending")


def test_signed_delivery_in_scope_only_and_once(client, admin, accounts, pekalongan, receiver, loopback, factory, db) -> None:
    pekalongan_app = accounts.client("33.75", ClientScope.read)
    serang_app = accounts.client("36.73", ClientScope.read)
    sub = _subscribe(client, admin, pekalongan_app.id, receiver.url("/pekalongan"), ["decree.reported", "meeting.created"])
    _subscribe(client, admin, serang_app.id, receiver.url("/serang"), ["decree.reported"])
    assert sub["secret"].startswith("whsec_") and sub["event_types"] == ["decree.reported", "meeting.created"]

    decree = _decree(client, pekalongan)
    _act(client, pekalongan, decree["id"], "issue")
    _act(client, pekalongan, decree["id"], "report")
    serang_decree = _decree(client, admin, SERANG_VILLAGE)
    _act(client, admin, serang_decree["id"], "issue")

    assert tick(factory, T0) == 2  # one delivery created, one attempt
    [got] = receiver.at("/pekalongan")
    payload = _verify(sub["secret"], got)
    assert payload["type"] == "decree.reported" and payload["schema"] == "DecreeRead"
    assert payload["data"]["id"] == decree["id"] and payload["data"]["status"] == "reported"
    assert "allowed_actions" not in payload["data"]
    assert got["headers"]["webhook-id"].startswith("msg_")
    with pytest.raises(Exception):
        Webhook("whsec_" + "A" * 32).verify(got["body"], got["headers"])  # another secret does not verify
    assert receiver.at("/serang") == []  # Serang's client never hears of Pekalongan's decree

    # a restart (a new tick) delivers nothing again
    assert tick(factory, T0 + timedelta(minutes=1)) == 0
    assert len(receiver.received) == 1

    # Serang's own decree reaches only Serang
    _act(client, admin, serang_decree["id"], "report")
    tick(factory, T0 + timedelta(minutes=2))
    assert len(receiver.at("/serang")) == 1 and len(receiver.at("/pekalongan")) == 1

    log = client.get(f"{API}/webhooks/{sub['id']}/deliveries", headers=admin.headers).json()
    assert log["total"] == 1
    [d] = log["items"]
    assert d["status"] == "succeeded" and d["attempts"] == 1 and d["last_status_code"] == 200
    assert d["last_response"] == "answer 200" and d["last_latency_ms"] >= 0
    detail = client.get(f"{API}/webhooks/{sub['id']}/deliveries/{d['id']}", headers=admin.headers).json()
    assert detail["payload"]["data"]["id"] == decree["id"] and len(detail["attempt_log"]) == 1


def test_retries_after_500s_then_success(client, admin, accounts, pekalongan, receiver, loopback, factory, db) -> None:
    app = accounts.client("33.75", ClientScope.read)
    sub = _subscribe(client, admin, app.id, receiver.url(), ["decree.created"])
    receiver.statuses = [500, 500, 503]
    _decree(client, pekalongan)
    _run_until_quiet(factory, db, T0)
    assert len(receiver.received) == 4
    ids = {r["headers"]["webhook-id"] for r in receiver.received}
    assert len(ids) == 1  # the same message on every retry
    for r in receiver.received:
        assert _verify(sub["secret"], r)["type"] == "decree.created"
    [d] = client.get(f"{API}/webhooks/{sub['id']}/deliveries", headers=admin.headers).json()["items"]
    assert d["status"] == "succeeded" and d["attempts"] == 4
    attempts = client.get(f"{API}/webhooks/{sub['id']}/deliveries/{d['id']}", headers=admin.headers).json()["attempt_log"]
    assert [a["status_code"] for a in attempts] == [500, 500, 503, 200]
    times = [datetime.fromisoformat(a["attempted_at"]) for a in attempts]
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert gaps == [timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=6)]  # exponential backoff


def test_disabled_after_repeated_failure_and_redelivery(
    client, admin, accounts, pekalongan, receiver, loopback, factory, db, monkeypatch
) -> None:
    monkeypatch.setattr(get_settings(), "webhook_disable_after", 2)
    app = accounts.client("33.75", ClientScope.read_write)
    db.get(ApiClient, app.id).created_by_user_id = pekalongan.id  # type: ignore[union-attr]  # its owner
    db.get(User, pekalongan.id).email = "kota@pekalongan.example"  # type: ignore[union-attr]
    db.commit()
    sub = _subscribe(client, admin, app.id, receiver.url(), ["decree.created"])
    receiver.default = 500
    _decree(client, pekalongan)
    _decree(client, pekalongan)
    last = _run_until_quiet(factory, db, T0)
    assert last == T0 + timedelta(hours=24)  # retried over 24 h
    per_message: dict[str, int] = {}
    for r in receiver.received:
        per_message[r["headers"]["webhook-id"]] = per_message.get(r["headers"]["webhook-id"], 0) + 1
    assert list(per_message.values()) == [9, 9]  # 0, 1, 3, 9, 27, 81, 243, 729 min, then 24 h

    got = client.get(f"{API}/webhooks/{sub['id']}", headers=admin.headers).json()
    assert got["is_active"] is False and got["disabled_at"] and "2 deliveries" in got["disabled_reason"]
    note = db.scalar(select(AuditEvent).where(AuditEvent.action == "webhook_disabled", AuditEvent.entity_id == str(sub["id"])))
    assert note is not None and note.after["api_client_id"] == app.id

    # the owner is told in the bell (and by e-mail: their preferences' default), once; the admin is not
    notifications.tick(factory)
    notifications.tick(factory)
    db.expire_all()
    told = db.scalars(select(Notification).where(Notification.rule == "webhook_disabled")).all()
    assert [(n.user_id, n.record_kind, n.record_id, n.email_status) for n in told] == [(pekalongan.id, "api_client", app.id, "pending")]
    [bell] = [i for i in client.get(f"{API}/notifications", headers=pekalongan.headers).json()["items"] if i["rule"] == "webhook_disabled"]
    assert bell["link"] == "/api-clients" and receiver.url() in bell["title"] and "2 deliveries" in bell["body"]
    log = client.get(f"{API}/webhooks/{sub['id']}/deliveries", params={"status": "failed"}, headers=admin.headers).json()
    assert log["total"] == 2 and all(d["attempts"] == 9 for d in log["items"])

    # a redelivery waits until the subscription is enabled again
    first = log["items"][0]
    assert client.post(f"{API}/webhooks/{sub['id']}/deliveries/{first['id']}/redeliver", headers=admin.headers).status_code == 409
    r = client.patch(f"{API}/webhooks/{sub['id']}", json={"is_active": True}, headers={**admin.headers, "If-Match": f'"{got["version"]}"'})
    assert r.status_code == 200 and r.json()["disabled_at"] is None
    # enabled again: the owner's "disabled" notice is resolved at once (gone from the bell, read, its e-mail not sent)
    bell = client.get(f"{API}/notifications", headers=pekalongan.headers).json()
    assert not [i for i in bell["items"] if i["rule"] == "webhook_disabled"]
    db.expire_all()
    [resolved] = db.scalars(select(Notification).where(Notification.rule == "webhook_disabled")).all()
    assert resolved.cancelled_at is not None and resolved.read_at is not None and resolved.email_status == "cancelled"
    notifications.tick(factory)  # and the next round makes nothing again
    db.expire_all()
    assert len(db.scalars(select(Notification).where(Notification.rule == "webhook_disabled")).all()) == 1
    receiver.default = 200
    # the client itself may redeliver its own
    r = client.post(f"{API}/webhooks/{sub['id']}/deliveries/{first['id']}/redeliver", headers=app.headers)
    assert r.status_code == 200 and r.json()["status"] == "pending"
    before = len(receiver.received)
    tick(factory, T0 + timedelta(days=2))
    assert len(receiver.received) == before + 1
    assert _verify(sub["secret"], receiver.received[-1])["type"] == "decree.created"
    d = client.get(f"{API}/webhooks/{sub['id']}/deliveries/{first['id']}", headers=admin.headers).json()
    assert d["status"] == "succeeded" and d["attempts"] == 10


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:9/hook", "http://10.1.2.3/hook", "http://169.254.169.254/latest", "http://[::1]/x", "http://localhost/x"]
)
def test_private_urls_refused_without_the_setting(client, admin, accounts, url) -> None:
    app = accounts.client("33.75", ClientScope.read)
    r = client.post(f"{API}/api-clients/{app.id}/webhooks", json={"url": url, "event_types": ["decree.reported"]}, headers=admin.headers)
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["loc"] == ["body", "url"]
    assert "public" in r.json()["errors"][0]["msg"]


def test_private_address_checked_again_at_delivery(client, admin, accounts, pekalongan, receiver, factory, db, monkeypatch) -> None:
    monkeypatch.setattr(get_settings(), "webhook_allow_private_urls", True)
    app = accounts.client("33.75", ClientScope.read)
    sub = _subscribe(client, admin, app.id, receiver.url(), ["decree.created"])
    monkeypatch.setattr(get_settings(), "webhook_allow_private_urls", False)  # as if the name now resolved privately
    _decree(client, pekalongan)
    tick(factory, T0)
    assert receiver.received == []
    [d] = client.get(f"{API}/webhooks/{sub['id']}/deliveries", headers=admin.headers).json()["items"]
    assert d["status"] == "pending" and d["attempts"] == 1 and d["last_status_code"] is None and "private" in d["last_error"]


def test_secret_shown_once_and_rotated(client, admin, accounts, receiver, loopback) -> None:
    app = accounts.client("33.75", ClientScope.read)
    sub = _subscribe(client, admin, app.id, receiver.url(), ["posyandu.registered"])
    assert "secret" not in client.get(f"{API}/webhooks/{sub['id']}", headers=admin.headers).json()
    listed = client.get(f"{API}/api-clients/{app.id}/webhooks", headers=admin.headers).json()
    assert listed["total"] == 1 and "secret" not in listed["items"][0]
    rotated = client.post(f"{API}/webhooks/{sub['id']}/rotate-secret", headers=admin.headers).json()
    assert rotated["secret"].startswith("whsec_") and rotated["secret"] != sub["secret"]
    # the audit trail never holds it
    events = client.get(f"{API}/audit-events", params={"entity_type": "webhook_subscriptions"}, headers=admin.headers).json()["items"]
    assert events and all(sub["secret"] not in str(e) and rotated["secret"] not in str(e) for e in events)


def test_a_client_sees_only_its_own_subscriptions(client, admin, accounts, receiver, loopback) -> None:
    mine = accounts.client("33.75", ClientScope.read)
    other = accounts.client("33.75", ClientScope.read)
    sub = _subscribe(client, admin, other.id, receiver.url(), ["decree.reported"])
    assert client.get(f"{API}/webhooks/{sub['id']}", headers=mine.headers).status_code == 404
    assert client.get(f"{API}/api-clients/{other.id}/webhooks", headers=mine.headers).status_code == 404
    own = _subscribe(client, mine, mine.id, receiver.url("/mine"), ["decree.verified"])
    assert client.get(f"{API}/api-clients/{mine.id}/webhooks", headers=mine.headers).json()["total"] == 1
    assert "delete" in own["allowed_actions"]
    serang = accounts.user(__import__("pembina.kit.roles", fromlist=["Role"]).Role.regency_coordinator, "36.73")
    assert client.get(f"{API}/webhooks/{sub['id']}", headers=serang.headers).status_code == 404


def test_follow_up_overdue_once(client, admin, accounts, pekalongan, receiver, loopback, factory, db) -> None:
    app = accounts.client("33.75", ClientScope.read)
    sub = _subscribe(client, admin, app.id, receiver.url(), ["follow_up.overdue"])
    m = client.post(f"{API}/meetings", json={"title": "Rakor", "held_on": "2030-01-02", "region_code": "33.75"}, headers=pekalongan.headers)
    assert m.status_code == 201, m.text
    f = client.post(
        f"{API}/meetings/{m.json()['id']}/follow-ups", json={"action": "Lapor SK", "due_on": "2030-01-07"}, headers=pekalongan.headers
    )
    assert f.status_code == 201, f.text
    tick(factory, T0)  # 6 Jan: not yet due
    assert receiver.received == []
    tick(factory, datetime(2030, 1, 8, 1, 0, tzinfo=UTC))  # 8 Jan WIB: overdue
    tick(factory, datetime(2030, 1, 9, 1, 0, tzinfo=UTC))
    [got] = receiver.received
    payload = _verify(sub["secret"], got)
    assert payload["type"] == "follow_up.overdue" and payload["data"]["id"] == f.json()["id"]
    assert db.scalar(select(WebhookSubscription.id).where(WebhookSubscription.id == sub["id"])) is not None


def test_a_disabled_subscription_enabled_again_before_the_round_tells_no_one(
    client, admin, accounts, pekalongan, receiver, loopback, factory, db, monkeypatch
) -> None:
    monkeypatch.setattr(get_settings(), "webhook_disable_after", 1)
    app = accounts.client("33.75", ClientScope.read)
    db.get(ApiClient, app.id).created_by_user_id = pekalongan.id  # type: ignore[union-attr]
    db.commit()
    sub = _subscribe(client, admin, app.id, receiver.url(), ["decree.created"])
    receiver.default = 500
    _decree(client, pekalongan)
    _run_until_quiet(factory, db, T0)
    got = client.get(f"{API}/webhooks/{sub['id']}", headers=admin.headers).json()
    assert got["is_active"] is False
    r = client.patch(f"{API}/webhooks/{sub['id']}", json={"is_active": True}, headers={**admin.headers, "If-Match": f'"{got["version"]}"'})
    assert r.status_code == 200
    notifications.tick(factory)  # the reminders' round comes after the owner fixed it
    db.expire_all()
    assert db.scalars(select(Notification).where(Notification.rule == "webhook_disabled")).all() == []


def test_activity_report_submitted_once(client, admin, accounts, pekalongan, serang, receiver, loopback, factory, db) -> None:
    """An activity report's status change is its event (it has no step records): a subscribed
    receiver gets `activity_report.submitted` once, as the API returns the report; edits are
    `activity_report.updated`; a client of another region hears nothing."""
    from pembina.kit.roles import Role

    pekalongan_app = accounts.client("33.75", ClientScope.read)
    serang_app = accounts.client("36.73", ClientScope.read)
    events = ["activity_report.submitted", "activity_report.accepted", "activity_report.returned"]
    sub = _subscribe(client, admin, pekalongan_app.id, receiver.url("/pekalongan"), events)
    _subscribe(client, admin, serang_app.id, receiver.url("/serang"), events)
    edits = _subscribe(client, admin, pekalongan_app.id, receiver.url("/edits"), ["activity_report.created", "activity_report.updated"])
    village = accounts.user(Role.village_operator, KLEGO)
    p = client.post(f"{API}/posyandu", json={"region_code": KLEGO, "name": "Posyandu Seruni"}, headers=pekalongan.headers)
    assert p.status_code == 201, p.text
    r = client.post(f"{API}/activity-reports", json={"posyandu_id": p.json()["id"], "period": "2026-11"}, headers=village.headers)
    assert r.status_code == 201, r.text
    report = r.json()
    r = client.patch(
        f"{API}/activity-reports/{report['id']}", json={"days_open": 3}, headers={**village.headers, "If-Match": f'"{report["version"]}"'}
    )
    assert r.status_code == 200, r.text
    r = client.post(f"{API}/activity-reports/{report['id']}/transitions", json={"action": "submit"}, headers=village.headers)
    assert r.status_code == 200, r.text

    tick(factory, T0)
    tick(factory, T0 + timedelta(minutes=1))  # a restart delivers nothing again
    [got] = receiver.at("/pekalongan")
    payload = _verify(sub["secret"], got)
    assert payload["type"] == "activity_report.submitted" and payload["schema"] == "ReportRead"
    assert payload["data"]["id"] == report["id"] and payload["data"]["status"] == "submitted" and payload["data"]["days_open"] == 3
    assert payload["entity_type"] == "activity_reports" and payload["region_code"] == KLEGO
    assert receiver.at("/serang") == []
    assert [_verify(edits["secret"], e)["type"] for e in receiver.at("/edits")] == ["activity_report.created", "activity_report.updated"]

    # returned, then submitted again: each its own event
    district = accounts.user(Role.district_operator, "33.75.02")
    r = client.post(
        f"{API}/activity-reports/{report['id']}/transitions",
        json={"action": "return", "reason": "Angka balita keliru"},
        headers=district.headers,
    )
    assert r.status_code == 200, r.text
    r = client.post(f"{API}/activity-reports/{report['id']}/transitions", json={"action": "submit"}, headers=village.headers)
    assert r.status_code == 200, r.text
    tick(factory, T0 + timedelta(minutes=2))
    types = [_verify(sub["secret"], e)["type"] for e in receiver.at("/pekalongan")]
    assert types == ["activity_report.submitted", "activity_report.returned", "activity_report.submitted"]
    listed = {e["type"] for e in client.get(f"{API}/webhook-events", headers=admin.headers).json()}
    assert {"activity_report.created", "activity_report.submitted", "activity_report.deleted"} <= listed


def test_an_imported_activity_report_is_submitted_not_created() -> None:
    """The spreadsheet import writes reports already submitted, one audit create each: that is the
    `activity_report.submitted` step; a draft made in the dashboard is `activity_report.created`."""
    from pembina.webhooks.events import from_change

    imported = from_change("activity_reports", "create", "7", None, {"id": 7, "status": "submitted"})
    drafted = from_change("activity_reports", "create", "8", None, {"id": 8, "status": "draft"})
    assert imported is not None and imported.type.value == "activity_report.submitted"
    assert drafted is not None and drafted.type.value == "activity_report.created"
    decree = from_change("decrees", "create", "9", None, {"id": 9, "status": "issued"})
    assert decree is not None and decree.type.value == "decree.created"  # decrees' steps have records of their own
