from __future__ import annotations


from sqlalchemy import Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from pembina.kit.db import Base, Tracked
from pembina.kit.provenance import Sourced


class LegalReference(Sourced, Tracked, Base):
    """A regulation that records cite as their legal basis (UU 17/2023, Permendagri 13/2024, ...).

    A national library: everyone reads it, national administrators maintain it."""

    __tablename__ = "legal_references"

    #: uu | pp | perpres | permendagri | permenkes | kepmendagri | perda | pergub | perbup | perwal | keputusan | other
    kind: Mapped[str] = mapped_column(String(32), nullable=False)
    number: Mapped[str] = mapped_column(String(64), nullable=False)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    title: Mapped[str] = mapped_column(String(500), nullable=False)
    #: The issuing authority for regional instruments (e.g. "Wali Kota Serang"); None for national ones.
    issuer: Mapped[str | None] = mapped_column(String(200), nullable=True)
    notes: Mapped[str | None] = mapped_column(Text, nullable=True)

    __table_args__ = (UniqueConstraint("kind", "number", "year"),)
