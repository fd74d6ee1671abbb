"""Every ORM model, imported once so that the metadata (and Alembic) sees all tables."""

from sqlalchemy import Integer

from pembina.activity_reports.models import ActivityReport, ActivityReportPhoto, ActivityReportTotals
from pembina.api_clients.models import ApiClient, ApiClientUsage
from pembina.audit.models import AuditEvent
from pembina.budgets import counters as _budget_counters  # noqa: F401 - registers the counter source
from pembina.budgets import synthetic as _budget_synthetic  # noqa: F401 - registers the seed-synthetic step
from pembina.activity_reports import synthetic as _report_synthetic  # noqa: F401 - registers the seed-synthetic step
from pembina.budgets.models import Budget, BudgetAllocation, BudgetRealization
from pembina.competitions.models import Competition, CompetitionEntrant
from pembina.kit.db import Base
from pembina.kit.provenance import Provenance
from pembina.decrees import compliance as _compliance  # noqa: F401 - registers the counter source and the team-change hook
from pembina.decrees.models import Decree, DecreeTransition, ReportingDeadline
from pembina.idempotency.models import IdempotencyRecord
from pembina.legal.models import LegalReference
from pembina.notifications.models import Notification, NotificationPreference, WorkerRun
from pembina.meetings.models import FollowUp, Meeting, MeetingAttachment, MeetingAttendance, MeetingLegalBasis
from pembina.posyandu import counters as _posyandu_counters  # noqa: F401 - registers the counter sources
from pembina.posyandu.models import PilotSite, Posyandu, PosyanduDocument, RegistrationBatch, RegistrationEvent
from pembina.regions.models import Region
from pembina.stats.models import RegionStat
from pembina.teams.models import Team, TeamMember
from pembina.users.models import User
from pembina.webhooks.models import WebhookAttempt, WebhookCursor, WebhookDelivery, WebhookSubscription
from pembina.work_programs.models import WorkProgram, WorkProgramAllocation
from pembina.work_programs import service as _work_programs  # noqa: F401 - registers the allocation-removal hook

# On SQLite every table keyed by a single integer `id` is AUTOINCREMENT: a deleted record's id
# is never given to the next one (the audit trail, the change feed and tokens name records by
# id). PostgreSQL's sequences never reuse an id anyway. Migration 0013 made the tables so.
for _table in Base.metadata.tables.values():
    _pk = list(_table.primary_key.columns)
    if len(_pk) == 1 and _pk[0].name == "id" and isinstance(_pk[0].type, Integer):
        _table.dialect_options["sqlite"]["autoincrement"] = True

__all__ = [
    "ActivityReport",
    "ActivityReportPhoto",
    "ActivityReportTotals",
    "ApiClient",
    "ApiClientUsage",
    "AuditEvent",
    "Base",
    "Decree",
    "DecreeTransition",
    "IdempotencyRecord",
    "PilotSite",
    "Provenance",
    "Posyandu",
    "PosyanduDocument",
    "Region",
    "RegionStat",
    "RegistrationBatch",
    "RegistrationEvent",
    "ReportingDeadline",
    "Team",
    "TeamMember",
    "User",
    "Budget",
    "BudgetAllocation",
    "BudgetRealization",
    "WorkProgram",
    "WorkProgramAllocation",
    "LegalReference",
    "Notification",
    "NotificationPreference",
    "WorkerRun",
    "Meeting",
    "MeetingAttachment",
    "MeetingLegalBasis",
    "MeetingAttendance",
    "FollowUp",
    "Competition",
    "CompetitionEntrant",
    "WebhookSubscription",
    "WebhookDelivery",
    "WebhookAttempt",
    "WebhookCursor",
]
