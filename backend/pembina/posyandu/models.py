from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, Boolean, Date, Float, ForeignKey, Index, Integer, SmallInteger, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, query_expression, relationship

from pembina.auth.policy import Kind
from pembina.kit.db import AFTER_STAMPS, Base, RegionCode, Tracked, utcnow
from pembina.kit.provenance import Sourced
from pembina.kit.files import StoredFile
from pembina.kit import search
from pembina.regions.models import Region


class RegistrationStatus:
    unregistered = "unregistered"
    proposed = "proposed"
    verified = "verified"
    submitted = "submitted"
    registered = "registered"
    returned = "returned"
    rejected = "rejected"


class RegistrationBatch(Tracked, Base):
    """A regency/city's submission of verified posyandu to the ministry (Ditjen Bina Pemdes)."""

    __tablename__ = "registration_batches"
    policy_kind: ClassVar[Kind] = Kind.batch  # what the access policy knows it as

    #: The regency/city (level 2) that submits.
    region_code: Mapped[str] = mapped_column(RegionCode, ForeignKey("regions.code"), nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    notes: Mapped[str | None] = mapped_column(Text, nullable=True)
    #: draft | submitted | completed
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="draft")
    created_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    submitted_at: Mapped[datetime | None] = mapped_column(nullable=True, sort_order=AFTER_STAMPS)

    __table_args__ = (Index("ix_registration_batches_region_code", "region_code"),)


SEARCHED = ("name", "address", "registration_number")


class Posyandu(Sourced, Tracked, Base):
    """A Pos Pelayanan Terpadu in one village, with its services per SPM field and its road to a
    Nomor Registrasi Posyandu."""

    __tablename__ = "posyandu"
    policy_kind: ClassVar[Kind] = Kind.posyandu  # what the access policy knows it as

    #: The village (kelurahan/desa, level 4).
    region_code: Mapped[str] = mapped_column(RegionCode, ForeignKey("regions.code"), nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    rw: Mapped[str | None] = mapped_column(String(8), nullable=True)
    rt: Mapped[str | None] = mapped_column(String(8), nullable=True)
    address: Mapped[str | None] = mapped_column(String(500), nullable=True)
    latitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    longitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    is_active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    pengurus_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    kader_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    stratum: Mapped[str | None] = mapped_column(String(32), nullable=True)
    #: {spm_field: [service code, ...]} from the service catalog.
    services: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False, default=dict)
    #: A bit per SPM field with at least one service (catalog.SPM_BIT), for filters and counters.
    spm_mask: Mapped[int] = mapped_column(SmallInteger, nullable=False, default=0)
    notes: Mapped[str | None] = mapped_column(Text, nullable=True)
    registration_status: Mapped[str] = mapped_column(String(16), nullable=False, default=RegistrationStatus.unregistered)
    #: Nomor Registrasi Posyandu, stored exactly as issued.
    registration_number: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True)
    registered_at: Mapped[datetime | None] = mapped_column(nullable=True)
    #: The reason of the last return or rejection.
    status_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    #: The batch it was (last) submitted in.
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("registration_batches.id", ondelete="SET NULL"), nullable=True)

    #: Loaded with the posyandu in one statement (lists read only the name: `village_name`).
    village: Mapped[Region] = relationship(Region, lazy="joined", innerjoin=True, viewonly=True)
    #: The village's name when the query selected it (`service.LIST_OPTIONS`): list pages read it
    #: in their own statement instead of loading every village as an object. None otherwise.
    village_name: Mapped[str | None] = query_expression()
    #: name, address and registration number as searches compare them (`kit.search`)
    search_text: Mapped[str] = search.text_column(*SEARCHED)

    __table_args__ = (
        Index("ix_posyandu_region_code", "region_code"),
        Index("ix_posyandu_registration_status_region_code", "registration_status", "region_code"),
        Index("ix_posyandu_batch_id", "batch_id"),
        Index("ix_posyandu_name", "name"),
        Index("ix_posyandu_region_code_name_id", "region_code", "name", "id"),  # the list's default order (keyset pages)
    )


search.searchable(Posyandu, *SEARCHED)


class PosyanduDocument(StoredFile, Base):
    """Evidence for a registration proposal (berita acara musyawarah, SK pembentukan, SK pengurus,
    data kader): the file itself, in a table of its own."""

    __tablename__ = "posyandu_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    posyandu_id: Mapped[int] = mapped_column(ForeignKey("posyandu.id", ondelete="CASCADE"), nullable=False)
    #: The posyandu's village (scope and audit).
    region_code: Mapped[str] = mapped_column(RegionCode, nullable=False)
    doc_type: Mapped[str] = mapped_column(String(40), nullable=False)

    __table_args__ = (Index("ix_posyandu_documents_posyandu_id", "posyandu_id"),)


class RegistrationEvent(Base):
    """One registration transition: who, when, from, to, why."""

    __tablename__ = "posyandu_registration_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    posyandu_id: Mapped[int] = mapped_column(ForeignKey("posyandu.id", ondelete="CASCADE"), nullable=False)
    region_code: Mapped[str] = mapped_column(RegionCode, nullable=False)
    action: Mapped[str] = mapped_column(String(16), nullable=False)
    from_status: Mapped[str] = mapped_column(String(16), nullable=False)
    to_status: Mapped[str] = mapped_column(String(16), nullable=False)
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    registration_number: Mapped[str | None] = mapped_column(String(64), nullable=True)
    batch_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    actor: Mapped[str] = mapped_column(String(64), nullable=False)
    actor_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    occurred_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)

    __table_args__ = (Index("ix_posyandu_registration_events_posyandu_id", "posyandu_id"),)


class PilotSite(Sourced, Tracked, Base):
    """A posyandu piloting the 6-SPM model (percontohan) for a period, with a scorecard per SPM
    field and notes of good practice.

    The pilot sites' rules live in `pembina.pilots`, which sits above posyandu; the table is
    defined here because a posyandu's own rules read it (the `pilot` list filter, the pilot
    counter, and no move nor delete of a pilot site) without depending on that package.
    """

    __tablename__ = "pilot_sites"
    policy_kind: ClassVar[Kind] = Kind.pilot_site  # what the access policy knows it as

    posyandu_id: Mapped[int] = mapped_column(ForeignKey("posyandu.id"), nullable=False)
    #: The posyandu's village (scope, audit, counters).
    region_code: Mapped[str] = mapped_column(RegionCode, ForeignKey("regions.code"), nullable=False)
    start_date: Mapped[date] = mapped_column(Date, nullable=False)
    end_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    #: {spm_field: {"baseline_score": int|None, "current_score": int|None, "evidence": str|None}}
    scorecard: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False, default=dict)
    good_practices: Mapped[str | None] = mapped_column(Text, nullable=True)
    notes: Mapped[str | None] = mapped_column(Text, nullable=True)

    posyandu: Mapped[Posyandu] = relationship(Posyandu, lazy="selectin", viewonly=True)

    __table_args__ = (UniqueConstraint("posyandu_id", "start_date"), Index("ix_pilot_sites_region_code", "region_code"))
