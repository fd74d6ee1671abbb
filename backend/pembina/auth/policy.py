"""Who may do what to which record: the one place that decides.

Every rule that says whether a caller may act lives here: the plain scoped write (a writing
account whose region covers the record's), the decree lifecycle by role and level, reporting
deadlines by rank, the posyandu registration pipeline and its batches (regency/city
coordinators and above; the ministry, read-only otherwise, issues numbers to what was submitted
to it and returns it), account management by rank, and what a region offers to create. A
rule has two parts, checked in this order:

* **who** (`require_role`): the caller's role, rank and region against the record's region
  and level;
* **when**: the record's current status (a draft decree can be issued, a verified one
  revoked...). Where a record goes next stays with its domain; whether its current status
  allows the step is decided here, so that the two parts combine into one answer.

Domains call `require(principal, action, record)` where they act (it raises the problem the
API sends: 403 `forbidden` / `out-of-scope`, 409 `invalid-transition` / `conflict`), and put
`allowed_actions(principal, record)` into their read models, so that a client shows exactly
what the API would accept and keeps no role lists of its own. Records are passed as they are
(the ORM objects): anything with a `policy_kind` and a `region_code` (plus, per kind, the
status, level or role the rule reads), so the policy never imports a domain.

What a request's *content* may say (a decree's number only while a draft, a batch's members
only while a draft, one's own role never) stays with the domain that reads that content.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any, Protocol, cast

from pydantic import Field

from pembina.config import get_settings
from pembina.kit.i18n import tr
from pembina.kit import memo, personal, reads
from pembina.kit.errors import Conflict, Forbidden, InvalidTransition, OutOfScope, Problem
from pembina.kit.roles import ROLE_RANK, Role
from pembina.kit.scope import Principal, level_of
from pembina.kit.reads import M, TrackedRead
from pembina.kit.tabular import NotExported


class Action(StrEnum):
    """What a caller may do to a record (the values a read model's `allowed_actions` lists).

    Each names one API request; transitions carry the name the request body uses."""

    # -- any record (PATCH / DELETE of the record itself) --------------------------------
    update = "update"
    delete = "delete"
    # -- a decree (SK): POST /decrees/{id}/transitions, PUT /decrees/{id}/file ---------
    issue = "issue"
    report = "report"
    #: also a posyandu registration step
    verify = "verify"
    #: also a posyandu registration step (sent back, with a reason)
    return_ = "return"
    revoke = "revoke"
    upload_file = "upload_file"
    # -- a posyandu: POST /posyandu/{id}/registration/transitions and its evidence ------
    propose = "propose"
    reject = "reject"
    register = "register"
    reopen = "reopen"
    add_document = "add_document"
    delete_document = "delete_document"
    # -- a registration batch: POST .../submit, POST .../numbers -----------------------
    submit = "submit"
    import_numbers = "import_numbers"
    #: the ministry issues numbers in Pembina: POST /registration-batches/{id}/issue
    issue_numbers = "issue_numbers"
    # -- a monthly activity report: POST /activity-reports/{id}/transitions (submit, accept, return)
    accept = "accept"
    # -- a record's children (POST under the record) -----------------------------------
    #: a team: a member, a decree that forms it
    add_member = "add_member"
    add_decree = "add_decree"
    #: a meeting: a follow-up action, an attachment
    add_follow_up = "add_follow_up"
    add_attachment = "add_attachment"
    #: a budget: an allocation; an allocation: a realization
    add_allocation = "add_allocation"
    add_realization = "add_realization"
    #: a competition: POST .../entrants (and withdraw one), PUT .../scores, POST .../finalize
    add_entrant = "add_entrant"
    score = "score"
    finalize = "finalize"
    # -- accounts ----------------------------------------------------------------------
    #: a user: turn the account on or off (PATCH is_active)
    set_active = "set_active"
    #: an API client: POST /api-clients/{id}/rotate-secret (also a webhook subscription's)
    rotate_secret = "rotate_secret"
    #: a webhook subscription: POST /webhooks/{id}/deliveries/{delivery}/redeliver
    redeliver = "redeliver"
    # -- a region: what may be created in it (POST to the collection) ------------------
    create_team = "create_team"
    create_decree = "create_decree"
    set_deadline = "set_deadline"
    create_posyandu = "create_posyandu"
    create_batch = "create_batch"
    create_meeting = "create_meeting"
    create_budget = "create_budget"
    create_work_program = "create_work_program"
    create_pilot_site = "create_pilot_site"
    create_competition = "create_competition"
    create_activity_report = "create_activity_report"
    create_user = "create_user"
    create_api_client = "create_api_client"
    import_records = "import_records"
    #: the legal references library (the nation only)
    maintain_legal = "maintain_legal"
    # -- a region: what may be read in it beyond its records ---------------------------
    #: the phones and e-mails of its accounts and team members: GET /regions/{code}/contacts
    view_contacts = "view_contacts"


class Kind(StrEnum):
    """The kinds of record the policy tells apart (a record's `policy_kind`)."""

    region = "region"
    team = "team"
    team_member = "team_member"
    decree = "decree"
    deadline = "deadline"
    posyandu = "posyandu"
    batch = "batch"
    meeting = "meeting"
    attachment = "attachment"
    follow_up = "follow_up"
    budget = "budget"
    allocation = "allocation"
    realization = "realization"
    work_program = "work_program"
    pilot_site = "pilot_site"
    competition = "competition"
    user = "user"
    api_client = "api_client"
    webhook = "webhook"
    activity_report = "activity_report"


#: The read models' field: what the caller may do to the record now. Never exported (it is
#: about the reader, not the record) and no part of the record's version.
AllowedActions = Annotated[
    list[Action],
    NotExported(),
    Field(
        description="What you may do to this record now (each an API request that would be accepted, role and status both "
        "considered; the request's own content is still checked). Buttons for anything else would be refused."
    ),
]

#: What a region offers the caller to create (the caller's own region in GET /auth/me, a
#: region's in its summary).
RegionActions = Annotated[
    list[Action],
    Field(
        description="What you may create or set in this region, and whether you may see its contacts (`view_contacts`); each a "
        "request that would be accepted as far as your role and region go (the request's own content is still checked)."
    ),
]


# -- records ---------------------------------------------------------------------------


class Record(Protocol):
    """Anything the policy decides on: its kind and its region (None: a national record)."""

    @property
    def policy_kind(self) -> Kind: ...
    @property
    def region_code(self) -> str | None: ...


class CompetitionRecord(Record, Protocol):
    @property
    def status(self) -> str: ...


class DecreeRecord(Record, Protocol):
    @property
    def level(self) -> int: ...
    @property
    def status(self) -> str: ...


class PosyanduRecord(Record, Protocol):
    @property
    def registration_status(self) -> str: ...


class BatchRecord(Record, Protocol):
    @property
    def status(self) -> str: ...


class ActivityReportRecord(Record, Protocol):
    @property
    def status(self) -> str: ...


class WebhookRecord(Record, Protocol):
    @property
    def api_client_id(self) -> int: ...


class AccountRecord(Record, Protocol):
    @property
    def id(self) -> int: ...
    @property
    def role(self) -> str: ...


@dataclass(frozen=True)
class Region:
    """A region (None: the nation) as the place something is created in."""

    region_code: str | None
    policy_kind: Kind = Kind.region


@dataclass(frozen=True)
class Webhooks:
    """An API client's webhook subscriptions, as the place a new one is created in."""

    api_client_id: int
    region_code: str | None
    policy_kind: Kind = Kind.webhook


def region(code: str | None) -> Region:
    return Region(code)


#: The nation, for what only national accounts may do.
NATION = Region(None)


#: Who issues Nomor Registrasi Posyandu in Pembina (beside the coordinators' XLSX round trip).
ISSUER_ROLES = frozenset({Role.ministry, Role.national_admin})
#: What the (read-only) ministry may do to a posyandu submitted to it.
MINISTRY_POSYANDU_ACTIONS = frozenset({Action.register, Action.return_})


# -- the rules' building blocks ----------------------------------------------------------
# Each returns the problem that refuses the caller, or None.

Check = Problem | None

#: Roles that verify decrees and posyandu registrations and run registration batches.
COORDINATOR_ROLES = frozenset({Role.regency_coordinator, Role.province_coordinator, Role.national_admin})


def _write(principal: Principal, code: str | None) -> Check:
    """A writing account whose region covers `code` (a national record: national accounts)."""
    if not principal.can_write:
        return Forbidden("This account has read-only access.", "Akun ini hanya memiliki akses baca.")
    if code is None:
        return (
            None
            if principal.is_national
            else OutOfScope("Only national accounts may write national records.", "Hanya akun nasional yang boleh menulis data nasional.")
        )
    if not principal.covers(code):
        return principal.outside(code)
    return None


def _ministry(principal: Principal) -> bool:
    return principal.kind == "user" and principal.role == Role.ministry


def _issuer(principal: Principal) -> Check:
    if principal.kind == "user" and principal.role in ISSUER_ROLES:
        return None
    return Forbidden(
        "Only the ministry (Ditjen Bina Pemdes) or a national admin issues registration numbers in Pembina.",
        "Hanya kementerian (Ditjen Bina Pemdes) atau admin nasional yang menerbitkan nomor registrasi di Pembina.",
    )


def _coordinator(principal: Principal) -> bool:
    return principal.kind == "user" and principal.role in COORDINATOR_ROLES


def _not_coordinator(what: str) -> Forbidden:
    return Forbidden(
        f"Only a regency/city coordinator (or above) may {what}.", f"Hanya koordinator kabupaten/kota (atau di atasnya) yang boleh {what}."
    )


def _manager(principal: Principal, what: str) -> Check:
    return (
        None
        if principal.can_manage_accounts
        else Forbidden(f"Your role cannot manage {what}.", f"Peran Anda tidak dapat mengelola {what}.")
    )


def _grant(principal: Principal, role: Role, code: str | None) -> Check:
    """Granting `role` in `code`: never above one's own rank, never outside one's region."""
    if ROLE_RANK[role] > principal.rank:
        return Forbidden(
            f"You cannot grant the role {role.value}, which is above your own.",
            f"Anda tidak dapat memberikan peran {role.value}, yang lebih tinggi dari peran Anda.",
        )
    if code is None and not principal.is_national:
        return OutOfScope("Only national accounts may create national accounts.", "Hanya akun nasional yang boleh membuat akun nasional.")
    if code is not None and not principal.covers(code):
        return principal.outside(code)
    return None


# -- decrees -------------------------------------------------------------------------------

#: The statuses each decree step starts from (where it leads is the decree's own business).
DECREE_FROM: dict[Action, frozenset[str]] = {
    Action.issue: frozenset({"draft"}),
    Action.report: frozenset({"issued"}),
    Action.verify: frozenset({"reported"}),
    Action.return_: frozenset({"reported"}),
    Action.revoke: frozenset({"issued", "reported", "verified"}),
}


def _decree_who(principal: Principal, action: Action, d: DecreeRecord) -> Check:
    problem = _write(principal, d.region_code)
    if problem is not None:
        return problem
    needs_verifier = action in (Action.verify, Action.return_) or (action == Action.revoke and d.status == "verified")
    if not needs_verifier:
        return None
    if not _coordinator(principal):
        return Forbidden(
            "Only a regency/city coordinator or above verifies, returns or revokes verified decrees.",
            "Hanya koordinator kabupaten/kota atau di atasnya yang memverifikasi, mengembalikan atau mencabut SK terverifikasi.",
        )
    if d.level < _decree_verifier_floor(principal):  # never one's own level: a decree is checked from above
        return Forbidden(
            "A decree is verified by a level above its own, not by its own region's account.",
            "SK diverifikasi oleh tingkat di atasnya, bukan oleh akun wilayahnya sendiri.",
        )
    return None


def _decree_verifier_floor(principal: Principal) -> int:
    """The shallowest decree level a coordinator verifies: the one below its own region's."""
    return (0 if principal.region_code is None else level_of(principal.region_code)) + 1


def _decree_when(action: Action, d: DecreeRecord) -> Check:
    if action == Action.delete and d.status != "draft":
        return Conflict(
            f"Only drafts can be deleted; this decree is {d.status} (revoke it instead).",
            f"Hanya draf yang dapat dihapus; SK ini berstatus {d.status} (cabut saja).",
        )
    if action == Action.upload_file and d.status in ("verified", "revoked"):
        return Conflict(f"The scan of a {d.status} decree cannot be replaced.", f"Pindaian SK berstatus {d.status} tidak dapat diganti.")
    sources = DECREE_FROM.get(action)
    if sources is not None and d.status not in sources:
        return InvalidTransition(
            f"Cannot {action.value} a decree that is {d.status} (allowed from: {', '.join(sorted(sources))}).",
            f"Tidak dapat {action.value} SK berstatus {d.status} (diizinkan dari: {', '.join(sorted(sources))}).",
            current_status=d.status,
        )
    return None


# -- reporting deadlines ---------------------------------------------------------------------


def _deadline_who(principal: Principal, code: str | None) -> Check:
    problem = _write(principal, code)
    if problem is None and principal.kind == "user" and principal.rank < ROLE_RANK[Role.district_operator]:
        return Forbidden(
            "Reporting deadlines are set by district operators and coordinators above.",
            "Batas waktu pelaporan ditetapkan oleh operator kecamatan dan koordinator di atasnya.",
        )
    return problem


# -- posyandu registration -------------------------------------------------------------------

#: The registration statuses each step starts from.
REGISTRATION_FROM: dict[Action, frozenset[str]] = {
    Action.propose: frozenset({"unregistered", "returned"}),
    Action.verify: frozenset({"proposed"}),
    Action.return_: frozenset({"proposed", "verified", "submitted"}),
    Action.reject: frozenset({"proposed", "verified", "submitted"}),
    Action.register: frozenset({"submitted"}),
    Action.reopen: frozenset({"rejected"}),
}
#: Before it is proposed (and after a return or a rejection) a posyandu's evidence can change
#: and the posyandu can be deleted.
POSYANDU_OPEN = frozenset({"unregistered", "returned", "rejected"})


def _posyandu_who(principal: Principal, action: Action, p: PosyanduRecord) -> Check:
    if _ministry(principal) and action in MINISTRY_POSYANDU_ACTIONS:
        # national, read-only but for this: a number for, or a return of, what was submitted to it
        if p.registration_status != "submitted" and action == Action.return_:
            return InvalidTransition(
                f"The ministry returns only posyandu submitted to it; this one is {p.registration_status}.",
                f"Kementerian hanya mengembalikan posyandu yang diajukan kepadanya; posyandu ini berstatus {p.registration_status}.",
            )
        return None
    problem = _write(principal, p.region_code)
    if problem is None and action in REGISTRATION_FROM and action != Action.propose and not _coordinator(principal):
        return _not_coordinator(tr(f"{action.value} a registration", f"melakukan {action.value} pada registrasi"))
    return problem


def _posyandu_when(action: Action, p: PosyanduRecord) -> Check:
    status = p.registration_status
    if action == Action.delete and status not in POSYANDU_OPEN:
        return Conflict(
            f"A posyandu that is {status} cannot be deleted; deactivate it instead (is_active=false).",
            f"Posyandu berstatus {status} tidak dapat dihapus; nonaktifkan saja (is_active=false).",
        )
    if action in (Action.add_document, Action.delete_document) and status not in POSYANDU_OPEN:
        return InvalidTransition(
            f"The posyandu is {status}: its evidence can no longer change.",
            f"Posyandu berstatus {status}: bukti dukungnya tidak dapat diubah lagi.",
        )
    sources = REGISTRATION_FROM.get(action)
    if sources is not None and status not in sources:
        hint = (
            tr(
                " Verified posyandu are submitted through a registration batch.",
                " Posyandu terverifikasi diajukan melalui batch registrasi.",
            )
            if status == "verified" and action == Action.register
            else ""
        )
        return InvalidTransition(
            f"Cannot {action.value} a posyandu that is {status} (allowed from: {', '.join(sorted(sources))}).{hint}",
            f"Tidak dapat {action.value} posyandu berstatus {status} (diizinkan dari: {', '.join(sorted(sources))}).{hint}",
        )
    return None


# -- registration batches ----------------------------------------------------------------------

BATCH_WHAT = {
    Action.create_batch: ("create a registration batch", "membuat batch registrasi"),
    Action.update: ("change a registration batch", "mengubah batch registrasi"),
    Action.delete: ("delete a registration batch", "menghapus batch registrasi"),
    Action.submit: ("submit a registration batch", "mengajukan batch registrasi"),
    Action.import_numbers: ("record registration numbers", "mencatat nomor registrasi"),
}


def _batch_who(principal: Principal, action: Action, b: Record) -> Check:
    if action == Action.issue_numbers:
        return _issuer(principal)
    return _batch_role(principal, action) or _write(principal, b.region_code)


def _batch_role(principal: Principal, action: Action) -> Check:
    if action == Action.issue_numbers:
        return _issuer(principal)
    return None if _coordinator(principal) else _not_coordinator(tr(*BATCH_WHAT[action]))


def _batch_when(action: Action, b: BatchRecord) -> Check:
    if action == Action.delete and b.status != "draft":
        return InvalidTransition(
            f"The batch is {b.status}: only draft batches can be deleted.",
            f"Batch berstatus {b.status}: hanya batch draf yang dapat dihapus.",
        )
    if action == Action.submit and b.status != "draft":
        return InvalidTransition(f"The batch is already {b.status}.", f"Batch sudah berstatus {b.status}.")
    if action == Action.import_numbers and b.status == "draft":
        return InvalidTransition("The batch has not been submitted yet.", "Batch belum diajukan.")
    if action == Action.issue_numbers and b.status != "submitted":
        return InvalidTransition(
            f"The batch is {b.status}: numbers are issued to a submitted batch whose posyandu await them.",
            f"Batch berstatus {b.status}: nomor diterbitkan untuk batch yang sudah diajukan dan posyandunya menunggu nomor.",
        )
    return None


# -- monthly activity reports ------------------------------------------------------------------

#: The statuses each report step starts from: draft -> submitted -> accepted, or returned (with a
#: reason, from submitted or accepted) and submitted again.
REPORT_FROM: dict[Action, frozenset[str]] = {
    Action.submit: frozenset({"draft", "returned"}),
    Action.accept: frozenset({"submitted"}),
    Action.return_: frozenset({"submitted", "accepted"}),
}
#: Where `PEMBINA_ACTIVITY_REPORT_ACCEPTOR` puts the accepting accounts: at this level or above.
ACCEPTOR_LEVEL = {"village": 4, "district": 3}


def report_acceptor_level() -> int:
    """The deepest level of the accounts that accept and return reports (4 village, 3 district)."""
    return ACCEPTOR_LEVEL[get_settings().activity_report_acceptor]


def _report_who(principal: Principal, action: Action, r: ActivityReportRecord) -> Check:
    problem = _write(principal, r.region_code)
    if problem is not None or action not in (Action.accept, Action.return_):
        return problem
    floor = report_acceptor_level()
    if level_of(principal.region_code) > floor:
        who = (
            tr("the village or above", "desa/kelurahan atau di atasnya")
            if floor == 4
            else tr("the district or above", "kecamatan atau di atasnya")
        )
        return Forbidden(
            f"Reports are accepted and returned by {who}, not by this account's region.",
            f"Laporan diterima dan dikembalikan oleh {who}, bukan oleh wilayah akun ini.",
        )
    return None


def _report_when(action: Action, r: ActivityReportRecord) -> Check:
    if action == Action.update and r.status == "accepted":
        return Conflict(
            "The report is accepted: it changes only after it is returned (with a reason).",
            "Laporan sudah diterima: hanya dapat diubah setelah dikembalikan (dengan alasan).",
        )
    if action == Action.delete and r.status != "draft":
        return Conflict(
            f"Only draft reports can be deleted; this one is {r.status}.",
            f"Hanya laporan draf yang dapat dihapus; laporan ini berstatus {r.status}.",
        )
    sources = REPORT_FROM.get(action)
    if sources is not None and r.status not in sources:
        return InvalidTransition(
            f"Cannot {action.value} a report that is {r.status} (allowed from: {', '.join(sorted(sources))}).",
            f"Tidak dapat {action.value} laporan berstatus {r.status} (diizinkan dari: {', '.join(sorted(sources))}).",
            current_status=r.status,
        )
    return None


# -- accounts ------------------------------------------------------------------------------------


def _user_who(principal: Principal, action: Action, u: AccountRecord) -> Check:
    """Existing accounts are managed by someone of strictly higher rank, in their region; one's
    own account only as far as its name and contact go."""
    is_self = principal.kind == "user" and u.id == principal.id
    role = Role(u.role)
    problem = _manager(principal, tr("accounts", "akun"))
    if problem is None and is_self and action == Action.delete:
        return Forbidden("You cannot delete yourself.", "Anda tidak dapat menghapus diri sendiri.")
    if problem is None and is_self and action == Action.set_active:
        return Forbidden(
            "You cannot change your own role or region, nor deactivate yourself.",
            "Anda tidak dapat mengubah peran atau wilayah Anda sendiri, maupun menonaktifkan diri sendiri.",
        )
    if problem is None and not is_self and ROLE_RANK[role] >= principal.rank:
        return Forbidden(
            "You can manage only accounts of a lower rank than your own.", "Anda hanya dapat mengelola akun dengan peringkat di bawah Anda."
        )
    return problem or _grant(principal, role, u.region_code)


def _client_who(principal: Principal, c: Record) -> Check:
    problem = _manager(principal, tr("API clients", "API client"))
    if problem is None and c.region_code is not None and not principal.covers(c.region_code):
        return principal.outside(c.region_code)
    return problem


def _webhook_who(principal: Principal, w: WebhookRecord) -> Check:
    """A client's webhook subscriptions are managed by whoever manages the client, and by the
    client itself (its own only)."""
    if principal.kind == "client":
        if principal.id == w.api_client_id:
            return None
        return Forbidden(
            "An API client manages only its own webhook subscriptions.", "API client hanya mengelola langganan webhook miliknya sendiri."
        )
    return _client_who(principal, w)


def webhook_readable(principal: Principal, w: WebhookRecord) -> bool:
    """Whether the caller may read a webhook subscription (and its deliveries): an account whose
    region covers the client's, or the client itself (never another client's)."""
    if principal.kind == "client":
        return principal.id == w.api_client_id
    return principal.covers(w.region_code)


# -- regions: what may be created in them ------------------------------------------------------------


def _legal_maintainer(principal: Principal, code: str | None) -> Check:
    national_admin = principal.kind != "user" or principal.role == Role.national_admin
    if code is not None or not principal.is_national or not principal.can_write or not national_admin:
        return Forbidden(
            "The legal references library is maintained by national administrators.",
            "Pustaka dasar hukum dikelola oleh administrator nasional.",
        )
    return None


def _contacts(principal: Principal, code: str | None) -> Check:
    """Who may read a region's contacts (to chase a late report): a regency/city coordinator or
    above whose region covers it, or an API client of its region granted personal data; never a
    viewer, an operator or a client without that grant."""
    if principal.kind == "client" and not principal.sees_personal_data:
        return Forbidden(
            "Contacts are personal data: this client was not granted personal-data:read.",
            "Kontak adalah data pribadi: client ini tidak diberi scope personal-data:read.",
        )
    if principal.kind == "user" and not principal.can_write:
        return Forbidden(
            "Contacts are for coordinators: this account has read-only access.",
            "Kontak hanya untuk koordinator: akun ini hanya memiliki akses baca.",
        )
    if principal.kind == "user" and not _coordinator(principal):
        return _not_coordinator(tr("see a region's contacts", "melihat kontak suatu wilayah"))
    if not principal.covers(code):
        return principal.outside(code)
    return None


def _region_who(principal: Principal, action: Action, code: str | None) -> Check:
    if action == Action.view_contacts:
        return _contacts(principal, code)
    if action == Action.set_deadline:
        return _deadline_who(principal, code)
    if action == Action.create_batch:
        return _batch_role(principal, action) or _write(principal, code)
    if action in (Action.create_user, Action.create_api_client):
        what = tr("accounts", "akun") if action == Action.create_user else tr("API clients", "API client")
        problem = _manager(principal, what)
        if problem is None and code is None and not principal.is_national:
            return OutOfScope(
                f"Only national accounts may create national {what}.", f"Hanya akun nasional yang boleh membuat {what} nasional."
            )
        if problem is None and code is not None and not principal.covers(code):
            return principal.outside(code)
        return problem
    if action == Action.import_records:
        return (
            None
            if principal.can_write
            else Forbidden(
                "This account has read-only access: it cannot import.", "Akun ini hanya memiliki akses baca: tidak dapat mengimpor."
            )
        )
    if action == Action.maintain_legal:
        return _legal_maintainer(principal, code)
    return _write(principal, code)


# -- what each kind offers --------------------------------------------------------------------------

#: The actions `allowed_actions` considers for each kind, in the order a screen shows them.
ACTIONS: dict[Kind, tuple[Action, ...]] = {
    Kind.region: (
        Action.create_team,
        Action.create_decree,
        Action.set_deadline,
        Action.create_posyandu,
        Action.create_batch,
        Action.create_meeting,
        Action.create_budget,
        Action.create_work_program,
        Action.create_pilot_site,
        Action.create_competition,
        Action.create_activity_report,
        Action.create_user,
        Action.create_api_client,
        Action.import_records,
        Action.maintain_legal,
        Action.view_contacts,
    ),
    Kind.team: (Action.update, Action.delete, Action.add_member, Action.add_decree),
    Kind.team_member: (Action.update, Action.delete),
    Kind.decree: (
        Action.issue,
        Action.report,
        Action.verify,
        Action.return_,
        Action.revoke,
        Action.update,
        Action.upload_file,
        Action.delete,
    ),
    Kind.deadline: (Action.update, Action.delete),
    Kind.posyandu: (
        Action.propose,
        Action.verify,
        Action.return_,
        Action.reject,
        Action.register,
        Action.reopen,
        Action.update,
        Action.add_document,
        Action.delete_document,
        Action.delete,
    ),
    Kind.batch: (Action.update, Action.submit, Action.import_numbers, Action.issue_numbers, Action.delete),
    Kind.meeting: (Action.update, Action.delete, Action.add_follow_up, Action.add_attachment),
    Kind.attachment: (Action.delete,),
    Kind.follow_up: (Action.update, Action.delete),
    Kind.budget: (Action.update, Action.delete, Action.add_allocation),
    Kind.allocation: (Action.update, Action.delete, Action.add_realization),
    Kind.realization: (Action.delete,),
    Kind.work_program: (Action.update, Action.delete),
    Kind.pilot_site: (Action.update, Action.delete),
    Kind.competition: (Action.update, Action.delete, Action.add_entrant, Action.score, Action.finalize),
    Kind.user: (Action.update, Action.set_active, Action.delete),
    Kind.api_client: (Action.update, Action.rotate_secret, Action.delete),
    Kind.webhook: (Action.update, Action.rotate_secret, Action.redeliver, Action.delete),
    Kind.activity_report: (Action.submit, Action.accept, Action.return_, Action.update, Action.delete),
}


def _who(principal: Principal, action: Action, record: Record) -> Check:
    kind = record.policy_kind
    if kind == Kind.region:
        return _region_who(principal, action, record.region_code)
    if kind == Kind.decree:
        return _decree_who(principal, action, cast(DecreeRecord, record))
    if kind == Kind.deadline:
        return _deadline_who(principal, record.region_code)
    if kind == Kind.posyandu:
        return _posyandu_who(principal, action, cast(PosyanduRecord, record))
    if kind == Kind.batch:
        return _batch_who(principal, action, record)
    if kind == Kind.user:
        return _user_who(principal, action, cast(AccountRecord, record))
    if kind == Kind.api_client:
        return _client_who(principal, record)
    if kind == Kind.webhook:
        return _webhook_who(principal, cast(WebhookRecord, record))
    if kind == Kind.activity_report:
        return _report_who(principal, action, cast(ActivityReportRecord, record))
    return _write(principal, record.region_code)


def _when(action: Action, record: Record) -> Check:
    kind = record.policy_kind
    if kind == Kind.decree:
        return _decree_when(action, cast(DecreeRecord, record))
    if kind == Kind.posyandu:
        return _posyandu_when(action, cast(PosyanduRecord, record))
    if kind == Kind.batch:
        return _batch_when(action, cast(BatchRecord, record))
    if kind == Kind.activity_report:
        return _report_when(action, cast(ActivityReportRecord, record))
    if (
        kind == Kind.competition
        and action in (Action.add_entrant, Action.score, Action.finalize)
        and cast(CompetitionRecord, record).status == "final"
    ):
        return Conflict(
            "The competition is final: its entrants, scores and result can no longer change.",
            "Lomba sudah final: peserta, nilai dan hasilnya tidak dapat diubah lagi.",
        )
    if kind == Kind.team and action == Action.add_decree and record.region_code is None:
        return Conflict(
            "The national team takes no SK here: decrees (SK) are regions' records.",
            "Tim nasional tidak memiliki SK di sini: SK adalah data wilayah.",
        )
    return None


def _unknown(action: Action, kind: Kind) -> Check:
    if action not in ACTIONS[kind]:
        raise ValueError(f"{action.value!r} is not an action on a {kind.value}")  # a programming error, never a 4xx
    return None


def refusal(principal: Principal, action: Action, record: Record) -> Problem | None:
    """The problem that refuses `action` on `record` (who first, then when), or None."""
    return _unknown(action, record.policy_kind) or _who(principal, action, record) or _when(action, record)


# -- the API ---------------------------------------------------------------------------------------


def allowed(principal: Principal, action: Action, record: Record) -> bool:
    """Whether the API would let the caller do `action` to `record` now."""
    return refusal(principal, action, record) is None


def require(principal: Principal, action: Action, record: Record) -> None:
    """Raise the problem the API answers when the caller may not do `action` to `record` now."""
    problem = refusal(principal, action, record)
    if problem is not None:
        raise problem


def require_role(principal: Principal, action: Action, record: Record | Kind) -> None:
    """Only the *who* part: role, rank and region, not the record's current status. For a domain
    that checks the status later, in its own order (after If-Match, or after the input's own
    checks), with `require`. Given a kind instead of a record: only what depends on the caller
    alone (account management, batches), checked before the record is even read."""
    if isinstance(record, Kind):
        problem = _role_only(principal, action, record)
    else:
        problem = _unknown(action, record.policy_kind) or _who(principal, action, record)
    if problem is not None:
        raise problem


def _role_only(principal: Principal, action: Action, kind: Kind) -> Check:
    if kind == Kind.user or (kind == Kind.region and action == Action.create_user):
        return _manager(principal, tr("accounts", "akun"))
    if kind == Kind.api_client or (kind == Kind.region and action == Action.create_api_client):
        return _manager(principal, tr("API clients", "API client"))
    if kind == Kind.batch or (kind == Kind.region and action == Action.create_batch):
        return _batch_role(principal, action)
    raise ValueError(f"{kind.value} has no rule on the caller alone for {action.value!r}")


def require_grant(principal: Principal, role: Role, region_code: str | None) -> None:
    """Granting an account `role` in `region_code` (creating it, or changing its role or region):
    at most one's own rank, inside one's own region."""
    problem = _grant(principal, role, region_code)
    if problem is not None:
        raise problem


#: The kinds whose national records (held by the nation: no region) every account and API client
#: may READ: a national meeting (the Rakornas) and a national competition concern every region, whose
#: posyandu and teams attend or enter. A national team (the national TP Posyandu and its members)
#: is read by national accounts only. Writing any national record is for national accounts only
#: (`_write`), and a national record is never in a region's counters.
NATIONAL_READ_BY_ALL = frozenset({Kind.meeting, Kind.competition})


def reads_national(principal: Principal, kind: Kind) -> bool:
    """Whether the caller may read the national records of `kind`."""
    return principal.is_national or kind in NATIONAL_READ_BY_ALL


def readable(principal: Principal, record: Record) -> bool:
    """Whether the caller may read `record`: in its region, or a national record of a kind it may read."""
    if record.region_code is None:
        return reads_national(principal, record.policy_kind)
    return principal.covers(record.region_code)


@dataclass(frozen=True)
class Waiting:
    """What waits for the caller's verification, as a query can ask it: records of the caller's
    region in one of `statuses`, held at `min_level` or deeper (the same rule as
    `allowed(principal, Action.verify, record)`, for lists of work such as GET /auth/me/tasks)."""

    statuses: frozenset[str]
    min_level: int


def awaiting_verification(principal: Principal, kind: Kind) -> Waiting | None:
    """Which decrees or posyandu wait for the caller's verification (None: the caller verifies none)."""
    if not principal.can_write or not _coordinator(principal):
        return None
    if kind == Kind.decree:
        floor = _decree_verifier_floor(principal)
        return Waiting(DECREE_FROM[Action.verify], floor) if floor <= 4 else None
    if kind == Kind.posyandu:
        return Waiting(REGISTRATION_FROM[Action.verify], 1)
    raise ValueError(f"nothing of kind {kind.value} is verified")


#: What the rules read of a record of each kind besides its kind and region (the Record protocols
#: above): records that agree on these get the same actions from the same caller.
STATE: dict[Kind, tuple[str, ...]] = {
    Kind.competition: ("status",),
    Kind.decree: ("level", "status"),
    Kind.posyandu: ("registration_status",),
    Kind.batch: ("status",),
    Kind.activity_report: ("status",),
    Kind.webhook: ("api_client_id",),
    Kind.user: ("id", "role"),
}


def _where(principal: Principal, code: str | None) -> tuple[bool, bool]:
    """All that the rules ask of a record's region: whether it is the nation's (None) and whether
    the caller's region covers it. Two records that agree on this (and on `STATE`) get the same
    actions from the same caller, wherever they are: the fifty villages of a list page are one
    answer, not fifty. (Only the refusals' wording names the region, and `allowed_actions` keeps
    no wording.)"""
    return code is None, principal.covers(code)


def allowed_actions(principal: Principal, record: Record) -> list[Action]:
    """Every action of the record's kind that the API would accept from the caller now (worked out
    once per caller, kind, place (`_where`) and state within a `memo.scope()`, e.g. a list page)."""
    kind = record.policy_kind
    where = _where(principal, record.region_code)
    key = ("allowed_actions", principal, kind, *where, *(getattr(record, a) for a in STATE.get(kind, ())))
    return list(memo.cached(key, lambda: tuple(a for a in ACTIONS[kind] if refusal(principal, a, record) is None)))


class ActionableRead(TrackedRead):
    """The last fields of the read model of a record the caller may act on (list it first among the bases)."""

    allowed_actions: AllowedActions


def read(model: type[M], principal: Principal, record: Record, /, **computed: Any) -> M:
    """`kit.reads.read` with the record's `allowed_actions` for the caller, its personal fields
    masked for a caller who may not see them (`kit.personal`)."""
    out = reads.read(model, record, allowed_actions=allowed_actions(principal, record), **computed)
    return personal.minimise(out, getattr(record, "__tablename__", None), principal.sees_personal_data)
