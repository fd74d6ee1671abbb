"""A team's work program (program kerja): planned activities for a year, per SPM field."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from sqlalchemy import Date, ForeignKey, Index, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pembina.auth.policy import Kind
from pembina.kit.db import Base, RegionCode, Tracked
from pembina.kit.provenance import Sourced
from pembina.teams.models import OfTeam


class WorkProgram(Sourced, Tracked, OfTeam, Base):
    """One planned activity of a team for a year, with its schedule, the office in charge and a status."""

    __tablename__ = "work_programs"
    policy_kind: ClassVar[Kind] = Kind.work_program  # what the access policy knows it as

    year: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    #: One of the 6 SPM fields, or None for the whole team (e.g. pembinaan, coordination).
    spm_field: Mapped[str | None] = mapped_column(String(32), nullable=True)
    title: Mapped[str] = mapped_column(String(300), nullable=False)
    description: Mapped[str | None] = mapped_column(Text, nullable=True)
    start_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    end_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    #: A position or office (e.g. "Sekretariat TP Posyandu (DPMPPA)"), not necessarily a person.
    person_in_charge: Mapped[str | None] = mapped_column(String(200), nullable=True)
    #: planned | in_progress | done | cancelled
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="planned")

    links: Mapped[list[WorkProgramAllocation]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="WorkProgramAllocation.allocation_id"
    )

    __table_args__ = (Index("ix_work_programs_region_code_year", "region_code", "year"), Index("ix_work_programs_team_id", "team_id"))


class WorkProgramAllocation(Base):
    """A work program funded (in part) by a budget allocation of its team and year."""

    __tablename__ = "work_program_allocations"

    work_program_id: Mapped[int] = mapped_column(ForeignKey("work_programs.id", ondelete="CASCADE"), primary_key=True)
    allocation_id: Mapped[int] = mapped_column(ForeignKey("budget_allocations.id", ondelete="CASCADE"), primary_key=True)
    region_code: Mapped[str] = mapped_column(RegionCode, nullable=False)

    __table_args__ = (Index("ix_work_program_allocations_allocation_id", "allocation_id"),)
