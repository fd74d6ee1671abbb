"""A posyandu's monthly 6-SPM activity report, and the per-region, per-month totals of reports."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, BigInteger, Boolean, Date, ForeignKey, Index, Integer, SmallInteger, String, Text, UniqueConstraint
from sqlalchemy import select
from sqlalchemy.orm import Mapped, column_property, mapped_column

from pembina.auth.policy import Kind
from pembina.kit.db import Base, RegionCode, Tracked
from pembina.kit.files import StoredFile
from pembina.posyandu.models import Posyandu
from pembina.regions.models import RegionHeld


class ActivityReport(Tracked, RegionHeld, Base):
    """One posyandu's activities of one month (`period` YYYY-MM): days open, kader present, per SPM
    field the counts asked by the questions in force when the report was created (kept with it),
    the target groups reached and notes.

    `status` changes only through transitions: draft -> submitted -> accepted, or returned (with a
    reason) and submitted again. Its region is the posyandu's village when the report was created.
    """

    __tablename__ = "activity_reports"
    policy_kind: ClassVar[Kind] = Kind.activity_report  # what the access policy knows it as

    posyandu_id: Mapped[int] = mapped_column(ForeignKey("posyandu.id", ondelete="RESTRICT"), nullable=False)
    period: Mapped[str] = mapped_column(String(7), nullable=False)
    #: draft | submitted | accepted | returned
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="draft")
    days_open: Mapped[int] = mapped_column(SmallInteger, nullable=False, default=0)
    kader_present: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    #: The questions asked, as they were when the report was created: {spm_field: {code: label}}.
    questions: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False, default=dict)
    #: The answers: {spm_field: {code: count}} (codes of `questions` only).
    counts: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False, default=dict)
    #: People reached per target group: {ibu_hamil|balita|lansia|keluarga_miskin: count}.
    target_groups: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False, default=dict)
    #: A bit per SPM field with some activity (a count above 0), for "no activity in a field".
    active_mask: Mapped[int] = mapped_column(SmallInteger, nullable=False, default=0)
    notes: Mapped[str | None] = mapped_column(Text, nullable=True)
    #: The due date that applies (the configured working day of the next month), fixed at the first submission.
    due_date: Mapped[date] = mapped_column(Date, nullable=False)
    first_submitted_at: Mapped[datetime | None] = mapped_column(nullable=True)
    submitted_at: Mapped[datetime | None] = mapped_column(nullable=True)
    #: Submitted (the first time) by the end of `due_date` in the offices' zone.
    on_time: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    accepted_at: Mapped[datetime | None] = mapped_column(nullable=True)
    #: Who accepted or returned it last, and why it was returned.
    decided_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    return_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    returned_at: Mapped[datetime | None] = mapped_column(nullable=True)

    #: The posyandu's name, read with the report (one subquery, no object loaded).
    posyandu_name: Mapped[str | None] = column_property(select(Posyandu.name).where(Posyandu.id == posyandu_id).scalar_subquery())

    __table_args__ = (
        UniqueConstraint("posyandu_id", "period"),
        Index("ix_activity_reports_region_code_period", "region_code", "period"),
        Index("ix_activity_reports_period_region_code", "period", "region_code"),
    )


class ActivityReportPhoto(StoredFile, Base):
    """A photo of a report's month (JPEG or PNG, a few per report), its bytes in the file store."""

    __tablename__ = "activity_report_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("activity_reports.id", ondelete="CASCADE"), nullable=False)
    #: The report's village (scope and audit).
    region_code: Mapped[str] = mapped_column(RegionCode, nullable=False)
    #: What the photo shows, in the operator's words (the dashboard's alt text).
    caption: Mapped[str | None] = mapped_column(String(200), nullable=True)

    __table_args__ = (Index("ix_activity_report_photos_report_id", "report_id"),)


class ActivityReportTotals(Base):
    """One row per region and month: a month's reports counted, kept current in each write's transaction.

    A report adds to its village's row and every ancestor's up to its province; the nation's
    numbers are the sum of the 38 province rows (no national row that every writer would lock).
    Completeness and timeliness are fixed integer columns (`active_<field>`: reports with some
    activity in the SPM field); the service and target-group totals are one JSON column,
    `{"svc": {field: {code: n}}, "groups": {group: n}}`, kept from the district up only (a
    village's few reports are summed when asked). `expected` is the active posyandu the month was
    counted against (`pembina.activity_reports.counters` says when it is set).
    """

    __tablename__ = "activity_report_totals"
    __audit__ = False

    region_code: Mapped[str] = mapped_column(RegionCode, primary_key=True)
    period: Mapped[str] = mapped_column(String(7), primary_key=True)
    expected: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    received: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    on_time: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    accepted: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    returned: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    days_open: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), nullable=False, default=0)
    kader_present: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), nullable=False, default=0)
    active_kesehatan: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    active_pendidikan: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    active_sosial: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    active_trantibumlinmas: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    active_perumahan_rakyat: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    active_pekerjaan_umum: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    #: {"svc": {field: {code: n}}, "groups": {group: n}} from the district up; null at a village.
    totals: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
