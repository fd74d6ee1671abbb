from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, Field

from pembina.kit.params import MAX_ID, Input, Period, search_text
from pembina.regions.filters import AtHeldLevel
from pembina.kit.phones import PhoneNumber
from pembina.kit.provenance import SourcedRead
from pembina.auth.policy import ActionableRead
from pembina.regions.schemas import NationOrRegionHeldRead


class TeamKind(StrEnum):
    tp_posyandu = "tp_posyandu"
    #: Legacy structures (before Permendagri 13/2024): city/district level ...
    pokjanal_posyandu = "pokjanal_posyandu"
    #: ... and village level.
    pokja_posyandu = "pokja_posyandu"


class TeamFilters(AtHeldLevel):
    kind: TeamKind | None = None
    q: str | None = search_text("Search the team name.")
    active: bool | None = None


class Position(StrEnum):
    pembina = "pembina"
    ketua = "ketua"
    wakil_ketua = "wakil_ketua"
    sekretaris = "sekretaris"
    bendahara = "bendahara"
    ketua_bidang = "ketua_bidang"
    anggota = "anggota"


class SpmField(StrEnum):
    """The six minimum-service (SPM) fields a posyandu serves."""

    kesehatan = "kesehatan"
    pendidikan = "pendidikan"
    sosial = "sosial"
    trantibumlinmas = "trantibumlinmas"
    perumahan_rakyat = "perumahan_rakyat"
    pekerjaan_umum = "pekerjaan_umum"


# -- members ---------------------------------------------------------------------


class _Term(Period):
    period_fields = ("term_start", "term_end")


class MemberCreate(_Term):
    position: Position
    spm_field: SpmField | None = Field(default=None, description="Required for (and only for) `ketua_bidang`.")
    name: str = Field(min_length=1, max_length=200)
    institution: str | None = Field(default=None, max_length=200, description="The member's institution (OPD).")
    phone: PhoneNumber | None = None
    term_start: date | None = None
    term_end: date | None = None


class MemberUpdate(_Term):
    position: Position | None = None
    spm_field: SpmField | None = None
    name: str | None = Field(default=None, min_length=1, max_length=200)
    institution: str | None = Field(default=None, max_length=200)
    phone: PhoneNumber | None = None
    term_start: date | None = None
    term_end: date | None = None


class _Member(BaseModel):
    id: int
    team_id: int
    region_code: str | None = Field(description="The team's region (null: the national team).")
    position: Position
    spm_field: SpmField | None
    name: str
    institution: str | None
    phone: str | None = Field(description="E.164 (+62...).")
    term_start: date | None
    term_end: date | None


class MemberRead(ActionableRead, SourcedRead, _Member):
    pass


# -- teams -----------------------------------------------------------------------


class TeamCreate(Input):
    region_code: str | None = Field(
        max_length=13,
        examples=["33.75.02.1008"],
        description="A province, regency/city, district or village; null: the national team (national accounts only, level `nation`).",
    )
    kind: TeamKind = TeamKind.tp_posyandu
    name: str | None = Field(default=None, min_length=1, max_length=200, description="Defaults to 'TP Posyandu <region name>'.")
    notes: str | None = Field(default=None, max_length=5000)
    formed_on: date | None = Field(default=None, description="When the team was formed (not in the future).")
    succeeds_team_id: int | None = Field(
        default=None,
        ge=1,
        le=MAX_ID,
        description="Only for a TP Posyandu: the team of the same region it succeeds (its former Pokjanal/Pokja Posyandu).",
    )
    is_active: bool = True


class TeamUpdate(Input):
    kind: TeamKind | None = None
    name: str | None = Field(default=None, min_length=1, max_length=200)
    notes: str | None = Field(default=None, max_length=5000)
    formed_on: date | None = None
    succeeds_team_id: int | None = Field(default=None, ge=1, le=MAX_ID, description="null: it records no predecessor.")
    is_active: bool | None = None


class _Team(NationOrRegionHeldRead):
    region_name: str | None = None
    kind: TeamKind
    name: str
    notes: str | None
    formed_on: date | None
    succeeds_team_id: int | None = Field(description="The team it succeeds (a TP Posyandu's former Pokjanal/Pokja).")
    is_active: bool


class TeamRead(ActionableRead, SourcedRead, _Team):
    pass


class TeamDetail(TeamRead):
    members: list[MemberRead]


class OfTeamRead(BaseModel):
    """The first fields of the read model of a team's record (`teams.models.OfTeam`)."""

    id: int
    team_id: int
    team_name: str
    region_code: str
