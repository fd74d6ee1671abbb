"""A team's budget for a fiscal year and source, its allocations and their realizations.

Amounts are whole rupiah in BIGINT columns (never floats). Every row keeps its team's
region code so that scope checks, audit events and the change feed need no join.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import ClassVar

from sqlalchemy import BigInteger, Boolean, Date, ForeignKey, Index, SmallInteger, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pembina.auth.policy import Kind
from pembina.kit.db import Base, RegionCode, Tracked, utcnow
from pembina.kit.provenance import Sourced
from pembina.teams.models import OfTeam

#: Whole rupiah: 64-bit on both databases.
Rupiah = BigInteger()


class Budget(Sourced, Tracked, OfTeam, Base):
    """A team's money for one fiscal year from one source (apbd, dak_non_fisik, ...)."""

    __tablename__ = "budgets"
    policy_kind: ClassVar[Kind] = Kind.budget  # what the access policy knows it as

    fiscal_year: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    #: apbd | apbd_perubahan | dak_non_fisik | apbdes | dana_desa | other
    source: Mapped[str] = mapped_column(String(32), nullable=False)
    #: The budget ceiling; None when the amount is not (yet) known.
    total_amount: Mapped[int | None] = mapped_column(Rupiah, nullable=True)
    notes: Mapped[str | None] = mapped_column(Text, nullable=True)

    allocations: Mapped[list[BudgetAllocation]] = relationship(
        back_populates="budget", cascade="all, delete-orphan", lazy="raise", order_by="BudgetAllocation.id"
    )

    __table_args__ = (
        UniqueConstraint("team_id", "fiscal_year", "source"),
        Index("ix_budgets_region_code_fiscal_year", "region_code", "fiscal_year"),
    )


class BudgetAllocation(Sourced, Tracked, Base):
    """A share of a budget for one activity, in one SPM field (or none: general, e.g. pembinaan)."""

    __tablename__ = "budget_allocations"
    policy_kind: ClassVar[Kind] = Kind.allocation  # what the access policy knows it as

    budget_id: Mapped[int] = mapped_column(ForeignKey("budgets.id", ondelete="CASCADE"), nullable=False)
    region_code: Mapped[str] = mapped_column(RegionCode, nullable=False)
    activity: Mapped[str] = mapped_column(String(300), nullable=False)
    spm_field: Mapped[str | None] = mapped_column(String(32), nullable=True)
    category: Mapped[str | None] = mapped_column(String(32), nullable=True)
    amount: Mapped[int] = mapped_column(Rupiah, nullable=False)
    notes: Mapped[str | None] = mapped_column(Text, nullable=True)

    budget: Mapped[Budget] = relationship(back_populates="allocations", lazy="raise")

    __table_args__ = (Index("ix_budget_allocations_budget_id", "budget_id"), Index("ix_budget_allocations_region_code", "region_code"))


class BudgetRealization(Base):
    """Money spent against an allocation on a date (a spending entry: created or deleted, never edited)."""

    __tablename__ = "budget_realizations"
    policy_kind: ClassVar[Kind] = Kind.realization  # what the access policy knows it as

    id: Mapped[int] = mapped_column(primary_key=True)
    allocation_id: Mapped[int] = mapped_column(ForeignKey("budget_allocations.id"), nullable=False)
    budget_id: Mapped[int] = mapped_column(ForeignKey("budgets.id"), nullable=False)
    region_code: Mapped[str] = mapped_column(RegionCode, nullable=False)
    realized_on: Mapped[date] = mapped_column(Date, nullable=False)
    amount: Mapped[int] = mapped_column(Rupiah, nullable=False)
    description: Mapped[str | None] = mapped_column(String(500), nullable=True)
    #: True when this entry took the allocation past its amount on purpose (allow_overrun).
    overrun: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    created_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)

    __table_args__ = (
        Index("ix_budget_realizations_allocation_id_realized_on", "allocation_id", "realized_on"),
        Index("ix_budget_realizations_budget_id", "budget_id"),
    )


class BudgetTotal(Base):
    """The budget roll-up's counters: per region, fiscal year, source and SPM field, what the
    budgets under the region add up to, kept current in each budget write's transaction (a write
    moves its region's row and its ancestors' up to the province; the nation's are its provinces'
    summed when read). `spm_field` '' is the budgets' own row (how many, their totals); the other
    rows are the allocations of one field ('general': allocations without one) and their
    realizations. The counts say whether a group exists at all (an allocation of 0 rupiah still
    makes one)."""

    __tablename__ = "budget_totals"
    __audit__ = False

    region_code: Mapped[str] = mapped_column(RegionCode, primary_key=True)
    fiscal_year: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    source: Mapped[str] = mapped_column(String(32), primary_key=True)
    spm_field: Mapped[str] = mapped_column(String(32), primary_key=True)
    budgets: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    budgeted: Mapped[int] = mapped_column(Rupiah, nullable=False, default=0)
    allocations: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    planned: Mapped[int] = mapped_column(Rupiah, nullable=False, default=0)
    realizations: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    realized: Mapped[int] = mapped_column(Rupiah, nullable=False, default=0)
