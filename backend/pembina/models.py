"""Every ORM model, imported once so that the metadata (and Alembic) sees all tables."""

from pembina.api_clients.models import ApiClient
from pembina.audit.models import AuditEvent
from pembina.db import Base
from pembina.decrees.models import Decree, DecreeFile, DecreeTransition, ReportingDeadline
from pembina.regions.models import Region
from pembina.stats.models import RegionStat
from pembina.teams.models import Team, TeamMember
from pembina.users.models import User

__all__ = [
    "ApiClient", "AuditEvent", "Base", "Decree", "DecreeFile", "DecreeTransition", "Region", "RegionStat",
    "ReportingDeadline", "Team", "TeamMember", "User",
]
