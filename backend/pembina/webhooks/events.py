"""The events a subscription can receive, and how a change of the change feed becomes one.

An event names what happened to a record (`decree.reported`, `posyandu.registered`); its
payload is that record as the API returns it. Lifecycle steps come from the steps' own records
(a decree's transition, a posyandu's registration event), so `decree.reported` is sent once per
report, whatever else was edited; plain edits are `<kind>.updated` (an edit that changed a
status is the step's event only). An activity report has no step records: the write that changed
its status is the step (`activity_report.submitted`, `.accepted`, `.returned`), and one created
past its draft (a spreadsheet import creates reports submitted) is that step, not `.created`. `follow_up.overdue` comes from the clock, not from a write:
the worker sends it once per follow-up and due date, the day after the due date passes.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from pembina.kit.i18n import tr


class EventType(StrEnum):
    decree_created = "decree.created"
    decree_updated = "decree.updated"
    decree_issued = "decree.issued"
    decree_reported = "decree.reported"
    decree_verified = "decree.verified"
    decree_returned = "decree.returned"
    decree_revoked = "decree.revoked"
    decree_deleted = "decree.deleted"
    posyandu_created = "posyandu.created"
    posyandu_updated = "posyandu.updated"
    posyandu_deleted = "posyandu.deleted"
    posyandu_proposed = "posyandu.proposed"
    posyandu_verified = "posyandu.verified"
    posyandu_returned = "posyandu.returned"
    posyandu_rejected = "posyandu.rejected"
    posyandu_registered = "posyandu.registered"
    posyandu_reopened = "posyandu.reopened"
    team_created = "team.created"
    team_updated = "team.updated"
    team_deleted = "team.deleted"
    meeting_created = "meeting.created"
    meeting_updated = "meeting.updated"
    meeting_deleted = "meeting.deleted"
    follow_up_created = "follow_up.created"
    follow_up_updated = "follow_up.updated"
    follow_up_deleted = "follow_up.deleted"
    follow_up_overdue = "follow_up.overdue"
    activity_report_created = "activity_report.created"
    activity_report_updated = "activity_report.updated"
    activity_report_submitted = "activity_report.submitted"
    activity_report_accepted = "activity_report.accepted"
    activity_report_returned = "activity_report.returned"
    activity_report_deleted = "activity_report.deleted"


#: What each event means (en, id), for GET /webhook-events and the dashboard.
DESCRIPTIONS: dict[EventType, tuple[str, str]] = {
    EventType.decree_created: ("A decree (SK) was drafted", "SK dibuat (draf)"),
    EventType.decree_updated: ("A decree's fields were edited", "Isian SK diubah"),
    EventType.decree_issued: ("A decree was issued", "SK diterbitkan"),
    EventType.decree_reported: ("A decree was reported to the technical office", "SK dilaporkan ke dinas teknis"),
    EventType.decree_verified: ("A decree was verified", "SK diverifikasi"),
    EventType.decree_returned: ("A reported decree was sent back", "SK yang dilaporkan dikembalikan"),
    EventType.decree_revoked: ("A decree was revoked", "SK dicabut"),
    EventType.decree_deleted: ("A draft decree was deleted", "Draf SK dihapus"),
    EventType.posyandu_created: ("A posyandu was recorded", "Posyandu dicatat"),
    EventType.posyandu_updated: ("A posyandu's data was edited", "Data posyandu diubah"),
    EventType.posyandu_deleted: ("A posyandu was deleted", "Posyandu dihapus"),
    EventType.posyandu_proposed: ("A posyandu was proposed for registration", "Posyandu diusulkan untuk registrasi"),
    EventType.posyandu_verified: ("A posyandu's proposal was verified", "Usulan posyandu diverifikasi"),
    EventType.posyandu_returned: ("A posyandu's proposal was returned", "Usulan posyandu dikembalikan"),
    EventType.posyandu_rejected: ("A posyandu's proposal was rejected", "Usulan posyandu ditolak"),
    EventType.posyandu_registered: ("A posyandu got its registration number", "Posyandu mendapat nomor registrasi"),
    EventType.posyandu_reopened: ("A rejected posyandu was reopened", "Posyandu yang ditolak dibuka kembali"),
    EventType.team_created: ("A team was formed", "Tim dibentuk"),
    EventType.team_updated: ("A team was edited", "Tim diubah"),
    EventType.team_deleted: ("A team was deleted", "Tim dihapus"),
    EventType.meeting_created: ("A meeting (rakor) was recorded", "Rapat (rakor) dicatat"),
    EventType.meeting_updated: ("A meeting was edited", "Rapat diubah"),
    EventType.meeting_deleted: ("A meeting was deleted", "Rapat dihapus"),
    EventType.follow_up_created: ("A follow-up action was added", "Tindak lanjut ditambahkan"),
    EventType.follow_up_updated: ("A follow-up action changed", "Tindak lanjut diubah"),
    EventType.follow_up_deleted: ("A follow-up action was deleted", "Tindak lanjut dihapus"),
    EventType.follow_up_overdue: ("A follow-up action passed its due date unfinished", "Tindak lanjut melewati tenggat dan belum selesai"),
    EventType.activity_report_created: (
        "A posyandu's monthly activity report was started (draft)",
        "Laporan kegiatan bulanan posyandu dibuat (draf)",
    ),
    EventType.activity_report_updated: ("An activity report's figures were edited", "Isian laporan kegiatan diubah"),
    EventType.activity_report_submitted: ("An activity report was submitted", "Laporan kegiatan dikirim"),
    EventType.activity_report_accepted: ("An activity report was accepted", "Laporan kegiatan diterima"),
    EventType.activity_report_returned: ("An activity report was returned with a reason", "Laporan kegiatan dikembalikan dengan alasan"),
    EventType.activity_report_deleted: ("An activity report was deleted", "Laporan kegiatan dihapus"),
}


def describe(event: EventType) -> str:
    return tr(*DESCRIPTIONS[event])


#: The audit trail's entity types whose plain writes are events: (event prefix, the status column
#: whose change makes an update a lifecycle step rather than an edit).
RECORDS: dict[str, tuple[str, str | None]] = {
    "decrees": ("decree", "status"),
    "posyandu": ("posyandu", "registration_status"),
    "teams": ("team", None),
    "meetings": ("meeting", None),
    "follow_ups": ("follow_up", None),
    "activity_reports": ("activity_report", "status"),
}
#: Records whose lifecycle steps have no record of their own: an update that changed the status
#: is the step `<prefix>.<new status>` (an activity report's submitted, accepted, returned).
STATUS_STEPS = frozenset({"activity_reports"})
#: Lifecycle steps: the step record's entity type -> (the record it moves, its id column, event prefix).
STEPS: dict[str, tuple[str, str, str]] = {
    "decree_transitions": ("decrees", "decree_id", "decree"),
    "posyandu_registration_events": ("posyandu", "posyandu_id", "posyandu"),
}
#: A step's action -> the past tense its event is named by.
PAST = {
    "issue": "issued",
    "report": "reported",
    "verify": "verified",
    "return": "returned",
    "revoke": "revoked",
    "propose": "proposed",
    "reject": "rejected",
    "register": "registered",
    "reopen": "reopened",
}
ACTION_PAST = {"create": "created", "update": "updated", "delete": "deleted"}
_KNOWN = {e.value for e in EventType}

#: The entity types the worker reads from the feed.
SOURCES = frozenset(RECORDS) | frozenset(STEPS)


@dataclass(frozen=True)
class Event:
    """An event: its type, and the record it is about (the payload's `data`)."""

    type: EventType
    entity_type: str
    entity_id: str


def _event(name: str, entity_type: str, entity_id: Any) -> Event | None:
    return Event(EventType(name), entity_type, str(entity_id)) if name in _KNOWN and entity_id is not None else None


def from_change(entity_type: str, action: str, entity_id: str, before: dict[str, Any] | None, after: dict[str, Any] | None) -> Event | None:
    """The event one audited write is, if any."""
    step = STEPS.get(entity_type)
    if step is not None:
        record, key, prefix = step
        if action != "create" or not after or after.get("action") not in PAST:
            return None
        return _event(f"{prefix}.{PAST[after['action']]}", record, after.get(key))
    plain = RECORDS.get(entity_type)
    if plain is None or action not in ACTION_PAST:
        return None
    prefix, status = plain
    if action == "create" and entity_type in STATUS_STEPS and status and (after or {}).get(status) not in (None, "draft"):
        # made past its first status (an activity report imported from a spreadsheet arrives submitted)
        return _event(f"{prefix}.{(after or {}).get(status)}", entity_type, entity_id)
    if action == "update" and status and (before or {}).get(status) != (after or {}).get(status):
        if entity_type in STATUS_STEPS:
            return _event(f"{prefix}.{(after or {}).get(status)}", entity_type, entity_id)
        return None  # a lifecycle step: its own event comes from the step's record
    return _event(f"{prefix}.{ACTION_PAST[action]}", entity_type, entity_id)
