"""Where a record's facts come from: a seed article, or an illustration.

The demo data (`pembina demo`) is built from the seed articles; where it has to choose what an
article does not say (which five kelurahan of Kota Pekalongan had not reported, the date of an
SK, a placeholder posyandu), the record is *illustrative*. Each record the demo creates gets one
`Provenance` row, keyed by its table and id, so the domain tables carry no column for it; records
created through the API have none (`provenance` is null in their read model).

Only the demo loader writes provenance (`mark`); the API exposes it read-only on the read models
of the `Sourced` records (`ProvenanceRead`), and no request body can set it.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field
from sqlalchemy import CheckConstraint, Date, Integer, String, Text, and_, delete, event
from sqlalchemy.orm import Mapped, Mapper, Session, declared_attr, foreign, mapped_column, relationship
from sqlalchemy.orm.attributes import set_committed_value

from pembina.kit.db import Base


class ProvenanceKind(StrEnum):
    #: Everything the record states is in the named source.
    seed = "seed"
    #: The record holds choices no source states (`note` says which); `title`/`published_on`
    #: name the source it is based on, if any.
    illustrative = "illustrative"


class Provenance(Base):
    """The source of one record (table name and id): a seed article or an illustration."""

    __tablename__ = "provenance"

    table_name: Mapped[str] = mapped_column(String(64), primary_key=True)
    row_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    #: The source article's title (for an illustrative record: the article it is based on).
    title: Mapped[str | None] = mapped_column(String(500), nullable=True)
    #: The source article's date.
    published_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    #: What the source says, or what is illustrative about the record.
    note: Mapped[str | None] = mapped_column(Text, nullable=True)

    __table_args__ = (CheckConstraint("kind IN ('seed', 'illustrative')", name="kind"),)


class Sourced:
    """A record that may carry its provenance (the demo's records): `record.provenance`, loaded
    with the record in its own statement (an outer join on the provenance's primary key), None
    when nothing is recorded. (Loaded `selectin`, it cost every read of one record a second
    query: a fifth of the time of `GET /posyandu/{id}` with the village's.)"""

    if TYPE_CHECKING:
        id: Mapped[int]  # from `kit.db.Tracked`, which every sourced record is

    @declared_attr
    def provenance(cls) -> Mapped[Provenance | None]:
        table = cls.__tablename__  # type: ignore[attr-defined]
        return relationship(
            Provenance,
            primaryjoin=lambda: and_(foreign(Provenance.row_id) == cls.id, Provenance.table_name == table),
            viewonly=True,
            uselist=False,
            lazy="joined",
        )


@event.listens_for(Session, "pending_to_persistent")
def _none_yet(_session: Session, instance: Any) -> None:
    """A record just inserted has no provenance: only `mark` gives one, and it then expires the
    attribute. Known without asking, so a create's response does not query for it."""
    if isinstance(instance, Sourced) and "provenance" not in vars(instance):
        set_committed_value(instance, "provenance", None)


@event.listens_for(Sourced, "after_delete", propagate=True)
def _forget(_mapper: Mapper[Any], connection: Any, target: Any) -> None:
    """A deleted record's provenance goes with it."""
    connection.execute(delete(Provenance).where(Provenance.table_name == target.__tablename__, Provenance.row_id == target.id))


class ProvenanceRead(BaseModel):
    kind: ProvenanceKind = Field(description="`seed`: stated by the source; `illustrative`: demo choices no source states.")
    title: str | None = Field(description="The source article's title (for an illustrative record, the article it is based on).")
    published_on: date | None = Field(description="The source article's date.")
    note: str | None = Field(description="What the source says, or what is illustrative about the record.")


class SourcedRead(BaseModel):
    """The provenance field of a `Sourced` record's read model (list it before the tail bases)."""

    provenance: ProvenanceRead | None = Field(
        description="Where the record comes from: set only on demo data (read-only); null for records entered by users."
    )


def mark(
    session: Session,
    record: Sourced,
    kind: ProvenanceKind | str,
    *,
    title: str | None = None,
    published_on: date | None = None,
    note: str | None = None,
) -> None:
    """Record (or replace) where `record` comes from. For the demo loader only."""
    session.flush()
    table = record.__tablename__  # type: ignore[attr-defined]
    session.merge(
        Provenance(table_name=table, row_id=record.id, kind=ProvenanceKind(kind).value, title=title, published_on=published_on, note=note)
    )
    session.flush()
    session.expire(record, ["provenance"])
