"""`allowed_actions` is honest: for every account (each role, in and out of scope, read-only,
API clients read and read-write) and every record the dashboard acts on, in each status, every
action listed is accepted by the API and every action left out is refused (403 or 409; for a record outside the caller's region, which it
does not see at all, 404 or 403).

Each attempt runs in a SAVEPOINT that is rolled back, so that all attempts start from the same
records; the records are arranged once, through the API and (for statuses) directly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from pembina.activity_reports.models import ActivityReport
from pembina.audit import recorder
from pembina.auth.policy import ACTIONS, Action, Kind
from pembina.decrees.models import Decree
from pembina.kit.db import get_session
from pembina.kit.blobs import get_store
from pembina.kit.roles import ClientScope, Role
from pembina.kit.scopes import LEGACY, SENSITIVE
from pembina.posyandu import counters
from pembina.posyandu.models import Posyandu, PosyanduDocument
from pembina.stats import service as stats
from tests.conftest import Accounts, report_sk

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
ANY = {"If-Match": "*"}
KLEGO = "33.75.02.1008"
PONCOL = "33.75.02.1009"  # another village of the same district

#: What one action is as a request: (method, url, keyword arguments for httpx).
Request = tuple[str, str, dict[str, Any]]


@dataclass
class Subject:
    """A record (or a region) and how to read it and act on it."""

    label: str
    kind: Kind
    read: Callable[[Any, dict[str, str]], tuple[int, list[str] | None]]
    requests: dict[Action, Request] = field(default_factory=dict)


def _get(url: str, pick: Callable[[Any], Any] | None = None) -> Callable[[Any, dict[str, str]], tuple[int, list[str] | None]]:
    def read(client: Any, headers: dict[str, str]) -> tuple[int, list[str] | None]:
        r = client.get(url, headers=headers)
        if r.status_code != 200:
            return r.status_code, None
        body = pick(r.json()) if pick else r.json()
        return 200, body["allowed_actions"]

    return read


def _post(client: Any, url: str, headers: dict[str, str], **kw: Any) -> Any:
    r = client.post(url, headers=headers, **kw)
    assert r.status_code in (200, 201), (url, r.status_code, r.text)
    return r.json()


# -- the records ------------------------------------------------------------------------------


def _set_status(db: Session, p_id: int, status: str, **values: Any) -> None:
    """A posyandu's registration status set directly, its counters kept exact."""
    p = db.get(Posyandu, p_id)
    assert p is not None
    old = counters.of(p)
    p.registration_status = status
    for k, v in values.items():
        setattr(p, k, v)
    db.flush()
    stats.move(db, old, p.region_code, counters.of(p), p.region_code)


def _decree(client: Any, db: Session, h: dict[str, str], code: str, status: str) -> Subject:
    d = _post(client, "/api/v1/decrees", h, json={"region_code": code, "subject": "other", "title": f"SK uji {status} {code}"})
    db.execute(update(Decree).where(Decree.id == d["id"]).values(status=status))
    url = f"/api/v1/decrees/{d['id']}"
    reqs: dict[Action, Request] = {
        a: ("POST", f"{url}/transitions", {"json": {"action": a.value, "reason": "uji"}})
        for a in (Action.issue, Action.report, Action.verify, Action.return_, Action.revoke)
    }
    reqs[Action.update] = ("PATCH", url, {"json": {"notes": "uji"}, "headers": ANY})
    reqs[Action.upload_file] = ("PUT", f"{url}/file", {"files": {"file": ("sk.pdf", PDF, "application/pdf")}})
    reqs[Action.delete] = ("DELETE", url, {})
    return Subject(f"decree {status} at {code}", Kind.decree, _get(url), reqs)


def _activity_report(client: Any, db: Session, h: dict[str, str], posyandu_id: int, period: str, status: str) -> Subject:
    r = _post(client, "/api/v1/activity-reports", h, json={"posyandu_id": posyandu_id, "period": period})
    db.execute(update(ActivityReport).where(ActivityReport.id == r["id"]).values(status=status))  # no counter is read here
    url = f"/api/v1/activity-reports/{r['id']}"
    reqs: dict[Action, Request] = {
        a: ("POST", f"{url}/transitions", {"json": {"action": a.value, "reason": "uji"}})
        for a in (Action.submit, Action.accept, Action.return_)
    }
    reqs[Action.update] = ("PATCH", url, {"json": {"notes": "uji"}, "headers": ANY})
    reqs[Action.delete] = ("DELETE", url, {})
    return Subject(f"activity report {status}", Kind.activity_report, _get(url), reqs)


def _posyandu(client: Any, db: Session, h: dict[str, str], status: str) -> Subject:
    p = _post(
        client, "/api/v1/posyandu", h, json={"region_code": KLEGO, "name": f"Posyandu uji {status}", "pengurus_count": 5, "kader_count": 10}
    )
    sha = get_store().put(PDF)  # the file store holds the bytes; the rows their hash
    docs = [
        PosyanduDocument(
            posyandu_id=p["id"],
            region_code=KLEGO,
            doc_type=t,
            filename=f"{t}.pdf",
            content_type="application/pdf",
            size=len(PDF),
            sha256=sha,
            uploaded_by="user:test",
        )
        for t in ("berita_acara_musyawarah", "sk_pembentukan", "sk_pengurus", "data_kader")
    ]
    db.add_all(docs)
    db.flush()
    _set_status(db, p["id"], status, registration_number=f"REG-{p['id']}" if status == "registered" else None)
    url = f"/api/v1/posyandu/{p['id']}"
    reqs: dict[Action, Request] = {
        a: (
            "POST",
            f"{url}/registration/transitions",
            {"json": {"action": a.value, "reason": "uji", "registration_number": f"UJI-{p['id']}"}},
        )
        for a in (Action.propose, Action.verify, Action.return_, Action.reject, Action.register, Action.reopen)
    }
    reqs[Action.update] = ("PATCH", url, {"json": {"notes": "uji"}, "headers": ANY})
    reqs[Action.add_document] = (
        "POST",
        f"{url}/documents",
        {"data": {"doc_type": "sk_pengurus"}, "files": {"file": ("sk.pdf", PDF, "application/pdf")}},
    )
    reqs[Action.delete_document] = ("DELETE", f"{url}/documents/{docs[0].id}", {})
    reqs[Action.delete] = ("DELETE", url, {})
    return Subject(f"posyandu {status}", Kind.posyandu, _get(url), reqs)


def _batch(client: Any, db: Session, h: dict[str, str], status: str) -> Subject:
    p = _post(client, "/api/v1/posyandu", h, json={"region_code": KLEGO, "name": f"Posyandu batch {status}"})
    _set_status(db, p["id"], "verified")
    db.commit()
    b = _post(
        client, "/api/v1/registration-batches", h, json={"region_code": "33.75", "title": f"Batch {status}", "posyandu_ids": [p["id"]]}
    )
    url = f"/api/v1/registration-batches/{b['id']}"
    if status != "draft":
        _post(client, f"{url}/submit", h)
    if status == "completed":
        _post(
            client,
            f"/api/v1/posyandu/{p['id']}/registration/transitions",
            h,
            json={"action": "register", "registration_number": f"DONE-{p['id']}"},
        )
    reqs: dict[Action, Request] = {
        Action.update: ("PATCH", url, {"json": {"title": "Batch uji"}, "headers": ANY}),
        Action.submit: ("POST", f"{url}/submit", {}),
        Action.import_numbers: (
            "POST",
            f"{url}/numbers",
            {"params": {"dry_run": "true"}, "files": {"file": ("n.csv", b"posyandu_id,nomor_registrasi\n", "text/csv")}},
        ),
        Action.issue_numbers: (
            "POST",
            f"{url}/issue",
            {"json": {"numbers": [{"posyandu_id": p["id"], "registration_number": f"NR-{p['id']}"}]}},
        ),
        Action.delete: ("DELETE", url, {}),
    }
    return Subject(f"batch {status}", Kind.batch, _get(url), reqs)


def arrange(client: Any, db: Session, admin: Any, accounts: Any) -> list[Subject]:
    """Records in every status the rules tell apart, made by a national admin."""
    h = admin.headers
    out: list[Subject] = []
    for status in ("draft", "issued", "reported", "verified", "revoked"):
        out.append(_decree(client, db, h, KLEGO, status))
    out.append(_decree(client, db, h, "33.75", "reported"))  # a regency's own: verified from the province up
    out.append(_decree(client, db, h, "33", "reported"))  # a province's own: only national accounts verify it

    for code in ("33.75", "33.75.02"):
        d = _post(client, "/api/v1/reporting-deadlines", h, json={"region_code": code, "year": 2030, "due_date": "2030-06-30"})
        url = f"/api/v1/reporting-deadlines/{d['id']}"
        out.append(
            Subject(
                f"deadline at {code}",
                Kind.deadline,
                _get(url),
                {Action.update: ("PATCH", url, {"json": {"notes": "uji"}, "headers": ANY}), Action.delete: ("DELETE", url, {})},
            )
        )

    team = _post(client, "/api/v1/teams", h, json={"region_code": KLEGO})
    tu = f"/api/v1/teams/{team['id']}"
    member = _post(client, f"{tu}/members", h, json={"position": "ketua", "name": "Lurah Klego"})
    mu = f"{tu}/members/{member['id']}"
    report_sk(db, KLEGO)  # Klego's SK TP Posyandu reported: its posyandu can be proposed (registration follows the SK)
    out.append(
        Subject(
            "team",
            Kind.team,
            _get(tu),
            {
                Action.update: ("PATCH", tu, {"json": {"notes": "uji"}, "headers": ANY}),
                Action.delete: ("DELETE", tu, {}),
                Action.add_member: ("POST", f"{tu}/members", {"json": {"position": "anggota", "name": "Uji"}}),
                Action.add_decree: ("POST", "/api/v1/decrees", {"json": {"region_code": KLEGO, "title": "SK uji", "team_id": team["id"]}}),
            },
        )
    )
    out.append(
        Subject(
            "team member",
            Kind.team_member,
            _get(mu),
            {Action.update: ("PATCH", mu, {"json": {"name": "Uji"}, "headers": ANY}), Action.delete: ("DELETE", mu, {})},
        )
    )

    for status in ("unregistered", "proposed", "verified", "submitted", "registered", "returned", "rejected"):
        out.append(_posyandu(client, db, h, status))
    for status in ("draft", "submitted", "completed"):
        out.append(_batch(client, db, h, status))
    reporting = _post(client, "/api/v1/posyandu", h, json={"region_code": KLEGO, "name": "Posyandu pelapor"})
    for month, status in enumerate(("draft", "submitted", "accepted", "returned"), start=1):
        out.append(_activity_report(client, db, h, reporting["id"], f"2026-{month:02d}", status))

    meeting = _post(client, "/api/v1/meetings", h, json={"region_code": "33.75", "title": "Rakor uji", "held_on": "2030-01-15"})
    mtu = f"/api/v1/meetings/{meeting['id']}"
    follow = _post(client, f"{mtu}/follow-ups", h, json={"action": "Tindak lanjut uji"})
    fu = f"{mtu}/follow-ups/{follow['id']}"
    out.append(
        Subject(
            "meeting",
            Kind.meeting,
            _get(mtu),
            {
                Action.update: ("PATCH", mtu, {"json": {"venue": "uji"}, "headers": ANY}),
                Action.delete: ("DELETE", mtu, {}),
                Action.add_follow_up: ("POST", f"{mtu}/follow-ups", {"json": {"action": "Uji"}}),
                Action.add_attachment: ("POST", f"{mtu}/attachments", {"files": {"file": ("notulen.pdf", PDF, "application/pdf")}}),
            },
        )
    )
    out.append(
        Subject(
            "follow-up",
            Kind.follow_up,
            _get(mtu, lambda m: next(f for f in m["follow_up_items"] if f["id"] == follow["id"])),
            {Action.update: ("PATCH", fu, {"json": {"notes": "uji"}, "headers": ANY}), Action.delete: ("DELETE", fu, {})},
        )
    )

    city_team = _post(client, "/api/v1/teams", h, json={"region_code": "33.75"})
    budget = _post(client, "/api/v1/budgets", h, json={"team_id": city_team["id"], "fiscal_year": 2030, "source": "apbd"})
    bu = f"/api/v1/budgets/{budget['id']}"
    alloc = _post(client, f"{bu}/allocations", h, json={"activity": "Pembinaan", "amount": 1000})
    au = f"{bu}/allocations/{alloc['id']}"
    program = _post(client, "/api/v1/work-programs", h, json={"team_id": city_team["id"], "year": 2030, "title": "Program uji"})
    wu = f"/api/v1/work-programs/{program['id']}"
    out.append(
        Subject(
            "budget",
            Kind.budget,
            _get(bu),
            {
                Action.update: ("PATCH", bu, {"json": {"notes": "uji"}, "headers": ANY}),
                Action.delete: ("DELETE", bu, {}),
                Action.add_allocation: ("POST", f"{bu}/allocations", {"json": {"activity": "Uji", "amount": 10}}),
            },
        )
    )
    out.append(
        Subject(
            "allocation",
            Kind.allocation,
            _get(au),
            {
                Action.update: ("PATCH", au, {"json": {"notes": "uji"}, "headers": ANY}),
                Action.delete: ("DELETE", au, {}),
                Action.add_realization: ("POST", f"{au}/realizations", {"json": {"realized_on": "2030-03-01", "amount": 1}}),
            },
        )
    )
    out.append(
        Subject(
            "work program",
            Kind.work_program,
            _get(wu),
            {Action.update: ("PATCH", wu, {"json": {"title": "Uji"}, "headers": ANY}), Action.delete: ("DELETE", wu, {})},
        )
    )

    for final in (False, True):
        comp = _post(
            client,
            "/api/v1/competitions",
            h,
            json={
                "region_code": "33.75",
                "title": "Lomba uji",
                "year": 2030,
                "category": "posyandu",
                "criteria": [{"name": "A", "weight": 100}],
            },
        )
        cu = f"/api/v1/competitions/{comp['id']}"
        entered = _post(client, "/api/v1/posyandu", h, json={"region_code": KLEGO, "name": f"Posyandu peserta {final}"})
        entrant = _post(client, f"{cu}/entrants", h, json={"posyandu_id": entered["id"]})
        scored = client.put(f"{cu}/scores", json={"scores": [{"entrant_id": entrant["id"], "criterion": "A", "score": 80}]}, headers=h)
        assert scored.status_code == 200, scored.text
        if final:
            assert client.post(f"{cu}/finalize", json={}, headers=h).status_code == 200
        another = _post(client, "/api/v1/posyandu", h, json={"region_code": KLEGO, "name": f"Posyandu calon {final}"})
        out.append(
            Subject(
                f"competition {'final' if final else 'scoring'}",
                Kind.competition,
                _get(cu),
                {
                    Action.update: ("PATCH", cu, {"json": {"notes": "uji"}, "headers": ANY}),
                    Action.delete: ("DELETE", cu, {}),
                    Action.add_entrant: ("POST", f"{cu}/entrants", {"json": {"posyandu_id": another["id"]}}),
                    Action.score: (
                        "PUT",
                        f"{cu}/scores",
                        {"json": {"scores": [{"entrant_id": entrant["id"], "criterion": "A", "score": 90}]}},
                    ),
                    Action.finalize: ("POST", f"{cu}/finalize", {"json": {}}),
                },
            )
        )

    pilot_posyandu = _post(client, "/api/v1/posyandu", h, json={"region_code": KLEGO, "name": "Posyandu percontohan"})
    pilot = _post(client, "/api/v1/pilot-sites", h, json={"posyandu_id": pilot_posyandu["id"], "start_date": "2030-01-01"})
    pu = f"/api/v1/pilot-sites/{pilot['id']}"
    out.append(
        Subject(
            "pilot site",
            Kind.pilot_site,
            _get(pu),
            {Action.update: ("PATCH", pu, {"json": {"notes": "uji"}, "headers": ANY}), Action.delete: ("DELETE", pu, {})},
        )
    )

    api_client = accounts.client("33.75", ClientScope.read)
    cu = f"/api/v1/api-clients/{api_client.id}"
    out.append(
        Subject(
            "API client",
            Kind.api_client,
            _get(cu),
            {
                Action.update: ("PATCH", cu, {"json": {"name": "Uji"}, "headers": ANY}),
                Action.rotate_secret: ("POST", f"{cu}/rotate-secret", {}),
                Action.delete: ("DELETE", cu, {}),
            },
        )
    )
    return out


def user_subject(label: str, user_id: int) -> Subject:
    url = f"/api/v1/users/{user_id}"
    return Subject(
        label,
        Kind.user,
        _get(url),
        {
            Action.update: ("PATCH", url, {"json": {"full_name": "Nama Uji"}, "headers": ANY}),
            Action.set_active: ("PATCH", url, {"json": {"is_active": False}, "headers": ANY}),
            Action.delete: ("DELETE", url, {}),
        },
    )


def region_subject(home: str | None) -> Subject:
    """What the caller's own region offers (GET /auth/me), each tried in that region (or, for a
    kind bound to a level, in a region of that level under it)."""
    where = home or "33"
    village = where if where.count(".") == 3 else ("36.73.03.1014" if where.startswith("36") else KLEGO)
    regency = ".".join(where.split(".")[:2]) if "." in where else ("36.73" if where.startswith("36") else "33.75")
    reqs: dict[Action, Request] = {
        Action.create_team: ("POST", "/api/v1/teams", {"json": {"region_code": where, "kind": "pokja_posyandu"}}),
        Action.create_decree: ("POST", "/api/v1/decrees", {"json": {"region_code": where, "title": "SK uji"}}),
        Action.set_deadline: (
            "POST",
            "/api/v1/reporting-deadlines",
            {"json": {"region_code": where, "year": 2031, "due_date": "2031-06-30"}},
        ),
        Action.create_posyandu: ("POST", "/api/v1/posyandu", {"json": {"region_code": village, "name": "Posyandu baru"}}),
        Action.create_batch: ("POST", "/api/v1/registration-batches", {"json": {"region_code": regency, "title": "Batch baru"}}),
        Action.create_meeting: (
            "POST",
            "/api/v1/meetings",
            {"json": {"region_code": where, "title": "Rakor baru", "held_on": "2031-01-10"}},
        ),
        Action.create_competition: (
            "POST",
            "/api/v1/competitions",
            {"json": {"region_code": where, "title": "Lomba uji", "year": 2031, "category": "uji"}},
        ),
        Action.create_user: (
            "POST",
            "/api/v1/users",
            {"json": {"username": "pengamat-uji", "full_name": "Pengamat", "role": "viewer", "region_code": home}},
        ),
        Action.create_api_client: ("POST", "/api/v1/api-clients", {"json": {"name": "Klien uji", "scope": "read", "region_code": home}}),
        Action.maintain_legal: (
            "POST",
            "/api/v1/legal-references",
            {"json": {"kind": "permendagri", "number": "99", "year": 2031, "title": "Uji"}},
        ),
        Action.view_contacts: ("GET", f"/api/v1/regions/{where}/contacts", {}),
    }
    return Subject(f"own region {home or 'nation'}", Kind.region, _get("/api/v1/auth/me"), reqs)


#: Region actions whose request needs a parent record or a file; their rule (a writing account
#: in the region) is the one create_team, create_decree and create_meeting exercise above.
UNTRIED = {Action.create_budget, Action.create_work_program, Action.create_pilot_site, Action.import_records, Action.create_activity_report}


# -- the matrix ------------------------------------------------------------------------------------

CALLERS: dict[str, tuple[Role | ClientScope, str | None]] = {
    "national admin": (Role.national_admin, None),
    "province coordinator": (Role.province_coordinator, "33"),
    "regency coordinator": (Role.regency_coordinator, "33.75"),
    "district operator": (Role.district_operator, "33.75.02"),
    "village operator": (Role.village_operator, KLEGO),
    "viewer": (Role.viewer, "33.75"),
    "ministry": (Role.ministry, None),
    "read client": (ClientScope.read, "33.75"),
    "read-write client": (ClientScope.read_write, "33.75"),
    "out-of-scope coordinator": (Role.regency_coordinator, "36.73"),
}


@dataclass
class World:
    """The records, the accounts and a client, arranged once per module on one transaction
    (rolled back at the end); each attempt runs in a SAVEPOINT of its own."""

    client: Any
    connection: Connection
    subjects: list[Subject]
    callers: dict[str, Any]


@pytest.fixture(scope="module")
def world(database: Any, app: Any) -> Iterator[World]:
    connection = database.engine.connect()
    outer = connection.begin()

    def new_session() -> Session:
        return Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)

    def session_override() -> Iterator[Session]:
        session = new_session()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    recorder.install()
    db = new_session()
    db.info["actor"] = "system:test"
    app.dependency_overrides[get_session] = session_override
    app.state.session_factory = new_session
    try:
        with TestClient(app, base_url="http://testserver", raise_server_exceptions=False) as client:
            accounts = Accounts(db)
            admin = accounts.user(Role.national_admin, None)
            subjects = arrange(client, db, admin, accounts)
            subjects += [
                user_subject("village operator account", accounts.user(Role.village_operator, KLEGO).id),
                user_subject("district operator account", accounts.user(Role.district_operator, "33.75.02").id),
                user_subject("regency coordinator account", accounts.user(Role.regency_coordinator, "33.75").id),
            ]
            callers = {
                name: accounts.client(code, scopes=LEGACY[who.value] | SENSITIVE)
                if isinstance(who, ClientScope)
                else accounts.user(who, code)
                for name, (who, code) in CALLERS.items()
            }
            db.commit()
            yield World(client, connection, subjects, callers)
    finally:
        app.dependency_overrides.clear()
        app.state.session_factory = None
        db.close()
        outer.rollback()
        connection.close()


@contextmanager
def rolled_back(connection: Connection) -> Iterator[None]:
    savepoint = connection.begin_nested()
    try:
        yield
    finally:
        savepoint.rollback()


@pytest.mark.parametrize("name", list(CALLERS))
def test_allowed_actions_are_exactly_what_the_api_accepts(world: World, name: str) -> None:
    client, caller = world.client, world.callers[name]
    own = [user_subject("own account", caller.id)] if caller.role is not None else []
    wrong: list[str] = []
    for s in [*world.subjects, *own, region_subject(caller.region_code)]:
        status, listed = s.read(client, caller.headers)
        assert listed is not None or status == 404, (s.label, status)
        assert set(ACTIONS[s.kind]) - UNTRIED <= set(s.requests), f"{s.label}: an action has no request to try"
        for action, (method, url, kw) in s.requests.items():
            allowed = listed is not None and action.value in listed
            with rolled_back(world.connection):
                headers = {**caller.headers, **kw.get("headers", {})}
                r = client.request(method, url, headers=headers, **{k: v for k, v in kw.items() if k != "headers"})
            # refused: 403 or 409; a record outside the caller's region is not seen at all (404), and
            # a request naming its region in the body is outside the caller's (403)
            refused = {403, 409} if listed is not None else {403, 404}
            if allowed and r.status_code >= 300:
                wrong.append(f"{s.label}: {action.value} is listed but the API answers {r.status_code} {r.text[:200]}")
            if not allowed and r.status_code not in refused:
                wrong.append(f"{s.label}: {action.value} is not listed but the API answers {r.status_code} {r.text[:200]}")
    assert not wrong, "\n".join(wrong)
