"""Reminders (issue 20): each rule fires once at its time (the kit clock, frozen), not again on
another round or after a worker restart, and is cancelled when its problem is solved; e-mail
arrives at a real SMTP server (aiosmtpd on 127.0.0.1); preferences and region scope are kept."""

from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from pembina.api_clients.models import ApiClient
from pembina.audit.models import AuditEvent
from pembina.config import get_settings
from pembina.decrees.models import Decree, ReportingDeadline
from pembina.kit import clock
from pembina.kit.roles import Role
from pembina.meetings.models import FollowUp, Meeting
from pembina.notifications import generate, mailer, render, worker
from pembina.notifications.models import Notification
from pembina.posyandu.models import Posyandu, RegistrationEvent
from pembina.regions.models import Region
from pembina.users.models import User
from tests.conftest import Accounts, report_sk

pytestmark = pytest.mark.db

VILLAGE = "33.75.02.1008"  # Klego, a kelurahan of Pekalongan Timur
OTHER_VILLAGE = "33.75.02.1002"  # Noyontaansari
DISTRICT_VILLAGES = 7  # Pekalongan Timur's
DISTRICT = "33.75.02"
ORIGIN = {"Origin": "http://testserver"}


def at(day: str, hour: int = 9) -> datetime:
    """An instant of an office day (WIB)."""
    d = date.fromisoformat(day)
    return datetime(d.year, d.month, d.day, hour, tzinfo=clock.zone())


@pytest.fixture
def factory(connection: Connection) -> Callable[[], Session]:
    """What a worker opens its sessions with (here: inside the test's transaction)."""
    return lambda: Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)


def run(factory: Callable[[], Session], when: datetime) -> int:
    """A worker round at `when` (a fresh factory call each time: nothing kept between rounds)."""
    with clock.frozen(when):
        return worker.tick(factory, clock.utcnow())


def mine(db: Session, user_id: int, rule: str | None = None, subject: str | None = None) -> list[Notification]:
    db.expire_all()
    stmt = select(Notification).where(Notification.user_id == user_id)
    if rule:
        stmt = stmt.where(Notification.rule == rule)
    if subject:
        stmt = stmt.where(Notification.subject == subject)
    return list(db.scalars(stmt.order_by(Notification.id)))


def with_email(db: Session, account_id: int, address: str) -> None:
    db.get(User, account_id).email = address  # type: ignore[union-attr]
    db.commit()


@pytest.fixture
def deadline(db: Session) -> ReportingDeadline:
    d = ReportingDeadline(region_code="33.75", year=2026, due_date=date(2026, 6, 30))
    db.add(d)
    db.commit()
    return d


def test_sk_deadline_fires_once_at_each_time_and_is_cancelled_when_reported(
    db: Session, accounts: Accounts, factory: Any, client: Any, deadline: Any
) -> None:
    operator = accounts.user(Role.village_operator, VILLAGE)
    district = accounts.user(Role.district_operator, DISTRICT)
    viewer = accounts.user(Role.viewer, DISTRICT)  # a viewer above acts on nothing there
    city = accounts.user(Role.regency_coordinator, "33.75")  # two levels up from a village: its digest, not each village
    other = accounts.user(Role.village_operator, OTHER_VILLAGE)
    report_sk(db, OTHER_VILLAGE)  # reported: nothing to chase

    run(factory, at("2026-06-15"))  # 15 days before
    assert mine(db, operator.id) == []
    run(factory, at("2026-06-16"))  # 14 days before
    # each village of the district but the reported one, and the district's own SK
    assert len(mine(db, district.id)) == DISTRICT_VILLAGES - 1 + 1
    for who in (operator, district):
        got = mine(db, who.id, subject=f"sk:{VILLAGE}:2026")
        assert [(n.rule, n.subject, n.occurrence) for n in got] == [("sk_deadline_early", f"sk:{VILLAGE}:2026", "early:2026-06-30")]
    assert mine(db, other.id) == []
    assert [n.subject for n in mine(db, viewer.id)] == [f"sk:{DISTRICT}:2026"]  # its own region's, not the villages below
    assert not [n for n in mine(db, city.id) if n.rule.startswith("sk_") and n.region_code == VILLAGE]

    # another round, and a restarted worker (a new process: nothing but the database), the same day and the next
    run(factory, at("2026-06-16", 15))
    run(factory, at("2026-06-17"))
    assert len(mine(db, operator.id)) == 1

    # 3 working days before Tuesday 30 June 2026: Thursday 25 June (not Wednesday 24)
    run(factory, at("2026-06-24"))
    assert len(mine(db, operator.id)) == 1
    run(factory, at("2026-06-25"))
    assert [n.rule for n in mine(db, operator.id)] == ["sk_deadline_early", "sk_deadline_soon"]

    # passed: on the first day after, then once a week while late
    run(factory, at("2026-06-30"))
    assert len(mine(db, operator.id)) == 2
    run(factory, at("2026-07-01"))
    run(factory, at("2026-07-07"))
    assert [n.occurrence for n in mine(db, operator.id, "sk_deadline_passed")] == ["late:2026-06-30:0"]
    run(factory, at("2026-07-08"))
    assert [n.occurrence for n in mine(db, operator.id, "sk_deadline_passed")] == ["late:2026-06-30:0", "late:2026-06-30:1"]

    # the village's account reads them over HTTP, each linking to the board
    page = client.get("/api/v1/notifications", headers=operator.headers).json()
    assert page["total"] == 4 and page["unread"] == 4
    first = page["items"][0]
    assert first["rule"] == "sk_deadline_passed" and "not reported" in first["title"] and first["link"] == f"/compliance/{DISTRICT}"
    assert first["whatsapp_url"].startswith("https://wa.me/?text=SK%20TP%20Posyandu")

    # reported: what is pending is cancelled, and no further week fires
    report_sk(db, VILLAGE)
    run(factory, at("2026-07-15"))
    assert all(n.cancelled_at is not None for n in mine(db, operator.id))
    assert len(mine(db, operator.id)) == 4
    assert client.get("/api/v1/notifications", headers=operator.headers).json()["unread"] == 0


def test_every_level_s_own_sk_is_chased(db: Session, accounts: Accounts, factory: Any) -> None:
    """A province's deadline chases every team under it: the province's own SK (to its accounts
    and the national ones), each regency's/city's, each district's and each village's (to their
    accounts and the coordinators one level above), and only those."""
    db.add(ReportingDeadline(region_code="33", year=2026, due_date=date(2026, 6, 30)))
    db.commit()
    national = accounts.user(Role.national_admin, None)
    province = accounts.user(Role.province_coordinator, "33")
    city = accounts.user(Role.regency_coordinator, "33.75")
    district = accounts.user(Role.district_operator, DISTRICT)
    regencies = set(db.scalars(select(Region.code).where(Region.parent_code == "33")))
    districts = set(db.scalars(select(Region.code).where(Region.parent_code == "33.75")))
    villages = set(db.scalars(select(Region.code).where(Region.parent_code == DISTRICT)))
    assert len(regencies) > 30 and DISTRICT in districts and len(villages) == DISTRICT_VILLAGES

    def chased(who: Any) -> set[str]:
        return {n.region_code for n in mine(db, who.id) if n.rule.startswith("sk_") and n.cancelled_at is None}

    run(factory, at("2026-06-16"))
    assert {c for c in chased(national) if c} == {"33"}
    assert chased(province) == {"33"} | regencies
    assert chased(city) == {"33.75"} | districts
    assert chased(district) == {DISTRICT} | villages
    [own] = mine(db, district.id, subject=f"sk:{DISTRICT}:2026")
    assert (own.rule, own.occurrence, own.title) == ("sk_deadline_early", "early:2026-06-30", "Kecamatan Pekalongan Timur")
    assert render.link(own) == "/compliance/33.75"
    assert render.link(mine(db, province.id, subject="sk:33:2026")[0]) == "/compliance"

    # the district reports its own SK: its reminders are cancelled (its villages' stay), and no later stage fires for it
    report_sk(db, DISTRICT)
    run(factory, at("2026-06-17"))
    assert chased(district) == villages and chased(city) == {"33.75"} | districts - {DISTRICT}
    run(factory, at("2026-07-01"))
    assert not [n for n in mine(db, district.id, subject=f"sk:{DISTRICT}:2026") if n.rule == "sk_deadline_passed"]
    assert [n.occurrence for n in mine(db, city.id, "sk_deadline_passed", "sk:33.75:2026")] == ["late:2026-06-30:0"]


def test_follow_ups_due_soon_and_overdue_then_done(db: Session, accounts: Accounts, factory: Any, client: Any) -> None:
    city = accounts.user(Role.regency_coordinator, "33.75")
    province = accounts.user(Role.province_coordinator, "33")
    stranger = accounts.user(Role.regency_coordinator, "36.73")
    meeting = Meeting(region_code="33.75", level=2, title="Rakor TP Posyandu", held_on=date(2026, 10, 1))
    db.add(meeting)
    db.flush()
    f = FollowUp(meeting_id=meeting.id, region_code="33.75", action="Kirim SK kelurahan", due_on=date(2026, 10, 16), status="open")
    db.add(f)
    db.commit()

    run(factory, at("2026-10-12"))  # Monday: 3 working days before Friday 16 October is Tuesday 13 October
    assert [n.rule for n in mine(db, city.id) if n.rule.startswith("follow")] == []
    run(factory, at("2026-10-13"))
    run(factory, at("2026-10-14"))
    for who in (city, province):
        assert [n.rule for n in mine(db, who.id) if n.rule.startswith("follow")] == ["follow_up_due_soon"]
    assert mine(db, stranger.id, "follow_up_due_soon") == []
    run(factory, at("2026-10-16"))
    run(factory, at("2026-10-17"))
    assert [n.rule for n in mine(db, city.id) if n.rule.startswith("follow")] == ["follow_up_due_soon", "follow_up_overdue"]
    item = next(i for i in client.get("/api/v1/notifications", headers=city.headers).json()["items"] if i["rule"] == "follow_up_overdue")
    assert item["link"] == f"/meetings/{meeting.id}" and "Kirim SK kelurahan" in item["title"]

    f.status = "done"
    db.commit()
    run(factory, at("2026-10-19"))
    assert all(n.cancelled_at is not None for n in mine(db, city.id) if n.rule.startswith("follow"))


def test_registration_returned_issued_and_waiting_verification(db: Session, accounts: Accounts, factory: Any) -> None:
    village = accounts.user(Role.village_operator, VILLAGE)
    district = accounts.user(Role.district_operator, DISTRICT)
    city = accounts.user(Role.regency_coordinator, "33.75")
    province = accounts.user(Role.province_coordinator, "33")
    with clock.frozen(at("2026-04-01")):
        p = Posyandu(region_code=VILLAGE, name="Posyandu Melati", registration_status="proposed")
        q = Posyandu(region_code=VILLAGE, name="Posyandu Mawar", registration_status="returned", status_reason="SK belum ada")
        db.add_all([p, q])
        db.flush()
        db.add(
            RegistrationEvent(
                posyandu_id=q.id,
                region_code=VILLAGE,
                action="return",
                from_status="proposed",
                to_status="returned",
                reason="SK belum ada",
                actor="user:1",
            )
        )
        db.commit()
    run(factory, at("2026-04-02"))
    returned = mine(db, village.id, "posyandu_returned")
    assert len(returned) == 1 and returned[0].params == {"action": "return", "reason": "SK belum ada"}
    assert mine(db, district.id, "posyandu_returned") == []  # to the village

    # waiting more than 7 days: the nearest coordinators who may verify it (the city, not the province)
    run(factory, at("2026-04-08"))
    assert mine(db, city.id, "waiting_verification") == []
    run(factory, at("2026-04-09"))
    run(factory, at("2026-04-10"))
    waits = mine(db, city.id, "waiting_verification")
    assert [(n.record_kind, n.record_id) for n in waits] == [("posyandu", p.id)]
    assert mine(db, province.id, "waiting_verification") == []

    with clock.frozen(at("2026-04-11")):
        p.registration_status = "submitted"
        q.registration_status = "registered"
        q.registration_number = "33750210080001"
        db.add(
            RegistrationEvent(
                posyandu_id=q.id,
                region_code=VILLAGE,
                action="register",
                from_status="submitted",
                to_status="registered",
                registration_number="33750210080001",
                actor="user:1",
            )
        )
        db.commit()
    run(factory, at("2026-04-11", 10))
    assert mine(db, city.id, "waiting_verification")[0].cancelled_at is not None  # verified and beyond: nothing to wait for
    assert mine(db, village.id, "posyandu_returned")[0].cancelled_at is not None  # registered since
    for who in (village, district):
        [issued] = mine(db, who.id, "registration_issued")
        assert issued.params == {"number": "33750210080001"}


def test_registration_event_seen_after_a_long_outage(db: Session, accounts: Accounts, factory: Any) -> None:
    """The worker remembers its last round (`worker_runs`): stopped for three weeks, it still
    tells of a number issued just after it stopped, and only once."""
    village = accounts.user(Role.village_operator, VILLAGE)
    run(factory, at("2026-03-01"))  # the last round before the outage
    with clock.frozen(at("2026-03-02")):
        p = Posyandu(region_code=VILLAGE, name="Posyandu Kenanga", registration_status="registered", registration_number="33750210080009")
        db.add(p)
        db.flush()
        db.add(
            RegistrationEvent(
                posyandu_id=p.id,
                region_code=VILLAGE,
                action="register",
                from_status="submitted",
                to_status="registered",
                registration_number="33750210080009",
                actor="user:1",
            )
        )
        db.commit()
    run(factory, at("2026-03-23"))  # 21 days later: older than the lookback, not older than the last round
    [issued] = mine(db, village.id, "registration_issued")
    assert issued.params == {"number": "33750210080009"} and issued.occurrence.startswith("event:")
    run(factory, at("2026-03-23", 10))
    run(factory, at("2026-03-24"))
    assert len(mine(db, village.id, "registration_issued")) == 1


def test_decree_waiting_for_verification(db: Session, accounts: Accounts, factory: Any) -> None:
    city = accounts.user(Role.regency_coordinator, "33.75")
    with clock.frozen(at("2026-05-01")):
        d = Decree(region_code=VILLAGE, level=4, subject="team_formation", title="SK TP Posyandu Kelurahan", status="reported")
        db.add(d)
        db.commit()
    run(factory, at("2026-05-09"))
    [n] = mine(db, city.id, "waiting_verification")
    assert (n.record_kind, n.record_id, n.title) == ("decree", d.id, "SK TP Posyandu Kelurahan")


def test_weekly_digest_on_the_chosen_day(db: Session, accounts: Accounts, factory: Any, client: Any, deadline: Any) -> None:
    city = accounts.user(Role.regency_coordinator, "33.75")
    r = client.put("/api/v1/notifications/preferences", json={"digest_weekday": 2}, headers=city.headers | ORIGIN)
    assert r.status_code == 200 and r.json()["digest_weekday"] == 2
    run(factory, at("2026-07-06"))  # Monday
    assert mine(db, city.id, "weekly_digest") == []
    run(factory, at("2026-07-08"))  # Wednesday
    run(factory, at("2026-07-09"))
    [digest] = mine(db, city.id, "weekly_digest")
    assert digest.occurrence == "2026-W28" and digest.params is not None and digest.params["late_report"] > 0
    with clock.frozen(at("2026-07-09")):
        item = next(i for i in client.get("/api/v1/notifications", headers=city.headers).json()["items"] if i["rule"] == "weekly_digest")
    assert item["link"] == "/tasks" and "Late SK reports in your region" in item["body"]


def test_preferences_and_scope(db: Session, accounts: Accounts, factory: Any, client: Any, deadline: Any) -> None:
    operator = accounts.user(Role.village_operator, VILLAGE)
    district = accounts.user(Role.district_operator, DISTRICT)
    prefs = client.get("/api/v1/notifications/preferences", headers=operator.headers).json()
    assert {r["rule"] for r in prefs["rules"]} >= {"sk_deadline_early", "follow_up_overdue", "weekly_digest"}
    assert prefs["digest_weekday"] == 0
    off = {"rule": "sk_deadline_early", "in_app": False, "email": False, "whatsapp": False}
    r = client.put("/api/v1/notifications/preferences", json={"rules": [off]}, headers=operator.headers | ORIGIN)
    assert r.status_code == 200
    assert next(x for x in r.json()["rules"] if x["rule"] == "sk_deadline_early")["in_app"] is False
    bad = client.put("/api/v1/notifications/preferences", json={"rules": [{"rule": "nope"}]}, headers=operator.headers | ORIGIN)
    assert bad.status_code == 422

    run(factory, at("2026-06-16"))
    assert mine(db, operator.id) == []  # turned off
    assert len(mine(db, district.id)) == DISTRICT_VILLAGES + 1  # its villages' SKs and its own

    # one's own only: another account's ids are not marked, a client has none
    theirs = client.get("/api/v1/notifications", headers=district.headers).json()["items"][0]["id"]
    r = client.post("/api/v1/notifications/read", json={"ids": [theirs]}, headers=operator.headers | ORIGIN)
    assert r.json() == {"marked": 0, "unread": 0}
    assert client.get("/api/v1/notifications", headers=district.headers).json()["unread"] == DISTRICT_VILLAGES + 1
    r = client.post("/api/v1/notifications/read", json={"ids": [theirs]}, headers=district.headers | ORIGIN)
    assert r.json() == {"marked": 1, "unread": DISTRICT_VILLAGES}
    r = client.post("/api/v1/notifications/read", json={"all": True}, headers=district.headers | ORIGIN)
    assert r.json() == {"marked": DISTRICT_VILLAGES, "unread": 0}
    assert client.get("/api/v1/notifications?unread=true", headers=district.headers).json()["total"] == 0
    assert client.post("/api/v1/notifications/read", json={}, headers=district.headers | ORIGIN).status_code == 422
    api_client = accounts.client("33.75")
    assert client.get("/api/v1/notifications", headers=api_client.headers).status_code == 403
    assert client.get("/api/v1/notifications").status_code == 401


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], email.message.EmailMessage]] = []
        self.refusing = False  # answer every message with a temporary failure
        self.refused = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's hook name
        if self.refusing:
            self.refused += 1
            return "451 4.3.0 Mailbox busy, try again later"
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), msg))  # type: ignore[arg-type]
        return "250 OK"


@pytest.fixture
def smtp(monkeypatch: pytest.MonkeyPatch) -> Iterator[Inbox]:
    inbox = Inbox()
    with socket.socket() as sock:  # a free port (aiosmtpd's controller needs to know its own)
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        monkeypatch.setattr(get_settings(), "smtp_url", f"smtp://127.0.0.1:{controller.port}?starttls=off")
        monkeypatch.setattr(get_settings(), "mail_from", "Pembina <pembina@pekalongan.example>")
        monkeypatch.setattr(get_settings(), "public_url", "https://pembina.example.go.id")
        yield inbox
    finally:
        controller.stop()


def test_email_arrives_at_a_real_smtp_server_in_indonesian_with_unsubscribe(
    db: Session, accounts: Accounts, factory: Any, client: Any, smtp: Inbox, deadline: Any
) -> None:
    operator = accounts.user(Role.village_operator, VILLAGE)
    district = accounts.user(Role.district_operator, DISTRICT)
    silent = accounts.user(Role.district_operator, DISTRICT)  # no e-mail address: in-app only
    with_email(db, operator.id, "lurah@kelurahan.example")
    with_email(db, district.id, "camat@kecamatan.example")

    run(factory, at("2026-06-16"))
    to_lurah = [msg for _, rcpt, msg in smtp.messages if rcpt == ["lurah@kelurahan.example"]]
    to_camat = [msg for _, rcpt, msg in smtp.messages if rcpt == ["camat@kecamatan.example"]]
    assert len(to_lurah) == 1 and len(to_camat) == DISTRICT_VILLAGES + 1 and len(smtp.messages) == DISTRICT_VILLAGES + 2
    msg = to_lurah[0]
    assert msg["From"] == "Pembina <pembina@pekalongan.example>"
    assert msg["Subject"] == "SK TP Posyandu Kelurahan Klego: batas pelaporan 30 Juni 2026"
    plain = msg.get_body(preferencelist=("plain",)).get_content()
    html = msg.get_body(preferencelist=("html",)).get_content()
    assert "belum dilaporkan" in plain and "paling lambat 30 Juni 2026" in plain
    assert "https://pembina.example.go.id/compliance/33.75.02" in plain and "<a href=" in html
    unsubscribe = msg["List-Unsubscribe"].strip("<>")
    assert unsubscribe in plain and unsubscribe.startswith("https://pembina.example.go.id/api/v1/notifications/unsubscribe?token=")
    assert {n.email_status for n in mine(db, silent.id)} == {"none"}

    # nothing is sent twice: another round, another worker
    run(factory, at("2026-06-16", 12))
    assert len(smtp.messages) == DISTRICT_VILLAGES + 2

    # the link works without logging in, for that rule only
    path = unsubscribe.removeprefix("https://pembina.example.go.id")
    r = client.get(path)
    assert r.status_code == 200 and "no longer receive" in r.text
    assert client.get(path[:-3] + "xyz").status_code == 422
    prefs = client.get("/api/v1/notifications/preferences", headers=operator.headers).json()
    early = next(x for x in prefs["rules"] if x["rule"] == "sk_deadline_early")
    assert early["email"] is False and early["in_app"] is True

    # the next rule of the same deadline: the operator still gets it by e-mail (only "early" was stopped)
    run(factory, at("2026-06-25"))
    later = [rcpt[0] for _, rcpt, _ in smtp.messages[DISTRICT_VILLAGES + 2 :]]
    assert later.count("lurah@kelurahan.example") == 1 and later.count("camat@kecamatan.example") == DISTRICT_VILLAGES + 1


def test_email_retried_with_backoff_until_the_server_accepts(
    db: Session, accounts: Accounts, factory: Any, smtp: Inbox, deadline: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    operator = accounts.user(Role.village_operator, VILLAGE)
    with_email(db, operator.id, "lurah@kelurahan.example")
    smtp.refusing = True
    t0 = at("2026-06-16")

    def outbox() -> Notification:
        [n] = [n for n in mine(db, operator.id) if n.email_status != "none"]
        return n

    run(factory, t0)
    n = outbox()
    assert (n.email_status, n.email_attempts, smtp.refused) == ("pending", 1, 1)
    assert n.email_next_attempt_at == t0 + mailer.FIRST_RETRY and "451" in (n.email_error or "")
    run(factory, t0 + timedelta(minutes=4))  # not yet due: the server is not asked again
    assert smtp.refused == 1
    run(factory, t0 + timedelta(minutes=5))
    n = outbox()
    assert (n.email_attempts, smtp.refused, n.email_next_attempt_at) == (2, 2, t0 + timedelta(minutes=15))  # then 10 min
    assert mailer.retry_after(7) == timedelta(hours=5, minutes=20) and mailer.retry_after(20) == mailer.MAX_RETRY

    smtp.refusing = False
    run(factory, t0 + timedelta(minutes=15))
    n = outbox()
    assert (n.email_status, n.email_attempts, n.email_error, n.email_next_attempt_at) == ("sent", 3, None, None)
    assert [rcpt for _, rcpt, _ in smtp.messages] == [["lurah@kelurahan.example"]]

    # given up after the last attempt
    monkeypatch.setattr(mailer, "MAX_ATTEMPTS", 2)
    smtp.refusing = True
    run(factory, at("2026-06-25"))  # the next stage of the deadline
    run(factory, at("2026-06-25", 10))
    [soon] = mine(db, operator.id, "sk_deadline_soon")
    assert (soon.email_status, soon.email_attempts, soon.email_next_attempt_at) == ("failed", 2, None)
    run(factory, at("2026-06-26"))
    assert smtp.refused == 4


def test_the_worker_prunes_once_a_day(db: Session, accounts: Accounts, factory: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(get_settings(), "smtp_url", None)
    monkeypatch.setattr(worker, "EXTRA_TICKS", ["pembina.privacy"])
    now = at("2026-08-03")

    def old_event(name: str) -> None:
        db.add(
            AuditEvent(
                occurred_at=now - timedelta(days=1900), actor="system", action="create", entity_type="legal_references", entity_id=name
            )
        )
        db.commit()

    def events() -> set[str]:
        return set(db.scalars(select(AuditEvent.entity_id).where(AuditEvent.entity_type == "legal_references")))

    old_event("old")
    run(factory, now)
    assert "old" not in events()
    old_event("later")  # due again only a day after the last pruning, whichever worker comes
    run(factory, now + timedelta(hours=23))
    assert "later" in events()
    run(factory, now + timedelta(days=1))
    assert "later" not in events()


def test_an_unreachable_smtp_server_ends_the_round(
    db: Session, accounts: Accounts, factory: Any, deadline: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setattr(get_settings(), "smtp_url", f"smtp://127.0.0.1:{port}?starttls=off")
    operator = accounts.user(Role.village_operator, VILLAGE)
    district = accounts.user(Role.district_operator, DISTRICT)
    with_email(db, operator.id, "lurah@kelurahan.example")
    with_email(db, district.id, "camat@kecamatan.example")
    run(factory, at("2026-06-16"))
    db.expire_all()
    outbox = db.scalars(select(Notification).where(Notification.email_status == "pending").order_by(Notification.id)).all()
    assert len(outbox) == DISTRICT_VILLAGES + 2
    # one attempt counted (the first in line), the others wait for the next round untouched
    assert [n.email_attempts for n in outbox] == [1] + [0] * (len(outbox) - 1)
    assert "ConnectionRefusedError" in (outbox[0].email_error or "") and outbox[0].email_next_attempt_at is not None


# -- monthly activity reports (issue 22) ---------------------------------------------------------

REPORTS = "/api/v1/activity-reports"
WEST_VILLAGE = "33.75.01.1006"  # Bendan Kergon, Kecamatan Pekalongan Barat
SERANG_VILLAGE = "36.73.03.1014"


def new_posyandu(client: Any, who: Any, region: str, name: str) -> int:
    r = client.post("/api/v1/posyandu", json={"region_code": region, "name": name}, headers=who.headers)
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


def new_report(client: Any, who: Any, posyandu_id: int, period: str = "2026-10", submit: bool = True) -> dict[str, Any]:
    r = client.post(REPORTS, json={"posyandu_id": posyandu_id, "period": period, "days_open": 2}, headers=who.headers)
    assert r.status_code == 201, r.text
    if submit:
        s = client.post(f"{REPORTS}/{r.json()['id']}/transitions", json={"action": "submit"}, headers=who.headers)
        assert s.status_code == 200, s.text
        return dict(s.json())
    return dict(r.json())


def reminders(db: Session, user_id: int, period: str = "2026-10") -> list[tuple[str, str, int | None]]:
    """The activity-report reminders of `period` an account got: (rule, occurrence, posyandu or None), not cancelled."""
    return [
        (n.rule, n.occurrence, n.record_id)
        for n in mine(db, user_id)
        if n.rule.startswith("activity_report") and n.occurrence.startswith(period) and n.cancelled_at is None
    ]


def test_activity_report_reminders_fire_once_and_are_cancelled_when_submitted(
    db: Session, accounts: Accounts, factory: Any, client: Any, pekalongan: Any, serang: Any, smtp: Inbox
) -> None:
    """October 2026's reports are due on the 10th working day of November: Friday 13 November.
    Due soon from 3 working days before (Tuesday the 10th) to the village's accounts, one per
    posyandu not yet submitted; overdue from the 14th, weekly, with one notice per district."""
    operator = accounts.user(Role.village_operator, VILLAGE)
    neighbour = accounts.user(Role.village_operator, OTHER_VILLAGE)
    district = accounts.user(Role.district_operator, DISTRICT)
    west = accounts.user(Role.district_operator, "33.75.01")
    city = accounts.user(Role.regency_coordinator, "33.75")
    serang_village = accounts.user(Role.village_operator, SERANG_VILLAGE)
    with_email(db, operator.id, "lurah@kelurahan.example")
    with clock.frozen(at("2026-11-02")):
        melati = new_posyandu(client, pekalongan, VILLAGE, "Posyandu Melati")
        mawar = new_posyandu(client, pekalongan, VILLAGE, "Posyandu Mawar")
        kenanga = new_posyandu(client, pekalongan, OTHER_VILLAGE, "Posyandu Kenanga")
        new_posyandu(client, pekalongan, WEST_VILLAGE, "Posyandu Anggrek")
        banten = new_posyandu(client, serang, SERANG_VILLAGE, "Posyandu Teratai")
        new_report(client, operator, mawar)  # submitted early: nothing to chase
        draft = new_report(client, operator, melati, submit=False)  # a draft is not submitted
    # an inactive posyandu is not expected to report
    with clock.frozen(at("2026-11-02")):
        retired = new_posyandu(client, pekalongan, VILLAGE, "Posyandu Lama")
    db.get(Posyandu, retired).is_active = False  # type: ignore[union-attr]
    db.commit()

    run(factory, at("2026-11-09"))  # Monday: 4 working days before
    assert reminders(db, operator.id) == [] and smtp.messages == []
    run(factory, at("2026-11-10"))
    assert reminders(db, operator.id) == [("activity_report_due_soon", "2026-10:soon", melati)]
    assert reminders(db, neighbour.id) == [("activity_report_due_soon", "2026-10:soon", kenanga)]
    assert reminders(db, serang_village.id) == [("activity_report_due_soon", "2026-10:soon", banten)]
    assert reminders(db, district.id) == [] and reminders(db, city.id) == []  # before the due date: the villages only
    [(_, rcpt, msg)] = smtp.messages
    assert rcpt == ["lurah@kelurahan.example"]
    assert msg["Subject"].strip() == "Posyandu Melati: laporan kegiatan Oktober 2026 paling lambat 13 November 2026"
    assert "belum dikirim" in msg.get_body(preferencelist=("plain",)).get_content()

    # another round, a restarted worker, the due day itself: nothing new
    run(factory, at("2026-11-10", 15))
    run(factory, at("2026-11-12"))
    run(factory, at("2026-11-13", 23))
    assert len(reminders(db, operator.id)) == 1 and len(smtp.messages) == 1

    # overdue: the villages per posyandu, each district once, counting its posyandu that have not reported
    run(factory, at("2026-11-14"))
    run(factory, at("2026-11-14", 12))
    assert reminders(db, operator.id) == [
        ("activity_report_due_soon", "2026-10:soon", melati),
        ("activity_report_overdue", "2026-10:late:0", melati),
    ]
    [notice] = [n for n in mine(db, district.id) if n.rule == "activity_report_district_overdue"]
    assert (notice.region_code, notice.title, notice.occurrence) == (DISTRICT, "Kecamatan Pekalongan Timur", "2026-10:late:0")
    assert notice.params == {"period": "2026-10", "expected": 3, "missing": 2, "villages": 2}
    [west_notice] = [n for n in mine(db, west.id) if n.rule == "activity_report_district_overdue"]
    assert west_notice.params is not None and west_notice.params["missing"] == 1
    assert reminders(db, city.id) == []

    # as the accounts read them, in Indonesian and in English, each linking to its record
    items = client.get("/api/v1/notifications", headers=district.headers | {"Accept-Language": "id"}).json()["items"]
    [item] = [i for i in items if i["rule"] == "activity_report_district_overdue"]
    assert item["title"] == "Kecamatan Pekalongan Timur: 2 posyandu belum melaporkan kegiatan Oktober 2026"
    assert "Dari 3 posyandu aktif di Kecamatan Pekalongan Timur, 2 posyandu (di 2 desa/kelurahan)" in item["body"]
    assert item["link"] == f"/activity-reports/{DISTRICT}"
    english = client.get("/api/v1/notifications", headers=operator.headers | {"Accept-Language": "en"}).json()["items"]
    assert [i["title"] for i in english] == [
        "Posyandu Melati: activity report for October 2026 overdue since 13 November 2026",
        "Posyandu Melati: activity report for October 2026 due 13 November 2026",
    ]
    assert {i["link"] for i in english} == {f"/posyandu/{melati}"}

    # Melati submits its draft: its reminders are cancelled; the district's notice stays (Kenanga has not reported)
    with clock.frozen(at("2026-11-16")):
        r = client.post(f"{REPORTS}/{draft['id']}/transitions", json={"action": "submit"}, headers=operator.headers)
        assert r.status_code == 200, r.text
    run(factory, at("2026-11-16", 10))
    assert reminders(db, operator.id) == []
    assert client.get("/api/v1/notifications", headers=operator.headers).json()["unread"] == 0
    assert [n.rule for n in mine(db, district.id) if n.cancelled_at is None] == ["activity_report_district_overdue"]

    # a week later: Kenanga's village and the district again (the count now 1), Melati's not
    run(factory, at("2026-11-21"))
    assert reminders(db, operator.id) == []
    assert [o for _, o, _ in reminders(db, neighbour.id)] == ["2026-10:soon", "2026-10:late:0", "2026-10:late:1"]
    late = [n for n in mine(db, district.id) if n.occurrence == "2026-10:late:1"]
    assert [n.params["missing"] for n in late if n.params] == [1]

    # Kenanga reports: the district's notices are cancelled too (a posyandu recorded since owes nothing for October)
    with clock.frozen(at("2026-11-22")):
        new_posyandu(client, pekalongan, VILLAGE, "Posyandu Baru")
    with clock.frozen(at("2026-11-23")):
        new_report(client, neighbour, kenanga)
    run(factory, at("2026-11-23", 10))
    assert reminders(db, neighbour.id) == [] and reminders(db, district.id) == []
    assert reminders(db, west.id) != []  # Pekalongan Barat's posyandu still has not


def test_activity_report_reminders_of_a_posyandu_recorded_after_the_due_date(
    db: Session, accounts: Accounts, factory: Any, client: Any, pekalongan: Any
) -> None:
    """A posyandu recorded after October's due date was never late for October; it is for November."""
    operator = accounts.user(Role.village_operator, VILLAGE)
    with clock.frozen(at("2026-11-20")):
        pid = new_posyandu(client, pekalongan, VILLAGE, "Posyandu Baru")
    run(factory, at("2026-11-21"))
    assert reminders(db, operator.id) == []
    run(factory, at("2026-12-08"))  # November's due date is Monday 14 December: 3 working days before is the 9th
    assert reminders(db, operator.id, "2026-11") == []
    run(factory, at("2026-12-09"))
    assert reminders(db, operator.id, "2026-11") == [("activity_report_due_soon", "2026-11:soon", pid)]


def test_activity_report_rules_configurable_and_listed_to_whom_they_reach(
    db: Session, accounts: Accounts, factory: Any, client: Any, pekalongan: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    operator = accounts.user(Role.village_operator, VILLAGE)
    district = accounts.user(Role.district_operator, DISTRICT)
    city = accounts.user(Role.regency_coordinator, "33.75")
    national = accounts.user(Role.national_admin, None)

    def listed(who: Any) -> set[str]:
        return {r["rule"] for r in client.get("/api/v1/notifications/preferences", headers=who.headers).json()["rules"]}

    assert {"activity_report_due_soon", "activity_report_overdue"} <= listed(operator)
    assert "activity_report_district_overdue" not in listed(operator)
    assert "activity_report_district_overdue" in listed(district) and "activity_report_due_soon" not in listed(district)
    assert not {r for r in listed(city) if r.startswith("activity_report")}
    assert "webhook_disabled" in listed(national) and not {r for r in listed(national) if r.startswith("activity_report")}
    # webhook_disabled: only to the owners of an API client (and the national admins)
    assert "webhook_disabled" not in listed(operator) and "webhook_disabled" not in listed(city)
    app = accounts.client("33.75")
    db.get(ApiClient, app.id).created_by_user_id = city.id  # type: ignore[union-attr]
    db.commit()
    assert "webhook_disabled" in listed(city)

    # configured: 5 calendar days before; the operator turned the overdue rule off
    monkeypatch.setattr(get_settings(), "notification_rules", {"activity_report_due_soon": {"days": 5, "working_days": False}})
    off = {"rule": "activity_report_overdue", "in_app": False, "email": False, "whatsapp": False}
    assert client.put("/api/v1/notifications/preferences", json={"rules": [off]}, headers=operator.headers | ORIGIN).status_code == 200
    with clock.frozen(at("2026-11-02")):
        pid = new_posyandu(client, pekalongan, VILLAGE, "Posyandu Melati")
    run(factory, at("2026-11-07"))
    assert reminders(db, operator.id) == []
    run(factory, at("2026-11-08"))  # 5 days before Friday the 13th
    assert reminders(db, operator.id) == [("activity_report_due_soon", "2026-10:soon", pid)]
    with clock.frozen(at("2026-11-14")):  # the district's notice only (the operator turned the overdue rule off), counted
        assert generate.activity_reports(factory, clock.utcnow()) == 1
    run(factory, at("2026-11-14", 10))
    assert [r for r, _, _ in reminders(db, operator.id)] == ["activity_report_due_soon"]
    assert [n.rule for n in mine(db, district.id)] == ["activity_report_district_overdue"]
    prefs = client.get("/api/v1/notifications/preferences", headers=operator.headers).json()["rules"]
    info = next(r for r in prefs if r["rule"] == "activity_report_due_soon")
    assert (info["days"], info["working_days"]) == (5, False)
