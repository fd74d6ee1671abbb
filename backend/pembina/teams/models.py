from __future__ import annotations

from datetime import date
from typing import ClassVar

from sqlalchemy import Boolean, Date, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from pembina.auth.policy import Kind
from pembina.kit.db import PLACE_COLUMNS, Base, RegionCode, Tracked
from pembina.kit import search
from pembina.kit.provenance import Sourced
from pembina.regions.models import NationOrRegionHeld


class Team(Sourced, Tracked, NationOrRegionHeld, Base):
    """A TP Posyandu (or a legacy Pokjanal/Pokja) of one region, formed by decree (SK); the national
    TP Posyandu has no region (a national record, level 0)."""

    __tablename__ = "teams"
    policy_kind: ClassVar[Kind] = Kind.team  # what the access policy knows it as

    #: tp_posyandu | pokjanal_posyandu | pokja_posyandu
    kind: Mapped[str] = mapped_column(String(32), nullable=False, default="tp_posyandu")
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    notes: Mapped[str | None] = mapped_column(Text, nullable=True)
    is_active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    #: When the team was formed, if known (compliance `as_of` falls back to created_at).
    formed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    #: For a TP Posyandu: the team of its region it succeeds (the former Pokjanal/Pokja), if recorded.
    succeeds_team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="RESTRICT"), nullable=True)

    members: Mapped[list[TeamMember]] = relationship(
        back_populates="team", cascade="all, delete-orphan", lazy="raise", order_by="TeamMember.id"
    )
    #: the name as searches compare them (`kit.search`)
    search_text: Mapped[str] = search.text_column("name")

    __table_args__ = (
        UniqueConstraint("region_code", "kind"),
        # the unique constraint above never compares NULLs: one national team of each kind, too
        Index(
            "uq_teams_national_kind",
            "kind",
            unique=True,
            sqlite_where=text("region_code IS NULL"),
            postgresql_where=text("region_code IS NULL"),
        ),
        Index("ix_teams_level_region_code", "level", "region_code"),
        Index("ix_teams_region_code_id", "region_code", "id"),  # the list's default order (keyset pages)
        Index("ix_teams_succeeds_team_id", "succeeds_team_id"),
    )


search.searchable(Team, "name")


class TeamMember(Sourced, Tracked, Base):
    """A person on a team, in one position (ketua bidang: for one SPM field), for a term."""

    __tablename__ = "team_members"
    policy_kind: ClassVar[Kind] = Kind.team_member  # what the access policy knows it as

    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), nullable=False)
    #: The team's region (None: the national team), kept here so that audit events and scope checks need no join.
    region_code: Mapped[str | None] = mapped_column(RegionCode, nullable=True)
    #: pembina | ketua | wakil_ketua | sekretaris | bendahara | ketua_bidang | anggota
    position: Mapped[str] = mapped_column(String(32), nullable=False)
    #: Only for ketua_bidang: kesehatan | pendidikan | sosial | trantibumlinmas | perumahan_rakyat | pekerjaan_umum
    spm_field: Mapped[str | None] = mapped_column(String(32), nullable=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    #: The member's institution (OPD), e.g. "DPMPPA Kota Pekalongan".
    institution: Mapped[str | None] = mapped_column(String(200), nullable=True)
    #: E.164 (+62...), see kit.phones.
    phone: Mapped[str | None] = mapped_column(String(32), nullable=True)
    term_start: Mapped[date | None] = mapped_column(Date, nullable=True)
    term_end: Mapped[date | None] = mapped_column(Date, nullable=True)

    team: Mapped[Team] = relationship(back_populates="members", lazy="raise")

    __table_args__ = (Index("ix_team_members_team_id", "team_id"),)


class OfTeam:
    """A record of one team (a budget, a work program): the team, its region kept here (scope,
    audit, counters, filters need no join), and the team, loaded with the record."""

    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="RESTRICT"), nullable=False, sort_order=PLACE_COLUMNS)
    region_code: Mapped[str] = mapped_column(RegionCode, ForeignKey("regions.code"), nullable=False, sort_order=PLACE_COLUMNS)

    @declared_attr
    def team(cls) -> Mapped[Team]:
        return relationship(Team, lazy="joined", viewonly=True)

    @property
    def team_name(self) -> str:
        return self.team.name
